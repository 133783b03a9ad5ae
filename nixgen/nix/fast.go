package nix

import (
	"encoding/binary"
	"strings"
)

// This file holds a fast path for generated files. Where nixfmt's layout of
// a construct does not depend on the width, the printer writes it directly:
// a set at the top of a file or a module that is always expanded (two or
// more bindings, or one that holds a hard line break), and every binding
// whose value is a non-empty set or a list of two or more elements, is
// printed one item per line.
//
// The leaves below that structure are written directly too when their
// layout is known: a value that the layout engine prints on one line (a
// scalar, a plain or simply interpolated string, a path, a selection, an
// application of a function to such values, a small list or set, a
// conditional of such values; see flat.go) is written flat after checking
// the width exactly as the engine would; a multi-line string in indented
// form is written line by line; and a conditional, a function applied to a
// set, or a function with a pattern, that does not fit on one line is
// written as nixfmt breaks it. Any other leaf goes through the layout
// engine on its own. Since nixfmt does not count indentation against the
// width, and since every leaf is followed by a line break, a leaf laid out
// on its own at the right indentation comes out exactly as it would inside
// the whole document; the tests check that both paths agree.

// fastFile prints f by the fast path. It reports false when the top-level
// expression is not one the fast path handles.
func (p *printer) fastFile(f File) ([]byte, bool) {
	var head string
	var body Attrs
	switch v := norm(f.Expr).(type) {
	case Attrs:
		body = v
	case Lambda:
		b, ok := norm(v.Body).(Attrs)
		if !ok || !plainFormals(v) {
			return nil, false
		}
		if v.Param != "" || !canFlatten(v.Formals) {
			if len(b.Items) == 0 {
				return nil, false
			}
			// The body, printed wide, is not absorbed: it starts on the
			// line after the pattern.
			return p.fastModule(f, v, b), true
		}
		// The body is a priority group (nixfmt's absorbed lambda body):
		// the pattern and the opening brace share the first line only when
		// they fit on it, and the pattern is expanded otherwise.
		head = string(appendFormalsFlat(nil, v.Formals)) + ": "
		if textW(head)+len("{") > Width {
			return nil, false
		}
		body = b
	default:
		return nil, false
	}
	if !expandedItems(body.Items) {
		return nil, false
	}
	size := len(head) + sizeHint(body, 0)
	for _, c := range f.Header {
		size += len(c) + 3
	}
	out := make([]byte, 0, size+size/16)
	for _, c := range f.Header {
		out = p.fastComment(out, c, 0)
	}
	out = append(out, head...)
	if body.Rec {
		out = append(out, "rec "...)
	}
	out = append(out, "{\n"...)
	out = p.fastItems(out, body.Items, indentWidth)
	out = append(out, "}\n"...)
	return out, true
}

// fastModule prints a file whose expression is a function with a pattern
// that is not absorbed (see fastLambda) and a non-empty set as body.
func (p *printer) fastModule(f File, v Lambda, body Attrs) []byte {
	size := 64 + sizeHint(body, 0)
	for _, c := range f.Header {
		size += len(c) + 3
	}
	for _, n := range v.Formals.Names {
		size += len(n.Name) + 4
	}
	out := make([]byte, 0, size+size/16)
	for _, c := range f.Header {
		out = p.fastComment(out, c, 0)
	}
	out = appendLambdaHead(out, v, 0)
	if body.Rec {
		out = append(out, "rec "...)
	}
	out = append(out, "{\n"...)
	out = p.fastItems(out, body.Items, indentWidth)
	return append(out, "}\n"...)
}

// expandedItems reports whether a set of these items always holds a hard
// line break, so that nixfmt prints it one item per line whatever the
// width: the items are separated by line breaks, or the only one holds
// one.
func expandedItems(items []Item) bool {
	return len(items) >= 2 || hardBreaks(Attrs{Items: items})
}

