package sops

import (
	"crypto/ed25519"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// freshHost returns a new host key pair as an authorized_keys line and
// the age identity sops-nix derives from its private half.
func freshHost(t *testing.T, name string) (string, *age.X25519Identity) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := ageIdentityFromEd25519(t, priv)
	return authorizedKey(t, pub, "root@"+name), id
}

// keyFile writes an age identity file that holds only id.
func keyFile(t *testing.T, id *age.X25519Identity) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(p, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func yamlValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return v
}

// TestSopsEndToEnd encrypts secrets files with the real sops binary under
// a generated .sops.yaml, checks them with CheckFiles, and decrypts them
// with the keys of the admin and of each host: a host reads its own file
// and the files of its groups, and nothing else.
func TestSopsEndToEnd(t *testing.T) {
	sops := requireSops(t)
	dir := t.TempDir()

	admin, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	web1Key, web1 := freshHost(t, "web1")
	web2Key, web2 := freshHost(t, "web2")
	web3Key, web3 := freshHost(t, "web3")
	adminKeys, web1Keys, web2Keys, web3Keys := keyFile(t, admin), keyFile(t, web1), keyFile(t, web2), keyFile(t, web3)

	fleet := &Fleet{
		Admins: []Admin{{Name: "alice", Recipient: admin.Recipient().String()}},
		Hosts: []Host{
			{Name: "web1", SSHHostKey: web1Key, Secrets: []Secret{{Name: "myservice/db_password", Owner: "kv", Mode: "0440"}}},
			{Name: "web2", SSHHostKey: web2Key, Secrets: []Secret{{Name: "api_key"}}},
			{Name: "web3", SSHHostKey: web3Key},
		},
		Groups: []Group{{Name: "k3s-main", Members: []string{"web1", "web2"}, Secrets: []Secret{{Name: "k3s_token", RestartUnits: []string{"k3s.service"}}}}},
	}
	render := func() {
		t.Helper()
		files, diags := fleet.Render("inventory.hcl")
		if diags.HasErrors() {
			t.Fatalf("Render: %v", diags)
		}
		for _, f := range files {
			writeFile(t, dir, f.Path, f.Data)
		}
	}
	render()

	plain := map[string]string{
		"secrets/web1.yaml":     "myservice:\n  db_password: hunter2\n",
		"secrets/web2.yaml":     "api_key: s3cr3t-web2\n",
		"secrets/k3s-main.yaml": "k3s_token: K10shared::server:token\n",
	}
	for p, s := range plain {
		writeFile(t, dir, p, []byte(s))
	}
	// Plaintext files are caught.
	var got []string
	for _, d := range fleet.CheckFiles(dir) {
		got = append(got, d.Code+" "+d.Where.String())
	}
	want := []string{"not-encrypted host[0] File", "not-encrypted host[1] File", "not-encrypted group[0] File"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckFiles on plaintext (-want +got):\n%s", diff)
	}

	// sops picks the recipients from the generated creation rules. No
	// key is needed to encrypt.
	for p := range plain {
		if _, err := sopsRun(t, sops, dir, web3Keys, "--encrypt", "--in-place", p); err != nil {
			t.Fatal(err)
		}
	}
	if ds := fleet.CheckFiles(dir); len(ds) > 0 {
		t.Fatalf("CheckFiles after encryption:\n%s", dump(ds))
	}
	if ds := Check(dir, fleet.RequiredKeys()); len(ds) > 0 {
		t.Fatalf("Check after encryption:\n%s", dump(ds))
	}
	enc, err := os.ReadFile(filepath.Join(dir, "secrets/web1.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(enc), "hunter2") {
		t.Fatalf("the encrypted file holds the secret:\n%s", enc)
	}

	// Who can decrypt what.
	access := []struct {
		who  string
		keys string
		can  []string
	}{
		{"admin", adminKeys, []string{"secrets/web1.yaml", "secrets/web2.yaml", "secrets/k3s-main.yaml"}},
		{"web1", web1Keys, []string{"secrets/web1.yaml", "secrets/k3s-main.yaml"}},
		{"web2", web2Keys, []string{"secrets/web2.yaml", "secrets/k3s-main.yaml"}},
		{"web3", web3Keys, nil},
	}
	for _, a := range access {
		for p, s := range plain {
			out, err := sopsRun(t, sops, dir, a.keys, "--decrypt", p)
			if !slicesContain(a.can, p) {
				if err == nil {
					t.Errorf("%s decrypted %s, which is not encrypted for it", a.who, p)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s cannot decrypt %s: %v", a.who, p, err)
				continue
			}
			if diff := cmp.Diff(yamlValue(t, []byte(s)), yamlValue(t, out)); diff != "" {
				t.Errorf("%s decrypting %s (-want +got):\n%s", a.who, p, diff)
			}
		}
	}

	// A file that no rule covers is refused by sops.
	writeFile(t, dir, "secrets/other.yaml", []byte("x: y\n"))
	if _, err := sopsRun(t, sops, dir, adminKeys, "--encrypt", "--in-place", "secrets/other.yaml"); err == nil || !strings.Contains(err.Error(), "no matching creation rules") {
		t.Errorf("encrypting a file without a rule: err = %v, want no matching creation rules", err)
	}

	// web3 joins the cluster: the group file is stale until re-keyed.
	fleet.Groups[0].Members = append(fleet.Groups[0].Members, "web3")
	render()
	got = nil
	for _, d := range fleet.CheckFiles(dir) {
		got = append(got, d.Code+" "+d.Where.String())
		if !strings.Contains(d.Detail, web3.Recipient().String()+" (host web3)") || !strings.Contains(d.Detail, "sops updatekeys secrets/k3s-main.yaml") {
			t.Errorf("stale-recipients detail: %s", d.Detail)
		}
	}
	if diff := cmp.Diff([]string{"stale-recipients group[0] File"}, got); diff != "" {
		t.Errorf("CheckFiles after adding a member (-want +got):\n%s", diff)
	}
	if _, err := sopsRun(t, sops, dir, web3Keys, "--decrypt", "secrets/k3s-main.yaml"); err == nil {
		t.Errorf("web3 decrypted the group file before it was re-keyed")
	}
	if _, err := sopsRun(t, sops, dir, adminKeys, "updatekeys", "--yes", "secrets/k3s-main.yaml"); err != nil {
		t.Fatal(err)
	}
	if ds := fleet.CheckFiles(dir); len(ds) > 0 {
		t.Errorf("CheckFiles after updatekeys:\n%s", dump(ds))
	}
	if _, err := sopsRun(t, sops, dir, web3Keys, "--decrypt", "secrets/k3s-main.yaml"); err != nil {
		t.Errorf("web3 cannot decrypt the re-keyed group file: %v", err)
	}

	// A secret whose key is not in the file is reported at the secret.
	fleet.Hosts[1].Secrets = append(fleet.Hosts[1].Secrets, Secret{Name: "db", Key: "db/password"})
	got = nil
	for _, d := range fleet.CheckFiles(dir) {
		got = append(got, d.Code+" "+d.Where.String())
	}
	if diff := cmp.Diff([]string{"missing-key host[1] secret[1] Key"}, got); diff != "" {
		t.Errorf("CheckFiles with a missing key (-want +got):\n%s", diff)
	}
}
