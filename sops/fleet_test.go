package sops

import (
	"crypto/ed25519"
	"crypto/sha256"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/internal/golden"
)

// testHostKey returns a fixed Ed25519 key pair for a host name, its
// authorized_keys line and the age identity sops-nix derives from it on
// the host, so that golden output is stable and tests can decrypt as the
// host.
func testHostKey(t testing.TB, name string) (line string, id *age.X25519Identity) {
	t.Helper()
	seed := sha256.Sum256([]byte("nixgen sops test host " + name))
	priv := ed25519.NewKeyFromSeed(seed[:])
	line = authorizedKey(t, priv.Public().(ed25519.PublicKey), "root@"+name)
	tt, ok := t.(*testing.T)
	if !ok {
		return line, nil
	}
	id, _ = ageIdentityFromEd25519(tt, priv)
	return line, id
}

// seed002 is the fleet of the reference setup: three k3s control planes
// and a satellite node that share the cluster token, one admin, and a
// service password on the first node.
func seed002(t testing.TB) *Fleet {
	f := &Fleet{
		Admins: []Admin{{Name: "my_machine", Recipient: sshToAgeVectors[0].age}},
		Groups: []Group{{
			Name:    "k3s-main",
			Members: []string{"instance-1", "instance-2", "instance-3", "instance-4"},
			Secrets: []Secret{
				{Name: "k3s_token", RestartUnits: []string{"k3s.service"}},
				{Name: "longhorn_passphrase", Key: "longhorn/crypto_key_value"},
			},
		}},
	}
	for _, n := range []string{"instance-1", "instance-2", "instance-3", "instance-4"} {
		line, _ := testHostKey(t, n)
		f.Hosts = append(f.Hosts, Host{Name: n, SSHHostKey: line})
	}
	f.Hosts[0].Secrets = []Secret{{Name: "myservice/db_password", Owner: "kv", Mode: "0440"}}
	return f
}

func TestGoldenSeed002(t *testing.T) {
	files, diags := seed002(t).Render("inventory.hcl")
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	got := map[string][]byte{}
	for _, f := range files {
		// Golden trees skip hidden files.
		got[strings.TrimPrefix(f.Path, ".")] = f.Data
	}
	golden.CompareTree(t, "testdata/seed-002", got)
}

func TestSopsYAMLDeterministic(t *testing.T) {
	// The order of members and admins changes neither the recipients
	// of a rule nor their order.
	f := seed002(t)
	f.Admins = append([]Admin{{Name: "second", Recipient: sshToAgeVectors[2].age}}, f.Admins...)
	want, err := f.SopsYAML("inventory.hcl")
	if err != nil {
		t.Fatal(err)
	}
	g := seed002(t)
	slices.Reverse(g.Groups[0].Members)
	g.Admins = append(g.Admins, Admin{Name: "second", Recipient: sshToAgeVectors[2].age})
	got, err := g.SopsYAML("inventory.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("output depends on input order (-want +got):\n%s", diff)
	}
}
