package nix

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// This file turns the AST into a layout document. It follows nixfmt's
// src/Nixfmt/Pretty.hs in strict mode for the constructs this package
// models; the names of the helpers follow the functions there.

// paren is an expression in parentheses. The printer inserts it where the
// grammar requires it; callers never build it.
type paren struct{ X Expr }

func (paren) nixExpr() {}

type printer struct {
	err   error
	arena doc
	r     renderer // reused by the fast path for each leaf
	slow  bool     // disables the fast path, for tests
	// hashes is the table of mayConflict, reused for each set.
	hashes []uint64
}

func (p *printer) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("nix: "+format, args...)
	}
}

// Document constructors.

func txt(l int, s string) elem {
	return elem{kind: kText, level: int32(l), text: s, width: int32(textW(s))}
}

func comment(l int, s string) elem {
	return elem{kind: kText, tann: commentT, level: int32(l), text: s, width: int32(textW(s))}
}

func trailing(l int, s string) elem {
	return elem{kind: kText, tann: trailingT, level: int32(l), text: s, width: int32(textW(s))}
}

func spc(s spacing) elem { return elem{kind: kSpacing, sp: s} }

func grp(ann groupAnn, d doc) elem { return elem{kind: kGroup, gann: ann, kids: d} }

func (p *printer) cat(ds ...doc) doc {
	n := 0
	for _, d := range ds {
		n += len(d)
	}
	out := p.alloc(n)[:0]
	for _, d := range ds {
		out = append(out, d...)
	}
	return out
}

func (p *printer) one(e elem) doc {
	d := p.alloc(1)
	d[0] = e
	return d
}

// add appends es to d like append, growing d in the arena rather than on
// the heap.
func (p *printer) add(d doc, es ...elem) doc {
	if n := len(d) + len(es); n > cap(d) {
		nd := p.alloc(max(2*n, 8))[:len(d)]
		copy(nd, d)
		d = nd
	}
	return append(d, es...)
}

// alloc returns a slice of n elements from the printer's arena. Documents
// are built from many small slices; carving them from large blocks keeps
// the number of allocations, and the garbage collector's work, small.
func (p *printer) alloc(n int) doc {
	if cap(p.arena)-len(p.arena) < n {
		size := 4096
		if n > size {
			size = n
		}
		p.arena = make(doc, 0, size)
	}
	start := len(p.arena)
	p.arena = p.arena[:start+n]
	return p.arena[start : start+n : start+n]
}

// Precedence levels of the Nix grammar, from the manual's operator table.
const (
	precLowest = 0 // lambda, let, with, if, assert
	precImpl   = 5
	precOr     = 8
	precAnd    = 10
	precEq     = 15
	precCmp    = 20
	precUpdate = 30
	precNot    = 35
	precAdd    = 40
	precMul    = 50
	precConcat = 60
	precNeg    = 80
	precApply  = 90
	precTerm   = 100
)

func opPrec(op Op) (prec int, assoc byte) {
	switch op {
	case OpImpl:
		return precImpl, 'r'
	case OpOr:
		return precOr, 'l'
	case OpAnd:
		return precAnd, 'l'
	case OpEq, OpNeq:
		return precEq, 'n'
	case OpLt, OpLe, OpGt, OpGe:
		return precCmp, 'n'
	case OpUpdate:
		return precUpdate, 'r'
	case OpAdd, OpSub:
		return precAdd, 'l'
	case OpMul, OpDiv:
		return precMul, 'l'
	case OpConcat:
		return precConcat, 'r'
	}
	return -1, 0
}

func prec(e Expr) int {
	switch e := e.(type) {
	case Int:
		if e < 0 {
			return precNeg
		}
	case Float:
		if e < 0 || (e == 0 && math.Signbit(float64(e))) {
			return precNeg
		}
	case Apply:
		return precApply
	case Neg:
		return precNeg
	case Not:
		return precNot
	case BinOp:
		pr, _ := opPrec(e.Op)
		return pr
	case Lambda, Let, With, If:
		return precLowest
	}
	return precTerm
}

// atLeast wraps e in parentheses when its precedence is below min.
func atLeast(e Expr, min int) Expr {
	if prec(e) < min {
		return paren{e}
	}
	return e
}

// isTerm reports whether e is a term in nixfmt's sense: something that needs
// no parentheses as a list element or argument.
func isTerm(e Expr) bool { return prec(e) == precTerm }

// norm rewrites e into the shape nixfmt's parser would produce: negative
// numbers become negations, nested selections merge, and parentheses appear
// where the grammar needs them.
func norm(e Expr) Expr {
	switch v := e.(type) {
	case Int:
		if v < 0 && v != math.MinInt64 {
			return Neg{X: -v}
		}
	case Float:
		if v < 0 || (v == 0 && math.Signbit(float64(v))) {
			return Neg{X: Float(math.Abs(float64(v)))}
		}
	case Select:
		if inner, ok := v.X.(Select); ok && inner.Default == nil {
			path := append(append(AttrPath{}, inner.Path...), v.Path...)
			return norm(Select{X: inner.X, Path: path, Default: v.Default})
		}
	}
	return e
}

