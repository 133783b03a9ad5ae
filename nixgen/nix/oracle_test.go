package nix

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nixgen/nixgen/internal/nixcheck"
)

// This file holds a test oracle: a small decoder of Nix string literals
// written from the rules of the Nix lexer (src/libexpr/lexer.l, the STRING
// and IND_STRING start conditions, and unescapeStr) and from the parser's
// stripIndentation. It shares no code with escape.go, so the fuzz and
// round-trip tests can check the printer's output against it, and
// TestOracleMatchesNix checks the oracle itself against nix-instantiate.

// errInterp is returned by the oracle for a literal that holds an
// interpolation ${…}, which a plain string literal must not contain.
var errInterp = errors.New("oracle: literal contains an interpolation")

// unquoteNix decodes a complete Nix string literal, double-quoted or
// indented, that contains no interpolation, and returns the string it
// denotes. It fails for anything else, including text after the closing
// quote.
func unquoteNix(lit string) (string, error) {
	if strings.IndexByte(lit, 0) >= 0 {
		return "", errors.New("oracle: NUL byte in source")
	}
	switch {
	case strings.HasPrefix(lit, `"`):
		return unquoteDouble(lit)
	case strings.HasPrefix(lit, "''"):
		return unquoteIndented(lit)
	}
	return "", fmt.Errorf("oracle: %q is not a string literal", lit)
}

// unquoteDouble decodes "…". The STRING state of the lexer reads a run of
// text with
//
//	([^\$\"\\]|\$[^\{\"\\]|\\{ANY}|\$\\{ANY})+
//
// (and the same run followed by a single $ when a " comes next), passes it
// through unescapeStr, and treats ${ as the start of an interpolation and "
// as the end of the string.
func unquoteDouble(lit string) (string, error) {
	i := 1
	var out strings.Builder
	for {
		start := i
		// One STR token: a maximal run of the alternatives above. The
		// alternative is fixed by the first character, so a greedy scan
		// finds flex's longest match.
	run:
		for i < len(lit) {
			switch c := lit[i]; {
			case c == '\\':
				if i+1 >= len(lit) {
					break run
				}
				i += 2
			case c == '$':
				if i+1 >= len(lit) {
					break run
				}
				switch lit[i+1] {
				case '{':
					break run
				case '"':
					// The trailing-context rule: text ending in $ before ".
					i++
					break run
				case '\\':
					if i+2 >= len(lit) {
						break run
					}
					i += 3
				default:
					i += 2
				}
			case c == '"':
				break run
			default:
				i++
			}
		}
		out.WriteString(unescapeStr(lit[start:i]))
		if i >= len(lit) {
			return "", errors.New("oracle: unterminated string")
		}
		switch {
		case lit[i] == '"':
			if i != len(lit)-1 {
				return "", fmt.Errorf("oracle: text after the closing quote: %q", lit[i+1:])
			}
			return out.String(), nil
		case strings.HasPrefix(lit[i:], "${"):
			return "", errInterp
		}
		return "", fmt.Errorf("oracle: no rule matches at %q", lit[i:])
	}
}

