package nix

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkFastPath prints f through the fast path and through the layout
// engine alone, and requires identical bytes, or errors from both. With
// valid set, f must print without errors.
func checkFastPath(t *testing.T, name string, f File, valid bool) {
	t.Helper()
	fast, err1 := f.bytes(false)
	slow, err2 := f.bytes(true)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: errors differ: fast %v, slow %v", name, err1, err2)
	}
	if valid && err1 != nil {
		t.Fatalf("%s: %v", name, err1)
	}
	if !valid && err1 == nil {
		t.Fatalf("%s: printed without an error", name)
	}
	if diff := cmp.Diff(string(slow), string(fast)); diff != "" {
		t.Errorf("%s: fast path differs from the layout engine (-slow +fast):\n%s", name, diff)
	}
}

// formals returns a pattern of names; "..." adds the ellipsis.
func formals(names ...string) *Formals {
	f := &Formals{}
	for _, n := range names {
		if n == "..." {
			f.Ellipsis = true
			continue
		}
		f.Names = append(f.Names, Formal{Name: n})
	}
	return f
}

// pad returns a name of n characters starting with prefix.
func pad(prefix string, n int) string {
	if n <= len(prefix) {
		return prefix[:n]
	}
	return prefix + strings.Repeat("x", n-len(prefix))
}