func (p *printer) numText(e Expr) string {
	switch v := e.(type) {
	case Int:
		if v == math.MinInt64 {
			p.fail("integer %d cannot be written in Nix", int64(v))
			return "0"
		}
		if v < 0 {
			v = -v
		}
		return strconv.FormatInt(int64(v), 10)
	case Float:
		f := math.Abs(float64(v))
		if f != 0 && f < 0x1p-1022 {
			p.fail("float %v cannot be written in Nix: it is subnormal, which Nix's parser rejects", float64(v))
			return "0.0"
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			p.fail("float %v cannot be written in Nix", float64(v))
			return "0.0"
		}
		s := strconv.FormatFloat(f, 'g', -1, 64)
		mant, exp, hasExp := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		if hasExp {
			return mant + "e" + exp
		}
		return mant
	}
	return ""
}

// expr is nixfmt's `pretty` for an Expression.
func (p *printer) expr(e Expr, l int) doc {
	e = norm(e)
	switch v := e.(type) {
	case With:
		return p.prettyWith(false, v, l)
	case Let:
		let := p.one(grp(regularG, p.cat(p.one(txt(l, "let")), p.one(spc(hardline)), p.items(v.Items, hardline, l+1))))
		in := p.one(grp(regularG, p.cat(p.one(txt(l, "in")), p.one(spc(hardline)), p.expr(v.Body, l))))
		return p.cat(let, p.one(spc(hardline)), in)
	case If:
		return p.one(grp(regularG, p.prettyIf(space, v, l)))
	case Lambda:
		return p.lambda(v, l)
	case Apply:
		return p.prettyApp(false, nil, false, v.Fn, v.Arg, l)
	case BinOp:
		pr, assoc := opPrec(v.Op)
		if pr < 0 {
			p.fail("unknown operator %q", string(v.Op))
			return nil
		}
		_ = assoc
		nb := p.normOp(v)
		lhs, rhs := nb.L, nb.R
		if pr == precEq || pr == precCmp {
			return p.cat(p.expr(lhs, l), p.one(spc(softspace)), p.one(txt(l, string(v.Op))), p.one(spc(hardspace)), p.expr(rhs, l))
		}
		return p.prettyOp(false, nb, l)
	case Not:
		return p.cat(p.one(txt(l, "!")), p.expr(atLeast(norm(v.X), precNot), l))
	case Neg:
		if n, ok := v.X.(Int); ok && n >= 0 {
			return p.one(txt(l, "-"+p.numText(n)))
		}
		if n, ok := v.X.(Float); ok && n >= 0 {
			return p.one(txt(l, "-"+p.numText(n)))
		}
		return p.cat(p.one(txt(l, "-")), p.expr(atLeast(norm(v.X), precApply), l))
	case nil:
		p.fail("nil expression")
		return nil
	}
	// Terms: lists are grouped, everything else is not.
	if _, ok := e.(List); ok {
		return p.one(grp(regularG, p.term(e, l)))
	}
	return p.term(e, l)
}

// group is nixfmt's `group`.
func (p *printer) group(e Expr, l int) doc {
	return p.one(grp(regularG, p.expr(e, l)))
}

// term is nixfmt's prettyTerm.
func (p *printer) term(e Expr, l int) doc {
	switch v := norm(e).(type) {
	case Ident:
		if !IsIdent(string(v)) {
			p.fail("invalid identifier %q", string(v))
		}
		return p.one(txt(l, string(v)))
	case Int, Float:
		return p.one(txt(l, p.numText(v)))
	case Bool:
		if v {
			return p.one(txt(l, "true"))
		}
		return p.one(txt(l, "false"))
	case Null:
		return p.one(txt(l, "null"))
	case Path:
		if !validPath(string(v)) {
			p.fail("invalid path literal %q: it needs a slash and only the characters a-z A-Z 0-9 . _ - + /", string(v))
		}
		return p.one(txt(l, string(v)))
	case String:
		return p.str(v, l)
	case Select:
		return p.sel(v, l)
	case List:
		if len(v.Elems) == 0 {
			return p.add(nil, txt(l, "["), spc(hardspace), txt(l, "]"))
		}
		return p.renderList(hardline, v.Elems, l)
	case Attrs:
		return p.set(false, v, l)
	case paren:
		return p.parenthesized(v.X, l)
	case Apply, Lambda, Let, With, If, BinOp, Not, Neg:
		// Not a term: parenthesize.
		return p.parenthesized(e, l)
	}
	// Pointers to AST values also satisfy Expr (the methods have value
	// receivers); they are not part of the AST.
	p.fail("unsupported expression of type %T; use AST values, not pointers", e)
	return nil
}

// termWide is nixfmt's prettyTermWide: sets are always expanded.
func (p *printer) termWide(e Expr, l int) doc {
	if a, ok := e.(Attrs); ok {
		return p.set(true, a, l)
	}
	return p.term(e, l)
}

