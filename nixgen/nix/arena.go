package nix

import "strings"

// Arena hands out expression nodes from blocks that it allocates a few at a
// time: bindings, their paths, the items of sets, the elements of lists,
// the parts of strings and the patterns of functions. An expression built
// node by node then makes one allocation per value held by an [Expr] (the
// copy that the conversion to an interface makes) rather than several.
// Its methods return the same values as the
// package's functions of the same names: Str, Strs, Set, ListOf, Bind and
// BindPath. The only difference is where the values live, which neither
// the printer nor any other reader of an expression can tell.
//
// The zero Arena is ready to use. An Arena is not safe for concurrent use;
// the expressions it returns are ordinary values, which any goroutine may
// read once built. [Arena.Reset] lets the arena use its memory again for
// new expressions once the old ones are no longer needed.
type Arena struct {
	strs     block[strNode]
	bindings block[Binding]
	names    block[string]
	items    block[Item]
	exprs    block[Expr]
	formals  block[Formals]
}

// Reset makes the arena hand out its memory anew. Every expression, list
// and path that the arena returned before must no longer be used, since
// its nodes are cleared and handed out again: call it only once they have
// been printed and dropped.
func (a *Arena) Reset() {
	a.strs.reset()
	a.bindings.reset()
	a.names.reset()
	a.items.reset()
	a.exprs.reset()
	a.formals.reset()
}

// strNode is a string literal of one part, with room for that part.
type strNode struct {
	s String
	p [1]StrPart
}

// block is where an arena takes the nodes of one type from: the elements
// of cur up to its length are handed out, the rest are zero.
type block[T any] struct {
	cur []T
	// used counts the elements handed out since the last reset, in cur
	// and in the blocks before it.
	used int
}

// take returns n consecutive zero elements of the block b, cut off so that
// appending to them never reaches the elements after them. It starts a new
// block, twice the size of the last one up to a limit, when b has no room
// left. Even for n = 0 the slice is not nil, as make's would not be.
func take[T any](b *block[T], n int) []T {
	if cap(b.cur)-len(b.cur) < n || b.cur == nil {
		b.cur = make([]T, 0, max(n, min(2*cap(b.cur), 128), 8))
	}
	i := len(b.cur)
	b.cur = b.cur[:i+n]
	b.used += n
	return b.cur[i : i+n : i+n]
}

// reset clears the elements handed out, for take to hand them out again.
// If they took more than one block, the next holds them all.
func (b *block[T]) reset() {
	if b.used > cap(b.cur) {
		b.cur = make([]T, 0, b.used)
	} else {
		clear(b.cur)
		b.cur = b.cur[:0]
	}
	b.used = 0
}

// Str returns the string literal s, like the function [Str].
func (a *Arena) Str(s string) Expr {
	n := &take(&a.strs, 1)[0]
	n.p[0].Text = s
	n.s.Parts = n.p[:1:1]
	return n.s
}

// Strs returns the list of string literals ss, like the function [Strs].
func (a *Arena) Strs(ss ...string) Expr {
	return List{Elems: a.strExprs(ss)}
}

// strExprs returns the string literals ss, in a block of the arena.
func (a *Arena) strExprs(ss []string) []Expr {
	elems := take(&a.exprs, len(ss))
	nodes := take(&a.strs, len(ss))
	for i, s := range ss {
		n := &nodes[i]
		n.p[0].Text = s
		n.s.Parts = n.p[:1:1]
		elems[i] = n.s
	}
	return elems
}

// Set returns the attribute set { items }, like the function [Set]. The
// set holds items itself, not a copy.
func (a *Arena) Set(items ...Item) Expr {
	return Attrs{Items: items}
}

// List returns the list [ elems ], like [ListOf]. The list holds elems
// itself, not a copy.
func (a *Arena) List(elems ...Expr) Expr {
	return List{Elems: elems}
}

// Bind returns the binding path = v; with path split on dots, like the
// function [Bind].
func (a *Arena) Bind(path string, v Expr) *Binding {
	names := take(&a.names, strings.Count(path, ".")+1)
	rest := path
	for i := range len(names) - 1 {
		names[i], rest, _ = strings.Cut(rest, ".")
	}
	names[len(names)-1] = rest
	return a.BindPath(names, v)
}

// BindPath returns the binding path = v;, like the function [BindPath].
// The binding holds path itself, not a copy.
func (a *Arena) BindPath(path AttrPath, v Expr) *Binding {
	b := &take(&a.bindings, 1)[0]
	b.Path, b.Value = path, v
	return b
}

// Names returns the attribute path of the given names, in a block of the
// arena.
func (a *Arena) Names(names ...string) AttrPath {
	p := take(&a.names, len(names))
	copy(p, names)
	return p
}

// Path returns an attribute path of n empty names, to be filled in, in a
// block of the arena.
func (a *Arena) Path(n int) AttrPath {
	return take(&a.names, n)
}

// Items returns an empty list of items with room for n, in a block of the
// arena. Appending more than n items moves the list out of the block.
func (a *Arena) Items(n int) []Item {
	return take(&a.items, n)[:0]
}

// Exprs returns an empty list of expressions with room for n, in a block
// of the arena. Appending more than n expressions moves the list out of
// the block.
func (a *Arena) Exprs(n int) []Expr {
	return take(&a.exprs, n)[:0]
}

// Module returns the NixOS module function { names, ... }: body, like the
// function [Module].
func (a *Arena) Module(names []string, body Expr) Expr {
	f := &take(&a.formals, 1)[0]
	f.Ellipsis = true
	for _, n := range names {
		f.Names = append(f.Names, Formal{Name: n})
	}
	return Lambda{Formals: f, Body: body}
}
