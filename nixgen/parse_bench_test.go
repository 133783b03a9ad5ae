package nixgen_test

import (
	"testing"

	"github.com/nixgen/nixgen/nixgen"
)

// BenchmarkParse1000 loads the 1000-host inventory of the other
// benchmarks into the model, without validating or rendering it.
func BenchmarkParse1000(b *testing.B) {
	src := benchInventory(1000)
	if stop := nixgen.FastDecodeStop("inventory.hcl", src, &nixgen.Inventory{}); stop >= 0 {
		b.Fatalf("the benchmark inventory leaves the fast decoder's subset at byte %d", stop)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := nixgen.Parse("inventory.hcl", src); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
