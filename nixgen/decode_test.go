package nixgen

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// checkDecodeMatchesGohcl decodes src with decodeBody and with
// gohcl.DecodeBody and fails if the inventories or the diagnostics differ.
// gohcl reports the problems of one block in no fixed order, so the
// diagnostics are compared as sets.
func checkDecodeMatchesGohcl(t *testing.T, name string, src []byte) {
	t.Helper()
	var file *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(name, ".json") {
		file, diags = hcljson.Parse(src, name)
	} else {
		file, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	if diags.HasErrors() || file == nil {
		return
	}
	var got, want Inventory
	gotDiags := decodeBody(file.Body, &got)
	wantDiags := gohcl.DecodeBody(file.Body, nil, &want)
	// A cty.Value, the content of a k3s manifest, compares by value.
	ctyEqual := cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) })
	if diff := cmp.Diff(&want, &got, cmpopts.IgnoreUnexported(Inventory{}), ctyEqual); diff != "" {
		t.Errorf("%s: decodeBody and gohcl disagree (-gohcl +decodeBody):\n%s", name, diff)
	}
	if diff := cmp.Diff(diagStrings(wantDiags), diagStrings(gotDiags)); diff != "" {
		t.Errorf("%s: diagnostics differ (-gohcl +decodeBody):\n%s", name, diff)
	}
}

func diagStrings(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		s := d.Error()
		if d.Subject != nil {
			s = d.Subject.String() + " " + s
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// TestDecodeMatchesGohcl runs every inventory of the golden cases and the
// examples, and inventories with decoding errors, through both decoders.
func TestDecodeMatchesGohcl(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"../testdata/*/inventory.*", "../examples/*/inventory.*"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Fatal("no inventories found")
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		checkDecodeMatchesGohcl(t, filepath.Base(p), src)
	}
	for _, c := range []struct{ name, src string }{
		{"inventory.hcl", fuzzSeedHCL},
		{"inventory.json", fuzzSeedJSON},
		{"inventory.hcl", `fleet { nixpkgs = 1 }
fleet { nixpkgs = "b" }`},
		{"inventory.hcl", `host "a" {
  system = ["x86_64-linux"]
  use    = "vm"
  firewall {
    tcp        = ["ssh", 22]
    allow_ping = "maybe"
    allow "x" {}
    allow "y" { tcp = [1.5] }
  }
  firewall {}
  disk "d" {
    gpt {
      partition "p" {
        priority = "high"
        luks "c" {
          luks "inner" { filesystem { mountpoint = "/" } }
        }
      }
    }
  }
  zpool "p" { options = { ashift = [12] } }
}`},
		{"inventory.hcl", `host "a" "b" {}
host {}
fleet "x" {}
input "y" {}`},
		{"inventory.json", `{"fleet": [{"nixpkgs": "a"}, {"nixpkgs": "b"}], "host": {"a": {"disk": {"d": {"luks": {"x": {}, "y": {}}}}}}}`},
		{"inventory.json", `{"host": {"a": {"mdadm": {"m": {"level": 1, "metadata": 1.0}}, "firewall": {"tcp": ["22"], "allow_ping": "1"}}}}`},
		{"inventory.json", `{"fleet": {"input": {"x": {"url": null}, "y": {}}}, "host": {"a": {"system": null, "nameservers": "9.9.9.9"}}}`},
	} {
		checkDecodeMatchesGohcl(t, c.name, []byte(c.src))
	}
}

func FuzzDecodeMatchesGohcl(f *testing.F) {
	f.Add("inventory.hcl", []byte(fuzzSeedHCL))
	f.Add("inventory.json", []byte(fuzzSeedJSON))
	f.Add("inventory.json", []byte(`{"host": [{"a": {"firewall": [{"tcp": ["x"]}]}}]}`))
	f.Fuzz(func(t *testing.T, name string, src []byte) {
		if name != "inventory.json" {
			name = "inventory.hcl"
		}
		checkDecodeMatchesGohcl(t, name, src)
	})
}
