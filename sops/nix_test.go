package sops

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/internal/nixcheck"
)

// TestNixEval parses every generated secrets.nix with Nix and evaluates
// it as a module function: the options come out as given, and each path
// literal names the right file relative to the module, which the hash
// sops-nix computes of every sopsFile (builtins.hashFile) proves.
func TestNixEval(t *testing.T) {
	f := seed002(t)
	f.Hosts[1].Secrets = []Secret{{Name: "api", Key: "a/b", Path: "/var/lib/api/key", Group: "keys"}}
	files, diags := f.Render("inventory.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	dir := t.TempDir()
	fileData := map[string]string{}
	for _, p := range []string{"secrets/instance-1.yaml", "secrets/instance-2.yaml", "secrets/k3s-main.yaml"} {
		fileData[p] = "contents of " + p + "\n"
		writeFile(t, dir, p, []byte(fileData[p]))
	}
	hash := func(p string) string {
		sum := sha256.Sum256([]byte(fileData[p]))
		return hex.EncodeToString(sum[:])
	}
	for _, file := range files {
		if !strings.HasSuffix(file.Path, ".nix") {
			continue
		}
		nixcheck.Parse(t, file.Path, file.Data)
		writeFile(t, dir, file.Path, file.Data)
	}

	const expr = `
let
  m = import ./%s { config = { }; lib = { }; pkgs = { }; };
  s = m.sops;
  file = p: { path = toString p; hash = builtins.hashFile "sha256" p; };
in
{
  inherit (s) age gnupg;
  defaultSopsFile = if s ? defaultSopsFile then file s.defaultSopsFile else null;
  secrets = builtins.mapAttrs (
    n: v: v // (if v ? sopsFile then { sopsFile = file v.sopsFile; } else { })
  ) s.secrets;
}`
	type fileRef struct {
		Path string `json:"path"`
		Hash string `json:"hash"`
	}
	ref := func(p string) *fileRef {
		return &fileRef{Path: filepath.Join(dir, filepath.FromSlash(p)), Hash: hash(p)}
	}
	type result struct {
		Age             map[string][]string       `json:"age"`
		Gnupg           map[string][]string       `json:"gnupg"`
		DefaultSopsFile *fileRef                  `json:"defaultSopsFile"`
		Secrets         map[string]map[string]any `json:"secrets"`
	}
	keyPaths := map[string][]string{"sshKeyPaths": {"/etc/ssh/ssh_host_ed25519_key"}}
	group := map[string]map[string]any{
		"k3s_token":           {"sopsFile": ref("secrets/k3s-main.yaml"), "restartUnits": []any{"k3s.service"}},
		"longhorn_passphrase": {"sopsFile": ref("secrets/k3s-main.yaml"), "key": "longhorn/crypto_key_value"},
	}
	with := func(extra map[string]map[string]any) map[string]map[string]any {
		out := map[string]map[string]any{}
		for k, v := range group {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	want := map[string]result{
		"instance-1": {Age: keyPaths, Gnupg: map[string][]string{"sshKeyPaths": {}}, DefaultSopsFile: ref("secrets/instance-1.yaml"),
			Secrets: with(map[string]map[string]any{"myservice/db_password": {"owner": "kv", "mode": "0440"}})},
		"instance-2": {Age: keyPaths, Gnupg: map[string][]string{"sshKeyPaths": {}}, DefaultSopsFile: ref("secrets/instance-2.yaml"),
			Secrets: with(map[string]map[string]any{"api": {"key": "a/b", "path": "/var/lib/api/key", "group": "keys"}})},
		"instance-3": {Age: keyPaths, Gnupg: map[string][]string{"sshKeyPaths": {}}, Secrets: with(nil)},
	}
	for host, w := range want {
		var raw map[string]any
		nixcheck.EvalExprJSON(t, dir, strings.Replace(expr, "%s", f.ModulePath(host), 1), &raw)
		// Compare through the JSON types.
		var got result
		roundTripJSON(t, raw, &got)
		var wantJSON result
		roundTripJSON(t, w, &wantJSON)
		if diff := cmp.Diff(wantJSON, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", host, diff)
		}
	}
}

// roundTripJSON converts v to out through encoding/json, so that values
// built in Go compare with values decoded from Nix's output.
func roundTripJSON(t *testing.T, v, out any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
}