// hardBreaks reports whether e, rendered by expr, surely holds a hard line
// break: a list of two or more elements or a set of two or more items has
// one between its elements, a string in indented form between its lines,
// and a set of one binding or a list of one element has one where its
// only item does.
func hardBreaks(e Expr) bool {
	switch v := e.(type) {
	case List:
		switch len(v.Elems) {
		case 0:
			return false
		case 1:
			return hardBreaks(atLeast(norm(v.Elems[0]), precTerm))
		}
		return true
	case Attrs:
		switch len(v.Items) {
		case 0:
			return false
		case 1:
			switch it := v.Items[0].(type) {
			case *Binding:
				return it != nil && (len(it.Comments) > 0 || it.Value != nil && valueHardBreaks(norm(it.Value)))
			case *Inherit:
				return it != nil && (len(it.Comments) > 0 || len(it.Names) >= 4)
			}
			return false
		}
		return true
	case String:
		return indentable(mergeText(v.Parts))
	}
	return false
}

// valueHardBreaks reports whether v, rendered as the value of a binding by
// absorbRHS, surely holds a hard line break: a non-empty set is printed
// wide there, unless it holds a single inherit.
func valueHardBreaks(v Expr) bool {
	if a, ok := v.(Attrs); ok && len(a.Items) > 0 && !soleInherit(a) {
		return true
	}
	return hardBreaks(v)
}

// fastComment writes the comment line c at indentation ci, as comments
// does.
func (p *printer) fastComment(out []byte, c string, ci int) []byte {
	for i := 0; i < len(c); i++ {
		if b := c[i]; b == '\n' || b == '\r' || b == 0 {
			p.fail("comment %q spans lines or holds a NUL byte", c)
			break
		}
	}
	c = strings.TrimRight(c, " \t")
	out = appendIndent(out, ci)
	if c == "" {
		return append(out, "#\n"...)
	}
	out = append(out, "# "...)
	out = append(out, c...)
	return append(out, '\n')
}

const spaces = "                                                                "

// appendIndent appends n spaces.
func appendIndent(out []byte, n int) []byte {
	for n > len(spaces) {
		out = append(out, spaces...)
		n -= len(spaces)
	}
	return append(out, spaces[:n]...)
}

// fastItems writes the bindings of an expanded set at indentation ci.
func (p *printer) fastItems(out []byte, items []Item, ci int) []byte {
	// Duplicate attributes are looked for with the exact check of
	// pathSet only where a cheap hash says that there may be some.
	var seen *pathSet
	if p.mayConflict(items) {
		seen = &pathSet{}
	}
	for _, it := range items {
		b, ok := it.(*Binding)
		if !ok || b == nil {
			// inherit, or an error the slow path reports.
			var comments []string
			if in, ok := it.(*Inherit); ok && in != nil {
				comments = in.Comments
				if seen != nil {
					for _, n := range in.Names {
						if err := seen.add(AttrPath{n}); err != nil {
							p.fail("%s", strings.TrimPrefix(err.Error(), "nix: "))
						}
					}
				}
			}
			for _, c := range comments {
				out = p.fastComment(out, c, ci)
			}
			out = p.slowLeaf(out, p.itemDoc(it), ci, "")
			continue
		}
		if seen != nil {
			if err := seen.add(b.Path); err != nil {
				p.fail("%s", strings.TrimPrefix(err.Error(), "nix: "))
			}
		}
		for _, c := range b.Comments {
			out = p.fastComment(out, c, ci)
		}
		out = p.fastBinding(out, b, ci)
	}
	return out
}

