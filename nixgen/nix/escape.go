package nix

import (
	"errors"
	"strings"
)

// errNUL is returned for text that holds a NUL byte, which Nix strings cannot
// contain.
var errNUL = errors.New("nix: string contains a NUL byte, which Nix cannot represent")

// keywords are the reserved words of the Nix language (lexer.l). They cannot
// be used as bare attribute names; "or" is accepted by the grammar in that
// position but the manual advises against relying on it, so it is quoted too.
func isKeyword(s string) bool {
	switch s {
	case "assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with":
		return true
	}
	return false
}

// IsIdent reports whether s is a Nix identifier ([a-zA-Z_][a-zA-Z0-9_'-]*)
// that is not a keyword, and so can be written as a bare attribute name or
// variable.
func IsIdent(s string) bool {
	if s == "" || isKeyword(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && (i == 0 || !isIdentRest(c)) {
			return false
		}
	}
	return true
}

// isLetter reports whether c may start an identifier: a letter or _.
// Setting bit 5 maps upper-case letters to lower case and no other byte to
// a lower-case letter.
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_' }

// isIdentRest reports whether c may follow the first character of an
// identifier, besides letters and _.
func isIdentRest(c byte) bool { return c >= '0' && c <= '9' || c == '\'' || c == '-' }

// isPlainName reports whether name is written bare as an attribute name:
// an identifier without an apostrophe (see QuoteAttr).
func isPlainName(s string) bool {
	if s == "" || isKeyword(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && (i == 0 || c == '\'' || !isIdentRest(c)) {
			return false
		}
	}
	return true
}

// QuoteAttr renders one attribute name: bare when it is an identifier,
// otherwise as a double-quoted string. Names with an apostrophe are quoted
// too: x' is a valid identifier, but "x'" is the form nixfmt's reference
// output uses and it reads unambiguously. It fails only for a NUL byte.
func QuoteAttr(name string) (string, error) {
	if IsIdent(name) && !strings.Contains(name, "'") {
		return name, nil
	}
	return Quote(name)
}

// Quote renders s as a double-quoted Nix string literal. It escapes \, ", ${,
// newline, carriage return and tab, and nothing else: Nix reads any other
// backslash escape as the bare character, so JSON-style escapes such as
// \u003c must never be used. It fails only for a NUL byte.
func Quote(s string) (string, error) {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b, err := appendQuoted(b, s, false)
	if err != nil {
		return "", err
	}
	b = append(b, '"')
	return bytesString(b), nil
}

// appendQuoted appends the escaped body of a double-quoted string part to b.
// beforeInterp tells that an interpolation follows the text, so that a final
// $ must be escaped too.
func appendQuoted(b []byte, s string, beforeInterp bool) ([]byte, error) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > '$' && c != '\\' || c == ' ' {
			// None of the characters below, which are all at most '$'
			// except the backslash; spaces are the most common below.
			continue
		}
		var esc string
		switch c {
		case '"':
			esc = `\"`
		case '\\':
			esc = `\\`
		case '\n':
			esc = `\n`
		case '\r':
			esc = `\r`
		case '\t':
			esc = `\t`
		case '$':
			switch {
			case i+1 < len(s) && s[i+1] == '$':
				// The lexer reads $$ as two literal dollars, whatever
				// follows: keep the pair and skip past it.
				i++
				continue
			case i+1 < len(s) && s[i+1] == '{' || i+1 == len(s) && beforeInterp:
				esc = `\$`
			default:
				continue
			}
		case 0:
			return b, errNUL
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		start = i + 1
	}
	return append(b, s[start:]...), nil
}

// appendAttrName appends one attribute name as QuoteAttr renders it, and
// reports whether it had to be quoted. It fails only for a NUL byte.
func appendAttrName(b []byte, name string) ([]byte, bool, error) {
	if isPlainName(name) {
		return append(b, name...), false, nil
	}
	b = append(b, '"')
	b, err := appendQuoted(b, name, false)
	return append(b, '"'), true, err
}

