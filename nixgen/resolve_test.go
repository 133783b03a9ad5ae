package nixgen

import (
	"fmt"
	"strings"
	"testing"
)

// TestResolveSharedProfiles checks that a profile reached through many
// paths is merged once: forty profiles that each use the previous one
// twice would otherwise take 2^40 merges.
func TestResolveSharedProfiles(t *testing.T) {
	var b strings.Builder
	b.WriteString(`fleet {
  nixpkgs = "github:NixOS/nixpkgs/nixos-25.05"
}
profile "p0" {
  time_zone = "UTC"
}
`)
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "profile \"p%d\" {\n  use = [\"p%d\", \"p%d\"]\n}\n", i, i-1, i-1)
	}
	b.WriteString("host \"a\" {\n  use = [\"p40\"]\n}\n")
	inv, diags := Parse("inventory.hcl", []byte(b.String()))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	hosts, diags := inv.Resolve()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(hosts) != 1 || hosts[0].TimeZone == nil || *hosts[0].TimeZone != "UTC" {
		t.Fatalf("time zone not inherited through the chain: %+v", hosts)
	}
}