func (p *printer) parenthesized(e Expr, l int) doc {
	var inner doc
	e = norm(e)
	switch v := e.(type) {
	case Apply:
		if !isAbsorbableExpr(e) {
			inner = p.prettyApp(true, nil, true, v.Fn, v.Arg, l+1)
		}
	case Select:
		if isAbsorbable(v.X) {
			inner = p.cat(p.one(spc(brk)), p.group(e, l+1), p.one(spc(brk)))
		} else {
			inner = p.cat(p.group(e, l+1), p.one(spc(brk)))
		}
	}
	if isAbsorbableExpr(e) {
		inner = p.one(grp(regularG, p.absorbExpr(false, e, l+1)))
	} else if inner == nil {
		inner = p.cat(p.one(spc(brk)), p.group(e, l+1), p.one(spc(brk)))
	}
	return p.one(grp(regularG, p.cat(p.one(txt(l, "(")), inner, p.one(txt(l, ")")))))
}

func (p *printer) sel(v Select, l int) doc {
	x := atLeast(norm(v.X), precTerm)
	if inner, ok := x.(Select); ok && inner.Default != nil {
		// a.b or d.c would read as a.b or (d.c).
		x = paren{inner}
	}
	d := p.term(x, l)
	switch x.(type) {
	case Ident:
	case Int, Float:
		d = p.add(d, spc(hardspace))
	case paren:
		d = p.add(d, spc(softbreak))
	default:
		d = p.add(d, spc(brk))
	}
	if len(v.Path) == 0 {
		p.fail("selection with an empty attribute path")
	}
	for _, s := range v.Path {
		q, err := QuoteAttr(s)
		if err != nil {
			p.fail("attribute name %q: %v", s, err)
		}
		d = p.add(d, txt(l, "."+q))
	}
	if v.Default != nil {
		d = p.add(d, spc(softspace))
		d = p.add(d, txt(l+1, "or"), spc(hardspace))
		d = p.add(d, p.expr(atLeast(norm(v.Default), precTerm), l+1)...)
	}
	return d
}

func validPath(s string) bool {
	if !strings.Contains(s, "/") || strings.HasSuffix(s, "/") {
		return false
	}
	if strings.Contains(s, "//") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.' || c == '_' || c == '-' || c == '+' || c == '/':
		default:
			return false
		}
	}
	// A path must start with a path character sequence followed by a slash,
	// or with a slash; a leading ~ is not supported.
	return true
}

// isAbsorbable is nixfmt's isAbsorbable for a term.
func isAbsorbable(e Expr) bool {
	switch v := norm(e).(type) {
	case Attrs:
		return len(v.Items) > 0
	case List:
		return len(v.Elems) > 0
	case String:
		return indentable(v.Parts)
	case paren:
		return isTerm(v.X) && isAbsorbable(v.X)
	}
	return false
}

func isAbsorbableTerm(e Expr) bool { return isTerm(e) && isAbsorbable(e) }

// canFlatten is nixfmt's canFlattenAttrs: at most two names without
// defaults, plus an optional ellipsis.
func canFlatten(f *Formals) bool {
	if len(f.Names) > 2 {
		return false
	}
	for _, n := range f.Names {
		if n.Default != nil {
			return false
		}
	}
	return true
}

// isAbsorbableExpr is nixfmt's isAbsorbableExpr.
func isAbsorbableExpr(e Expr) bool {
	switch v := norm(e).(type) {
	case With:
		return isAbsorbableTerm(norm(v.Body))
	case Lambda:
		body := norm(v.Body)
		if v.Formals == nil {
			if isAbsorbableTerm(body) {
				return true
			}
			if b, ok := body.(Lambda); ok && b.Formals == nil {
				return isAbsorbableExpr(b)
			}
			return false
		}
		if v.Param == "" && canFlatten(v.Formals) {
			return isAbsorbableExpr(body)
		}
		return false
	}
	return isAbsorbableTerm(e)
}

func (p *printer) absorbExpr(wide bool, e Expr, l int) doc {
	e = norm(e)
	if isAbsorbableTerm(e) {
		if wide {
			return p.termWide(e, l)
		}
		return p.term(e, l)
	}
	if w, ok := e.(With); ok && isAbsorbableTerm(norm(w.Body)) {
		return p.prettyWith(true, w, l)
	}
	return p.expr(e, l)
}

// absorbRHS renders the value of a binding or a default. Every case nests
// one level deeper than l.
func (p *printer) absorbRHS(e Expr, l int) doc {
	e = norm(e)
	n := l + 1
	if a, ok := e.(Attrs); ok && len(a.Items) == 1 {
		if _, ok := a.Items[0].(*Inherit); ok {
			return p.cat(p.one(spc(hardspace)), p.one(grp(regularG, p.absorbExpr(false, e, n))))
		}
	}
	if isAbsorbableExpr(e) {
		return p.cat(p.one(spc(hardspace)), p.one(grp(regularG, p.absorbExpr(true, e, n))))
	}
	switch v := e.(type) {
	case paren:
		return p.cat(p.one(spc(hardspace)), p.absorbParen(v.X, n))
	case String, Path:
		return p.cat(p.one(spc(hardspace)), p.group(e, n))
	case Apply:
		return p.prettyApp(false, p.one(spc(space)), false, v.Fn, v.Arg, n)
	case With:
		return p.one(grp(regularG, p.cat(p.one(spc(space)), p.expr(e, n))))
	case BinOp:
		if v.Op == OpUpdate || v.Op == OpConcat || v.Op == OpAdd {
			b := p.normOp(v)
			ops := operands(b)
			// Case 1: the first operand is an absorbable term.
			if isAbsorbableTerm(norm(ops[0])) {
				return p.cat(p.one(spc(hardspace)), p.prettyOp(true, b, l))
			}
			// Case 2: two operands, the second an absorbable term.
			if len(ops) == 2 && isAbsorbableTerm(norm(ops[1])) {
				rhs := norm(ops[1])
				opDoc := p.cat(p.one(txt(n, string(v.Op))), p.one(spc(hardspace)), p.one(grp(priorityG, p.termWide(rhs, n))))
				return p.one(grp(regularG, p.cat(p.one(spc(space)), p.expr(ops[0], n), p.one(spc(space)), p.one(grp(transparentG, opDoc)))))
			}
		}
	}
	if isTerm(e) {
		return p.one(grp(regularG, p.cat(p.one(spc(space)), p.expr(e, n))))
	}
	return p.cat(p.one(spc(space)), p.group(e, n))
}

