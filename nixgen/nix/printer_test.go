package nix

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/internal/nixcheck"
)

// idents returns the identifiers names as expressions.
func idents(names ...string) []Expr {
	out := make([]Expr, len(names))
	for i, n := range names {
		out[i] = Ident(n)
	}
	return out
}

// asValue wraps x in a set with a second binding, so that the set is expanded
// and x is laid out as the value of a binding.
func asValue(x Expr) Attrs {
	return Set(Bind("x", x), Bind("y", Int(0)))
}

// parseOpen checks that src parses as Nix. The expressions in the tests
// use free variables such as pkgs, which nix-instantiate --parse reports as
// undefined unless a with is in scope, so src is parsed as the body of an
// empty with. Any expression that parses there parses on its own too.
func parseOpen(t *testing.T, name string, src []byte) {
	t.Helper()
	nixcheck.Parse(t, name, append([]byte("with { };\n"), src...))
}

// printerTests are one or more cases for every construct and layout rule
// the printer implements, with the text it must print. The layouts follow
// nixfmt --strict; see testdata/nixfmt for whole files.
var printerTests = []struct {
	name string
	file File
	want string
}{
	// Terms.
	{"ident", File{Expr: Ident("pkgs")}, "pkgs\n"},
	{"ident with dash and prime", File{Expr: Ident("a-b'")}, "a-b'\n"},
	{"string", File{Expr: Str("hello")}, "\"hello\"\n"},
	{"string escapes", File{Expr: Str("a\"b\\c\nd\re\tf ${g} $${h} i$")}, `"a\"b\\c\nd\re\tf \${g} $${h} i$"` + "\n"},
	{"string unicode", File{Expr: Str("unicode ✓ é 😀")}, "\"unicode ✓ é 😀\"\n"},
	{"string multi-line indented", File{Expr: Str("first\n  indented\nlast\n")}, "''\n  first\n    indented\n  last\n''\n"},
	{"string multi-line escapes", File{Expr: Str("x=''\n${y}\n$${z}\n")}, "''\n  x='''\n  ''${y}\n  $''${z}\n''\n"},
	{"string multi-line empty lines", File{Expr: Str("\na\n\nb\n")}, "''\n\n  a\n\n  b\n''\n"},
	{"string multi-line without final newline", File{Expr: Str("a\nb")}, "\"a\\nb\"\n"},
	{"string multi-line all indented", File{Expr: Str("  a\n  b\n")}, "\"  a\\n  b\\n\"\n"},
	{"string multi-line tab", File{Expr: Str("a\n\tb\n")}, "\"a\\n\\tb\\n\"\n"},
	{"string multi-line trailing space", File{Expr: Str("a \nb\n")}, "\"a \\nb\\n\"\n"},
	{"string multi-line quote dollar", File{Expr: Str("a\n'${b}\n")}, "\"a\\n'\\${b}\\n\"\n"},
	{"string one line with newline", File{Expr: Str("a\n")}, "\"a\\n\"\n"},
	{"interpolation", File{Expr: StrOf(Text("--tls-san "), Interp(Ident("addr")))}, "\"--tls-san ${addr}\"\n"},
	{"interpolation select", File{Expr: StrOf(Interp(Ref("config.sops.secrets.k3s_token.path")))}, "\"${config.sops.secrets.k3s_token.path}\"\n"},
	{"interpolation apply", File{Expr: StrOf(Text("prefix-"), Interp(Call(Ident("toString"), Int(5))), Text("-suffix"))}, "\"prefix-${toString 5}-suffix\"\n"},
	{"interpolation after dollar", File{Expr: StrOf(Text("a$"), Interp(Ident("b")))}, "\"a\\$${b}\"\n"},
	{"interpolation after quote", File{Expr: StrOf(Text("'"), Interp(Ident("b")))}, "\"'${b}\"\n"},
	{"interpolation indented", File{Expr: StrOf(Text("echo "), Interp(Ref("pkgs.hello")), Text("/bin/hello\nexit 0\n"))},
		"''\n  echo ${pkgs.hello}/bin/hello\n  exit 0\n''\n"},
	{"interpolation indented after dollar and quotes", File{Expr: StrOf(Text("a\nb$"), Interp(Ident("c")), Text(" d''"), Interp(Ident("e")), Text("\n"))},
		"''\n  a\n  b''$${c} d'''${e}\n''\n"},
	{"adjacent text parts", File{Expr: StrOf(Text("a$"), Text("{b}"))}, "\"a\\${b}\"\n"},
	{"adjacent text parts before interpolation", File{Expr: StrOf(Text("a$"), Text(""), Interp(Ident("b")))}, "\"a\\$${b}\"\n"},
	{"adjacent text parts indented", File{Expr: StrOf(Text("x\na'"), Text("'b$"), Text("{c}\n"))}, "''\n  x\n  a'''b''${c}\n''\n"},
	{"int", File{Expr: Int(42)}, "42\n"},
	{"negative int", File{Expr: Int(-1)}, "-1\n"},
	{"negative ints in list", File{Expr: ListOf(Int(-1))}, "[ (-1) ]\n"},
	{"ints in list", File{Expr: ListOf(Int(1), Int(-2), Int(math.MaxInt64))}, "[\n  1\n  (-2)\n  9223372036854775807\n]\n"},
	{"float", File{Expr: Float(3.14)}, "3.14\n"},
	{"float integral", File{Expr: Float(1)}, "1.0\n"},
	{"float zero", File{Expr: Float(0)}, "0.0\n"},
	{"float large", File{Expr: Float(1e21)}, "1.0e+21\n"},
	{"float small", File{Expr: Float(1.5e-7)}, "1.5e-07\n"},
	{"negative float in list", File{Expr: ListOf(Float(-2.5))}, "[ (-2.5) ]\n"},
	{"bools", File{Expr: ListOf(Bool(true), Bool(false))}, "[\n  true\n  false\n]\n"},
	{"null", File{Expr: Null{}}, "null\n"},
	{"path", File{Expr: Path("./x")}, "./x\n"},
	{"path parent", File{Expr: Path("../../secrets/x.yaml")}, "../../secrets/x.yaml\n"},
	{"path absolute", File{Expr: Path("/etc/nixos")}, "/etc/nixos\n"},

	// Lists.
	{"empty list", File{Expr: List{}}, "[ ]\n"},
	{"one-item list", File{Expr: Strs("x")}, "[ \"x\" ]\n"},
	{"two-item list", File{Expr: Strs("a", "b")}, "[\n  \"a\"\n  \"b\"\n]\n"},
	{"long one-item list", File{Expr: asValue(Strs("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 cadey@shachi.example.org"))},
		"{\n  x = [\n    \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 cadey@shachi.example.org\"\n  ];\n  y = 0;\n}\n"},
	{"set in list", File{Expr: ListOf(Set(Bind("a", Int(1))))}, "[ { a = 1; } ]\n"},
	{"sets in list", File{Expr: ListOf(Set(Bind("a", Int(1))), Set(Bind("a", Int(2)), Bind("b", Int(3))))},
		"[\n  { a = 1; }\n  {\n    a = 2;\n    b = 3;\n  }\n]\n"},
	{"application in list", File{Expr: ListOf(Call(Ident("f"), Ident("x")))}, "[ (f x) ]\n"},
	{"list of lists", File{Expr: ListOf(ListOf(Int(1)), List{})}, "[\n  [ 1 ]\n  [ ]\n]\n"},

	// Sets and bindings.
	{"empty set", File{Expr: Attrs{}}, "{ }\n"},
	{"empty rec set", File{Expr: RecSet()}, "rec { }\n"},
	{"one-binding set", File{Expr: Set(Bind("a", Int(1)))}, "{ a = 1; }\n"},
	{"two-binding set", File{Expr: Set(Bind("a", Int(1)), Bind("b", Int(2)))}, "{\n  a = 1;\n  b = 2;\n}\n"},
	{"one-binding set as value", File{Expr: Set(Bind("single", Set(Bind("a", Int(1)))))}, "{\n  single = {\n    a = 1;\n  };\n}\n"},
	{"empty set as value", File{Expr: asValue(Attrs{})}, "{\n  x = { };\n  y = 0;\n}\n"},
	{"inherit set as value", File{Expr: asValue(Set(InheritNames("inputs")))}, "{\n  x = { inherit inputs; };\n  y = 0;\n}\n"},
	{"rec set", File{Expr: RecSet(Bind("a", Int(1)), Bind("b", Ident("a")))}, "rec {\n  a = 1;\n  b = a;\n}\n"},
	{"attribute path", File{Expr: asValue(Set(Bind("networking.firewall.enable", Bool(true)), Bind("b", Int(2))))},
		"{\n  x = {\n    networking.firewall.enable = true;\n    b = 2;\n  };\n  y = 0;\n}\n"},
	{"quoted attribute names", File{Expr: Set(
		BindPath(AttrPath{"systemd", "network", "networks", "10-lan"}, Set(Bind("a", Int(1)))),
		BindPath(AttrPath{"services", "nginx", "virtualHosts", "example.org", "root"}, Path("./www")),
		BindPath(AttrPath{"/home"}, Int(1)),
		BindPath(AttrPath{"if"}, Int(2)),
		BindPath(AttrPath{"or"}, Int(3)),
		BindPath(AttrPath{"with space"}, Int(4)),
		BindPath(AttrPath{`name^with\some@special#chars`}, Int(5)),
		BindPath(AttrPath{"a-b"}, Int(6)),
		BindPath(AttrPath{"_x"}, Int(7)),
		BindPath(AttrPath{""}, Int(8)),
		BindPath(AttrPath{"${x}"}, Int(9)),
		BindPath(AttrPath{"true"}, Int(10)),
	)}, `{
  systemd.network.networks."10-lan" = {
    a = 1;
  };
  services.nginx.virtualHosts."example.org".root = ./www;
  "/home" = 1;
  "if" = 2;
  "or" = 3;
  "with space" = 4;
  "name^with\\some@special#chars" = 5;
  a-b = 6;
  _x = 7;
  "" = 8;
  "\${x}" = 9;
  true = 10;
}
`},
	{"long binding", File{Expr: asValue(Call(Ref("lib.mkDefault"), Str(strings.Repeat("abcdefghij", 9))))},
		"{\n  x = lib.mkDefault \"" + strings.Repeat("abcdefghij", 9) + "\";\n  y = 0;\n}\n"},
	{"long string binding", File{Expr: asValue(Str(strings.Repeat("abcdefghij", 11)))},
		"{\n  x = \"" + strings.Repeat("abcdefghij", 11) + "\";\n  y = 0;\n}\n"},
	{"multi-line string binding", File{Expr: asValue(Str("a\n  b\n"))}, "{\n  x = ''\n    a\n      b\n  '';\n  y = 0;\n}\n"},

	// Inherit.
	{"inherit", File{Expr: Set(InheritNames("a", "b"), Bind("c", Int(1)))}, "{\n  inherit a b;\n  c = 1;\n}\n"},
	{"inherit from", File{Expr: Set(InheritFrom(Ident("pkgs"), "hello", "cowsay"), Bind("c", Int(1)))},
		"{\n  inherit (pkgs) hello cowsay;\n  c = 1;\n}\n"},
	{"inherit from select", File{Expr: Set(InheritFrom(Ref("inputs.nixpkgs"), "lib"))}, "{ inherit (inputs.nixpkgs) lib; }\n"},
	{"inherit four names", File{Expr: Set(InheritNames("x", "y", "z", "w"))}, "{\n  inherit\n    x\n    y\n    z\n    w\n    ;\n}\n"},
	{"inherit from four names", File{Expr: Set(InheritFrom(Ident("pkgs"), "x", "y", "z", "w"))},
		"{\n  inherit (pkgs)\n    x\n    y\n    z\n    w\n    ;\n}\n"},

	// Selection.
	{"select", File{Expr: Ref("config.networking.hostName")}, "config.networking.hostName\n"},
	{"select quoted", File{Expr: Sel(Ident("x"), "eth0.100", "a b")}, "x.\"eth0.100\".\"a b\"\n"},
	{"select nested", File{Expr: Sel(Sel(Ident("a"), "b"), "c")}, "a.b.c\n"},
	{"select or", File{Expr: Select{X: Ident("a"), Path: AttrPath{"b", "c"}, Default: Int(1)}}, "a.b.c or 1\n"},
	{"select or apply", File{Expr: Select{X: Ident("a"), Path: AttrPath{"b"}, Default: Call(Ident("f"), Ident("x"))}}, "a.b or (f x)\n"},
	{"select from set", File{Expr: Sel(Set(Bind("a", Int(1))), "a")}, "{ a = 1; }.a\n"},
	{"select from application", File{Expr: Sel(Call(Ident("f"), Ident("x")), "a")}, "(f x).a\n"},
	{"select from select with default", File{Expr: Sel(Select{X: Ident("a"), Path: AttrPath{"b"}, Default: Ident("d")}, "c")}, "(a.b or d).c\n"},
	{"apply select with default", File{Expr: Call(Select{X: Ident("a"), Path: AttrPath{"b"}, Default: Ident("d")}, Ident("x"))}, "a.b or d x\n"},

	// Application.
	{"apply", File{Expr: Call(Ident("f"), Ident("x"), Int(1))}, "f x 1\n"},
	{"apply select", File{Expr: Call(Ref("lib.mkDefault"), Int(1))}, "lib.mkDefault 1\n"},
	{"apply negative", File{Expr: Call(Ident("f"), Int(-1))}, "f (-1)\n"},
	{"apply nested", File{Expr: Call(Ident("f"), Call(Ident("g"), Ident("x")))}, "f (g x)\n"},
	{"apply set", File{Expr: Call(Ref("nixpkgs.lib.nixosSystem"), Set(Bind("system", Str("x86_64-linux")), Bind("modules", ListOf(Path("./a")))))},
		"nixpkgs.lib.nixosSystem {\n  system = \"x86_64-linux\";\n  modules = [ ./a ];\n}\n"},
	{"apply lambda", File{Expr: Call(Ident("map"), Func("x", Ident("x")), Ident("xs"))}, "map (x: x) xs\n"},

	// Functions.
	{"lambda", File{Expr: Func("x", Bin(Ident("x"), OpAdd, Int(1)))}, "x: x + 1\n"},
	{"lambda curried", File{Expr: Func("a", Func("b", Ident("a")))}, "a: b: a\n"},
	{"lambda small formals", File{Expr: Module([]string{"config"}, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		"{ config, ... }: {\n  a = 1;\n  b = 2;\n}\n"},
	{"lambda two formals", File{Expr: FuncSet([]string{"self", "nixpkgs"}, false, Set(Bind("x", Int(1))))}, "{ self, nixpkgs }: { x = 1; }\n"},
	{"lambda ellipsis only", File{Expr: Module(nil, Set(Bind("a", Int(1)), Bind("b", Int(2))))}, "{ ... }: {\n  a = 1;\n  b = 2;\n}\n"},
	{"lambda empty formals", File{Expr: FuncSet(nil, false, Ident("x"))}, "{ }: x\n"},
	{"lambda three formals", File{Expr: Module([]string{"config", "lib", "pkgs"}, Set(Bind("a", Int(1)), Bind("b", Int(2))))},
		"{\n  config,\n  lib,\n  pkgs,\n  ...\n}:\n{\n  a = 1;\n  b = 2;\n}\n"},
	{"lambda three formals without ellipsis", File{Expr: FuncSet([]string{"a", "b", "c"}, false, Ident("a"))},
		"{\n  a,\n  b,\n  c,\n}:\na\n"},
	{"lambda default", File{Expr: Lambda{Formals: &Formals{Names: []Formal{{Name: "a"}, {Name: "b", Default: Int(2)}}}, Body: Ident("a")}},
		"{\n  a,\n  b ? 2,\n}:\na\n"},
	{"lambda default as value", File{Expr: asValue(Lambda{Formals: &Formals{Names: []Formal{{Name: "a"}, {Name: "b", Default: Int(2)}}}, Body: Ident("a")})},
		"{\n  x =\n    {\n      a,\n      b ? 2,\n    }:\n    a;\n  y = 0;\n}\n"},
	{"lambda at pattern", File{Expr: Lambda{Param: "inputs", Formals: &Formals{Names: []Formal{{Name: "self"}, {Name: "nixpkgs"}}, Ellipsis: true},
		Body: Set(Bind("a", Int(1)), Bind("b", Int(2)))}},
		"{ self, nixpkgs, ... }@inputs:\n{\n  a = 1;\n  b = 2;\n}\n"},
	{"lambda at pattern long", File{Expr: Lambda{Param: "inputs", Formals: &Formals{Names: []Formal{{Name: "self"}, {Name: "nixpkgs"}, {Name: "disko"}}, Ellipsis: true},
		Body: Set(Bind("a", Int(1)))}},
		"{\n  self,\n  nixpkgs,\n  disko,\n  ...\n}@inputs:\n{\n  a = 1;\n}\n"},
	{"lambda as value", File{Expr: asValue(FuncSet([]string{"self", "nixpkgs"}, false, Set(Bind("x", Int(1)))))},
		"{\n  x = { self, nixpkgs }: { x = 1; };\n  y = 0;\n}\n"},
	{"module in list", File{Expr: ListOf(Module([]string{"config"}, Set(Bind("networking.hostName", Str("a")))), Path("./b.nix"))},
		"[\n  ({ config, ... }: { networking.hostName = \"a\"; })\n  ./b.nix\n]\n"},

	// let, with, if.
	{"let", File{Expr: LetIn([]Item{Bind("x", Int(1)), Bind("y", Strs("a", "b"))}, Ident("x"))},
		"let\n  x = 1;\n  y = [\n    \"a\"\n    \"b\"\n  ];\nin\nx\n"},
	{"let set body", File{Expr: LetIn([]Item{Bind("x", Int(1))}, Set(Bind("a", Ident("x"))))}, "let\n  x = 1;\nin\n{\n  a = x;\n}\n"},
	{"with", File{Expr: WithIn(Ident("pkgs"), ListOf(idents("hello", "cowsay")...))}, "with pkgs;\n[\n  hello\n  cowsay\n]\n"},
	{"with as value", File{Expr: asValue(WithIn(Ident("pkgs"), ListOf(idents("hello", "cowsay")...)))},
		"{\n  x = with pkgs; [\n    hello\n    cowsay\n  ];\n  y = 0;\n}\n"},
	{"with one-item list as value", File{Expr: asValue(WithIn(Ident("pkgs"), ListOf(Ident("hello"))))}, "{\n  x = with pkgs; [ hello ];\n  y = 0;\n}\n"},
	{"if short", File{Expr: IfThen(Ident("x"), Str("a"), Str("b"))}, "if x then \"a\" else \"b\"\n"},
	{"if short as value", File{Expr: asValue(IfThen(Ident("x"), Str("a"), Str("b")))}, "{\n  x = if x then \"a\" else \"b\";\n  y = 0;\n}\n"},
	{"if long as value", File{Expr: asValue(IfThen(Bin(Ident("role"), OpEq, Str("server")),
		Strs("--flannel-backend wireguard-native", "--tls-san k8s.example.org"), List{}))},
		"{\n  x =\n    if role == \"server\" then\n      [\n        \"--flannel-backend wireguard-native\"\n        \"--tls-san k8s.example.org\"\n      ]\n    else\n      [ ];\n  y = 0;\n}\n"},
	{"if else if", File{Expr: IfThen(Ident("a"), Int(1), IfThen(Ident("b"), Int(2), Strs("x", "y")))},
		"if a then\n  1\nelse if b then\n  2\nelse\n  [\n    \"x\"\n    \"y\"\n  ]\n"},

	// Operators.
	{"op", File{Expr: Bin(Ident("a"), OpAdd, Ident("b"))}, "a + b\n"},
	{"op left assoc", File{Expr: Bin(Bin(Ident("a"), OpSub, Ident("b")), OpSub, Ident("c"))}, "a - b - c\n"},
	{"op right operand", File{Expr: Bin(Ident("a"), OpSub, Bin(Ident("b"), OpSub, Ident("c")))}, "a - (b - c)\n"},
	{"op precedence", File{Expr: Bin(Bin(Ident("a"), OpAdd, Ident("b")), OpMul, Ident("c"))}, "(a + b) * c\n"},
	{"op precedence without parens", File{Expr: Bin(Ident("a"), OpAdd, Bin(Ident("b"), OpMul, Ident("c")))}, "a + b * c\n"},
	{"op right assoc", File{Expr: Bin(Ident("a"), OpConcat, Bin(Ident("b"), OpConcat, Ident("c")))}, "a ++ b ++ c\n"},
	{"op right assoc left operand", File{Expr: Bin(Bin(Ident("a"), OpUpdate, Ident("b")), OpUpdate, Ident("c"))}, "(a // b) // c\n"},
	{"op non-assoc", File{Expr: Bin(Bin(Ident("a"), OpEq, Ident("b")), OpEq, Ident("c"))}, "(a == b) == c\n"},
	{"op and or", File{Expr: Bin(Bin(Ident("a"), OpAnd, Ident("b")), OpOr, Bin(Ident("c"), OpImpl, Ident("d")))}, "a && b || (c -> d)\n"},
	{"op apply operand", File{Expr: Bin(Call(Ident("f"), Ident("x")), OpConcat, ListOf(Int(1)))}, "f x ++ [ 1 ]\n"},
	{"op lambda operand", File{Expr: Bin(Func("x", Ident("x")), OpUpdate, Ident("b"))}, "(x: x) // b\n"},
	{"op negative operand", File{Expr: Bin(Ident("a"), OpSub, Int(-1))}, "a - -1\n"},
	{"not", File{Expr: Not{X: Ident("a")}}, "!a\n"},
	{"not and", File{Expr: Not{X: Bin(Ident("a"), OpAnd, Ident("b"))}}, "!(a && b)\n"},
	{"not in and", File{Expr: Bin(Not{X: Ident("a")}, OpAnd, Ident("b"))}, "!a && b\n"},
	{"neg", File{Expr: Neg{X: Ident("x")}}, "-x\n"},
	{"neg sum", File{Expr: Neg{X: Bin(Ident("a"), OpAdd, Ident("b"))}}, "-(a + b)\n"},
	{"update with set", File{Expr: asValue(Bin(Ident("a"), OpUpdate, Set(Bind("b", Int(1)), Bind("c", Int(2)))))},
		"{\n  x = a // {\n    b = 1;\n    c = 2;\n  };\n  y = 0;\n}\n"},

	// Comments.
	{"comments", File{Expr: Set(
		Bind("networking.firewall.allowedTCPPorts", ListOf(Int(6443))).Comment("k3s API: agents and admins to servers"),
		Bind("b", Int(2)).Comment("A single-line comment", "on two lines"),
	)}, "{\n  # k3s API: agents and admins to servers\n  networking.firewall.allowedTCPPorts = [ 6443 ];\n  # A single-line comment\n  # on two lines\n  b = 2;\n}\n"},
	{"comment on one-binding set", File{Expr: Set(Bind("a", Int(1)).Comment("note"))}, "{\n  # note\n  a = 1;\n}\n"},
	{"comment on inherit", File{Expr: Set(&Inherit{Comments: []string{"from the flake"}, Names: []string{"inputs"}})}, "{\n  # from the flake\n  inherit inputs;\n}\n"},
	{"empty comment line", File{Expr: Set(Bind("a", Int(1)).Comment("a", "", "b"), Bind("b", Int(2)))}, "{\n  # a\n  #\n  # b\n  a = 1;\n  b = 2;\n}\n"},
	{"header", File{Header: []string{"Code generated by nixgen. DO NOT EDIT."}, Expr: Set(Bind("a", Int(1)), Bind("b", Int(2)))},
		"# Code generated by nixgen. DO NOT EDIT.\n{\n  a = 1;\n  b = 2;\n}\n"},
	{"header two lines", File{Header: []string{"one", "two"}, Expr: Ident("x")}, "# one\n# two\nx\n"},
}

func TestPrint(t *testing.T) {
	for _, tt := range printerTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.file.Bytes()
			if err != nil {
				t.Fatalf("Bytes: %v", err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("printed (-want +got):\n%s\ngot:\n%s", diff, got)
			}
			parseOpen(t, strings.ReplaceAll(tt.name, " ", "-")+".nix", got)
		})
	}
}

