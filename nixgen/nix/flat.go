package nix

import (
	"math"
	"strconv"
	"strings"
)

// This file writes the one-line form of the values that the layout engine
// prints on one line when their group fits, or whatever the width, for the
// fast path (fast.go). Each case follows the document that pretty.go builds
// for the construct, with every spacing printed as in a flat group: a
// space for the spaces, nothing for the line breaks.

// flatness tells how the layout engine prints a value on one line.
type flatness uint8

const (
	notFlat         flatness = iota // not known to be printed on one line
	flatBreakable                   // on one line when it fits
	flatUnbreakable                 // on one line whatever the width: only texts and hard spaces
)

// appendFlat appends the one-line form of e, as the layout engine renders
// expr(e) when the group around it fits, and reports how it is printed. It
// knows only the expressions below; for others it returns notFlat, and
// what it appended is to be dropped. With term set, e is a list element or
// an argument, where anything but a term would need parentheses; those are
// left to the layout engine.
func (p *printer) appendFlat(out []byte, e Expr, term bool) ([]byte, flatness) {
	e = norm(e)
	if term && !isTerm(e) {
		return out, notFlat
	}
	switch v := e.(type) {
	case Ident:
		if !IsIdent(string(v)) {
			return out, notFlat
		}
		return append(out, v...), flatUnbreakable
	case Int:
		if v < 0 {
			// Only MinInt64, which the layout engine reports.
			return out, notFlat
		}
		return strconv.AppendInt(out, int64(v), 10), flatUnbreakable
	case Float:
		return appendFloat(out, float64(v))
	case Neg:
		// expr prints a negated number as one text.
		switch x := v.X.(type) {
		case Int:
			if x >= 0 {
				return strconv.AppendInt(append(out, '-'), int64(x), 10), flatUnbreakable
			}
		case Float:
			if x >= 0 {
				return appendFloat(append(out, '-'), float64(x))
			}
		}
	case Bool:
		if v {
			return append(out, "true"...), flatUnbreakable
		}
		return append(out, "false"...), flatUnbreakable
	case Null:
		return append(out, "null"...), flatUnbreakable
	case Path:
		if !validPath(string(v)) {
			return out, notFlat
		}
		return append(out, v...), flatUnbreakable
	case String:
		return p.appendFlatString(out, v)
	case Select:
		// sel: after an identifier, the path follows without spacing.
		id, ok := v.X.(Ident)
		if !ok || v.Default != nil || len(v.Path) == 0 || !IsIdent(string(id)) {
			return out, notFlat
		}
		out = append(out, id...)
		for _, s := range v.Path {
			var err error
			out = append(out, '.')
			if out, _, err = appendAttrName(out, s); err != nil {
				return out, notFlat
			}
		}
		return out, flatUnbreakable
	case List:
		// renderList: [ then a line break or space, each element in a
		// group, then a line break or space and ].
		switch len(v.Elems) {
		case 0:
			return append(out, "[ ]"...), flatUnbreakable
		case 1:
			out = append(out, "[ "...)
			out, fl := p.appendFlat(out, v.Elems[0], true)
			if fl == notFlat {
				return out, notFlat
			}
			return append(out, " ]"...), flatBreakable
		}
	case Attrs:
		// prettySet (not wide): { then a line break or space, the items
		// separated by hard line breaks, a line break or space and }.
		switch len(v.Items) {
		case 0:
			if v.Rec {
				return append(out, "rec { }"...), flatUnbreakable
			}
			return append(out, "{ }"...), flatUnbreakable
		case 1:
			if v.Rec {
				out = append(out, "rec "...)
			}
			out = append(out, "{ "...)
			var ok bool
			if out, ok = p.appendFlatItem(out, v.Items[0]); !ok {
				return out, notFlat
			}
			return append(out, " }"...), flatBreakable
		}
	case Apply:
		return p.appendFlatApply(out, v)
	case If:
		// prettyIf: if cond then a else b, with spaces that may break;
		// an else if is always broken.
		els := norm(v.Else)
		if _, ok := els.(If); ok {
			return out, notFlat
		}
		var fl flatness
		out = append(out, "if "...)
		if out, fl = p.appendFlat(out, v.Cond, false); fl == notFlat {
			return out, notFlat
		}
		out = append(out, " then "...)
		if out, fl = p.appendFlat(out, v.Then, false); fl == notFlat {
			return out, notFlat
		}
		out = append(out, " else "...)
		if out, fl = p.appendFlat(out, els, false); fl == notFlat {
			return out, notFlat
		}
		return out, flatBreakable
	case BinOp:
		// Comparisons: lhs, a soft space, the operator, a hard space and
		// rhs. Operands that normOp parenthesizes are left out.
		pr, _ := opPrec(v.Op)
		if pr != precEq && pr != precCmp {
			return out, notFlat
		}
		nb := p.normOp(v)
		var fl flatness
		if out, fl = p.appendFlat(out, nb.L, false); fl == notFlat {
			return out, notFlat
		}
		out = append(out, ' ')
		out = append(out, v.Op...)
		out = append(out, ' ')
		if out, fl = p.appendFlat(out, nb.R, false); fl == notFlat {
			return out, notFlat
		}
		return out, flatBreakable
	}
	return out, notFlat
}