// operands lists the operands of a chain of the same operator.
func operands(b BinOp) []Expr {
	var out []Expr
	var walk func(e Expr)
	walk = func(e Expr) {
		if v, ok := e.(BinOp); ok && v.Op == b.Op {
			walk(v.L)
			walk(v.R)
			return
		}
		out = append(out, e)
	}
	walk(b)
	return out
}

// normOp parenthesizes the operands of b as precedence requires.
func (p *printer) normOp(v BinOp) BinOp {
	pr, assoc := opPrec(v.Op)
	lmin, rmin := pr, pr
	switch assoc {
	case 'l':
		rmin = pr + 1
	case 'r':
		lmin = pr + 1
	default:
		lmin, rmin = pr+1, pr+1
	}
	return BinOp{Op: v.Op, L: atLeast(norm(v.L), lmin), R: atLeast(norm(v.R), rmin)}
}

func (p *printer) absorbParen(e Expr, l int) doc {
	n := l + 1
	inner := p.one(grp(regularG, p.expr(e, n+1)))
	return p.one(grp(priorityG, p.cat(p.one(txt(n, "(")), p.one(spc(brk)), inner, p.one(spc(brk)), p.one(txt(n, ")")))))
}

// prettyWith renders with scope; body. With absorb, the body is a term that
// opens on the same line.
func (p *printer) prettyWith(absorb bool, w With, l int) doc {
	head := p.cat(p.one(txt(l, "with")), p.one(spc(hardspace)), p.group(w.Scope, l+1), p.one(txt(l, ";")))
	if absorb {
		return p.one(grp(regularG, p.cat(p.one(spc(brk)), head, p.one(spc(hardspace)), p.one(grp(priorityG, p.termWide(norm(w.Body), l))))))
	}
	return p.cat(p.one(grp(regularG, head)), p.one(spc(space)), p.expr(w.Body, l))
}

func (p *printer) prettyIf(sep spacing, e Expr, l int) doc {
	v, ok := norm(e).(If)
	if !ok {
		return p.cat(p.one(spc(space)), p.group(e, l+1))
	}
	head := p.one(grp(regularG, p.cat(p.one(txt(l, "if")), p.one(spc(space)), p.expr(v.Cond, l+1), p.one(spc(space)), p.one(txt(l, "then")))))
	return p.cat(head, p.one(spc(sep)), p.group(v.Then, l+1), p.one(spc(sep)), p.one(txt(l, "else")), p.one(spc(hardspace)), p.prettyIf(hardline, v.Else, l))
}

func (p *printer) lambda(v Lambda, l int) doc {
	body := norm(v.Body)
	if v.Formals == nil {
		if !IsIdent(v.Param) {
			p.fail("invalid function parameter %q", v.Param)
		}
		d := p.cat(p.one(spc(brk)), p.one(txt(l, v.Param+":")))
		depth := 1
		for {
			if b, ok := body.(Lambda); ok && b.Formals == nil {
				if !IsIdent(b.Param) {
					p.fail("invalid function parameter %q", b.Param)
				}
				d = p.add(d, spc(hardspace), txt(l, b.Param+":"))
				depth++
				body = norm(b.Body)
				continue
			}
			break
		}
		if isAbsorbableExpr(body) {
			d = p.add(d, spc(hardspace), grp(priorityG, p.absorbExpr(false, body, l)))
		} else {
			s := space
			if depth > 2 {
				s = hardline
			}
			d = p.add(d, spc(s))
			d = p.add(d, p.expr(body, l)...)
		}
		return p.one(grp(regularG, d))
	}
	param := p.formals(v, l)
	if v.Param == "" && canFlatten(v.Formals) && isAbsorbableExpr(body) {
		return p.cat(param, p.one(txt(l, ":")), p.one(spc(hardspace)), p.one(grp(priorityG, p.expr(body, l))))
	}
	if isAbsorbableTerm(body) {
		return p.cat(param, p.one(txt(l, ":")), p.one(spc(space)), p.one(grp(regularG, p.termWide(body, l))))
	}
	return p.cat(param, p.one(txt(l, ":")), p.one(spc(space)), p.expr(body, l))
}