// unescapeStr is the lexer's unescapeStr: \n, \r and \t are control
// characters, any other \x is x, and an unescaped CR or CR LF becomes LF.
func unescapeStr(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
		case c == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// indToken is one IND_STR token. Only the long text rule sets
// hasIndentation; the escapes and the lone $ and ' do not, so they end the
// leading whitespace of a line.
type indToken struct {
	s              string
	hasIndentation bool
}

// unquoteIndented decodes an indented string. The opening rule
// \'\'(\ *\n)? swallows spaces and a newline right after the quotes. The
// IND_STRING rules are, by flex's longest match:
//
//	([^\$\']|\$[^\{\']|\'[^\'\$])+  text, kept as is (with indentation)
//	\'\'\$                          "$"
//	\'\'\'                          "''"
//	\'\'\\{ANY}                     unescapeStr of \ and the character
//	\$\{                            interpolation
//	\'\'                            end of the string
//	\$ and \'                       themselves
//
// The tokens then go through stripIndentation.
func unquoteIndented(lit string) (string, error) {
	i := 2
	if j := strings.IndexFunc(lit[i:], func(r rune) bool { return r != ' ' }); j >= 0 && lit[i+j] == '\n' {
		i += j + 1
	}
	var toks []indToken
	for {
		if i >= len(lit) {
			return "", errors.New("oracle: unterminated indented string")
		}
		start := i
	run:
		for i < len(lit) {
			switch lit[i] {
			case '$':
				if i+1 >= len(lit) || lit[i+1] == '{' || lit[i+1] == '\'' {
					break run
				}
				i += 2
			case '\'':
				if i+1 >= len(lit) || lit[i+1] == '\'' || lit[i+1] == '$' {
					break run
				}
				i += 2
			default:
				i++
			}
		}
		if i > start {
			toks = append(toks, indToken{lit[start:i], true})
			continue
		}
		rest := lit[i:]
		switch {
		case strings.HasPrefix(rest, "''$"):
			toks = append(toks, indToken{"$", false})
			i += 3
		case strings.HasPrefix(rest, "'''"):
			toks = append(toks, indToken{"''", false})
			i += 3
		case strings.HasPrefix(rest, `''\`) && len(rest) >= 4:
			toks = append(toks, indToken{unescapeStr(rest[2:4]), false})
			i += 4
		case strings.HasPrefix(rest, "${"):
			return "", errInterp
		case strings.HasPrefix(rest, "''"):
			if i+2 != len(lit) {
				return "", fmt.Errorf("oracle: text after the closing quotes: %q", lit[i+2:])
			}
			return stripIndentation(toks), nil
		case rest[0] == '$' || rest[0] == '\'':
			toks = append(toks, indToken{rest[:1], false})
			i++
		default:
			return "", fmt.Errorf("oracle: no rule matches at %q", rest)
		}
	}
}

// stripIndentation is the parser's stripIndentation for a string without
// interpolations: it removes the smallest indentation (in spaces) of the
// non-empty lines from every line, and drops a final line made of spaces
// only if it lies within the last token.
func stripIndentation(toks []indToken) string {
	if len(toks) == 0 {
		return ""
	}
	atStartOfLine := true
	minIndent := 1000000
	curIndent := 0
	for _, t := range toks {
		if !t.hasIndentation {
			if atStartOfLine {
				atStartOfLine = false
				minIndent = min(minIndent, curIndent)
			}
			continue
		}
		for j := 0; j < len(t.s); j++ {
			if atStartOfLine {
				switch t.s[j] {
				case ' ':
					curIndent++
				case '\n':
					curIndent = 0
				default:
					atStartOfLine = false
					minIndent = min(minIndent, curIndent)
				}
			} else if t.s[j] == '\n' {
				atStartOfLine = true
				curIndent = 0
			}
		}
	}

	var out strings.Builder
	atStartOfLine = true
	curDropped := 0
	for n, t := range toks {
		var s2 strings.Builder
		for j := 0; j < len(t.s); j++ {
			c := t.s[j]
			if atStartOfLine {
				switch c {
				case ' ':
					if curDropped >= minIndent {
						s2.WriteByte(c)
					}
					curDropped++
				case '\n':
					curDropped = 0
					s2.WriteByte(c)
				default:
					atStartOfLine = false
					curDropped = 0
					s2.WriteByte(c)
				}
			} else {
				s2.WriteByte(c)
				if c == '\n' {
					atStartOfLine = true
				}
			}
		}
		s := s2.String()
		if n == len(toks)-1 {
			if p := strings.LastIndexByte(s, '\n'); p >= 0 && strings.Trim(s[p+1:], " ") == "" {
				s = s[:p+1]
			}
		}
		out.WriteString(s)
	}
	return out.String()
}

// isOracleIdent reports whether s is an ID token of lexer.l,
// [a-zA-Z_][a-zA-Z0-9_'-]*.
func isOracleIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range []byte(s) {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '\'' || c == '-')) {
			return false
		}
	}
	return true
}

// unquoteAttr decodes one attribute name as the grammar reads it: an ID
// that is not a keyword (or, which the grammar accepts as a name), or a
// double-quoted string without interpolation.
func unquoteAttr(s string) (string, error) {
	if isOracleIdent(s) {
		switch s {
		case "assert", "else", "if", "in", "inherit", "let", "rec", "then", "with":
			return "", fmt.Errorf("oracle: keyword %q is not an attribute name", s)
		}
		return s, nil
	}
	if !strings.HasPrefix(s, `"`) {
		return "", fmt.Errorf("oracle: %q is neither an identifier nor a string", s)
	}
	return unquoteDouble(s)
}

func TestUnquoteNix(t *testing.T) {
	tests := []struct {
		lit, want string
	}{
		{`""`, ""},
		{`"abc"`, "abc"},
		{`"a\nb\tc\rd"`, "a\nb\tc\rd"},
		{`"\u003c"`, "u003c"},
		{`"\\\""`, `\"`},
		{`"\${x}"`, "${x}"},
		{`"$${x}"`, "$${x}"},
		{`"$$"`, "$$"},
		{`"a$"`, "a$"},
		{`"$"`, "$"},
		{`"$$$"`, "$$$"},
		{`"$\{"`, "${"},
		{`"$\n"`, "$\n"},
		{"\"a\rb\r\nc\"", "a\nb\nc"},
		{"\"a\\\rb\"", "a\rb"},
		{"\"\\\n\"", "\n"},
		{"''\n  a\n    b\n  c\n''", "a\n  b\nc\n"},
		{"''  \n  a\n  ''", "a\n"},
		{"''a''", "a"},
		{"''''", ""},
		{"'' a''", "a"},
		{"''\n  a\n  b''", "a\nb"},
		{"''\n  '''\n''", "''\n"},
		{"''\n  ''${x}\n''", "${x}\n"},
		{"''\n  a''$\n''", "a$\n"},
		{"''\n  $${x}\n''", "$${x}\n"},
		{"''\n  ''\\n\n''", "\n\n"},
		{"''\n  a'\n''", "a'\n"},
		{"''\n\ta\n  b\n''", "\ta\n  b\n"},
		{"''\n    a\n\n    b\n  ''", "a\n\nb\n"},
		{"''\n  a\n  b \n''", "a\nb \n"},
		{"''\n  ''\\ a\n  b\n''", " a\nb\n"},
	}
	for _, tt := range tests {
		got, err := unquoteNix(tt.lit)
		if err != nil || got != tt.want {
			t.Errorf("unquoteNix(%q) = %q, %v; want %q", tt.lit, got, err, tt.want)
		}
	}
}

func TestUnquoteNixRejects(t *testing.T) {
	for _, lit := range []string{
		``, `"`, `"abc`, `"a"b"`, `"\"`, `"${x}"`, `"a$${x}${y}"`, `"$$${x}"`,
		`abc`, `''`, `''abc`, `''${x}''`, `''a''b`, "''\n  a${b}\n''", "\"a\x00\"",
		// '${ is a lone ' followed by an interpolation; '''${ is '' and one.
		"''\n  '${x}\n''", "''\n  '''${x}\n''",
	} {
		if got, err := unquoteNix(lit); err == nil {
			t.Errorf("unquoteNix(%q) = %q, want an error", lit, got)
		}
	}
}

func TestUnquoteAttr(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a", "a"}, {"a-b", "a-b"}, {"x'", "x'"}, {"_x", "_x"}, {"or", "or"},
		{"true", "true"}, {`"if"`, "if"}, {`"eth0.100"`, "eth0.100"}, {`""`, ""},
		{`"\${x}"`, "${x}"},
	} {
		if got, err := unquoteAttr(tt.in); err != nil || got != tt.want {
			t.Errorf("unquoteAttr(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"if", "let", "0abc", "-bad", "a.b", "''a''", `"${x}"`, ""} {
		if got, err := unquoteAttr(in); err == nil {
			t.Errorf("unquoteAttr(%q) = %q, want an error", in, got)
		}
	}
}

// TestOracleMatchesNix evaluates literals that exercise every lexer rule the
// oracle models with nix-instantiate and checks that the oracle decodes them
// to the same strings.
func TestOracleMatchesNix(t *testing.T) {
	nixcheck.Require(t)
	lits := []string{
		`""`, `"abc"`, `"a\nb\tc\rd"`, `"\u003c"`, `"\\\""`, `"\${x}"`, `"$${x}"`,
		`"$$"`, `"a$"`, `"$"`, `"$$$"`, `"$\{"`, `"$\n"`, "\"a\rb\r\nc\"", "\"a\\\rb\"",
		"\"\\\n\"", `"\a\b\$\{"`, `"é ✓ 😀"`,
		"''\n  a\n    b\n  c\n''", "''  \n  a\n  ''", "''a''", "''''", "'' a''",
		"''\n  a\n  b''", "''\n  '''\n''", "''\n  ''${x}\n''", "''\n  a''$\n''",
		"''\n  $${x}\n''", "''\n  ''\\n\n''", "''\n  a'\n''", "''\n\ta\n  b\n''",
		"''\n    a\n\n    b\n  ''", "''\n  a\n  b \n''", "''\n  ''\\ a\n  b\n''",
		"''\n  a\n   ''", "''\n  a\n   b''", "''\n  a\r\n  b\n''", "''\ta\n  b\n''",
		"''\n\n\n  a\n''", "''\n  a$\n  $''", "''\n  x''''''\n''", "''\n  a\n''$''",
		"''\n    a\n  ''\\ ''", "''\n  a\n    \n  b\n''", "'' \t\n  a\n''",
		"''\n   a\n  ''\\tb\n''", "''\n  ''\\\n''", "''\n  $'x\n''", "''\n  $\n''",
		"''\n  ''\\$'{x}\n''",
	}
	var src strings.Builder
	src.WriteString("[\n")
	want := make([]string, len(lits))
	for i, lit := range lits {
		s, err := unquoteNix(lit)
		if err != nil {
			t.Fatalf("unquoteNix(%q): %v", lit, err)
		}
		want[i] = s
		src.WriteString(lit)
		src.WriteString("\n")
	}
	src.WriteString("]\n")
	var got []string
	nixcheck.EvalJSON(t, []byte(src.String()), &got)
	if len(got) != len(want) {
		t.Fatalf("nix returned %d strings, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("literal %q: nix gives %q, oracle gives %q", lits[i], got[i], want[i])
		}
	}
}
