package nixgen

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/zclconf/go-cty/cty"
)

// TestResolveShared checks, on every inventory of the golden cases and
// examples, that the hosts check resolves without copying their storage
// and network settings equal those of Resolve, and that rendering, which
// resolves so, leaves the inventory as it was.
func TestResolveShared(t *testing.T) {
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
	opts := cmp.Options{
		cmp.Exporter(func(reflect.Type) bool { return true }),
		cmp.Comparer(func(a, b cty.Value) bool { return a.RawEquals(b) }),
		// Resolve leaves some empty lists nil where the inventory has
		// them empty; both mean the same.
		cmpopts.EquateEmpty(),
	}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inv, diags := Parse(filepath.Base(path), src)
		if inv == nil || diags.HasErrors() {
			continue
		}
		want, _ := inv.Resolve()
		got, _ := inv.resolve(true)
		if diff := cmp.Diff(want, got, opts); diff != "" {
			t.Errorf("%s: shared resolution differs (-copied +shared):\n%s", path, diff)
		}
		Render(inv)
		again, _ := inv.Resolve()
		if diff := cmp.Diff(want, again, opts); diff != "" {
			t.Errorf("%s: rendering changed the inventory:\n%s", path, diff)
		}
	}
}