// fastBinding writes one binding at indentation ci, followed by a line
// break.
func (p *printer) fastBinding(out []byte, b *Binding, ci int) []byte {
	mark := len(out)
	out = appendIndent(out, ci)
	selStart := len(out)
	out, simple, selW := p.appendAttrPath(out, b.Path)
	selLen := len(out) - selStart
	if b.Value == nil {
		p.fail("binding %q has no value", strings.Join(b.Path, "."))
		return out[:mark]
	}
	v := norm(b.Value)
	// With a path that nixfmt does not count as simple, the value is a
	// priority group after a possible line break (see binding); it stays
	// on the line of the path when that line fits, which a short path
	// ensures for the values below, whose first line is short.
	short := simple || selLen < 80
	selEnd := len(out)
	switch v := v.(type) {
	case Attrs:
		if len(v.Items) > 0 && !soleInherit(v) {
			// absorbRHS prints the set wide (prettyTermWide): it is
			// always expanded.
			if !short {
				return p.slowLeaf(out[:mark], p.binding(&Binding{Path: b.Path, Value: b.Value}, 0), ci, "")
			}
			if v.Rec {
				out = append(out, " = rec {\n"...)
			} else {
				out = append(out, " = {\n"...)
			}
			out = p.fastItems(out, v.Items, ci+indentWidth)
			out = appendIndent(out, ci)
			return append(out, "};\n"...)
		}
	case List:
		if short && (len(v.Elems) >= 2 || len(v.Elems) == 1 && hardBreaks(atLeast(norm(v.Elems[0]), precTerm))) {
			return p.fastList(append(out, " = "...), v, ci, ";")
		}
	case String:
		if short {
			if text, ok := indentedText(v); ok {
				out = append(out, " = "...)
				return p.appendIndentedString(out, text, ci, ";")
			}
		}
	case If:
		if simple {
			if o, ok := p.fastIf(out, v, ci, selW); ok {
				return o
			}
			out = out[:selEnd]
		}
	case Apply:
		if simple {
			if o, ok := p.fastApplySet(out, v, ci, selW); ok {
				return o
			}
			out = out[:selEnd]
		}
	case Lambda:
		if simple {
			if o, ok := p.fastLambda(out, v, ci, selW); ok {
				return o
			}
			out = out[:selEnd]
		}
	}
	// A value laid out on one line.
	out = append(out, " = "...)
	valStart := len(out)
	out, fl := p.appendFlat(out, v, false)
	if fl != notFlat {
		// absorbRHS keeps strings, paths and simple applications on the
		// line of a simple path; anything else is flat only if the whole
		// binding fits.
		always := fl == flatUnbreakable && stickyValue(v)
		if always && simple || selW+textW(bytesString(out[valStart:]))+len(" = ;") <= Width {
			return append(out, ";\n"...)
		}
		// A list with one element that does not fit is expanded like a
		// longer one.
		if l, ok := v.(List); ok && short && len(l.Elems) == 1 {
			return p.fastList(out[:valStart], l, ci, ";")
		}
	}
	out = out[:mark]
	return p.slowLeaf(out, p.binding(&Binding{Path: b.Path, Value: b.Value}, 0), ci, "")
}

// stickyValue reports whether absorbRHS puts no line break between = and
// the value v, so that an unbreakable value stays on the line of the path
// whatever the width.
func stickyValue(v Expr) bool {
	switch v.(type) {
	case String, Path, Apply:
		return true
	}
	return false
}

// fastList writes the expanded list l, whose opening bracket goes at the
// end of the current line, at indentation ci, then suffix and a line break.
func (p *printer) fastList(out []byte, l List, ci int, suffix string) []byte {
	out = append(out, "[\n"...)
	out = p.fastElems(out, l.Elems, ci+indentWidth)
	out = appendIndent(out, ci)
	out = append(out, ']')
	out = append(out, suffix...)
	return append(out, '\n')
}

// fastIf writes the binding of a simple path to the conditional v, after
// the path at indentation ci, as nixfmt lays it out: on the line of the path
// when it all fits, alone on the next line when the conditional fits there,
// and otherwise broken into its head, its branches and else (prettyIf). It
// reports false, having written nothing, for the conditionals whose layout
// it does not know.
func (p *printer) fastIf(out []byte, v If, ci, selW int) ([]byte, bool) {
	mark := len(out)
	els := norm(v.Else)
	if _, ok := els.(If); ok {
		// else if: prettyIf chains with hard line breaks.
		return out, false
	}
	out = append(out, " = "...)
	start := len(out)
	out, fl := p.appendFlat(out, v, false)
	if fl != notFlat {
		w := textW(bytesString(out[start:]))
		if selW+w+len(" = ;") <= Width {
			return append(out, ";\n"...), true
		}
		// The binding breaks after =, then the conditional's group is
		// tried with the ; that follows it.
		if w+len(";") <= Width {
			flat := out[start:]
			tail := make([]byte, 0, len(flat)+ci+8)
			tail = append(tail, " =\n"...)
			tail = appendIndent(tail, ci+indentWidth)
			tail = append(tail, flat...)
			tail = append(tail, ";\n"...)
			return append(out[:mark], tail...), true
		}
	} else if !hardBreaks(norm(v.Then)) && !hardBreaks(els) {
		// Whether the conditional fits is unknown.
		return out[:mark], false
	}
	// The conditional is expanded: the head "if cond then" is a group of
	// its own, each branch a group on its own line one level deeper.
	out = append(out[:mark], " =\n"...)
	out = appendIndent(out, ci+indentWidth)
	headStart := len(out)
	out = append(out, "if "...)
	out, fl = p.appendFlat(out, norm(v.Cond), false)
	if fl == notFlat {
		return out[:mark], false
	}
	out = append(out, " then"...)
	if textW(bytesString(out[headStart:])) > Width {
		return out[:mark], false
	}
	out = append(out, '\n')
	out = p.fastLine(out, norm(v.Then), ci+2*indentWidth, "")
	out = appendIndent(out, ci+indentWidth)
	out = append(out, "else\n"...)
	out = p.fastLine(out, els, ci+2*indentWidth, ";")
	return out, true
}

