package nix

import (
	"reflect"
	"strconv"
	"testing"
)

// TestArena checks that the arena's nodes are the values that the
// package's functions build, and print the same.
func TestArena(t *testing.T) {
	var a Arena
	build := func(str func(string) Expr, strs func(...string) Expr, set func(...Item) Expr,
		list func(...Expr) Expr, bind func(string, Expr) *Binding) Expr {
		var items []Item
		for i := range 40 {
			items = append(items, bind("h"+strconv.Itoa(i), set(
				bind("a", str("x")),
				bind("b.c", strs()),
				bind("d.e.f", strs("one")),
				bind("g.h.i.j", strs("two", "three", string(rune('a'+i%26)))),
				bind("k", set(bind("l", list(str(""), str("a\nb\n"), Int(i))))),
				bind("", Null{}),
			)))
		}
		return set(items...)
	}
	want := build(
		func(s string) Expr { return Str(s) },
		func(ss ...string) Expr { return Strs(ss...) },
		func(items ...Item) Expr { return Set(items...) },
		func(elems ...Expr) Expr { return ListOf(elems...) },
		Bind,
	)
	got := build(a.Str, a.Strs, a.Set, a.List, a.Bind)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("arena nodes differ:\n%#v\n%#v", got, want)
	}
	wantOut, err := Print(want)
	if err != nil {
		t.Fatal(err)
	}
	gotOut, err := Print(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(gotOut) != string(wantOut) {
		t.Errorf("arena nodes print\n%s\nwant\n%s", gotOut, wantOut)
	}
	// Appending to what the arena handed out leaves its other nodes be.
	path := a.Names("p", "q")
	next := a.Names("r")
	_ = append(path, "s")
	if next[0] != "r" {
		t.Errorf("appending to a path changed the next one: %q", next)
	}
	items := a.Items(1)
	items = append(items, a.Bind("x", Int(1)), a.Bind("y", Int(2)))
	if !reflect.DeepEqual(a.Set(items...), Set(Bind("x", Int(1)), Bind("y", Int(2)))) {
		t.Error("items that outgrow their room differ")
	}
	for _, names := range [][]string{nil, {"config", "pkgs"}} {
		if got, want := a.Module(names, a.Set()), Expr(Module(names, Set())); !reflect.DeepEqual(got, want) {
			t.Errorf("Module(%q) = %#v, want %#v", names, got, want)
		}
	}
}

// TestArenaAllocs checks that an arena saves allocations: once reset, it
// builds a tree of 100 bindings with only the allocations that putting
// values into Exprs makes, a fraction of what the package's functions
// make for the same tree (at least half as many again).
func TestArenaAllocs(t *testing.T) {
	var a Arena
	names := make([]string, 100)
	for i := range names {
		names[i] = "x" + strconv.Itoa(i) + ".y"
	}
	build := func() Expr {
		items := a.Items(100)
		for _, name := range names {
			elems := append(a.Exprs(3), a.Str("a"), a.Strs("b", "c"), a.Set())
			items = append(items, a.Bind(name, a.List(elems...)))
		}
		return a.Module(nil, a.Set(items...))
	}
	plain := func() Expr {
		items := make([]Item, 0, 100)
		for _, name := range names {
			items = append(items, Bind(name, ListOf(Str("a"), Strs("b", "c"), Set())))
		}
		return Module(nil, Set(items...))
	}
	want, err := Print(plain())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Print(build()); err != nil || string(got) != string(want) {
		t.Fatalf("the arena's tree printed\n%s\n%v\nwant\n%s", got, err, want)
	}
	a.Reset()
	// Per binding: the strings a, b and c, the list of b and c, the
	// empty set and the outer list; then the set and the function.
	const boxes = 100*6 + 2
	if n := testing.AllocsPerRun(100, func() { build(); a.Reset() }); n > boxes {
		t.Errorf("%v allocations after a reset, want at most %d", n, boxes)
	}
	if n := testing.AllocsPerRun(100, func() { plain() }); n < boxes*3/2 {
		t.Errorf("the package's functions made only %v allocations for the tree", n)
	}
	if got, err := Print(build()); err != nil || string(got) != string(want) {
		t.Errorf("after a reset, printed\n%s\n%v\nwant\n%s", got, err, want)
	}
}
