package cli

import (
	"testing"

	"github.com/nixgen/nixgen/internal/golden"
)

// TestSchemaGolden checks that `nixgen schema` prints the committed copy
// of the inventory schema, byte for byte, with nothing on stderr.
func TestSchemaGolden(t *testing.T) {
	r := run("schema")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("nixgen schema: want exit 0 and no stderr, got\n%v", r)
	}
	golden.CompareFile(t, "../../nixgen/testdata/inventory.schema.json", []byte(r.stdout))
}