func (p *printer) formals(v Lambda, l int) doc {
	f := v.Formals
	var d doc
	if len(f.Names) == 0 && !f.Ellipsis {
		d = p.one(grp(regularG, p.add(nil, txt(l, "{"), spc(hardspace), txt(l, "}"))))
	} else {
		sep := hardline
		if canFlatten(f) {
			sep = space
		}
		seen := make(map[string]bool, len(f.Names))
		var attrs doc
		for i, n := range f.Names {
			if !IsIdent(n.Name) {
				p.fail("invalid function argument name %q", n.Name)
			}
			if seen[n.Name] {
				p.fail("duplicate function argument %q", n.Name)
			}
			seen[n.Name] = true
			if i > 0 {
				attrs = p.add(attrs, spc(sep))
			}
			last := i == len(f.Names)-1 && !f.Ellipsis
			var a doc
			if n.Default == nil {
				a = p.one(txt(l+1, n.Name))
			} else {
				a = p.one(grp(regularG, p.cat(p.one(txt(l+1, n.Name)), p.one(spc(hardspace)), p.one(txt(l+2, "?")), p.absorbRHS(n.Default, l+2))))
			}
			if last {
				a = p.add(a, trailing(l+1, ","))
			} else {
				a = p.add(a, txt(l+1, ","))
			}
			attrs = p.add(attrs, a...)
		}
		if f.Ellipsis {
			if len(f.Names) > 0 {
				attrs = p.add(attrs, spc(sep))
			}
			attrs = p.add(attrs, txt(l+1, "..."))
		}
		d = p.one(grp(regularG, p.cat(p.one(txt(l, "{")), p.one(spc(sep)), attrs, p.one(spc(sep)), p.one(txt(l, "}")))))
	}
	if v.Param != "" {
		if !IsIdent(v.Param) {
			p.fail("invalid function parameter %q", v.Param)
		}
		if v.Formals != nil {
			for _, n := range f.Names {
				if n.Name == v.Param {
					p.fail("duplicate function argument %q", n.Name)
				}
			}
		}
		d = p.add(d, txt(l, "@"+v.Param))
	}
	return d
}

// isSimple is nixfmt's isSimple.
func isSimple(e Expr) bool {
	switch v := norm(e).(type) {
	case String, Path, Ident, Int, Float, Bool, Null:
		return true
	case Select:
		if v.Default != nil || !isSimple(v.X) {
			return false
		}
		for _, s := range v.Path {
			if !IsIdent(s) {
				return false
			}
		}
		return true
	case paren:
		return isSimple(v.X)
	case Apply:
		if f, ok := v.Fn.(Apply); ok {
			if _, ok := f.Fn.(Apply); ok {
				return false
			}
		}
		return isSimple(v.Fn) && isSimple(v.Arg)
	}
	return false
}

// unexpandAll flattens d onto one line, failing on hard line breaks or when
// the width exceeds max (when max >= 0).
func unexpandAll(d doc, max int) (doc, bool) {
	out := make(doc, 0, len(d))
	w := 0
	var walk func(d doc) bool
	walk = func(d doc) bool {
		for i := range d {
			e := &d[i]
			switch e.kind {
			case kText:
				w += int(e.width)
				out = append(out, *e)
			case kSpacing:
				switch e.sp {
				case hardspace, space, softspace:
					w++
					out = append(out, spc(hardspace))
				case brk, softbreak:
				default:
					return false
				}
			case kGroup:
				if !walk(e.kids) {
					return false
				}
			}
			if max >= 0 && w > max {
				return false
			}
		}
		return true
	}
	ok := walk(d)
	return out, ok
}

func (p *printer) prettyApp(indentFunction bool, pre doc, hasPost bool, f, a Expr, l int) doc {
	f = atLeast(norm(f), precApply)
	a = atLeast(norm(a), precTerm)
	var post doc
	if hasPost {
		post = p.one(spc(brk))
	}
	if inner, ok := f.(Apply); ok {
		if _, ok := norm(inner.Arg).(List); ok {
			if _, ok := a.(List); ok {
				l1 := atLeast(norm(inner.Arg), precTerm)
				return p.one(grp(regularG, p.cat(pre,
					p.one(grp(transparentG, p.absorbApp(indentFunction, atLeast(norm(inner.Fn), precApply), l))),
					p.one(spc(space)), p.one(grp(regularG, p.absorbInner(l1, l+1))),
					p.one(spc(space)), p.one(grp(regularG, p.absorbInner(a, l+1))),
					post)))
			}
		}
	}
	renderedF := p.cat(pre, p.one(grp(transparentG, p.absorbApp(indentFunction, f, l))))
	if isSimple(Apply{Fn: f, Arg: a}) {
		if flat, ok := unexpandAll(renderedF, -1); ok {
			return p.one(grp(regularG, p.cat(flat, p.one(spc(hardspace)), p.absorbLast(a, l))))
		}
	}
	return p.one(grp(regularG, p.cat(renderedF, p.one(spc(space)), p.absorbLast(a, l), post)))
}

