package nix

import "strings"

// This file holds a fast path for the outer structure of generated files.
// Where nixfmt's layout of a construct does not depend on the width, the
// printer writes it directly: a set with two or more bindings at the top of
// a file or a module, and every binding whose value is a non-empty set or a
// list of two or more elements, is always expanded one item per line. Only
// the remaining leaves (bindings with other values, list elements) go
// through the layout engine, one at a time. Since nixfmt does not count
// indentation against the width, a leaf laid out on its own at the right
// indentation comes out exactly as it would inside the whole document; the
// tests check that both paths agree.

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
		if !ok || v.Param != "" || v.Formals == nil || !canFlatten(v.Formals) {
			return nil, false
		}
		var names []string
		for _, n := range v.Formals.Names {
			if !IsIdent(n.Name) {
				return nil, false
			}
			names = append(names, n.Name)
		}
		if len(names) == 2 && names[0] == names[1] {
			return nil, false
		}
		if v.Formals.Ellipsis {
			names = append(names, "...")
		}
		if len(names) == 0 {
			head = "{ }: "
		} else {
			head = "{ " + strings.Join(names, ", ") + " }: "
		}
		body = b
	default:
		return nil, false
	}
	if len(body.Items) < 2 {
		return nil, false
	}
	out := make([]byte, 0, 4096)
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