// appendFloat appends a float as numText writes it.
func appendFloat(out []byte, f float64) ([]byte, flatness) {
	if !(f >= 0) || math.Signbit(f) || math.IsInf(f, 0) || f != 0 && f < 0x1p-1022 {
		// Not a number, negative, infinite or subnormal: norm and
		// numText rewrite or report these.
		return out, notFlat
	}
	start := len(out)
	out = strconv.AppendFloat(out, f, 'g', -1, 64)
	num := out[start:]
	mant := len(num)
	for i, c := range num {
		if c == 'e' {
			mant = i
			break
		}
	}
	for _, c := range num[:mant] {
		if c == '.' {
			return out, flatUnbreakable
		}
	}
	// A float needs a point: 1e+21 becomes 1.0e+21.
	out = append(out, ".0"...)
	num = out[start:]
	copy(num[mant+2:], num[mant:len(num)-2])
	copy(num[mant:], ".0")
	return out, flatUnbreakable
}

// appendFlatString appends a string in double-quoted form, when str prints
// it as texts only: a plain string, or one whose interpolations are simple
// names (strLine flattens them).
func (p *printer) appendFlatString(out []byte, s String) ([]byte, flatness) {
	parts := mergeText(s.Parts)
	if indentable(parts) {
		return out, notFlat
	}
	switch {
	case len(parts) == 1 && parts[0].Interp != nil,
		len(parts) == 2 && parts[0].Interp == nil && parts[1].Interp != nil && strings.Trim(parts[0].Text, " ") == "":
		// strLine renders an interpolation alone on its line by
		// loneInterp, which may break.
		return out, notFlat
	}
	out = append(out, '"')
	for i, part := range parts {
		if part.Interp == nil {
			before := i+1 < len(parts) && parts[i+1].Interp != nil
			var err error
			if out, err = appendQuoted(out, part.Text, before); err != nil {
				return out, notFlat
			}
			continue
		}
		e := norm(part.Interp)
		switch e.(type) {
		case Ident, Select:
		default:
			return out, notFlat
		}
		if !isSimple(e) {
			return out, notFlat
		}
		out = append(out, "${"...)
		var fl flatness
		if out, fl = p.appendFlat(out, e, true); fl != flatUnbreakable {
			return out, notFlat
		}
		out = append(out, '}')
	}
	return append(out, '"'), flatUnbreakable
}

// appendFlatApply appends a function application whose function is a name
// and whose arguments are terms printed on one line. prettyApp flattens a
// simple application (isSimple: at most two arguments, all simple) with
// hard spaces; any other has spaces that may break.
func (p *printer) appendFlatApply(out []byte, v Apply) ([]byte, flatness) {
	var fl flatness
	switch f := norm(v.Fn).(type) {
	case Apply:
		out, fl = p.appendFlatApply(out, f)
	case Ident, Select:
		out, fl = p.appendFlat(out, f, true)
	default:
		return out, notFlat
	}
	if fl == notFlat {
		return out, notFlat
	}
	out = append(out, ' ')
	if out, fl = p.appendFlat(out, v.Arg, true); fl == notFlat {
		return out, notFlat
	}
	if isAbsorbableTerm(norm(v.Arg)) {
		// absorbLast makes it a priority group.
		return out, flatBreakable
	}
	if isSimple(v) {
		return out, flatUnbreakable
	}
	return out, flatBreakable
}

// appendFlatItem appends the one-line form of the only item of a set: a
// binding without comments whose value absorbRHS prints on one line, or an
// inherit of fewer than four names (inherit separates more by hard line
// breaks) from nothing, a name or a selection.
func (p *printer) appendFlatItem(out []byte, it Item) ([]byte, bool) {
	switch v := it.(type) {
	case *Binding:
		if v == nil || v.Value == nil || len(v.Comments) > 0 || len(v.Path) == 0 {
			return out, false
		}
		for i, s := range v.Path {
			if i > 0 {
				out = append(out, '.')
			}
			var err error
			if out, _, err = appendAttrName(out, s); err != nil {
				return out, false
			}
		}
		out = append(out, " = "...)
		val := norm(v.Value)
		if valueHardBreaks(val) {
			return out, false
		}
		var fl flatness
		if out, fl = p.appendFlat(out, val, false); fl == notFlat {
			return out, false
		}
		return append(out, ';'), true
	case *Inherit:
		if v == nil || len(v.Comments) > 0 || len(v.Names) == 0 || len(v.Names) >= 4 {
			return out, false
		}
		out = append(out, "inherit"...)
		if v.From != nil {
			// A parenthesized name or selection.
			from := norm(v.From)
			switch from.(type) {
			case Ident, Select:
			default:
				return out, false
			}
			out = append(out, " ("...)
			var fl flatness
			if out, fl = p.appendFlat(out, from, true); fl == notFlat {
				return out, false
			}
			out = append(out, ')')
		}
		for i, n := range v.Names {
			for _, m := range v.Names[:i] {
				if m == n {
					// The layout engine reports it.
					return out, false
				}
			}
			var err error
			out = append(out, ' ')
			if out, _, err = appendAttrName(out, n); err != nil {
				return out, false
			}
		}
		return append(out, ';'), true
	}
	return out, false
}