func (p *printer) absorbApp(indentFunction bool, e Expr, l int) doc {
	if v, ok := e.(Apply); ok {
		fn := atLeast(norm(v.Fn), precApply)
		arg := atLeast(norm(v.Arg), precTerm)
		if _, ok := arg.(Select); ok {
			return p.cat(p.one(grp(transparentG, p.absorbApp(indentFunction, fn, l))), p.one(spc(space)), p.one(grp(regularG, p.absorbInner(arg, l+1))))
		}
		if f2, ok := fn.(Apply); ok {
			if _, ok := norm(f2.Arg).(List); ok {
				if _, ok := arg.(List); ok {
					l1 := atLeast(norm(f2.Arg), precTerm)
					inner := p.cat(p.one(spc(space)), p.one(grp(regularG, p.absorbInner(l1, l+1))), p.one(spc(space)), p.one(grp(regularG, p.absorbInner(arg, l+1))))
					return p.one(grp(transparentG, p.cat(p.one(grp(transparentG, p.absorbApp(indentFunction, atLeast(norm(f2.Fn), precApply), l))), p.one(grp(regularG, inner)))))
				}
			}
		}
		return p.cat(p.one(grp(transparentG, p.absorbApp(indentFunction, fn, l))), p.one(spc(space)), p.one(grp(priorityG, p.absorbInner(arg, l+1))))
	}
	if indentFunction {
		return p.one(grp(regularG, p.cat(p.one(spc(brk)), p.expr(e, l+1))))
	}
	return p.expr(e, l)
}

func (p *printer) absorbInner(e Expr, l int) doc {
	if v, ok := e.(List); ok && len(v.Elems) > 0 && len(v.Elems) <= 6 {
		simple := true
		for _, x := range v.Elems {
			if !isSimple(x) || !isTerm(norm(x)) {
				simple = false
			}
		}
		if simple {
			return p.renderList(space, v.Elems, l)
		}
	}
	return p.expr(e, l)
}

func (p *printer) absorbLast(a Expr, l int) doc {
	n := l + 1
	if isAbsorbableTerm(a) {
		return p.one(grp(priorityG, p.term(a, n)))
	}
	if pv, ok := a.(paren); ok {
		inner := norm(pv.X)
		if lam, ok := inner.(Lambda); ok && lam.Formals == nil && IsIdent(lam.Param) {
			if body := norm(lam.Body); isAbsorbableTerm(body) {
				return p.one(grp(priorityG, p.cat(p.one(txt(n, "("+lam.Param+":")), p.one(spc(hardspace)), p.termWide(body, n), p.one(txt(n, ")")))))
			}
		}
		if app, ok := inner.(Apply); ok {
			if id, ok := app.Fn.(Ident); ok && IsIdent(string(id)) {
				if body := norm(app.Arg); isAbsorbableTerm(body) {
					return p.one(grp(priorityG, p.cat(p.one(txt(n, "("+string(id))), p.one(spc(hardspace)), p.termWide(body, n), p.one(txt(n, ")")))))
				}
			}
		}
		return p.absorbParen(pv.X, l)
	}
	return p.one(grp(regularG, p.expr(a, n)))
}

func (p *printer) prettyOp(forceWide bool, b BinOp, l int) doc {
	var d doc
	for i, x := range operands(b) {
		x = norm(x)
		if i == 0 {
			if forceWide && isAbsorbableTerm(x) {
				d = p.add(d, p.termWide(x, l)...)
			} else {
				d = p.add(d, p.expr(x, l)...)
			}
			continue
		}
		d = p.add(d, spc(space), txt(l, string(b.Op)))
		n := l + 1
		switch v := x.(type) {
		case BinOp:
			d = p.add(d, grp(regularG, p.cat(p.one(spc(space)), p.expr(x, n))))
		case Apply:
			d = p.add(d, grp(regularG, p.cat(p.one(spc(hardspace)), p.prettyApp(false, p.one(spc(space)), false, v.Fn, v.Arg, n))))
		default:
			d = p.add(d, spc(hardspace))
			d = p.add(d, p.expr(x, n)...)
		}
	}
	return p.one(grp(regularG, d))
}

// renderList renders [ elems ] with the given separator between elements.
func (p *printer) renderList(sep spacing, elems []Expr, l int) doc {
	d := p.alloc(2*len(elems) + 3)[:0]
	d = p.add(d, txt(l, "["), spc(space))
	for i, x := range elems {
		if i > 0 {
			d = p.add(d, spc(sep))
		}
		d = p.add(d, grp(regularG, p.expr(atLeast(norm(x), precTerm), l+1)))
	}
	d = p.add(d, spc(space), txt(l, "]"))
	return d
}

// set is nixfmt's prettySet.
func (p *printer) set(wide bool, a Attrs, l int) doc {
	var d doc
	if a.Rec {
		d = p.add(d, txt(l, "rec"), spc(hardspace))
	}
	if len(a.Items) == 0 {
		return append(d, txt(l, "{"), spc(hardspace), txt(l, "}"))
	}
	sep := space
	if wide {
		sep = hardline
	}
	d = p.add(d, txt(l, "{"), spc(sep))
	d = p.add(d, p.items(a.Items, hardline, l+1)...)
	d = p.add(d, spc(sep), txt(l, "}"))
	return d
}