// fastApplySet writes the binding of a simple path to a function applied
// to names or scalars and, last, a non-empty set: sel = f a {, the items, };
// as prettyApp lays it out when the application does not fit on the line
// (the set is a priority group, expanded when what comes before it fits),
// or on one line when it fits. It reports false, having written nothing,
// for the other applications and layouts.
func (p *printer) fastApplySet(out []byte, v Apply, ci, selW int) ([]byte, bool) {
	set, ok := norm(v.Arg).(Attrs)
	if !ok || len(set.Items) == 0 {
		return out, false
	}
	mark := len(out)
	out = append(out, " = "...)
	start := len(out)
	out, fl := p.appendFlat(out, v, false)
	if fl != notFlat {
		if selW+textW(bytesString(out[start:]))+len(" = ;") <= Width {
			return append(out, ";\n"...), true
		}
	} else if !hardBreaks(set) {
		// Whether it fits is unknown.
		return out[:mark], false
	}
	out = out[:start]
	switch f := norm(v.Fn).(type) {
	case Apply:
		out, fl = p.appendFlatApply(out, f)
	case Ident, Select:
		out, fl = p.appendFlat(out, f, true)
	default:
		fl = notFlat
	}
	// The line up to the set's opening brace must fit: the space before
	// and after the function count, and so does the first line of the
	// set, "{" or "rec {".
	open := "{"
	if set.Rec {
		open = "rec {"
	}
	if fl == notFlat || selW+len(" = ")+textW(bytesString(out[start:]))+len(" ")+len(open) > Width {
		return out[:mark], false
	}
	out = append(out, ' ')
	out = append(out, open...)
	out = append(out, '\n')
	out = p.fastItems(out, set.Items, ci+indentWidth)
	out = appendIndent(out, ci)
	return append(out, "};\n"...), true
}

// fastLambda writes the binding of a simple path to a function with a
// pattern and a non-empty set as body, as lambda lays it out: with a
// pattern that nixfmt flattens and no @ name, the body is absorbed, sel =
// { a, b }: {, when that line fits; otherwise the function starts on the
// next line, the pattern on one line or one name per line, and the body,
// printed wide, below it. It reports false, having written nothing, for
// other functions.
func (p *printer) fastLambda(out []byte, v Lambda, ci, selW int) ([]byte, bool) {
	body, ok := norm(v.Body).(Attrs)
	if !ok || len(body.Items) == 0 || !plainFormals(v) {
		return out, false
	}
	mark := len(out)
	if v.Param == "" && canFlatten(v.Formals) {
		// The body is a priority group after the pattern: a set that
		// is not wide, so it must surely break.
		if !hardBreaks(body) {
			return out, false
		}
		out = append(out, " = "...)
		start := len(out)
		out = appendFormalsFlat(out, v.Formals)
		out = append(out, ": "...)
		if body.Rec {
			out = append(out, "rec "...)
		}
		out = append(out, '{')
		if selW+len(" = ")+textW(bytesString(out[start:])) > Width {
			return out[:mark], false
		}
		out = append(out, '\n')
		out = p.fastItems(out, body.Items, ci+indentWidth)
		out = appendIndent(out, ci)
		return append(out, "};\n"...), true
	}
	out = append(out, " =\n"...)
	out = appendLambdaHead(out, v, ci+indentWidth)
	out = appendIndent(out, ci+indentWidth)
	if body.Rec {
		out = append(out, "rec "...)
	}
	out = append(out, "{\n"...)
	out = p.fastItems(out, body.Items, ci+2*indentWidth)
	out = appendIndent(out, ci+indentWidth)
	return append(out, "};\n"...), true
}

