package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nixgen/nixgen/nixgen"
)

const showInventory = `
fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  hardware_configuration = "hw/web1.nix"
  interface "eth0" { addresses = ["192.0.2.1/24"] }
  firewall { tcp = [22, 443] }
}

host "web2" {
  hardware_configuration = "hw/web2.nix"
  interface "eth0" { addresses = ["192.0.2.2/24"] }
  firewall { tcp = [22, 443] }
}
`

func TestShow(t *testing.T) {
	path := writeInventory(t, t.TempDir(), "inventory.hcl", showInventory)
	r := run("show", path)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("nixgen show: want exit 0 and nothing on stderr, got\n%v", r)
	}
	// The command prints what the library writes.
	inv, diags := nixgen.Load(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var want bytes.Buffer
	if diags := nixgen.Show(&want, inv, ""); diags.HasErrors() {
		t.Fatal(diags)
	}
	if r.stdout != want.String() {
		t.Errorf("nixgen show printed\n%s\nwant\n%s", r.stdout, want.String())
	}
	for _, host := range []string{"web1", "web2"} {
		if !strings.Contains(r.stdout, "\nhost "+host+"\n") {
			t.Errorf("nixgen show: no section for %s in\n%s", host, r.stdout)
		}
	}
}

func TestShowHost(t *testing.T) {
	path := writeInventory(t, t.TempDir(), "inventory.hcl", showInventory)
	r := run("show", path, "web2")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("nixgen show INVENTORY web2: want exit 0 and nothing on stderr, got\n%v", r)
	}
	want := `fleet
HOST  ROLE  ADDRESSES          PORT     OPEN TO
web2  -     eth0 192.0.2.2/24  ping     any
                               22/tcp   any
                               443/tcp  any

host web2
no disk layout; file systems from hw/web2.nix
`
	if r.stdout != want {
		t.Errorf("nixgen show INVENTORY web2 printed\n%s\nwant\n%s", r.stdout, want)
	}
}

func TestShowUnknownHost(t *testing.T) {
	path := writeInventory(t, t.TempDir(), "inventory.hcl", showInventory)
	r := run("show", path, "web3")
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("nixgen show INVENTORY web3: want exit 1 and nothing on stdout, got\n%v", r)
	}
	want := `nixgen: error: Unknown host
  The inventory has no host named "web3". Did you mean "web1"? Its hosts are: web1, web2.
`
	if r.stderr != want {
		t.Errorf("nixgen show INVENTORY web3: stderr\n%s\nwant\n%s", r.stderr, want)
	}

	r = run("show", "--diagnostics=json", path, "db")
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("nixgen show --diagnostics=json INVENTORY db: want exit 1 and nothing on stdout, got\n%v", r)
	}
	var got []struct{ Severity, Summary, Detail string }
	if err := json.Unmarshal([]byte(r.stderr), &got); err != nil {
		t.Fatalf("stderr is not JSON: %v\n%s", err, r.stderr)
	}
	if len(got) != 1 || got[0].Summary != "Unknown host" || !strings.Contains(got[0].Detail, "Its hosts are: web1, web2.") {
		t.Errorf("diagnostics: %+v", got)
	}
}

func TestShowInvalid(t *testing.T) {
	path := writeInventory(t, t.TempDir(), "inventory.hcl", strings.Replace(showInventory, `system        = "x86_64-linux"`, `system        = "x86_64-linu"`, 1))
	r := run("show", path)
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("nixgen show with an invalid inventory: want exit 1 and nothing on stdout, got\n%v", r)
	}
	if !regexp.MustCompile(`inventory\.hcl:\d+:\d+: error: Invalid system`).MatchString(r.stderr) {
		t.Errorf("nixgen show with an invalid inventory: stderr does not locate the error:\n%s", r.stderr)
	}

	r = run("show", filepath.Join(t.TempDir(), "missing.hcl"))
	if r.code != 1 || r.stdout != "" || r.stderr == "" {
		t.Errorf("nixgen show with a missing inventory: want exit 1 and an error, got\n%v", r)
	}
}

func TestShowUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"show"}, "want an INVENTORY argument and at most one HOST, got 0 arguments"},
		{[]string{"show", "a.hcl", "web1", "web2"}, "got 3 arguments"},
		{[]string{"show", "a.hcl", ""}, "the HOST argument is empty"},
		{[]string{"show", "--diagnostics=xml", "a.hcl"}, `invalid --diagnostics "xml"`},
		{[]string{"show", "--bogus", "a.hcl"}, "unknown flag: --bogus"},
	} {
		r := run(tc.args...)
		cmdline := strings.Join(tc.args, " ")
		if r.code != 2 || r.stdout != "" {
			t.Errorf("nixgen %s: want exit 2 and nothing on stdout, got\n%v", cmdline, r)
			continue
		}
		if !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "Run 'nixgen show --help' for usage.") {
			t.Errorf("nixgen %s: stderr does not hold %q and a pointer to the usage:\n%s", cmdline, tc.want, r.stderr)
		}
	}
}

func TestShowHelp(t *testing.T) {
	for _, args := range [][]string{{"show", "--help"}, {"show", "-h"}, {"help", "show"}} {
		r := run(args...)
		cmdline := strings.Join(args, " ")
		if r.code != 0 || r.stderr != "" {
			t.Errorf("nixgen %s: want exit 0 and nothing on stderr, got\n%v", cmdline, r)
			continue
		}
		if !strings.HasPrefix(r.stdout, "Usage: nixgen show [flags] INVENTORY [HOST]\n") {
			t.Errorf("nixgen %s: usage does not start with the synopsis:\n%s", cmdline, r.stdout)
		}
		for _, f := range []string{"--diagnostics", "--help"} {
			if !strings.Contains(r.stdout, f) {
				t.Errorf("nixgen %s: usage does not list %s:\n%s", cmdline, f, r.stdout)
			}
		}
	}
	r := run("help")
	if !regexp.MustCompile(`(?m)^  show +print the disks, addresses and open ports of the hosts$`).MatchString(r.stdout) {
		t.Errorf("nixgen help does not list show:\n%s", r.stdout)
	}
}