// TestPrintExpectedTexts checks that the expected texts themselves hold no
// trailing whitespace, as nixfmt never prints any.
func TestPrintExpectedTexts(t *testing.T) {
	for _, tt := range printerTests {
		for i, line := range strings.Split(tt.want, "\n") {
			if strings.TrimRight(line, " \t\r") != line {
				t.Errorf("%s: line %d of the expected text has trailing whitespace", tt.name, i+1)
			}
		}
	}
}

// TestPrintFloatsNix checks that Nix reads every printed float as the same
// number as Go's exact decimal form of it.
func TestPrintFloatsNix(t *testing.T) {
	floats := []float64{3.14, 1, 0, 1e21, 1.5e-7, 0.1, 100, 123456.789, 1e-300,
		math.MaxFloat64, 0x1p-1022, -2.5, -1e21, 1.0 / 3}
	var src strings.Builder
	src.WriteString("[\n")
	for _, f := range floats {
		out, err := Print(Float(f))
		if err != nil {
			t.Fatalf("Print(Float(%v)): %v", f, err)
		}
		fmt.Fprintf(&src, "  ((%s) == (%.17e))\n", strings.TrimSuffix(string(out), "\n"), f)
	}
	src.WriteString("]\n")
	var got []bool
	nixcheck.EvalJSON(t, []byte(src.String()), &got)
	if len(got) != len(floats) {
		t.Fatalf("got %d results, want %d", len(got), len(floats))
	}
	for i, ok := range got {
		if !ok {
			t.Errorf("Nix reads the printed form of %v as another number", floats[i])
		}
	}
	l := List{}
	for _, f := range floats {
		l.Elems = append(l.Elems, Float(f))
	}
	out, err := Print(l)
	if err != nil {
		t.Fatal(err)
	}
	nixcheck.Parse(t, "floats.nix", out)
}