// items renders the bindings of a set or let block, checking that no two of
// them define the same attribute.
func (p *printer) items(items []Item, sep spacing, l int) doc {
	var d doc
	// The exact check runs only where a cheap one finds that two items
	// may conflict (see mayConflict).
	var seen *pathSet
	if p.mayConflict(items) {
		seen = &pathSet{}
	}
	for i, it := range items {
		if i > 0 {
			d = p.add(d, spc(sep))
		}
		switch v := it.(type) {
		case *Binding:
			if v == nil {
				p.fail("nil binding")
				continue
			}
			if seen != nil {
				if err := seen.add(v.Path); err != nil {
					p.err = errors.Join(p.err, err)
				}
			}
			d = p.add(d, p.comments(v.Comments, l)...)
			d = p.add(d, p.binding(v, l)...)
		case *Inherit:
			if v == nil {
				p.fail("nil inherit")
				continue
			}
			for _, n := range v.Names {
				if seen == nil {
					break
				}
				if err := seen.add(AttrPath{n}); err != nil {
					p.err = errors.Join(p.err, err)
				}
			}
			d = p.add(d, p.comments(v.Comments, l)...)
			d = p.add(d, p.inherit(v, l)...)
		default:
			p.fail("unknown item %T", it)
		}
	}
	return d
}

func (p *printer) comments(lines []string, l int) doc {
	if len(lines) == 0 {
		return nil
	}
	d := p.add(nil, spc(hardline))
	for _, c := range lines {
		if strings.ContainsAny(c, "\n\r") || strings.IndexByte(c, 0) >= 0 {
			p.fail("comment %q spans lines or holds a NUL byte", c)
		}
		c = strings.TrimRight(c, " \t")
		if c == "" {
			d = p.add(d, comment(l, "#"), spc(hardline))
		} else {
			d = p.add(d, comment(l, "# "+c), spc(hardline))
		}
	}
	return d
}

func (p *printer) attrPath(path AttrPath, l int) (doc, bool) {
	if len(path) == 0 {
		p.fail("binding with an empty attribute path")
		return nil, true
	}
	if len(path) == 1 && isPlainName(path[0]) {
		return p.one(txt(l, path[0])), true
	}
	b, simple, _ := p.appendAttrPath(nil, path)
	return p.one(txt(l, bytesString(b))), simple
}

func (p *printer) binding(b *Binding, l int) doc {
	sel, simple := p.attrPath(b.Path, l)
	if b.Value == nil {
		p.fail("binding %q has no value", strings.Join(b.Path, "."))
		return nil
	}
	var rhs doc
	if simple {
		rhs = p.absorbRHS(b.Value, l+1)
	} else {
		rhs = p.cat(p.one(spc(brk)), p.one(grp(priorityG, p.absorbRHS(b.Value, l+1))))
	}
	d := p.cat(sel, p.one(spc(hardspace)), p.one(txt(l+1, "=")), rhs, p.one(txt(l, ";")))
	return p.one(grp(regularG, d))
}

func (p *printer) inherit(v *Inherit, l int) doc {
	sep, nosep := space, brk
	if len(v.Names) >= 4 {
		sep, nosep = hardline, hardline
	}
	if len(v.Names) == 0 {
		p.fail("inherit without names")
	}
	var ids doc
	for i, n := range v.Names {
		if i > 0 {
			ids = p.add(ids, spc(sep))
		}
		q, err := QuoteAttr(n)
		if err != nil {
			p.fail("attribute name %q: %v", n, err)
		}
		ids = p.add(ids, txt(l+1, q))
	}
	ids = p.add(ids, spc(nosep), txt(l+1, ";"))
	if v.From == nil {
		return p.one(grp(regularG, p.cat(p.one(txt(l, "inherit")), p.one(spc(sep)), ids)))
	}
	src := p.one(grp(regularG, p.cat(p.one(spc(space)), p.term(paren{v.From}, l+1))))
	return p.one(grp(regularG, p.cat(p.one(txt(l, "inherit")), src, p.one(spc(sep)), ids)))
}

// pathSet detects bindings that define the same attribute twice, or an
// attribute and one of its prefixes, which Nix rejects at parse time.
type pathSet struct {
	m map[string]bool // joined path: true for a full path, false for a prefix
	// small holds the paths of a set with few bindings, the common case,
	// checked without a map.
	small []AttrPath
}

func (s *pathSet) add(path AttrPath) error {
	if s.m == nil && len(s.small) < 16 {
		for _, q := range s.small {
			n := min(len(q), len(path))
			if slices.Equal(q[:n], path[:n]) {
				if len(q) <= len(path) {
					return fmt.Errorf("nix: attribute %q is already defined", strings.Join(q, "."))
				}
				return fmt.Errorf("nix: attribute %q is already defined by a longer attribute path", strings.Join(path, "."))
			}
		}
		s.small = append(s.small, path)
		return nil
	}
	if s.m == nil {
		s.m = make(map[string]bool)
		for _, q := range s.small {
			if err := s.addMap(q); err != nil {
				return err
			}
		}
	}
	return s.addMap(path)
}

