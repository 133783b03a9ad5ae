package nixgen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/internal/golden"
	"github.com/nixgen/nixgen/internal/nixcheck"
	"github.com/nixgen/nixgen/nixgen"
)

// TestGolden runs every case under ../testdata and every example under
// ../examples, in the manner of sqlc's end-to-end tests. A case directory
// holds an inventory (inventory.hcl or inventory.json) and:
//
//   - for testdata cases, the expected tree under want/ when the inventory
//     is valid, and the expected diagnostics in stderr.txt when there are
//     any (errors or warnings);
//   - for examples, the expected tree beside the inventory, exactly what
//     `nixgen render` writes in that directory, and stderr.txt when the
//     example has warnings.
//
// Golden trees ignore hidden files, except the ones nixgen generates:
// .sops.yaml is compared like any other file (see [generatedHidden]). The
// .nixgen-manifest of an example is written by WriteTree, not Render, and
// stays ignored.
//
// Run with -update to rewrite the expected files after an intended change,
// and read every changed file before committing it.
func TestGolden(t *testing.T) {
	for _, root := range []string{"../testdata", "../examples"} {
		for _, name := range golden.Cases(t, root) {
			dir := filepath.Join(root, name)
			inv := inventoryFile(dir)
			if inv == "" {
				continue // not an inventory case, for example a Go example program
			}
			t.Run(filepath.Base(root)+"/"+name, func(t *testing.T) {
				t.Parallel()
				runCase(t, dir, inv, root == "../examples")
			})
		}
	}
}

func inventoryFile(dir string) string {
	for _, n := range []string{"inventory.hcl", "inventory.json"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return n
		}
	}
	return ""
}

func runCase(t *testing.T, dir, invName string, example bool) {
	src, err := os.ReadFile(filepath.Join(dir, invName))
	if err != nil {
		t.Fatal(err)
	}
	// Diagnostics name the file as the user would see it from inside the
	// case directory.
	inv, diags := nixgen.Parse(invName, src)
	var files []nixgen.GeneratedFile
	if inv != nil {
		var rdiags hcl.Diagnostics
		files, rdiags = nixgen.Render(inv)
		diags = append(diags, rdiags...)

		// Rendering twice gives the same bytes.
		again, _ := nixgen.Render(inv)
		if len(again) != len(files) {
			t.Fatalf("second render produced %d files, first %d", len(again), len(files))
		}
		for i := range files {
			if again[i].Path != files[i].Path || !bytes.Equal(again[i].Data, files[i].Data) {
				t.Errorf("render is not deterministic for %s", files[i].Path)
			}
		}
	}
	var stderr bytes.Buffer
	if err := nixgen.WriteDiagnostics(&stderr, diags, nixgen.DiagnosticsText); err != nil {
		t.Fatal(err)
	}
	stderrPath := filepath.Join(dir, "stderr.txt")
	if _, err := os.Stat(stderrPath); stderr.Len() > 0 || err == nil {
		golden.CompareFile(t, stderrPath, stderr.Bytes())
	}
	if diags.HasErrors() && len(files) > 0 {
		t.Errorf("render returned files despite errors")
	}

	got := make(map[string][]byte, len(files))
	for _, f := range files {
		got[f.Path] = f.Data
		if strings.HasSuffix(f.Path, ".nix") {
			nixcheck.Parse(t, f.Path, f.Data)
		}
	}
	if example {
		// The example directory holds the inventory, its README and the
		// generated tree side by side.
		for _, keep := range []string{invName, "README.md"} {
			if data, err := os.ReadFile(filepath.Join(dir, keep)); err == nil {
				got[keep] = data
			}
		}
		if _, err := os.Stat(stderrPath); stderr.Len() > 0 || err == nil {
			got["stderr.txt"] = stderr.Bytes()
		}
		golden.CompareTreeHidden(t, dir, got, generatedHidden)
		return
	}
	if len(files) > 0 || dirExists(filepath.Join(dir, "want")) {
		golden.CompareTreeHidden(t, filepath.Join(dir, "want"), got, generatedHidden)
	}
}

// generatedHidden is the hidden file that Render generates, which the
// golden trees compare although golden files ignore hidden names.
const generatedHidden = ".sops.yaml"

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