// widthValues returns values of the kinds the fast path writes on one
// line, each at about width n, so that bindings of them straddle the line
// width.
func widthValues(n int) []Expr {
	s := pad("s", n)
	n = max(n, 1)
	return []Expr{
		Str(s),
		Ident(pad("id", n)),
		Int(int64(math.Pow10(min(n, 18)))),
		Float(1.5e21),
		Neg{X: Int(7)},
		Path("./" + pad("p", n)),
		Ref("config." + pad("option", n)),
		ListOf(Str(s)),
		ListOf(Int(-1)),
		ListOf(ListOf(Str(s))),
		ListOf(Ref("pkgs." + pad("pkg", n))),
		Call(Ref("lib.mkDefault"), Str(s)),
		Call(Ref("lib.mkOverride"), Int(50), Str(s)),
		Call(Ident("f"), Ident("a"), Ident("b"), Str(s)),
		Call(Ident("f"), ListOf(Str(s))),
		Call(Ident("f"), ListOf(Int(1)), ListOf(Str(s))),
		Call(Ident("f"), Sel(Ident("x"), "quoted name"), Str(s)),
		Call(Ident("f"), Int(-1)),
		Call(Ident("f"), Str("a\nb\n"+s+"\n")),
		Call(Func("x", Ident("x")), Str(s)),
		StrOf(Text("--node-name "), Interp(Ref("config.networking.hostName")), Text(" "+s)),
		StrOf(Text(s+" $"), Interp(Ident("x")), Text("$")),
		StrOf(Interp(Ref("config." + pad("a", n)))),
		StrOf(Text("   "), Interp(Ref("config."+pad("a", n)))),
		StrOf(Text("a"), Interp(Sel(Ident("x"), "y'")), Text(s)),
		StrOf(Text("a"), Interp(Call(Ident("toString"), Ident("x"))), Text(s)),
		StrOf(Text("a"), Interp(Str("inner")), Text(s)),
		IfThen(Bin(Ident("role"), OpEq, Str("server")), Str(s), Null{}),
		IfThen(Ident("c"), ListOf(Int(6443), Float(1.5)), List{}),
		IfThen(Ident("c"), Set(Bind("a", Int(1)), Bind("b", Str(s))), Set()),
		IfThen(Ident("c"), ListOf(Str(s)), ListOf(Int(1), Int(2))),
		IfThen(Ident("c"), ListOf(Int(1), Int(2)), ListOf(Str(s))),
		IfThen(Ident("c"), ListOf(Int(1), Int(2)), Call(Ident("f"), Ident("a"), Ident("b"), Str(s))),
		IfThen(Ident("c"), IfThen(Ident("d"), Str(s), ListOf(Int(1), Int(2))), Int(0)),
		IfThen(Bin(Ident("a"), OpLt, Int(3)), Call(Ref("lib.mkForce"), Str(s)), Bool(false)),
		IfThen(Bin(Ref("config."+pad("a", n)), OpNeq, Int(-3)), Int(1), Int(2)),
		IfThen(Ident("c"), Int(1), IfThen(Ident("d"), Int(2), Int(3))),
		IfThen(Ident("c"), Str("multi\nline\n"), Str(s)),
		IfThen(Ident("c"), Func("x", Ident("x")), Str(s)),
		IfThen(Bin(Bin(Ident("a"), OpAnd, Ident("b")), OpEq, Bool(true)), Int(1), Int(2)),
		Str("#!/bin/sh\n" + s + "\n''${x}'' $y ${z}\n\n  indented\n"),
		Str("\n\nfirst lines empty\n" + s + "\n"),
		StrOf(Text("a\n"), Interp(Ident("x")), Text("\n"+s+"\n")),
		Bin(Ident("a"), OpEq, Str(s)),
		Bin(Ident("a"), OpConcat, ListOf(Str(s))),
		LetIn([]Item{Bind("x", Str(s))}, Ident("x")),
		WithIn(Ident("pkgs"), ListOf(Ident("hello"), Ident(pad("pkg", n)))),
		WithIn(Ident("lib"), Call(Ident("mkDefault"), Str(s))),
		Func("x", Str(s)),
		Set(Bind("a", Str(s))),
		Set(InheritNames("a", "b")),
		Set(Bind("a", Int(1)), Bind("b", Str(s))),
		RecSet(Bind("a", Int(1)), Bind("b", Ident("a"))),
		ListOf(Set(Bind("a", Str(s))), Set(Bind("a", Int(1)), Bind("b", Int(2)))),
		ListOf(ListOf(Int(1), Int(2)), ListOf(Str(s)), List{}, Set()),
		ListOf(Call(Ident("f"), Ident("x")), Neg{X: Int(1)}, Float(0.1), Float(1e21), Str("a\nb\n"+s+"\n")),
		ListOf(IfThen(Ident("c"), Int(1), Int(2)), Str(s)),
		// Sets of one item, in lists and as values.
		ListOf(Set(Bind("Gateway", Str(s)))),
		ListOf(Set(Bind("members", ListOf(Str(s))))),
		ListOf(Set(Bind("a", Int(1)), Bind("b", Str(s)))),
		ListOf(Set(Bind("a", Set(Bind("b", Str(s)))))),
		ListOf(Set(Bind("a", Set(InheritNames("b"))))),
		ListOf(Set(Bind("a", Str(s)).Comment("c"))),
		ListOf(Set(BindPath(AttrPath{"quoted name", "x"}, Call(Ident("f"), Str(s))))),
		ListOf(RecSet(Bind("a", IfThen(Ident("c"), Str(s), Null{})))),
		ListOf(Set(InheritNames("a", pad("b", n)))),
		ListOf(Set(InheritNames("a", "b", "c", "d"))),
		ListOf(Set(InheritFrom(Ref("pkgs.lib"), "x", pad("y", n)))),
		ListOf(Set(InheritFrom(Ident("pkgs"), pad("y", n)))),
		ListOf(Set(InheritFrom(Call(Ident("f"), Ident("x")), "y"))),
		ListOf(ListOf(Str(s), Int(1))),
		ListOf(ListOf(ListOf(Int(1), Str(s)))),
		ListOf(Str("a\nb\n" + s + "\n")),
		Set(InheritNames("a", pad("b", n))),
		Set(InheritFrom(Ident("pkgs"), "a", pad("b", n))),
		// Applications to sets.
		Call(Ref("nixpkgs.lib.nixosSystem"), Set(Bind("system", Str(s)), Bind("modules", ListOf(Ref("disko.nixosModules.disko"), Path("./hosts/web1"))))),
		Call(Ref("lib.mkIf"), Ref("config.services.x.enable"), Set(Bind("a", Str(s)))),
		Call(Ref("lib.mkIf"), Ident("cond"), Set(Bind("a", Int(1)), Bind("b", Str(s)))),
		Call(Ident(pad("f", n)), RecSet(Bind("a", Int(1)), Bind("b", Int(2)))),
		Call(Ident(pad("f", n)), Set(Bind("a", Set(Bind("b", Int(1)))))),
		Call(Ident("f"), Set(InheritNames("x", pad("y", n)))),
		Call(Ident("f"), Str(s), Set(Bind("a", Int(1)), Bind("b", Int(1)))),
		Call(Ident("f"), ListOf(Int(1)), Set(Bind("a", Str(s)))),
		Call(Ident("f"), Set(Bind("a", Int(1))), Set(Bind("a", Int(1)), Bind("b", Str(s)))),
		Call(Ident("f"), Set(Bind("a", Int(1)).Comment(s))),
		// Functions.
		FuncSet([]string{"self", "nixpkgs"}, false, Set(Bind("x", Int(1)), Bind("y", Str(s)))),
		FuncSet([]string{"self", pad("nixpkgs", n)}, true, Set(Bind("x", Int(1)), Bind("y", Int(2)))),
		FuncSet([]string{"self"}, false, Set(Bind("x", Str(s)))),
		FuncSet([]string{"self"}, false, RecSet(Bind("x", Int(1)), Bind("y", Str(s)))),
		FuncSet(nil, true, Set(Bind("x", Set(Bind("y", Str(s)))))),
		FuncSet([]string{"self", "nixpkgs", "disko", "sops-nix"}, true, Set(Bind("x", Str(s)))),
		Lambda{Param: "inputs", Formals: &Formals{Names: []Formal{{Name: "self"}, {Name: pad("nixpkgs", n)}}, Ellipsis: true}, Body: Set(Bind("x", Str(s)))},
		Lambda{Param: pad("args", n), Formals: &Formals{Ellipsis: true}, Body: RecSet(Bind("x", Int(1)), Bind("y", Int(2)))},
		Lambda{Param: "inputs", Formals: &Formals{Names: []Formal{{Name: "a"}, {Name: "b"}, {Name: "c"}}}, Body: Set(Bind("x", Str(s)))},
		Lambda{Formals: &Formals{Names: []Formal{{Name: "a", Default: Int(1)}, {Name: "b"}, {Name: "c"}}}, Body: Set(Bind("x", Str(s)))},
		Lambda{Formals: &Formals{Names: []Formal{{Name: "a"}, {Name: "b"}, {Name: "c"}}}, Body: ListOf(Str(s), Int(1))},
	}
}