// plainFormals reports whether v has a pattern that the fast path writes:
// distinct identifiers without defaults, and an @ name, if any, that is an
// identifier other than those.
func plainFormals(v Lambda) bool {
	f := v.Formals
	if f == nil || len(f.Names) > 64 || v.Param != "" && !IsIdent(v.Param) {
		return false
	}
	for i, n := range f.Names {
		if n.Default != nil || !IsIdent(n.Name) || n.Name == v.Param {
			return false
		}
		for _, m := range f.Names[:i] {
			if m.Name == n.Name {
				return false
			}
		}
	}
	return true
}

// appendFormalsFlat appends the one-line form of a pattern without
// defaults: { a, b, ... }, or { } (formals).
func appendFormalsFlat(out []byte, f *Formals) []byte {
	if len(f.Names) == 0 && !f.Ellipsis {
		return append(out, "{ }"...)
	}
	out = append(out, '{')
	for i, n := range f.Names {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, ' ')
		out = append(out, n.Name...)
	}
	if f.Ellipsis {
		if len(f.Names) > 0 {
			out = append(out, ',')
		}
		out = append(out, " ..."...)
	}
	return append(out, " }"...)
}

// appendLambdaHead writes the pattern of v, its @ name and the colon at
// the start of a line at indentation ci, then a line break, as lambda lays
// them out when the function does not fit on one line: the pattern's
// group is flat when nixfmt can flatten it and it fits with what follows
// up to the line break, and otherwise one name per line, each with its
// comma (the last one's is trailing, printed only when expanded).
func appendLambdaHead(out []byte, v Lambda, ci int) []byte {
	f := v.Formals
	out = appendIndent(out, ci)
	start := len(out)
	suffixW := len(":")
	if v.Param != "" {
		suffixW += len("@") + len(v.Param)
	}
	if canFlatten(f) {
		out = appendFormalsFlat(out, f)
		if textW(bytesString(out[start:]))+suffixW > Width {
			out = out[:start]
		}
	}
	if len(out) == start {
		out = append(out, "{\n"...)
		for _, n := range f.Names {
			out = appendIndent(out, ci+indentWidth)
			out = append(out, n.Name...)
			out = append(out, ",\n"...)
		}
		if f.Ellipsis {
			out = appendIndent(out, ci+indentWidth)
			out = append(out, "...\n"...)
		}
		out = appendIndent(out, ci)
		out = append(out, '}')
	}
	if v.Param != "" {
		out = append(out, '@')
		out = append(out, v.Param...)
	}
	return append(out, ":\n"...)
}

// fastElems writes the elements of an expanded list at indentation ci.
func (p *printer) fastElems(out []byte, elems []Expr, ci int) []byte {
	for _, x := range elems {
		out = p.fastLine(out, atLeast(norm(x), precTerm), ci, "")
	}
	return out
}

// fastLine writes x, which the layout engine renders as the group of
// expr(x), at the start of a line at indentation ci, followed by suffix
// and a line break. This is how list elements and the branches of an
// expanded conditional are laid out.
func (p *printer) fastLine(out []byte, x Expr, ci int, suffix string) []byte {
	mark := len(out)
	out = appendIndent(out, ci)
	switch v := x.(type) {
	case Attrs:
		// prettySet: the items are separated by hard line breaks.
		if len(v.Items) >= 2 {
			if v.Rec {
				out = append(out, "rec "...)
			}
			out = append(out, "{\n"...)
			out = p.fastItems(out, v.Items, ci+indentWidth)
			out = appendIndent(out, ci)
			out = append(out, '}')
			out = append(out, suffix...)
			return append(out, '\n')
		}
	case List:
		if len(v.Elems) >= 2 || len(v.Elems) == 1 && hardBreaks(atLeast(norm(v.Elems[0]), precTerm)) {
			return p.fastList(out, v, ci, suffix)
		}
	case String:
		if text, ok := indentedText(v); ok {
			return p.appendIndentedString(out, text, ci, suffix)
		}
	}
	start := len(out)
	out, fl := p.appendFlat(out, x, false)
	if fl == flatUnbreakable || fl == flatBreakable && textW(bytesString(out[start:]))+len(suffix) <= Width {
		out = append(out, suffix...)
		return append(out, '\n')
	}
	if l, ok := x.(List); ok && fl == flatBreakable && len(l.Elems) == 1 {
		// A list with one element that does not fit is expanded like a
		// longer one.
		return p.fastList(out[:start], l, ci, suffix)
	}
	out = out[:mark]
	return p.slowLeaf(out, p.one(grp(regularG, p.expr(x, 0))), ci, suffix)
}

