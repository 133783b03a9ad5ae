package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/nixgen/nixgen/internal/benchinv"
)

// BenchmarkValidate100 runs `nixgen validate` on an inventory of 100 hosts,
// reading the file as the command does, without the start of a process.
func BenchmarkValidate100(b *testing.B) {
	path := filepath.Join(b.TempDir(), "inventory.hcl")
	if err := os.WriteFile(path, benchinv.Inventory(100), 0o644); err != nil {
		b.Fatal(err)
	}
	var stderr bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		stderr.Reset()
		if code := Run([]string{"validate", path}, nil, io.Discard, &stderr); code != 0 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
}