// TestFastPathAgrees prints files through the fast path and through the
// layout engine alone, and requires identical bytes.
func TestFastPathAgrees(t *testing.T) {
	files := []File{
		{Expr: benchFleet(3, 40)},
		{Expr: benchFleet(12, 100)},
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
		// Sets with one binding, at the top and in a module.
		{Expr: Set(Bind("disko.devices", Set(Bind("disk", Set(Bind("a", Str("b")))))))},
		{Expr: Set(Bind("a", Int(1)))},
		{Expr: Set(Bind("a", Int(1)).Comment("note"))},
		{Expr: Set(Bind("a", ListOf(Int(1), Int(2))))},
		{Expr: Set(Bind("a", ListOf(Int(1))))},
		{Expr: Set(Bind("a", Set(InheritNames("x"))))},
		{Expr: Set(Bind("a", Str("x\ny\n")))},
		{Expr: Set(InheritNames("a", "b", "c", "d"))},
		{Expr: Set(&Inherit{Comments: []string{"c"}, Names: []string{"a"}})},
		{Expr: Set(Bind("a", ListOf(ListOf(Int(1), Int(2)))))},
		{Expr: Set(Bind("a", ListOf(Set(Bind("b", Int(1)), Bind("c", Int(2))))))},
		{Expr: Module([]string{"config"}, Set(Bind("a", ListOf(ListOf(Int(1), Int(2))))))},
		{Header: []string{"h"}, Expr: Module([]string{"config", "lib"}, Set(Bind("a", Set(Bind("b", Int(1))))))},
		{Expr: Module([]string{"config", "lib"}, Set(Bind("a", Int(1))))},
		// Patterns around the line width.
		{Expr: FuncSet([]string{pad("a", 50), pad("b", 50)}, true, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		{Expr: FuncSet([]string{pad("a", 45), pad("b", 44)}, true, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		{Expr: FuncSet([]string{pad("a", 45), pad("b", 45)}, false, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		{Expr: FuncSet([]string{pad("a", 46), pad("b", 45)}, false, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		{Expr: FuncSet(nil, false, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		{Expr: RecSet(Bind("a", Int(1)), Bind("b", Int(2)))},
		// Modules with comments, lists of sets, nested lists.
		{Header: []string{"Generated.", "", "Do not edit."}, Expr: Module([]string{"config", "pkgs"}, Set(
			Bind("networking.firewall.allowedTCPPorts", ListOf(Int(22), Int(6443))).Comment("SSH and the k3s API", "  trailing spaces  "),
			Bind("services.openssh", Set(
				Bind("enable", Bool(true)).Comment("on"),
				Bind("settings", Set(Bind("PasswordAuthentication", Bool(false)), Bind("KbdInteractiveAuthentication", Bool(false)))),
			)),
			&Inherit{Comments: []string{"from the flake"}, Names: []string{"inputs"}},
			InheritFrom(Ident("pkgs"), "hello", "git"),
			Bind("users.users.root.openssh.authorizedKeys.keys", Strs("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyFakeKeyFakeKeyFakeKeyFakeKeyFakeKeyFake admin@example.org")),
			Bind("fileSystems", ListOf(
				Set(Bind("device", Str("/dev/sda1")), Bind("fsType", Str("ext4")), Bind("options", Strs("noatime", "discard"))),
				Set(Bind("device", Str("/dev/sdb1"))),
				ListOf(ListOf(Int(1), Int(2)), ListOf(ListOf(Str("deep"))), List{}),
			)),
			Bind("environment.systemPackages", WithIn(Ident("pkgs"), ListOf(Ident("git"), Ident("vim")))),
			Bind("boot.kernelParams", Bin(ListOf(Str("quiet")), OpConcat, Ref("config.extraParams"))),
			Bind("x", LetIn([]Item{Bind("a", Int(1))}, Ident("a"))),
		))},
		// Attribute paths that are quoted, long or deep.
		{Expr: Set(
			BindPath(AttrPath{"systemd", "network", "networks", "10-lan"}, Str(pad("v", 70))),
			BindPath(AttrPath{"a", "b", "c", "d", "e"}, Str(pad("v", 80))),
			BindPath(AttrPath{"a", "b", "c", "d", "f"}, Str(pad("v", 98))),
			BindPath(AttrPath{pad("quoted name 1 ", 79)}, Set(Bind("x", Int(1)), Bind("y", Int(2)))),
			BindPath(AttrPath{pad("quoted name 2 ", 82)}, Set(Bind("x", Int(1)), Bind("y", Int(2)))),
			BindPath(AttrPath{pad("quoted name 3 ", 82)}, ListOf(Int(1), Int(2))),
			BindPath(AttrPath{pad("quoted name 4 ", 92)}, Str("multi\nline\n")),
			BindPath(AttrPath{pad("quoted name 5 ", 97)}, Str("multi\nline\n")),
			BindPath(AttrPath{pad("quoted name 6 ", 94)}, ListOf(Str("x"))),
			BindPath(AttrPath{"x'", "é"}, Int(1)),
			BindPath(AttrPath{"with space", "if"}, IfThen(Ident("c"), ListOf(Int(1), Int(2)), List{})),
		)},
		// Functions at the top of a file.
		{Header: []string{"module"}, Expr: Module([]string{"config", "lib", "pkgs"}, Set(Bind("a", Int(1)), Bind("b", Str("x"))))},
		{Expr: Module([]string{"config", "lib", "pkgs"}, Set(Bind("a", Int(1))))},
		{Expr: Module([]string{"config", "lib", "pkgs"}, RecSet(Bind("a", Int(1))))},
		{Expr: Lambda{Param: "args", Formals: &Formals{Names: []Formal{{Name: "pkgs"}}, Ellipsis: true}, Body: Set(Bind("a", Int(1)))}},
		{Expr: Lambda{Param: "args", Formals: &Formals{Names: []Formal{{Name: pad("a", 45)}, {Name: pad("b", 40)}}, Ellipsis: true}, Body: Set(Bind("a", Int(1)))}},
		{Expr: Lambda{Param: "args", Formals: &Formals{Names: []Formal{{Name: pad("a", 45)}, {Name: pad("b", 41)}}, Ellipsis: true}, Body: Set(Bind("a", Int(1)))}},
		{Expr: Lambda{Param: "args", Formals: &Formals{}, Body: Set(Bind("a", Int(1)))}},
		{Expr: Lambda{Formals: &Formals{Names: []Formal{{Name: "a", Default: Int(1)}, {Name: "b"}, {Name: "c"}}}, Body: Set(Bind("a", Int(1)))}},
		{Expr: Set(Bind("outputs", Lambda{Param: "inputs", Formals: formals("self", "nixpkgs", "disko", "..."), Body: Set(
			Bind("nixosConfigurations", Set(Bind("web1", Call(Ref("nixpkgs.lib.nixosSystem"), Set(
				Bind("system", Str("x86_64-linux")),
				Bind("specialArgs", Set(InheritNames("inputs"))),
				Bind("modules", ListOf(Ref("disko.nixosModules.disko"), Path("./hosts/web1"))),
			))))),
		)}))},
		// Paths sharing prefixes, and inherits, without conflicts.
		{Expr: Set(Bind("services.a.enable", Bool(true)), Bind("services.b.enable", Bool(true)), Bind("services.a.port", Int(1)), InheritNames("x", "y"), InheritFrom(Ident("z"), "w"))},
	}
	for i, f := range files {
		checkFastPath(t, fmt.Sprintf("case %d", i), f, true)
	}

	// Patterns whose first line is just below, at and above the width.
	for n := 86; n <= 96; n++ {
		for _, ellipsis := range []bool{false, true} {
			f := File{Expr: FuncSet([]string{pad("a", n/2), pad("b", n-n/2)}, ellipsis, Set(Bind("a", Int(1)), Bind("b", Int(2))))}
			checkFastPath(t, fmt.Sprintf("pattern of %d, ellipsis %v", n, ellipsis), f, true)
		}
	}

	// Every value kind at widths around the line width, as the value of
	// bindings of simple and quoted paths at three depths, and as list
	// elements.
	step := 1
	if testing.Short() {
		step = 7
	}
	for n := 0; n <= 104; n += step {
		for _, v := range widthValues(n) {
			var items []Item
			for i, key := range []string{"k", pad("key", 20), "quoted key", pad("a quoted key ", 60)} {
				items = append(items,
					BindPath(AttrPath{key}, v),
					BindPath(AttrPath{fmt.Sprint("nested", i), key}, v),
					Bind(fmt.Sprint("set", i), Set(BindPath(AttrPath{key}, v), Bind("deeper", Set(Bind("x", v), BindPath(AttrPath{key}, v))))),
				)
			}
			items = append(items, Bind("list", ListOf(v, v)))
			checkFastPath(t, fmt.Sprintf("width %d, value %#v", n, v), File{Expr: Set(items...)}, true)
		}
	}
}

// TestFastPathAgreesErrors checks that both paths fail on the same files.
func TestFastPathAgreesErrors(t *testing.T) {
	files := []Expr{
		Set(Bind("a", Int(1)), Bind("a", Int(2))),
		Set(Bind("a.b", Int(1)), Bind("a", Int(2))),
		Set(Bind("a", Int(1)), Bind("a.b", Int(2))),
		Set(Bind("a.b", Int(1)), Bind("a.c", Int(2)), Bind("a.b.c", Int(2))),
		Set(InheritNames("a", "a"), Bind("b", Int(1))),
		Set(InheritNames("a"), Bind("a.b", Int(1))),
		Set(Bind("x", Set(Bind("a", Int(1)), Bind("a", Int(2)))), Bind("y", Int(1))),
		Set(Bind("a", Str("nul\x00")), Bind("b", Int(1))),
		Set(Bind("a", StrOf(Text("nul\x00"), Interp(Ident("x")))), Bind("b", Int(1))),
		Set(BindPath(AttrPath{"nul\x00"}, Int(1)), Bind("b", Int(1))),
		Set(Bind("a", Sel(Ident("x"), "nul\x00")), Bind("b", Int(1))),
		Set(Bind("a", Ident("if")), Bind("b", Int(1))),
		Set(Bind("a", Ident("or")), Bind("b", Int(1))),
		Set(Bind("a", Path("nopath")), Bind("b", Int(1))),
		Set(Bind("a", Float(math.NaN())), Bind("b", Int(1))),
		Set(Bind("a", Float(math.Inf(-1))), Bind("b", Int(1))),
		Set(Bind("a", Float(0x1p-1030)), Bind("b", Int(1))),
		Set(Bind("a", Int(math.MinInt64)), Bind("b", Int(1))),
		Set(Bind("a", ListOf(Int(math.MinInt64))), Bind("b", Int(1))),
		Set(Bind("a", Call(Ident("1f"), Int(1))), Bind("b", Int(1))),
		Set(Bind("a", IfThen(Ident("if"), Int(1), Int(2))), Bind("b", Int(1))),
		Set(Bind("a", nil), Bind("b", Int(1))),
		Set(BindPath(nil, Int(1)), Bind("b", Int(1))),
		Set(Bind("a", Int(1)).Comment("two\nlines"), Bind("b", Int(1))),
		Set(Bind("a", FuncSet([]string{"x", "y", "x"}, false, Set(Bind("a", Int(1))))), Bind("b", Int(1))),
		Set(Bind("a", Lambda{Param: "x", Formals: formals("x", "y", "z"), Body: Set(Bind("a", Int(1)))}), Bind("b", Int(1))),
		Set(Bind("a", Lambda{Param: "if", Formals: formals("x"), Body: Set(Bind("a", Int(1)))}), Bind("b", Int(1))),
		Set(Bind("a", FuncSet([]string{"x", "1y", "z"}, false, Set(Bind("a", Int(1))))), Bind("b", Int(1))),
		Module([]string{"x", "y", "x"}, Set(Bind("a", Int(1)))),
		Set(Bind("a", ListOf(Set(InheritNames("x", "x")))), Bind("b", Int(1))),
		Set(Bind("a", ListOf(Set(Bind("x", Str("nul\x00"))))), Bind("b", Int(1))),
		Set(Bind("a", Call(Ident("f"), Set(Bind("x", Int(1)), Bind("x", Int(2))))), Bind("b", Int(1))),
	}
	for i, e := range files {
		checkFastPath(t, fmt.Sprintf("case %d", i), File{Expr: e}, false)
	}
}

// TestFastPathAgreesRandom compares both paths on random files built from
// the shapes generated files hold, with texts whose lengths straddle the
// line width.
func TestFastPathAgreesRandom(t *testing.T) {
	n := 600
	if testing.Short() {
		n = 100
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		g := &exprGen{r: r}
		f := File{Expr: g.set(0)}
		if r.IntN(4) == 0 {
			f.Expr = Module([]string{"config", "lib"}, f.Expr)
		}
		checkFastPath(t, fmt.Sprintf("random file %d", i), f, true)
		if t.Failed() {
			out, _ := f.bytes(true)
			t.Logf("file:\n%s", out)
			return
		}
	}
}

// exprGen builds random expressions.
type exprGen struct {
	r    *rand.Rand
	next int // for unique names
}

func (g *exprGen) name() string {
	g.next++
	switch g.r.IntN(8) {
	case 0:
		return fmt.Sprintf("10-lan%d", g.next)
	case 1:
		return pad(fmt.Sprintf("long%d", g.next), 20+g.r.IntN(70))
	default:
		return fmt.Sprintf("n%d", g.next)
	}
}

func (g *exprGen) text() string {
	n := g.r.IntN(110)
	if g.r.IntN(3) == 0 {
		n = g.r.IntN(12)
	}
	var b strings.Builder
	for b.Len() < n {
		switch g.r.IntN(30) {
		case 0:
			b.WriteString("${")
		case 1:
			b.WriteString("$")
		case 2:
			b.WriteString(`"`)
		case 3:
			b.WriteString(`\`)
		case 4:
			b.WriteString("''")
		case 5:
			b.WriteString("é")
		default:
			b.WriteByte(byte('a' + g.r.IntN(26)))
		}
	}
	return b.String()
}

func (g *exprGen) set(depth int) Attrs {
	a := Attrs{Rec: g.r.IntN(20) == 0}
	n := 1 + g.r.IntN(5)
	for range n {
		var path AttrPath
		for range 1 + g.r.IntN(5) {
			path = append(path, g.name())
		}
		b := BindPath(path, g.value(depth+1))
		if g.r.IntN(8) == 0 {
			b.Comments = []string{g.text()}
		}
		a.Items = append(a.Items, b)
	}
	if g.r.IntN(10) == 0 {
		a.Items = append(a.Items, InheritNames(g.name()))
	}
	return a
}

func (g *exprGen) value(depth int) Expr {
	k := g.r.IntN(27)
	if depth > 3 && k >= 18 {
		k = g.r.IntN(18)
	}
	switch k {
	case 0:
		return Str(g.text())
	case 1:
		return Int(g.r.Int64N(1<<40) - 1<<20)
	case 2:
		return Float(g.r.NormFloat64() * 1e10)
	case 3:
		return Bool(g.r.IntN(2) == 0)
	case 4:
		return Null{}
	case 5:
		return Path("./" + pad("p", 1+g.r.IntN(100)))
	case 6:
		return Sel(Ident("config"), g.name(), g.name())
	case 7:
		return Call(Ref("lib.mkDefault"), g.scalar())
	case 8:
		args := []Expr{g.scalar()}
		for range g.r.IntN(3) {
			args = append(args, g.scalar())
		}
		return Call(Ref("lib."+g.name()), args...)
	case 9:
		return StrOf(Text(g.text()), Interp(Ref("config.networking.hostName")), Text(g.text()))
	case 10:
		var b strings.Builder
		for range 2 + g.r.IntN(4) {
			if g.r.IntN(4) != 0 {
				b.WriteString(strings.Repeat(" ", g.r.IntN(3)))
				b.WriteString(strings.TrimRight(g.text(), " "))
			}
			b.WriteByte('\n')
		}
		return Str(b.String())
	case 11:
		return IfThen(Bin(Ident("role"), OpEq, g.scalar()), g.value(depth+1), g.value(depth+1))
	case 12:
		return ListOf(g.scalar())
	case 13:
		return List{}
	case 14:
		return Attrs{}
	case 15:
		return ListOf(g.scalar(), g.scalar())
	case 16:
		return Neg{X: Int(g.r.IntN(100))}
	case 17:
		return StrOf(Interp(Ident("x")))
	case 18, 19:
		return g.set(depth)
	case 20:
		l := List{}
		for range g.r.IntN(4) {
			l.Elems = append(l.Elems, g.value(depth+1))
		}
		return l
	case 21:
		return Call(Ref("lib."+g.name()), g.set(depth))
	case 22:
		return Call(Ref("lib.mkIf"), g.scalar(), g.set(depth))
	case 23:
		f := &Formals{Ellipsis: g.r.IntN(2) == 0}
		for range g.r.IntN(5) {
			g.next++
			name := fmt.Sprint("arg", g.next)
			f.Names = append(f.Names, Formal{Name: pad(name, len(name)+g.r.IntN(40))})
		}
		l := Lambda{Formals: f, Body: g.set(depth)}
		if g.r.IntN(2) == 0 {
			l.Param = "inputs"
		}
		return l
	case 24:
		return ListOf(Set(BindPath(AttrPath{g.name()}, g.value(depth+1))))
	case 25:
		return IfThen(Ident("c"), ListOf(g.scalar(), g.scalar()), g.value(depth+1))
	default:
		return Set(InheritFrom(Ident("pkgs"), g.name(), g.name()))
	}
}

// scalar returns a value that is a term printed as one text.
func (g *exprGen) scalar() Expr {
	switch g.r.IntN(5) {
	case 0:
		return Str(g.text())
	case 1:
		return Int(g.r.IntN(100000))
	case 2:
		return Ident(pad("x", 1+g.r.IntN(40)))
	case 3:
		return Ref("config." + g.name())
	}
	return Bool(true)
}