// indentedText returns the text of a string that is printed in indented
// form and holds no interpolation.
func indentedText(s String) (string, bool) {
	parts := mergeText(s.Parts)
	if len(parts) != 1 || parts[0].Interp != nil || !indentable(parts) {
		return "", false
	}
	return parts[0].Text, true
}

// appendIndentedString writes the indented string of text, which ends in a
// newline, with its lines at indentation ci+2 and the closing quotes at ci,
// followed by suffix and a line break. The layout engine prints the same:
// the string is a group holding hard line breaks (str), empty lines get no
// indentation, and a first empty line gives an empty line after the
// opening quotes.
func (p *printer) appendIndentedString(out []byte, text string, ci int, suffix string) []byte {
	out = append(out, "''\n"...)
	for {
		nl := strings.IndexByte(text, '\n')
		if nl < 0 {
			break
		}
		if nl > 0 {
			out = appendIndent(out, ci+indentWidth)
			out = appendEscapedIndented(out, text[:nl])
		}
		out = append(out, '\n')
		text = text[nl+1:]
	}
	out = appendIndent(out, ci)
	out = append(out, "''"...)
	out = append(out, suffix...)
	return append(out, '\n')
}

// appendAttrPath appends the attribute path of a binding and reports
// whether nixfmt counts it as simple, at most four names, none quoted, and
// its width.
func (p *printer) appendAttrPath(out []byte, path AttrPath) ([]byte, bool, int) {
	if len(path) == 0 {
		p.fail("binding with an empty attribute path")
		return out, true, 0
	}
	simple := len(path) <= 4
	w := len(path) - 1
	for i, s := range path {
		if i > 0 {
			out = append(out, '.')
		}
		if isPlainName(s) {
			out = append(out, s...)
			w += len(s)
			continue
		}
		simple = false
		start := len(out)
		var err error
		if out, _, err = appendAttrName(out, s); err != nil {
			p.fail("attribute name %q: %v", s, err)
		}
		w += textW(bytesString(out[start:]))
	}
	return out, simple, w
}

func soleInherit(a Attrs) bool {
	if len(a.Items) != 1 {
		return false
	}
	_, ok := a.Items[0].(*Inherit)
	return ok
}

// itemDoc returns the document of an inherit or of an invalid item.
func (p *printer) itemDoc(it Item) doc {
	switch v := it.(type) {
	case *Inherit:
		if v != nil {
			return p.inherit(v, 0)
		}
		p.fail("nil inherit")
	case *Binding:
		p.fail("nil binding")
	default:
		p.fail("unknown item %T", it)
	}
	return nil
}

// mayConflict reports whether two items of a set may define the same
// attribute, or an attribute and one of its prefixes. It hashes every
// attribute path and each of its prefixes into a table: a conflict makes a
// full path's hash equal to another path's or prefix's, so equal hashes
// are a necessary condition, and the exact check of pathSet decides.
func (p *printer) mayConflict(items []Item) bool {
	n := 0
	bindings := 0
	for _, it := range items {
		switch v := it.(type) {
		case *Binding:
			if v != nil {
				if len(v.Path) == 0 {
					// pathSet treats it as a prefix of every path.
					return true
				}
				n += len(v.Path)
				bindings++
			}
		case *Inherit:
			if v != nil {
				n += len(v.Names)
			}
		}
	}
	if n < 2 {
		return false
	}
	if bindings == len(items) && bindings <= 8 {
		// Few bindings: compare their paths pair by pair.
		for i, a := range items {
			for _, b := range items[:i] {
				if prefixes(a.(*Binding).Path, b.(*Binding).Path) {
					return true
				}
			}
		}
		return false
	}
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(p.hashes) < size {
		p.hashes = make([]uint64, size)
	}
	tab := p.hashes[:size]
	clear(tab)
	for _, it := range items {
		switch v := it.(type) {
		case *Binding:
			if v == nil {
				continue
			}
			var h uint64
			for i, s := range v.Path {
				// The hash of a prefix extended by one name.
				h = (h ^ strHash(s)) * hashMul
				if hashInsert(tab, h, i == len(v.Path)-1) {
					return true
				}
			}
		case *Inherit:
			if v == nil {
				continue
			}
			for _, s := range v.Names {
				if hashInsert(tab, strHash(s)*hashMul, true) {
					return true
				}
			}
		}
	}
	return false
}

