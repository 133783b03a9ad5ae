//go:build go1.27

package nixgen

import "github.com/apparentlymart/go-textseg/v17/textseg"

// graphemeCount returns the number of grapheme clusters in b, by the
// Unicode version that hclsyntax counts columns with under this Go
// release.
func graphemeCount(b []byte) int {
	n := 0
	for len(b) > 0 {
		advance, _, _ := textseg.ScanGraphemeClusters(b, true)
		b = b[advance:]
		n++
	}
	return n
}
