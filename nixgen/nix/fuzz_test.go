package nix

import (
	"strings"
	"testing"
)

// The fuzz tests check the escaper and the string printer against the
// oracle in oracle_test.go. Their seed corpora live in testdata/fuzz; run
// one with, for example,
//
//	go test -run '^$' -fuzz '^FuzzPrintString$' -fuzztime 60s ./nixgen/nix/

func FuzzQuote(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Quote(s)
		if strings.IndexByte(s, 0) >= 0 {
			if err == nil {
				t.Fatalf("Quote(%q) = %q, want an error for the NUL byte", s, q)
			}
			return
		}
		if err != nil {
			t.Fatalf("Quote(%q): %v", s, err)
		}
		if !strings.HasPrefix(q, `"`) || strings.ContainsAny(q, "\n\r\t") {
			t.Fatalf("Quote(%q) = %q, want one double-quoted line", s, q)
		}
		got, err := unquoteNix(q)
		if err != nil {
			t.Fatalf("Quote(%q) = %q, which Nix does not read as a plain string: %v", s, q, err)
		}
		if got != s {
			t.Fatalf("Quote(%q) = %q, which Nix reads as %q", s, q, got)
		}
	})
}

func FuzzQuoteAttr(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		// An identifier by the lexer's ID rule that is not a keyword, "or"
		// included: exactly the names that may be written bare.
		bare := isOracleIdent(s)
		switch s {
		case "assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with":
			bare = false
		}
		if IsIdent(s) != bare {
			t.Errorf("IsIdent(%q) = %v, want %v", s, IsIdent(s), bare)
		}
		q, err := QuoteAttr(s)
		if strings.IndexByte(s, 0) >= 0 {
			if err == nil {
				t.Fatalf("QuoteAttr(%q) = %q, want an error for the NUL byte", s, q)
			}
			return
		}
		if err != nil {
			t.Fatalf("QuoteAttr(%q): %v", s, err)
		}
		// A name is bare only when it is an identifier, and then it is
		// written as is. QuoteAttr quotes identifiers with an apostrophe
		// too, as nixfmt's reference output does; all others stay bare.
		if !strings.HasPrefix(q, `"`) {
			if !bare || q != s {
				t.Fatalf("QuoteAttr(%q) = %q, a bare name that is not the identifier itself", s, q)
			}
		} else if bare && !strings.Contains(s, "'") {
			t.Fatalf("QuoteAttr(%q) = %q, want the bare identifier", s, q)
		}
		got, err := unquoteAttr(q)
		if err != nil {
			t.Fatalf("QuoteAttr(%q) = %q, which Nix does not read as a name: %v", s, q, err)
		}
		if got != s {
			t.Fatalf("QuoteAttr(%q) = %q, which Nix reads as %q", s, q, got)
		}
	})
}

func FuzzPrintString(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		checkPrintedString(t, s, Str(s))
	})
}

// FuzzPrintStringParts prints a string made of two adjacent text parts,
// which must read back as their concatenation however the parts split
// an escape sequence.
func FuzzPrintStringParts(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b string) {
		checkPrintedString(t, a+b, StrOf(Text(a), Text(b)))
	})
}

// nestedPrefix and nestedSuffix surround the literal of x in
// { a = { x = <literal>; }; } as the printer lays it out.
const (
	nestedPrefix = "{\n  a = {\n    x = "
	nestedSuffix = ";\n  };\n}\n"
)

// checkPrintedString prints str, whose text is s, alone and as the value of
// a binding two sets deep, and checks that the oracle reads both literals
// back as s.
func checkPrintedString(t *testing.T, s string, str String) {
	t.Helper()
	out, err := Print(str)
	nested, nestedErr := Print(Set(Bind("a", Set(Bind("x", str)))))
	if strings.IndexByte(s, 0) >= 0 {
		if err == nil || nestedErr == nil {
			t.Fatalf("Print(%q) = %q, %v; nested: %v; want errors for the NUL byte", s, out, err, nestedErr)
		}
		if out != nil || nested != nil {
			t.Fatalf("Print(%q) returned output with its error", s)
		}
		return
	}
	if err != nil || nestedErr != nil {
		t.Fatalf("Print(%q): %v; nested: %v", s, err, nestedErr)
	}
	if slow, _ := (File{Expr: Set(Bind("a", Set(Bind("x", str))))}).bytes(true); string(slow) != string(nested) {
		t.Fatalf("Print(%q): the fast path printed %q, the layout engine %q", s, nested, slow)
	}

	lit, ok := strings.CutSuffix(string(out), "\n")
	if !ok || strings.HasSuffix(lit, "\n") {
		t.Fatalf("Print(%q) = %q, want exactly one final newline", s, out)
	}
	checkLiteral(t, s, lit, "")

	body, ok := strings.CutPrefix(string(nested), nestedPrefix)
	if ok {
		body, ok = strings.CutSuffix(body, nestedSuffix)
	}
	if !ok {
		t.Fatalf("nested Print(%q) = %q, want %q…%q around the literal", s, nested, nestedPrefix, nestedSuffix)
	}
	checkLiteral(t, s, body, "    ")
	if strings.HasPrefix(lit, "''") != strings.HasPrefix(body, "''") {
		t.Errorf("Print(%q) chose different forms alone (%q) and nested (%q)", s, lit, body)
	}
}

// checkLiteral checks one printed literal of s: the oracle must read it as
// s, it must hold no tab, carriage return or trailing space, a double-quoted
// literal must be one line, and every line of an indented literal after
// the first must start with the indentation of its binding, indent.
func checkLiteral(t *testing.T, s, lit, indent string) {
	t.Helper()
	got, err := unquoteNix(lit)
	if err != nil {
		t.Fatalf("string %q printed as %q, which Nix does not read as a plain string: %v", s, lit, err)
	}
	if got != s {
		t.Fatalf("string %q printed as %q, which Nix reads as %q", s, lit, got)
	}
	if strings.ContainsAny(lit, "\r\t") {
		t.Errorf("string %q printed as %q, with a raw tab or carriage return", s, lit)
	}
	lines := strings.Split(lit, "\n")
	for _, ln := range lines {
		if strings.HasSuffix(ln, " ") {
			t.Errorf("string %q printed as %q, with trailing spaces on line %q", s, lit, ln)
		}
	}
	if strings.HasPrefix(lit, `"`) {
		if len(lines) != 1 {
			t.Errorf("string %q printed as %q, a double-quoted literal on several lines", s, lit)
		}
		return
	}
	if lines[0] != "''" || lines[len(lines)-1] != indent+"''" {
		t.Errorf("string %q printed as %q, want '' alone on the first and last lines", s, lit)
	}
	for _, ln := range lines[1 : len(lines)-1] {
		if ln != "" && !strings.HasPrefix(ln, indent+"  ") {
			t.Errorf("string %q printed as %q: line %q is not indented past %q", s, lit, ln, indent)
		}
	}
}
