package cli

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/ssh"
)

// secretsFixtures holds secrets files that the real sops encrypted, for
// the admin and the four hosts of secretsCheckInventory; see
// sops/check_test.go. secrets/instance-3.yaml is encrypted for the admin
// only, and the others for the recipients of their creation rules.
const secretsFixtures = "../../sops/testdata/check"

// fixtureHostKey returns the SSH host key line of the named host of the
// fixtures: the Ed25519 key whose seed is the SHA-256 of "nixgen sops
// test host NAME", as sops/fleet_test.go derives it.
func fixtureHostKey(t *testing.T, name string) string {
	t.Helper()
	seed := sha256.Sum256([]byte("nixgen sops test host " + name))
	pub, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed[:]).Public())
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " root@" + name
}

// secretsCheckInventory is the fleet the fixtures were encrypted for: the
// admin of the published ssh-to-age test key, a k3s cluster of four nodes
// whose group file holds the token and a Longhorn passphrase, and a
// service password of instance-1. %s are the host keys, then more
// settings of instance-1.
const secretsCheckInventory = `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

admin "my_machine" {
  age_recipient = "age17044m9wgakla6pzftf4srtl3h5mcsr85jysgt5fg23zpnta8sfdqhzn452"
}

k3s_cluster "main" {
  server_address = "10.0.0.1"
  token_secret   = "k3s_token"
}

secret_group "k3s-main" {
  secret "longhorn_passphrase" {
    key = "longhorn/crypto_key_value"
  }
}

host "instance-1" {
  hardware_configuration = "hardware/vm.nix"
  ssh_host_key           = "%s"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
  secret "myservice/db_password" {
    owner = "kv"
    mode  = "0440"
  }
%s}

host "instance-2" {
  hardware_configuration = "hardware/vm.nix"
  ssh_host_key           = "%s"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "server"
  }
}

host "instance-3" {
  hardware_configuration = "hardware/vm.nix"
  ssh_host_key           = "%s"
  interface "eth0" {
    addresses = ["10.0.0.3/24"]
  }
  k3s {
    role = "server"
  }
}

host "instance-4" {
  hardware_configuration = "hardware/vm.nix"
  ssh_host_key           = "%s"
  interface "eth0" {
    addresses = ["10.0.0.4/24"]
  }
  k3s {
    role = "agent"
  }
}
`

// writeSecretsInventory writes the inventory, with extra in instance-1,
// to inventory.hcl in a new directory that becomes the working directory,
// and returns the absolute path of the fixtures.
func writeSecretsInventory(t *testing.T, extra string) string {
	t.Helper()
	fixtures, err := filepath.Abs(secretsFixtures)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(secretsCheckInventory, "%s", fixtureHostKey(t, "instance-1"), 1)
	src = strings.Replace(src, "%s", extra, 1)
	for _, n := range []string{"instance-2", "instance-3", "instance-4"} {
		src = strings.Replace(src, "%s", fixtureHostKey(t, n), 1)
	}
	dir := t.TempDir()
	writeInventory(t, dir, "inventory.hcl", src)
	t.Chdir(dir)
	return fixtures
}

// copyFixtures copies the named fixtures to a new directory and returns
// it.
func copyFixtures(t *testing.T, fixtures string, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(fixtures, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// firstLines returns the first line of each diagnostic in text output.
func firstLines(stderr string) []string {
	var out []string
	for line := range strings.SplitSeq(stderr, "\n") {
		if line != "" && !strings.HasPrefix(line, "  ") {
			out = append(out, line)
		}
	}
	return out
}

func TestSecretsCheck(t *testing.T) {
	fixtures := writeSecretsInventory(t, "")

	// The files as they are: instance-3's file is encrypted for the
	// admin only, which is reported at the host that owns it.
	r := run("secrets", "check", "--dir", fixtures, "inventory.hcl")
	want := []string{"inventory.hcl:48:1: error: secrets/instance-3.yaml is encrypted for other recipients than .sops.yaml lists"}
	if r.code != 1 || r.stdout != "" || !cmp.Equal(want, firstLines(r.stderr)) {
		t.Errorf("want exit 1 and %q, got\n%v", want, r)
	}
	if !strings.Contains(r.stderr, "sops updatekeys secrets/instance-3.yaml") || !strings.Contains(r.stderr, "(host instance-3)") {
		t.Errorf("the detail does not say what to do:\n%s", r.stderr)
	}

	// Without the stale file, everything is in order: the files that
	// secrets are read from hold their keys, and instance-4's own file,
	// which no secret reads, need not exist.
	good := copyFixtures(t, fixtures, "secrets/instance-1.yaml", "secrets/instance-2.yaml", "secrets/k3s-main.yaml")
	r = run("secrets", "check", "--dir", good, "inventory.hcl")
	if r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("good files: want exit 0 and no output, got\n%v", r)
	}

	// The cluster's file missing is reported at the token; a missing key
	// at the secret that reads it.
	missing := copyFixtures(t, fixtures, "secrets/instance-1.yaml")
	r = run("secrets", "check", "--dir", missing, "inventory.hcl")
	want = []string{"inventory.hcl:13:20: error: secrets/k3s-main.yaml does not exist"}
	if r.code != 1 || !cmp.Equal(want, firstLines(r.stderr)) {
		t.Errorf("missing file: want exit 1 and %q, got\n%v", want, r)
	}
}

func TestSecretsCheckMissingKey(t *testing.T) {
	fixtures := writeSecretsInventory(t, `  secret "api_token" {
    key = "myservice/api_token"
  }
  secret "myservice" {}
`)
	good := copyFixtures(t, fixtures, "secrets/instance-1.yaml", "secrets/k3s-main.yaml")
	r := run("secrets", "check", "--dir", good, "inventory.hcl")
	want := []string{
		`inventory.hcl:36:11: error: secrets/instance-1.yaml has no key "myservice/api_token"`,
		`inventory.hcl:38:10: error: secrets/instance-1.yaml: the value of "myservice" is not a string`,
	}
	if r.code != 1 || !cmp.Equal(want, firstLines(r.stderr)) {
		t.Errorf("want exit 1 and %q, got\n%v", want, r)
	}

	// The same in JSON.
	r = run("secrets", "check", "--diagnostics", "json", "--dir", good, "inventory.hcl")
	var diags []struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
	}
	if err := json.Unmarshal([]byte(r.stderr), &diags); err != nil || r.code != 1 || len(diags) != 2 || diags[0].Start.Line != 36 {
		t.Errorf("JSON: %v, %+v\n%v", err, diags, r)
	}
}

