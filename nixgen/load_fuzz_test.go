package nixgen

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

const fuzzSeedHCL = `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  state_version = "25.05"
  system        = "x86_64-linux"
}
profile "vm" {
  boot_loader = "grub-efi-removable"
}
host "web1" {
  use             = ["vm"]
  authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 me@x"]
}
`

const fuzzSeedJSON = `{
  "fleet": {"nixpkgs": "github:NixOS/nixpkgs/nixos-25.05", "state_version": "25.05", "system": "x86_64-linux"},
  "profile": {"vm": {"boot_loader": "grub-efi-removable"}},
  "host": {"web1": {"use": ["vm"]}}
}`

// checkLoad parses src, validates and renders it, and checks that no
// input panics and that every error diagnostic names a position.
func checkLoad(t *testing.T, name string, src []byte) {
	inv, diags := Parse(name, src)
	checkPositions(t, src, diags)
	if inv == nil {
		if !diags.HasErrors() {
			t.Fatalf("Parse returned no inventory and no error")
		}
		return
	}
	_, diags = Render(inv)
	checkPositions(t, src, diags)
}

func checkPositions(t *testing.T, src []byte, diags hcl.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil {
			t.Errorf("error without a position: %s: %s", d.Summary, d.Detail)
			continue
		}
		if d.Subject.Start.Line < 1 || d.Subject.Start.Column < 1 {
			t.Errorf("error with an invalid position %v: %s", d.Subject, d.Summary)
		}
	}
}

func FuzzParseHCL(f *testing.F) {
	f.Add([]byte(fuzzSeedHCL))
	f.Add([]byte(`host "a" { system = "x86_64-linux" }`))
	f.Add([]byte(`fleet { nixpkgs = 1 }`))
	f.Add([]byte("host \"\x00\" {}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkLoad(t, "inventory.hcl", src)
	})
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(fuzzSeedJSON))
	f.Add([]byte(`{"host": {"a": {"system": 1}}}`))
	f.Add([]byte(`{"host": [{"a": {}}, {"a": {}}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkLoad(t, "inventory.json", src)
	})
}
