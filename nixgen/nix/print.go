package nix

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Width is the line width of printed files, nixfmt's default.
const Width = 100

// indentWidth is the number of spaces per indentation level.
const indentWidth = 2

// Print returns e printed as a Nix file: in the layout of nixfmt --strict,
// with one final newline. It returns an error, and no output, when e cannot
// be written as valid Nix: a NUL byte in a string, an invalid identifier or
// path, or two bindings in one set that define the same attribute.
func Print(e Expr) ([]byte, error) {
	return File{Expr: e}.Bytes()
}

// Fprint writes e to w as Print formats it.
func Fprint(w io.Writer, e Expr) error {
	b, err := Print(e)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// File is a Nix file: a header comment and one expression.
type File struct {
	// Header lines are printed as "# line" comments at the top of the file.
	Header []string
	Expr   Expr
}

// Bytes returns the printed file.
func (f File) Bytes() ([]byte, error) {
	if f.Expr == nil {
		return nil, fmt.Errorf("nix: file has no expression")
	}
	return f.bytes(false)
}

func (f File) bytes(slow bool) ([]byte, error) {
	if f.Expr == nil {
		return nil, fmt.Errorf("nix: file has no expression")
	}
	p := &printer{slow: slow}
	if !slow {
		if out, ok := p.fastFile(f); ok {
			if p.err != nil {
				return nil, p.err
			}
			return out, nil
		}
	}
	d := p.comments(f.Header, 0)
	d = append(d, grp(regularG, p.expr(f.Expr, 0)))
	if p.err != nil {
		return nil, p.err
	}
	size := sizeHint(f.Expr, 0)
	for _, c := range f.Header {
		size += len(c) + 3
	}
	return layout(fixup(p, d), Width, indentWidth, size+size/16), nil
}

// WriteTo writes the printed file to w.
func (f File) WriteTo(w io.Writer) (int64, error) {
	b, err := f.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// String returns the printed file, or a Nix comment describing the error.
func (f File) String() string {
	b, err := f.Bytes()
	if err != nil {
		return "# error: " + strings.ReplaceAll(err.Error(), "\n", " ") + "\n"
	}
	return string(bytes.Clone(b))
}