// indentable reports whether the parts can be written as an indented string
// ”…” that Nix reads back unchanged. The text must end in a newline, span
// at least two lines, contain no CR or tab, no trailing whitespace on a line,
// no "'$" sequence, and at least one line must start with a non-space
// character, so that indentation stripping removes exactly the indentation the
// printer adds.
func indentable(parts []StrPart) bool {
	// Most strings are one line: rule them out without a full scan.
	if last := len(parts) - 1; last < 0 || parts[last].Interp != nil || !strings.HasSuffix(parts[last].Text, "\n") {
		return false
	}
	newlines := 0
	lineStart := true  // at the start of a line
	minZero := false   // some non-empty line starts without a space
	prevSpace := false // the last text byte was a space
	last := byte(0)    // the last text byte, 0 after an interpolation
	for pi, p := range parts {
		if p.Interp != nil {
			if lineStart {
				minZero = true
			}
			lineStart, prevSpace, last = false, false, 0
			continue
		}
		s := p.Text
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch c {
			case '\r', '\t', 0:
				return false
			case '\n':
				if prevSpace {
					return false
				}
				newlines++
				lineStart, prevSpace = true, false
			case ' ':
				prevSpace = true
				if lineStart {
					// Leading spaces: the line still starts with a space.
					lineStart = false
					last = c
					continue
				}
			case '$':
				if last == '\'' {
					return false
				}
				fallthrough
			default:
				if lineStart {
					minZero = true
				}
				lineStart = false
				// The bytes above '$' are none of the cases above,
				// and a space within a line only sets prevSpace: a run
				// of them changes only the last byte.
				for i+1 < len(s) && (s[i+1] > '$' || s[i+1] == ' ') {
					i++
				}
				c = s[i]
				prevSpace = c == ' '
			}
			last = c
		}
		_ = pi
	}
	if newlines < 2 || !minZero {
		return false
	}
	// The text must end in a newline: the last part is text ending in '\n'.
	lp := parts[len(parts)-1]
	return lp.Interp == nil && strings.HasSuffix(lp.Text, "\n")
}

// mergeText returns parts with adjacent text parts joined and empty text
// parts dropped, so that every text part is escaped as a whole: escaping
// "a$" and "{b}" one by one would print a${b}, and an empty text between
// "a$" and an interpolation would hide that the $ needs escaping.
func mergeText(parts []StrPart) []StrPart {
	if merged(parts) {
		return parts
	}
	out := make([]StrPart, 0, len(parts))
	for _, p := range parts {
		if p.Interp != nil {
			out = append(out, p)
			continue
		}
		if p.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Interp == nil {
			out[n-1].Text += p.Text
			continue
		}
		out = append(out, p)
	}
	return out
}

// merged reports whether parts holds no empty text and no two adjacent
// texts, so that mergeText has nothing to do. Most strings are one text.
func merged(parts []StrPart) bool {
	for i, p := range parts {
		if p.Interp != nil {
			continue
		}
		if p.Text == "" || i > 0 && parts[i-1].Interp == nil {
			return false
		}
	}
	return true
}

// indentedLines escapes the parts for an indented string and splits them into
// lines. Each line is a list of parts whose Text is already escaped. The last
// line is empty because the text ends in a newline.
func indentedLines(parts []StrPart) [][]StrPart {
	parts = mergeText(parts)
	var lines [][]StrPart
	var cur []StrPart
	for pi, p := range parts {
		if p.Interp != nil {
			cur = append(cur, p)
			continue
		}
		beforeInterp := pi+1 < len(parts) && parts[pi+1].Interp != nil
		s := p.Text
		for {
			nl := strings.IndexByte(s, '\n')
			seg := s
			if nl >= 0 {
				seg = s[:nl]
			}
			if seg != "" {
				cur = append(cur, StrPart{Text: escapeIndented(seg, nl < 0 && beforeInterp)})
			}
			if nl < 0 {
				break
			}
			lines = append(lines, cur)
			cur = nil
			s = s[nl+1:]
		}
	}
	lines = append(lines, cur)
	return lines
}

// escapeIndented escapes one line of indented-string text: ” becomes ”' and
// ${ becomes ”${; a final $ before an interpolation becomes ”$.
func escapeIndented(s string, beforeInterp bool) string {
	if !strings.Contains(s, "''") && !strings.Contains(s, "$") {
		return s
	}
	s = strings.ReplaceAll(s, "''", "'''")
	s = strings.ReplaceAll(s, "${", "''${")
	if beforeInterp && strings.HasSuffix(s, "$") {
		s = s[:len(s)-1] + "''$"
	}
	return s
}

// appendEscapedIndented appends one line of indented-string text that no
// interpolation follows, escaped as escapeIndented does: ” becomes ”' and
// ${ becomes ”${. One left-to-right scan finds the same, non-overlapping,
// occurrences as the two replacements there.
func appendEscapedIndented(b []byte, s string) []byte {
	if strings.IndexByte(s, '\'') < 0 && strings.IndexByte(s, '$') < 0 {
		return append(b, s...)
	}
	start := 0
	for i := 0; i+1 < len(s); i++ {
		var esc string
		switch {
		case s[i] == '\'' && s[i+1] == '\'':
			esc = "'''"
		case s[i] == '$' && s[i+1] == '{':
			esc = "''${"
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		i++
		start = i + 1
	}
	return append(b, s[start:]...)
}
