package nix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFastPathAgrees prints files through the fast path and through the
// layout engine alone, and requires identical bytes.
func TestFastPathAgrees(t *testing.T) {
	files := []File{
		{Expr: benchFleet(3, 40)},
		{Header: []string{"header"}, Expr: Module([]string{"config"}, benchFleet(2, 30))},
		{Expr: Module(nil, Set(
			Bind("a", Set(InheritNames("x"))),
			Bind("b", Set()),
			Bind("c", ListOf(Int(1))),
			Bind("d", ListOf(Set(Bind("x", Int(1))), Set(Bind("x", Int(1)), Bind("y", Int(2))), ListOf(Int(1), Int(-2)), Int(-3))),
			BindPath(AttrPath{"a very long attribute name that is quoted", "and another one that is also quite long", "x"}, Set(Bind("k", Int(1)))),
			BindPath(AttrPath{"w", "x", "y", "z", "v"}, ListOf(Int(1), Int(2))),
			InheritNames("p", "q", "r", "s"),
			Bind("e", RecSet(Bind("x", Int(1)), Bind("y", Ident("x")))).Comment("rec", ""),
		))},
	}
	for i, f := range files {
		fast, err1 := f.bytes(false)
		slow, err2 := f.bytes(true)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("case %d: errors differ: fast %v, slow %v", i, err1, err2)
		}
		if diff := cmp.Diff(string(slow), string(fast)); diff != "" {
			t.Errorf("case %d: fast path differs from the layout engine (-slow +fast):\n%s", i, diff)
		}
	}
}