// prefixes reports whether one of a and b is a prefix of the other.
func prefixes(a, b AttrPath) bool {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// hashMul mixes hashes (an odd constant, from Fibonacci hashing).
const hashMul = 0x9e3779b97f4a7c15

// strHash hashes an attribute name, eight bytes at a time. Equal hashes
// only send a set to the exact check, so any mixing will do.
func strHash(s string) uint64 {
	h := uint64(len(s)) * hashMul
	for len(s) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(unsafeBytes(s[:8]))) * hashMul
		h ^= h >> 29
		s = s[8:]
	}
	var t uint64
	for i := 0; i < len(s); i++ {
		t = t<<8 | uint64(s[i])
	}
	h = (h ^ t) * hashMul
	return h ^ h>>32
}

// hashInsert adds the hash of a path or prefix (full tells which) to the
// open-addressing table tab, whose length is a power of two, and reports a
// possible conflict: the same hash seen before as a full path, or now as a
// full path. The lowest bit of an entry marks a full path; 0 is empty.
func hashInsert(tab []uint64, h uint64, full bool) bool {
	k := h &^ 1
	if k == 0 {
		k = 2
	}
	mask := uint64(len(tab) - 1)
	for i := (k >> 32) & mask; ; i = (i + 1) & mask {
		e := tab[i]
		if e == 0 {
			if full {
				k |= 1
			}
			tab[i] = k
			return false
		}
		if e&^1 == k {
			return full || e&1 == 1
		}
	}
}

// sizeHint estimates the printed size of e at indentation ci, to allocate
// the output once.
func sizeHint(e Expr, ci int) int {
	switch v := e.(type) {
	case Attrs:
		n := ci + 4
		for _, it := range v.Items {
			b, ok := it.(*Binding)
			if !ok || b == nil {
				n += ci + 32
				continue
			}
			n += ci + 2 + len(" = ;\n")
			for _, s := range b.Path {
				n += len(s) + 1
			}
			for _, c := range b.Comments {
				n += ci + 5 + len(c)
			}
			n += sizeHint(b.Value, ci+2)
		}
		return n
	case List:
		n := ci + 4
		for _, x := range v.Elems {
			n += ci + 3 + sizeHint(x, ci+2)
		}
		return n
	case String:
		n := 2
		for _, part := range v.Parts {
			if part.Interp != nil {
				n += 3 + sizeHint(part.Interp, ci)
			} else {
				n += len(part.Text)
			}
		}
		return n
	case Ident:
		return len(v)
	case Path:
		return len(v)
	case Select:
		n := sizeHint(v.X, ci)
		for _, s := range v.Path {
			n += len(s) + 1
		}
		return n
	case Apply:
		return sizeHint(v.Fn, ci) + 1 + sizeHint(v.Arg, ci)
	case If:
		return 20 + 3*ci + sizeHint(v.Cond, ci) + sizeHint(v.Then, ci+4) + sizeHint(v.Else, ci+4)
	case Lambda:
		return 32 + sizeHint(v.Body, ci)
	}
	return 8
}

// slowLeaf lays out d through the layout engine at indentation ci and
// appends it and suffix, with a final newline. A non-empty suffix is laid
// out as a text after d, so that it counts in the width of d's last line,
// as the ; after the value of a binding does. The arena is reused
// afterwards: leaf documents are not referenced once printed.
func (p *printer) slowLeaf(out []byte, d doc, ci int, suffix string) []byte {
	if p.err != nil || len(d) == 0 {
		p.arena = p.arena[:0]
		return out
	}
	if suffix != "" {
		d = p.cat(d, p.one(txt(0, suffix)))
	}
	fixed := fixup(p, d)
	r := &p.r
	r.width, r.iw = Width, indentWidth
	r.out = out
	r.cc = 0
	r.indents = append(r.indents[:0], indent{ci, 0})
	r.stack = r.stack[:0]
	top := elem{kind: kGroup, gann: regularG, kids: fixed}
	r.one(&top)
	out = append(r.out, '\n')
	r.out = nil
	p.arena = p.arena[:0]
	return out
}