func (p *printer) fastComment(out []byte, c string, ci int) []byte {
	if strings.ContainsAny(c, "\n\r") || strings.IndexByte(c, 0) >= 0 {
		p.fail("comment %q spans lines or holds a NUL byte", c)
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

func appendIndent(out []byte, n int) []byte {
	for range n {
		out = append(out, ' ')
	}
	return out
}

// fastItems writes the bindings of an expanded set at indentation ci.
func (p *printer) fastItems(out []byte, items []Item, ci int) []byte {
	var seen pathSet
	for _, it := range items {
		b, ok := it.(*Binding)
		if !ok || b == nil {
			// inherit, or an error the slow path reports.
			var comments []string
			if in, ok := it.(*Inherit); ok && in != nil {
				comments = in.Comments
				for _, n := range in.Names {
					if err := seen.add(AttrPath{n}); err != nil {
						p.fail("%s", strings.TrimPrefix(err.Error(), "nix: "))
					}
				}
			}
			for _, c := range comments {
				out = p.fastComment(out, c, ci)
			}
			out = p.slowLeaf(out, p.itemDoc(it), ci)
			continue
		}
		if err := seen.add(b.Path); err != nil {
			p.fail("%s", strings.TrimPrefix(err.Error(), "nix: "))
		}
		for _, c := range b.Comments {
			out = p.fastComment(out, c, ci)
		}
		sel, simple := p.attrPathText(b.Path)
		if b.Value == nil {
			p.fail("binding %q has no value", strings.Join(b.Path, "."))
			continue
		}
		v := norm(b.Value)
		short := simple || len(sel) < 80
		switch v := v.(type) {
		case Attrs:
			if short && len(v.Items) > 0 && !soleInherit(v) {
				out = appendIndent(out, ci)
				out = append(out, sel...)
				if v.Rec {
					out = append(out, " = rec {\n"...)
				} else {
					out = append(out, " = {\n"...)
				}
				out = p.fastItems(out, v.Items, ci+indentWidth)
				out = appendIndent(out, ci)
				out = append(out, "};\n"...)
				continue
			}
		case List:
			if short && len(v.Elems) >= 2 {
				out = appendIndent(out, ci)
				out = append(out, sel...)
				out = append(out, " = [\n"...)
				out = p.fastElems(out, v.Elems, ci+indentWidth)
				out = appendIndent(out, ci)
				out = append(out, "];\n"...)
				continue
			}
		}
		if val, always := p.flatLeaf(v); val != "" && (always && simple || textW(sel)+textW(val)+4 <= Width) {
			out = appendIndent(out, ci)
			out = append(out, sel...)
			out = append(out, " = "...)
			out = append(out, val...)
			out = append(out, ";\n"...)
			continue
		}
		out = p.slowLeaf(out, p.binding(&Binding{Path: b.Path, Value: b.Value}, 0), ci)
	}
	return out
}

// flatLeaf returns the text of a value that the layout engine always prints
// on one line when it fits, or "" for other values. always reports that the
// value stays on the line of its binding whatever the width, as strings
// and paths do.
func (p *printer) flatLeaf(v Expr) (text string, always bool) {
	switch v := v.(type) {
	case String:
		if len(v.Parts) != 1 || v.Parts[0].Interp != nil || indentable(v.Parts) {
			return "", false
		}
		q, err := Quote(v.Parts[0].Text)
		if err != nil {
			return "", false
		}
		return q, true
	case Path:
		if !validPath(string(v)) {
			return "", false
		}
		return string(v), true
	case Int, Float:
		return p.numText(v), false
	case Neg:
		switch x := v.X.(type) {
		case Int, Float:
			if n, ok := x.(Int); ok && n < 0 {
				return "", false
			}
			return "-" + p.numText(x), false
		}
	case Bool:
		if v {
			return "true", false
		}
		return "false", false
	case Null:
		return "null", false
	case Ident:
		if IsIdent(string(v)) || v == "or" {
			if v == "or" {
				return "", false
			}
			return string(v), false
		}
	case Select:
		if v.Default != nil || len(v.Path) == 0 {
			return "", false
		}
		id, ok := v.X.(Ident)
		if !ok || !IsIdent(string(id)) {
			return "", false
		}
		var b strings.Builder
		b.WriteString(string(id))
		for _, s := range v.Path {
			if !IsIdent(s) {
				return "", false
			}
			b.WriteByte('.')
			b.WriteString(s)
		}
		return b.String(), false
	case List:
		switch len(v.Elems) {
		case 0:
			return "[ ]", false
		case 1:
			if x, _ := p.flatLeaf(norm(v.Elems[0])); x != "" {
				return "[ " + x + " ]", false
			}
		}
	case Attrs:
		if len(v.Items) == 0 {
			if v.Rec {
				return "rec { }", false
			}
			return "{ }", false
		}
	}
	return "", false
}

// fastElems writes the elements of an expanded list at indentation ci.
func (p *printer) fastElems(out []byte, elems []Expr, ci int) []byte {
	for _, x := range elems {
		x = atLeast(norm(x), precTerm)
		switch v := x.(type) {
		case Attrs:
			if len(v.Items) >= 2 {
				out = appendIndent(out, ci)
				if v.Rec {
					out = append(out, "rec "...)
				}
				out = append(out, "{\n"...)
				out = p.fastItems(out, v.Items, ci+indentWidth)
				out = appendIndent(out, ci)
				out = append(out, "}\n"...)
				continue
			}
		case List:
			if len(v.Elems) >= 2 {
				out = appendIndent(out, ci)
				out = append(out, "[\n"...)
				out = p.fastElems(out, v.Elems, ci+indentWidth)
				out = appendIndent(out, ci)
				out = append(out, "]\n"...)
				continue
			}
		}
		if val, _ := p.flatLeaf(x); val != "" {
			if _, neg := x.(Neg); !neg {
				out = appendIndent(out, ci)
				out = append(out, val...)
				out = append(out, '\n')
				continue
			}
		}
		out = p.slowLeaf(out, p.one(grp(regularG, p.expr(x, 0))), ci)
	}
	return out
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

// attrPathText returns the printed attribute path and whether nixfmt
// counts it as simple (at most four plain identifiers).
func (p *printer) attrPathText(path AttrPath) (string, bool) {
	d, simple := p.attrPath(path, 0)
	if len(d) == 0 {
		return "", simple
	}
	return d[0].text, simple
}

// slowLeaf lays out d through the layout engine at indentation ci and
// appends it, with a final newline. The arena is reused afterwards: leaf
// documents are not referenced once printed.
func (p *printer) slowLeaf(out []byte, d doc, ci int) []byte {
	if p.err != nil || len(d) == 0 {
		p.arena = p.arena[:0]
		return out
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
