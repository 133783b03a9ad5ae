package nixgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/internal/nixcheck"
)

// writeFiles writes rendered files under a new temporary directory and
// returns it.
func writeFiles(t *testing.T, files []GeneratedFile) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestSecretsEval renders the seed 002 example and evaluates, for every
// node, the declarations of sops.secrets that its modules make: k3s.nix
// declares the token it reads, secrets.nix says where it comes from, and
// the two merge as the NixOS module system merges attribute sets, a leaf
// defined twice being an error. The token comes from the cluster's group
// file for every node.
func TestSecretsEval(t *testing.T) {
	inv, diags := Load("../examples/seed-002-k3s-ha/inventory.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, diags := Render(inv)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dir := writeFiles(t, files)
	type secret struct {
		SopsFile     string   `json:"sopsFile"`
		RestartUnits []string `json:"restartUnits"`
	}
	type result struct {
		Imports []string          `json:"imports"`
		Secrets map[string]secret `json:"secrets"`
		KeyPath []string          `json:"sshKeyPaths"`
	}
	for _, host := range []string{"instance-1", "instance-2", "instance-3", "satellite"} {
		t.Run(host, func(t *testing.T) {
			expr := `let
  h = ./hosts/` + host + `;
  # Merges the definitions of two modules as the module system does for
  # attribute sets of submodules: recursively, with a leaf defined in both
  # an error.
  merge = path: a: b: builtins.zipAttrsWith (n: vs:
    if builtins.length vs == 1 then builtins.head vs
    else if builtins.all builtins.isAttrs vs then merge (path + "." + n) (builtins.elemAt vs 0) (builtins.elemAt vs 1)
    else throw "${path}.${n} is defined twice") [ a b ];
  config.sops.secrets.k3s_token.path = "/run/secrets/k3s_token";
  k3s = import (h + "/k3s.nix") { inherit config; };
  secrets = import (h + "/secrets.nix") { };
  sops = merge "sops" k3s.sops secrets.sops;
in {
  imports = map (p: baseNameOf (toString p)) (import (h + "/default.nix") { }).imports;
  secrets = builtins.mapAttrs (_: s: { sopsFile = toString s.sopsFile; restartUnits = s.restartUnits or [ ]; }) sops.secrets;
  sshKeyPaths = sops.age.sshKeyPaths;
}`
			var got result
			nixcheck.EvalExprJSON(t, dir, expr, &got)
			if !strings.Contains(strings.Join(got.Imports, " "), "secrets.nix") {
				t.Errorf("default.nix does not import secrets.nix: %q", got.Imports)
			}
			want := map[string]secret{"k3s_token": {
				SopsFile:     filepath.Join(dir, "secrets", "k3s-main.yaml"),
				RestartUnits: []string{"k3s.service"},
			}}
			if diff := cmp.Diff(want, got.Secrets); diff != "" {
				t.Errorf("sops.secrets (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"/etc/ssh/ssh_host_ed25519_key"}, got.KeyPath); diff != "" {
				t.Errorf("sops.age.sshKeyPaths (-want +got):\n%s", diff)
			}
		})
	}
}

// secretsInventory is a k3s cluster of two nodes, and a host outside it,
// with the sops setup marked %s.
const secretsInventory = `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "10.0.0.1"
  token_secret   = "k3s_token"
}

host "node1" {
  hardware_configuration = "hardware/node1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
  secrets_used = ["k3s_token"]
%s}

host "node2" {
  hardware_configuration = "hardware/node2.nix"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "agent"
  }
%s}
%s`

func secretsParse(t *testing.T, node1, node2, rest string) *Inventory {
	t.Helper()
	src := strings.Replace(secretsInventory, "%s", node1, 1)
	src = strings.Replace(src, "%s", node2, 1)
	src = strings.Replace(src, "%s", rest, 1)
	inv, diags := Parse("inventory.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatalf("parsing: %v", diags)
	}
	return inv
}

// TestSecretsWithoutSetup checks an inventory that uses a k3s token from
// sops-nix but sets up no sops: one error at the token, which names
// token_file as the way out, no files at all, and references to the token
// still count as declared.
func TestSecretsWithoutSetup(t *testing.T) {
	inv := secretsParse(t, "", "", "")
	files, diags := Render(inv)
	want := []string{"inventory.hcl:9:20: error: k3s token secret without sops setup"}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(diags) > 0 && !strings.Contains(diags[0].Detail, "token_file") {
		t.Errorf("the detail does not name token_file: %s", diags[0].Detail)
	}
	for _, f := range files {
		t.Errorf("rendered %s despite the error", f.Path)
	}

	// An undeclared secret is still an error.
	inv = secretsParse(t, "", `  secrets_used = ["db_password"]
`, "")
	_, diags = inv.check()
	want = []string{
		"inventory.hcl:9:20: error: k3s token secret without sops setup",
		`inventory.hcl:31:19: error: Host "node2" uses secret "db_password", which it does not receive`,
	}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestSecretsSetup checks what turns the sops layer on, and that a host
// that is not a node gets no secrets.nix.
func TestSecretsSetup(t *testing.T) {
	const (
		key1 = `  ssh_host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM"` + "\n"
		key2 = `  ssh_host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIL2vjdqpppuCn7yPdF2muINriAG7zBWrsELKpPWkhn5"` + "\n"
	)
	other := `
host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
`
	inv := secretsParse(t, key1, key2, other)
	files, diags := Render(inv)
	// The host keys turn sops on; with no admin, that is a warning.
	want := []string{"inventory.hcl:1:1: warning: The fleet has no admin"}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var paths []string
	for _, f := range files {
		if f.Path == ".sops.yaml" || strings.HasSuffix(f.Path, "/secrets.nix") {
			paths = append(paths, f.Path)
		}
		if f.Path == "hosts/web1/default.nix" && strings.Contains(string(f.Data), "secrets.nix") {
			t.Errorf("web1, which receives no secret, imports secrets.nix:\n%s", f.Data)
		}
	}
	if diff := cmp.Diff([]string{".sops.yaml", "hosts/node1/secrets.nix", "hosts/node2/secrets.nix"}, paths); diff != "" {
		t.Errorf("sops files (-want +got):\n%s", diff)
	}

	// A node without a key is an error at its host block, once.
	inv = secretsParse(t, key1, "", `
admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}
`)
	_, diags = inv.check()
	want = []string{`inventory.hcl:24:1: error: Host "node2" receives secrets but has no SSH host key`}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestSecretsProfileKey checks that a key inherited from a profile is
// reported at the profile, and that the host keys of a profile shared by
// two hosts are one recipient.
func TestSecretsProfileKey(t *testing.T) {
	src := `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}

profile "image" {
  hardware_configuration = "hardware/vm.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM"
}

host "a" {
  use = ["image"]
}

host "b" {
  use = ["image"]
}
`
	inv, diags := Parse("inventory.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	diags = inv.Validate()
	want := []string{`inventory.hcl:13:28: warning: Host b has the same age recipient as host a`}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestSecretsInGo checks an inventory built in Go, whose diagnostics have
// no ranges.
func TestSecretsInGo(t *testing.T) {
	str := func(s string) *string { return &s }
	inv := &Inventory{
		Fleet:  &Fleet{Nixpkgs: "github:NixOS/nixpkgs/nixos-unstable", System: str("x86_64-linux"), StateVersion: str("25.11")},
		Admins: []Admin{{Name: "alice", AgeRecipient: str("age1nope")}},
		Hosts: []Machine{{
			Name:                  "web1",
			HardwareConfiguration: str("hardware/web1.nix"),
			Secrets:               []Secret{{Name: "db_password"}, {Name: "token", Mode: str("777x")}},
		}},
	}
	var got []string
	for _, d := range inv.Validate() {
		got = append(got, severityName(d.Severity)+" "+d.Summary)
		if d.Subject != nil && d.Subject.Filename != "" {
			t.Errorf("%s: range %v in an inventory without source", d.Summary, d.Subject)
		}
	}
	want := []string{
		"error Invalid age recipient",
		`error Secret "token" has an invalid mode "777x"`,
		`error Host "web1" receives secrets but has no SSH host key`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestMergeSecrets checks that a host's secret is laid over its
// profile's by name, and that neither is changed.
func TestMergeSecrets(t *testing.T) {
	str := func(s string) *string { return &s }
	profile := []Secret{{Name: "a", Owner: str("app"), Mode: str("0440"), RestartUnits: []string{"app.service"}}, {Name: "b"}}
	host := []Secret{{Name: "a", Mode: str("0400")}, {Name: "c"}}
	got := mergeSecrets(mergeSecrets(nil, profile), host)
	if len(got) != 3 || got[0].Name != "a" || got[1].Name != "b" || got[2].Name != "c" {
		t.Fatalf("merged = %+v", got)
	}
	if *got[0].Owner != "app" || *got[0].Mode != "0400" || got[0].RestartUnits[0] != "app.service" {
		t.Errorf("merged a = owner %s mode %s units %v", *got[0].Owner, *got[0].Mode, got[0].RestartUnits)
	}
	got[0].RestartUnits[0] = "changed"
	*got[0].Owner = "changed"
	if profile[0].RestartUnits[0] != "app.service" || *profile[0].Owner != "app" || *profile[0].Mode != "0440" {
		t.Errorf("the profile's secret changed: %+v", profile[0])
	}
}

// diagLines returns the first line of each diagnostic as the text
// output writes it.
func diagLines(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		var b strings.Builder
		if err := WriteDiagnostics(&b, hcl.Diagnostics{d}, DiagnosticsText); err != nil {
			panic(err)
		}
		line, _, _ := strings.Cut(b.String(), "\n")
		out = append(out, line)
	}
	return out
}
