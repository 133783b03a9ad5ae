package nixgen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// testDiagnostics returns diagnostics of every shape, in an order that is
// not the order of their positions.
func testDiagnostics() hcl.Diagnostics {
	return hcl.Diagnostics{
		{
			Severity: hcl.DiagError,
			Summary:  "Unknown boot loader",
			Detail:   "The boot loader \"lilo\" is not supported.\n\nUse one of \"systemd-boot\", \"grub-efi\".\n",
			Subject: &hcl.Range{
				Filename: "inventory.hcl",
				Start:    hcl.Pos{Line: 7, Column: 17, Byte: 120},
				End:      hcl.Pos{Line: 7, Column: 23, Byte: 126},
			},
		},
		{
			Severity: hcl.DiagWarning,
			Summary:  "Deprecated attribute <old>",
			Subject: &hcl.Range{
				Filename: "inventory.hcl",
				Start:    hcl.Pos{Line: 2, Column: 3, Byte: 10},
				End:      hcl.Pos{Line: 2, Column: 9, Byte: 16},
			},
		},
		{
			Severity: hcl.DiagError,
			Summary:  "Cannot write the generated files",
			Detail:   "refusing to overwrite flake.nix",
		},
	}
}

func TestWriteDiagnosticsText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, testDiagnostics(), "text"); err != nil {
		t.Fatal(err)
	}
	want := `inventory.hcl:7:17: error: Unknown boot loader
  The boot loader "lilo" is not supported.

  Use one of "systemd-boot", "grub-efi".
inventory.hcl:2:3: warning: Deprecated attribute <old>
nixgen: error: Cannot write the generated files
  refusing to overwrite flake.nix
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text output (-want +got):\n%s", diff)
	}
}

func TestWriteDiagnosticsTextEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, nil, "text"); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 {
		t.Errorf("text output for no diagnostics = %q, want nothing", b.String())
	}
}

func TestWriteDiagnosticsJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, testDiagnostics(), "json"); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "severity": "error",
    "summary": "Unknown boot loader",
    "detail": "The boot loader \"lilo\" is not supported.\n\nUse one of \"systemd-boot\", \"grub-efi\".\n",
    "filename": "inventory.hcl",
    "start": {
      "line": 7,
      "column": 17,
      "byte": 120
    },
    "end": {
      "line": 7,
      "column": 23,
      "byte": 126
    }
  },
  {
    "severity": "warning",
    "summary": "Deprecated attribute <old>",
    "detail": "",
    "filename": "inventory.hcl",
    "start": {
      "line": 2,
      "column": 3,
      "byte": 10
    },
    "end": {
      "line": 2,
      "column": 9,
      "byte": 16
    }
  },
  {
    "severity": "error",
    "summary": "Cannot write the generated files",
    "detail": "refusing to overwrite flake.nix",
    "filename": null,
    "start": null,
    "end": null
  }
]
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("JSON output (-want +got):\n%s", diff)
	}

	// One document.
	dec := json.NewDecoder(&b)
	var v []map[string]any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Errorf("more than one JSON document")
	}
}

func TestWriteDiagnosticsJSONEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, hcl.Diagnostics{}, "json"); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "[]\n" {
		t.Errorf("JSON output for no diagnostics = %q, want %q", got, "[]\n")
	}
}

func TestWriteDiagnosticsUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	err := WriteDiagnostics(&b, testDiagnostics(), "xml")
	if err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("WriteDiagnostics(xml) error = %v, want one naming the format", err)
	}
	if b.Len() != 0 {
		t.Errorf("output for an unknown format: %q", b.String())
	}
}