func TestPrintErrors(t *testing.T) {
	tests := []struct {
		name string
		expr Expr
		want string // a part of the error message
	}{
		{"NUL in string", Str("a\x00b"), "NUL"},
		{"pointer value", Set(Bind("a", ptrIdent("x"))), "unsupported expression"},
		{"typed nil pointer", Set(Bind("a", (*String)(nil))), "unsupported expression"},
		{"pointer at the top", &Attrs{}, "unsupported expression"},
		{"pointer in a list", ListOf(Int(1), (*Attrs)(nil)), "unsupported expression"},
		{"NUL in interpolated string", StrOf(Text("a\x00"), Interp(Ident("b"))), "NUL"},
		{"NUL in attribute name", Set(BindPath(AttrPath{"a\x00b"}, Int(1))), "NUL"},
		{"NUL in selection", Sel(Ident("a"), "b\x00"), "NUL"},
		{"NUL in inherit", Set(InheritNames("a\x00")), "NUL"},
		{"duplicate path", Set(Bind("a.b", Int(1)), Bind("a.b", Int(2))), "already defined"},
		{"duplicate name", Set(Bind("a", Int(1)), Bind("a", Int(2))), "already defined"},
		{"duplicate inherit", Set(InheritNames("a"), Bind("a", Int(2))), "already defined"},
		{"duplicate in nested set", asValue(Set(Bind("a", Int(1)), Bind("a", Int(2)))), "already defined"},
		{"duplicate in let", LetIn([]Item{Bind("a", Int(1)), Bind("a", Int(2))}, Ident("a")), "already defined"},
		{"prefix then path", Set(Bind("a", Int(1)), Bind("a.b", Int(2))), "already defined"},
		{"path then prefix", Set(Bind("a.b", Int(2)), Bind("a", Int(1))), "already defined"},
		{"invalid identifier", Ident("1x"), "invalid identifier"},
		{"keyword identifier", Ident("if"), "invalid identifier"},
		{"empty identifier", Ident(""), "invalid identifier"},
		{"invalid path", Path("noslash"), "invalid path"},
		{"invalid path character", Path("./a b"), "invalid path"},
		{"NaN", Float(math.NaN()), "cannot be written"},
		{"infinity", Float(math.Inf(1)), "cannot be written"},
		// Nix rejects float literals that strtod reports out of range,
		// which includes every subnormal number.
		{"subnormal float", Float(math.SmallestNonzeroFloat64), "cannot be written"},
		{"subnormal float below the normal range", Float(0x1p-1023), "cannot be written"},
		{"negative infinity", ListOf(Float(math.Inf(-1))), "cannot be written"},
		{"min int", Int(math.MinInt64), "cannot be written"},
		{"invalid parameter", Func("a b", Ident("x")), "invalid function parameter"},
		{"invalid formal", FuncSet([]string{"1x"}, false, Ident("x")), "invalid function argument"},
		{"duplicate formal", FuncSet([]string{"a", "a"}, false, Ident("a")), "duplicate function argument"},
		{"nil expression", Set(Bind("a", nil)), "no value"},
		{"empty attribute path", Set(BindPath(nil, Int(1))), "empty attribute path"},
		{"unknown operator", Bin(Ident("a"), Op("%"), Ident("b")), "unknown operator"},
		{"comment with newline", Set(Bind("a", Int(1)).Comment("x\ny")), "comment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Print(tt.expr)
			if err == nil {
				t.Fatalf("Print succeeded with %q, want an error", out)
			}
			if out != nil {
				t.Errorf("Print returned output %q with its error", out)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
	if _, err := (File{}).Bytes(); err == nil {
		t.Error("File{}.Bytes() succeeded, want an error for the missing expression")
	}
}

func ptrIdent(s string) *Ident {
	id := Ident(s)
	return &id
}
