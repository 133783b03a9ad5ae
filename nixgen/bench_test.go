package nixgen_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nixgen/nixgen/internal/benchinv"
	"github.com/nixgen/nixgen/nixgen"
)

// benchInventory returns the benchmark inventory of n hosts; see
// [benchinv.Inventory].
func benchInventory(n int) []byte {
	return benchinv.Inventory(n)
}

// TestBenchInventory checks that the benchmarks measure what they claim:
// the generated inventory is valid, renders without any diagnostic, and
// yields flake.nix and three files per host.
func TestBenchInventory(t *testing.T) {
	const n = 50
	inv, diags := nixgen.Parse("inventory.hcl", benchInventory(n))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, diags := nixgen.Render(inv)
	if len(diags) > 0 {
		t.Fatalf("want no diagnostics, got %v", diags)
	}
	if len(files) != 1+3*n {
		t.Fatalf("got %d files, want %d", len(files), 1+3*n)
	}
	network := string(files[3].Data)
	if files[3].Path != "hosts/srv00000/network.nix" ||
		!strings.Contains(network, `"100.64.0.10/10"`) || !strings.Contains(network, "-s 198.51.100.0/24") {
		t.Errorf("unexpected %s:\n%s", files[3].Path, network)
	}
}

// renderBench parses and renders src, failing b on any diagnostic.
func renderBench(b *testing.B, src []byte) []nixgen.GeneratedFile {
	inv, diags := nixgen.Parse("inventory.hcl", src)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	files, diags := nixgen.Render(inv)
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	return files
}

// BenchmarkInMemory1000 parses and renders an inventory of 1000 hosts,
// without writing anything.
func BenchmarkInMemory1000(b *testing.B) {
	benchInMemory(b, 1000)
}

// BenchmarkInMemory shows how parsing and rendering grow with the number
// of hosts.
func BenchmarkInMemory(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run("hosts="+strconv.Itoa(n), func(b *testing.B) { benchInMemory(b, n) })
	}
}

func benchInMemory(b *testing.B, n int) {
	src := benchInventory(n)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		renderBench(b, src)
	}
}

// BenchmarkEndToEnd1000 parses and renders an inventory of 1000 hosts and
// writes the tree, 3001 files and the manifest, into a new directory each
// time, as `nixgen render` does on a first run.
//
// The trees are removed only once the benchmark ends: on some file
// systems (ext4 without a journal, for one), deleting thousands of files
// slows the creation of new ones for a minute or more afterwards, which
// would measure the benchmark's own clean-up rather than a first render.
func BenchmarkEndToEnd1000(b *testing.B) {
	src := benchInventory(1000)
	root := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		dir := filepath.Join(root, strconv.Itoa(i))
		i++
		files := renderBench(b, src)
		res, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Written) != len(files)+1 {
			b.Fatalf("wrote %d files, want %d", len(res.Written), len(files)+1)
		}
	}
}

// BenchmarkRender1000 renders an inventory of 1000 hosts parsed once, to
// measure validation and rendering without parsing.
func BenchmarkRender1000(b *testing.B) {
	inv, diags := nixgen.Parse("inventory.hcl", benchInventory(1000))
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := nixgen.Render(inv); len(diags) > 0 {
			b.Fatal(diags)
		}
	}
}

// BenchmarkWriteTree1000 writes the rendered tree of an inventory of 1000
// hosts, 3001 files and the manifest, into a new directory each time. The
// inventory is rendered once, outside the timed loop. As in
// [BenchmarkEndToEnd1000], the trees are removed only at the end.
func BenchmarkWriteTree1000(b *testing.B) {
	files := renderBench(b, benchInventory(1000))
	root := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		dir := filepath.Join(root, strconv.Itoa(i))
		i++
		res, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Written) != len(files)+1 {
			b.Fatalf("wrote %d files, want %d", len(res.Written), len(files)+1)
		}
	}
}

// BenchmarkWriteTreeUnchanged1000 writes the rendered tree of an inventory
// of 1000 hosts over an identical tree, as a rerun of `nixgen render` with
// an unchanged inventory does: every file is read and compared, and none
// is written.
func BenchmarkWriteTreeUnchanged1000(b *testing.B) {
	files := renderBench(b, benchInventory(1000))
	dir := b.TempDir()
	if _, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Changed() || len(res.Unchanged) != len(files)+1 {
			b.Fatalf("rewrite changed the tree: wrote %d files, removed %d, left %d unchanged",
				len(res.Written), len(res.Removed), len(res.Unchanged))
		}
	}
}