func (s *pathSet) addMap(path AttrPath) error {
	key := ""
	for i, seg := range path {
		if i == 0 {
			key = seg
		} else {
			key += "\x00" + seg
		}
		full, ok := s.m[key]
		last := i == len(path)-1
		switch {
		case ok && full:
			return fmt.Errorf("nix: attribute %q is already defined", strings.Join(path[:i+1], "."))
		case ok && last:
			return fmt.Errorf("nix: attribute %q is already defined by a longer attribute path", strings.Join(path, "."))
		}
		if !ok || last {
			s.m[key] = last
		}
	}
	return nil
}

// str renders a string literal in double-quoted or indented form.
func (p *printer) str(s String, l int) doc {
	s.Parts = mergeText(s.Parts)
	for _, part := range s.Parts {
		if part.Interp == nil && strings.IndexByte(part.Text, 0) >= 0 {
			p.err = errors.Join(p.err, errNUL)
			return nil
		}
	}
	if indentable(s.Parts) {
		lines := indentedLines(s.Parts)
		d := p.add(nil, txt(l, "''"), spc(brk))
		for i, ln := range lines {
			if i > 0 {
				d = p.add(d, elem{kind: kSpacing, sp: newlines, n: 1})
			}
			d = p.add(d, p.strLine(ln, l+1)...)
		}
		d = p.add(d, txt(l, "''"))
		return p.one(grp(regularG, d))
	}
	if len(s.Parts) == 1 && s.Parts[0].Interp == nil {
		// A plain string is a single text.
		b := make([]byte, 0, len(s.Parts[0].Text)+2)
		b = append(b, '"')
		b, err := appendQuoted(b, s.Parts[0].Text, false)
		if err != nil {
			p.err = errors.Join(p.err, err)
		}
		b = append(b, '"')
		return p.one(grp(regularG, p.one(txt(l, bytesString(b)))))
	}
	parts := make([]StrPart, 0, len(s.Parts))
	for i, part := range s.Parts {
		if part.Interp != nil {
			parts = append(parts, part)
			continue
		}
		before := i+1 < len(s.Parts) && s.Parts[i+1].Interp != nil
		b, err := appendQuoted(make([]byte, 0, len(part.Text)), part.Text, before)
		if err != nil {
			p.err = errors.Join(p.err, err)
		}
		parts = append(parts, StrPart{Text: bytesString(b)})
	}
	d := p.add(nil, txt(l, `"`))
	d = p.add(d, p.strLine(parts, l)...)
	d = p.add(d, txt(l, `"`))
	return p.one(grp(regularG, d))
}

// strLine renders one line of string parts whose text is already escaped.
func (p *printer) strLine(parts []StrPart, l int) doc {
	// Drop empty text parts.
	clean := parts[:0:0]
	for _, part := range parts {
		if part.Interp == nil && part.Text == "" {
			continue
		}
		clean = append(clean, part)
	}
	parts = clean
	if len(parts) == 1 && parts[0].Interp != nil {
		return p.loneInterp(parts[0].Interp, l)
	}
	if len(parts) == 2 && parts[0].Interp == nil && parts[1].Interp != nil && strings.Trim(parts[0].Text, " ") == "" {
		return p.cat(p.one(txt(l, parts[0].Text)), p.loneInterp(parts[1].Interp, l))
	}
	var d doc
	for _, part := range parts {
		if part.Interp == nil {
			d = p.add(d, txt(l, part.Text))
			continue
		}
		e := norm(part.Interp)
		switch {
		case isAbsorbableTerm(e):
			d = p.add(d, grp(regularG, p.cat(p.one(txt(l, "${")), p.term(e, l), p.one(txt(l, "}")))))
		case isSimple(e):
			inner := p.expr(e, l)
			if flat, ok := unexpandAll(inner, -1); ok {
				inner = flat
			}
			d = p.add(d, txt(l, "${"))
			d = p.add(d, inner...)
			d = p.add(d, txt(l, "}"))
		default:
			inner := p.expr(e, l)
			if flat, ok := unexpandAll(inner, 30); ok {
				inner = flat
			} else {
				inner = p.cat(p.one(spc(brk)), p.expr(e, l+1), p.one(spc(brk)))
			}
			d = p.add(d, grp(regularG, p.cat(p.one(txt(l, "${")), inner, p.one(txt(l, "}")))))
		}
	}
	return d
}

// loneInterp renders an interpolation that is alone on its line.
func (p *printer) loneInterp(e Expr, l int) doc {
	e = norm(e)
	n := l + 1
	var inner doc
	switch v := e.(type) {
	case Apply:
		if !isAbsorbableExpr(e) {
			inner = p.prettyApp(true, nil, true, v.Fn, v.Arg, n)
		}
	case Select:
		if isAbsorbable(v.X) {
			inner = p.cat(p.one(spc(brk)), p.group(e, n), p.one(spc(brk)))
		} else {
			inner = p.cat(p.group(e, n), p.one(spc(brk)))
		}
	}
	if isAbsorbableExpr(e) {
		inner = p.one(grp(regularG, p.absorbExpr(false, e, n)))
	} else if inner == nil {
		inner = p.cat(p.one(spc(brk)), p.group(e, n), p.one(spc(brk)))
	}
	return p.one(grp(regularG, p.cat(p.one(txt(l, "${")), inner, p.one(txt(l, "}")))))
}