func TestSecretsCheckInvalidInventory(t *testing.T) {
	// A bad mode: the inventory's errors are reported, and no file is
	// checked.
	fixtures := writeSecretsInventory(t, `  secret "x" {
    mode = "0999"
  }
`)
	r := run("secrets", "check", "--dir", fixtures, "inventory.hcl")
	want := []string{`inventory.hcl:36:12: error: Secret "x" has an invalid mode "0999"`}
	if r.code != 1 || !cmp.Equal(want, firstLines(r.stderr)) {
		t.Errorf("want exit 1 and %q, got\n%v", want, r)
	}

	// An inventory without sops setup has nothing to check.
	dir := t.TempDir()
	path := writeInventory(t, dir, "inventory.hcl", `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
`)
	r = run("secrets", "check", "--dir", dir, path)
	if r.code != 0 || r.stderr != "" || r.stdout != "" {
		t.Errorf("no sops: want exit 0 and no output, got\n%v", r)
	}

	// A file that cannot be read.
	r = run("secrets", "check", filepath.Join(dir, "missing.hcl"))
	if r.code != 1 || !strings.Contains(r.stderr, "Cannot read inventory") {
		t.Errorf("missing inventory: want exit 1, got\n%v", r)
	}
}

func TestSecretsUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"secrets"}, "nixgen secrets: want a COMMAND: check"},
		{[]string{"secrets", "bogus"}, `nixgen secrets: unknown command "bogus"`},
		{[]string{"secrets", "check"}, "nixgen secrets check: want one INVENTORY argument, got 0"},
		{[]string{"secrets", "check", "a.hcl", "b.hcl"}, "want one INVENTORY argument, got 2"},
		{[]string{"secrets", "check", "--bogus", "a.hcl"}, "unknown flag: --bogus"},
		{[]string{"secrets", "--dir", "x", "check", "a.hcl"}, "unknown flag: --dir"},
		{[]string{"secrets", "check", "--diagnostics=xml", "a.hcl"}, `invalid --diagnostics "xml"`},
	} {
		r := run(tc.args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("nixgen %s: want exit 2 and %q on stderr, got\n%v", strings.Join(tc.args, " "), tc.want, r)
		}
	}
	for _, tc := range []struct {
		args     []string
		synopsis string
	}{
		{[]string{"secrets", "--help"}, "Usage: nixgen secrets [flags] COMMAND"},
		{[]string{"help", "secrets"}, "Usage: nixgen secrets [flags] COMMAND"},
		{[]string{"secrets", "check", "--help"}, "Usage: nixgen secrets check [flags] INVENTORY"},
		{[]string{"secrets", "check", "a.hcl", "-h"}, "Usage: nixgen secrets check [flags] INVENTORY"},
	} {
		r := run(tc.args...)
		if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, tc.synopsis) {
			t.Errorf("nixgen %s: want exit 0 and %q, got\n%v", strings.Join(tc.args, " "), tc.synopsis, r)
		}
	}
	r := run("secrets", "--help")
	if !strings.Contains(r.stdout, "  check ") {
		t.Errorf("nixgen secrets --help does not list check:\n%s", r.stdout)
	}
	r = run("secrets", "check", "--help")
	if !strings.Contains(r.stdout, "--dir DIR") || !strings.Contains(r.stdout, "--diagnostics") {
		t.Errorf("nixgen secrets check --help does not list its flags:\n%s", r.stdout)
	}
	if r := run("help"); !strings.Contains(r.stdout, "\n  secrets ") {
		t.Errorf("nixgen help does not list secrets:\n%s", r.stdout)
	}
}

// TestPreCommitHookSecrets checks that the nixgen-secrets-check hook runs
// a command that exists, with arguments it accepts.
func TestPreCommitHookSecrets(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID    string   `yaml:"id"`
		Entry string   `yaml:"entry"`
		Args  []string `yaml:"args"`
	}
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		if h.ID != "nixgen-secrets-check" {
			continue
		}
		words := strings.Fields(h.Entry)
		if len(words) == 0 || words[0] != "nixgen" {
			t.Fatalf("entry %q does not run nixgen", h.Entry)
		}
		args := append(append(words[1:], h.Args...), "--help")
		if r := run(args...); r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: nixgen secrets check ") {
			t.Errorf("nixgen %s:\n%v", strings.Join(args, " "), r)
		}
		return
	}
	t.Fatal("no nixgen-secrets-check hook")
}
