//go:build go1.27

package nixgen

import "github.com/apparentlymart/go-textseg/v17/textseg"

// firstGrapheme returns the length of the grapheme cluster that b starts
// with, by the Unicode version that hclsyntax counts columns with under
// this Go release.
func firstGrapheme(b []byte) int {
	n, _, _ := textseg.ScanGraphemeClusters(b, true)
	return n
}
