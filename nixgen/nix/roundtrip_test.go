package nix

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nixgen/nixgen/internal/nixcheck"
)

// roundTripStrings returns adversarial strings for the round-trip test:
// every string of up to three characters over the characters that take
// part in Nix escapes, and hand-picked cases around escapes, indentation,
// keywords and attribute names. None holds a NUL byte or invalid UTF-8,
// which cannot come back through Nix's JSON output.
func roundTripStrings() []string {
	alphabet := []string{"$", "{", "'", `\`, `"`, "\n", "a"}
	out := []string{""}
	level := []string{""}
	for range 3 {
		var next []string
		for _, p := range level {
			for _, c := range alphabet {
				next = append(next, p+c)
			}
		}
		out = append(out, next...)
		level = next
	}
	out = append(out,
		// Escapes and interpolation look-alikes.
		"${x}", "$${x}", "$$${x}", "end$", "$", `\${`, `\$`, "''", "'''", "''''", "'${", "'${x}",
		"''${x}", "''$", "$''", `\`, `\\`, `\n`, `\u003c`, `say "hi"`, "{}${}", "a<b&c",
		// Control characters and whitespace.
		"\r", "a\rb", "\r\n", "a\r\nb\r\n", "\t", "a\tb", "a\nb\r\nc\rd\n", " ", "  ", "a ",
		"\x01\x02\x1b\x1f\x7f", "\u00a0", "\u2028\u2029",
		// Multi-line text; the first ones are written as indented strings.
		"a\n  b\nc\n",
		"first\n  indented\nlast\n",
		"  leading\nx\n    deeper\n",
		"a\n\n\nb\n",
		"\nafter an empty first line\n",
		"#!/bin/sh\nset -eu\necho \"${HOME}\" \"$PATH\"\nx=''\ny='''\n  $${z} ''${w}\\\nend$\n",
		"[Unit]\nDescription=k3s\n\n[Service]\nExecStart=${pkgs.k3s}/bin/k3s server\n",
		"''\n'''\n$\n${\n$${\n",
		"emoji 😀\n  ✓ é\n",
		"a\nb",
		"text\n",
		"\n",
		"\n\n",
		"a \nb\n",
		"a\n   \nb\n",
		"  a\n  b\n",
		"a\n\tb\n",
		"a\r\nb\r\n",
		"x\nb'${c}\n",
		"a''$b\n''${c}\n",
		// Keywords, builtins and attribute names that need quotes.
		"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
		"true", "false", "null", "/home", "10-lan", "eth0.100", "with space",
		`name^with\some@special#chars`, "a-b", "x'", "_x", "0abc", "-bad", `""`, "a.b", "a b",
		"com.sun:auto-snapshot", "✓", "é", "日本語", "😀", "👍🏽",
	)
	// Drop duplicates, keeping the first occurrence.
	seen := make(map[string]bool, len(out))
	uniq := out[:0]
	for _, s := range out {
		if !seen[s] {
			seen[s] = true
			uniq = append(uniq, s)
		}
	}
	return uniq
}

// interpCase is an interpolated string and the string Nix makes of it.
type interpCase struct {
	str      String
	want     string
	indented bool // printed as an indented string
}

func roundTripInterps() []interpCase {
	b := Interp(Str("b"))
	return []interpCase{
		{StrOf(Text("a$"), b), "a$b", false},
		{StrOf(Text("'"), b), "'b", false},
		{StrOf(Text("x''"), b), "x''b", false},
		{StrOf(Text("$"), b, Text("$")), "$b$", false},
		{StrOf(Text("$$"), b), "$$b", false},
		{StrOf(Text(`\`), b), `\b`, false},
		{StrOf(Text(`"`), b, Text(`"`)), `"b"`, false},
		{StrOf(Interp(Str("a")), Text("{b}")), "a{b}", false},
		{StrOf(Text("$"), Interp(Str("{")), Text("}")), "${}", false},
		{StrOf(Text("--tls-san "), Interp(Call(Ident("toString"), Int(42)))), "--tls-san 42", false},
		{StrOf(Interp(Str("a")), Interp(Str("b"))), "ab", false},
		{StrOf(Text("a\n"), b), "a\nb", false},
		{StrOf(Text("line1\n  a$"), b, Text("\nend\n")), "line1\n  a$b\nend\n", true},
		{StrOf(Text("x\n'"), b, Text("\n")), "x\n'b\n", true},
		{StrOf(Text("x\ny''"), b, Text("\n")), "x\ny''b\n", true},
		{StrOf(Text("x\n$$"), b, Text("$\n")), "x\n$$b$\n", true},
		{StrOf(Text("x\n"), b, Text("\n  c\n")), "x\nb\n  c\n", true},
		{StrOf(Text("x\n  "), b, Text("\nc\n")), "x\n  b\nc\n", true},
		{StrOf(Text("x\n"), Interp(Str("inner\n  y\n")), Text("z\n")), "x\ninner\n  y\nz\n", true},
		{StrOf(Text("x\n"), Interp(Call(Ident("toString"), Int(7))), Text(" ${y} ''\n")), "x\n7 ${y} ''\n", true},
		// Adjacent text parts are escaped as one text.
		{StrOf(Text("x\na$"), Text(""), b, Text("\n")), "x\na$b\n", true},
		{StrOf(Text("x\na'"), Text("'b\n")), "x\na''b\n", true},
		{StrOf(Text("x\na$"), Text("{b}\n")), "x\na${b}\n", true},
	}
}

// TestRoundTripNix prints adversarial strings as list elements, as
// attribute names and inside interpolations into one Nix file, evaluates it
// with nix-instantiate and checks that every value comes back byte for
// byte.
func TestRoundTripNix(t *testing.T) {
	strs := roundTripStrings()
	if len(strs) < 200 {
		t.Fatalf("only %d round-trip strings", len(strs))
	}
	interps := roundTripInterps()

	values := make([]Expr, len(strs))
	indented := 0
	for i, s := range strs {
		values[i] = Str(s)
		out, err := Print(Str(s))
		if err != nil {
			t.Fatalf("Print(%q): %v", s, err)
		}
		if strings.HasPrefix(string(out), "''") {
			indented++
		}
	}
	t.Logf("%d strings, %d of them printed as indented strings; %d interpolated strings", len(strs), indented, len(interps))
	if indented < 8 {
		t.Errorf("only %d of the strings print as indented strings, want at least 8", indented)
	}
	names := make([]Item, len(strs))
	for i, s := range strs {
		names[i] = BindPath(AttrPath{s}, Int(i))
	}
	interpExprs := make([]Expr, len(interps))
	for i, c := range interps {
		interpExprs[i] = c.str
		out, err := Print(c.str)
		if err != nil {
			t.Fatalf("Print(%#v): %v", c.str, err)
		}
		if got := strings.HasPrefix(string(out), "''"); got != c.indented {
			t.Errorf("interpolation %d printed as %q, indented = %v, want %v", i, out, got, c.indented)
		}
	}
	src, err := Print(Set(
		Bind("values", ListOf(values...)),
		Bind("names", Set(names...)),
		Bind("interps", ListOf(interpExprs...)),
	))
	if err != nil {
		t.Fatal(err)
	}
	nixcheck.Parse(t, "roundtrip.nix", src)

	var got struct {
		Values  []string
		Names   map[string]int
		Interps []string
	}
	nixcheck.EvalJSON(t, src, &got)

	if len(got.Values) != len(strs) {
		t.Fatalf("got %d values, want %d", len(got.Values), len(strs))
	}
	for i, s := range strs {
		if got.Values[i] != s {
			t.Errorf("value %d: printed %q, Nix reads %q", i, s, got.Values[i])
		}
	}
	for i, s := range strs {
		if v, ok := got.Names[s]; !ok || v != i {
			t.Errorf("attribute name %q: got %d, %v; want %d", s, v, ok, i)
		}
	}
	if len(got.Names) != len(strs) {
		var extra []string
		for k := range got.Names {
			if !slices.Contains(strs, k) {
				extra = append(extra, fmt.Sprintf("%q", k))
			}
		}
		t.Errorf("got %d attribute names, want %d; unexpected: %s", len(got.Names), len(strs), strings.Join(extra, ", "))
	}
	if len(got.Interps) != len(interps) {
		t.Fatalf("got %d interpolated strings, want %d", len(got.Interps), len(interps))
	}
	for i, c := range interps {
		if got.Interps[i] != c.want {
			t.Errorf("interpolation %d: Nix reads %q, want %q", i, got.Interps[i], c.want)
		}
	}
}
