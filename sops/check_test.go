package sops

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/internal/golden"
)

// checkFixtures is the directory of the encrypted files that the Check
// tests read. The sops-encrypted ones were made by the real sops binary
// from the plaintexts below, for the recipients of the seed002 fleet. To
// make them again, delete them and run the tests with -update and sops on
// PATH; -update leaves existing ones alone, since every encryption gives
// new bytes.
const checkFixtures = "testdata/check"

// fixturePlaintexts are encrypted with the creation rules of seed002.
var fixturePlaintexts = map[string]string{
	"secrets/instance-1.yaml": "myservice:\n  db_password: hunter2\n",
	"secrets/instance-2.yaml": "port: 1234\nlist:\n  - a\nnested:\n  a: b\nnote_unencrypted: hello\ntoken: \"1234\"\n",
	"secrets/k3s-main.yaml":   "k3s_token: K10shared::server:token\nlonghorn:\n  crypto_key_value: passphrase\n",
}

// regenerateFixtures encrypts the missing fixtures with sops into
// checkFixtures.
func regenerateFixtures(t *testing.T) {
	missing := false
	for _, rel := range []string{"secrets/instance-1.yaml", "secrets/instance-2.yaml", "secrets/instance-3.yaml", "secrets/k3s-main.yaml", "two-groups.yaml"} {
		if _, err := os.Stat(filepath.Join(checkFixtures, rel)); err != nil {
			missing = true
		}
	}
	if !missing {
		return
	}
	sops := requireSops(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "no-keys.txt")
	writeFile(t, dir, "no-keys.txt", nil)
	encrypt := func(sopsYAML []byte, rel, plaintext string) {
		if _, err := os.Stat(filepath.Join(checkFixtures, rel)); err == nil {
			return
		}
		writeFile(t, dir, ".sops.yaml", sopsYAML)
		writeFile(t, dir, rel, []byte(plaintext))
		if _, err := sopsRun(t, sops, dir, keys, "--encrypt", "--in-place", rel); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, checkFixtures, rel, data)
	}
	f := seed002(t)
	sopsYAML, err := f.SopsYAML("fixtures")
	if err != nil {
		t.Fatal(err)
	}
	for rel, plaintext := range fixturePlaintexts {
		encrypt(sopsYAML, rel, plaintext)
	}
	// instance-3.yaml is encrypted for the admin only: stale.
	adminOnly, err := encodeRules("fixtures", []Rule{{
		File: "secrets/instance-3.yaml", PathRegex: `^secrets/instance-3\.yaml$`,
		Recipients: []string{f.Admins[0].Recipient}, Labels: []string{"admin"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	encrypt(adminOnly, "secrets/instance-3.yaml", "x: y\n")
	// two-groups.yaml has two key groups, the mistake the sops-nix README
	// warns of.
	r1, _ := SSHToAge(f.Hosts[0].SSHHostKey)
	encrypt([]byte("creation_rules:\n  - path_regex: ^two-groups\\.yaml$\n    key_groups:\n      - age:\n          - "+f.Admins[0].Recipient+"\n      - age:\n          - "+r1+"\n"),
		"two-groups.yaml", "x: y\n")
}

func TestCheck(t *testing.T) {
	if golden.Updating() {
		regenerateFixtures(t)
	}
	files := map[string][]string{
		"secrets/instance-1.yaml": {"myservice/db_password", "myservice", "myservice/db_password/x", "nope", "myservice/nope", "myservice/db_password"},
		"secrets/instance-2.yaml": {"port", "list", "nested", "nested/a", "note_unencrypted", "token", "sops/mac", "a//b"},
		"secrets/k3s-main.yaml":   {"k3s_token", "longhorn/crypto_key_value"},
		"two-groups.yaml":         {"x"},
		"plain.yaml":              {"a"},
		"notyaml.yaml":            nil,
		"list.yaml":               nil,
		"missing.yaml":            {"a"},
		"../escape.yaml":          nil,
		"/abs.yaml":               nil,
	}
	want := []string{
		`invalid-file-path file "../escape.yaml"`,
		`invalid-file-path file "/abs.yaml"`,
		`not-encrypted file "list.yaml"`,
		`file-missing file "missing.yaml"`,
		`not-encrypted file "notyaml.yaml"`,
		`not-encrypted file "plain.yaml"`,
		`not-string file "secrets/instance-1.yaml" key "myservice"`,
		`not-string file "secrets/instance-1.yaml" key "myservice/db_password/x"`,
		`missing-key file "secrets/instance-1.yaml" key "myservice/nope"`,
		`missing-key file "secrets/instance-1.yaml" key "nope"`,
		`invalid-key file "secrets/instance-2.yaml" key "a//b"`,
		`not-string file "secrets/instance-2.yaml" key "list"`,
		`not-string file "secrets/instance-2.yaml" key "nested"`,
		`not-encrypted file "secrets/instance-2.yaml" key "note_unencrypted"`,
		`not-string file "secrets/instance-2.yaml" key "port"`,
		`invalid-key file "secrets/instance-2.yaml" key "sops/mac"`,
		`not-encrypted file "two-groups.yaml"`,
	}
	ds := Check(checkFixtures, files)
	var got []string
	for _, d := range ds {
		got = append(got, d.Code+" "+d.Where.String())
		if d.Severity != SeverityError || d.Summary == "" || d.Detail == "" {
			t.Errorf("incomplete diagnostic %+v", d)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check (-want +got):\n%s\nall:\n%s", diff, dump(ds))
	}
}

func TestCheckFilesFixtures(t *testing.T) {
	f := seed002(t)
	ds := f.CheckFiles(checkFixtures)
	var got []string
	for _, d := range ds {
		got = append(got, d.Code+" "+d.Where.String())
	}
	// instance-3.yaml is encrypted for the admin only; instance-4.yaml
	// does not exist, which is fine while no secret is read from it.
	if diff := cmp.Diff([]string{"stale-recipients host[2] File"}, got); diff != "" {
		t.Errorf("CheckFiles (-want +got):\n%s\nall:\n%s", diff, dump(ds))
	}

	f.Hosts[3].Secrets = []Secret{{Name: "x"}}
	f.Hosts[0].Secrets = append(f.Hosts[0].Secrets, Secret{Name: "y", Key: "myservice/y"}, Secret{Name: "myservice"})
	f.Groups[0].Secrets[1].Key = "longhorn/other"
	got = nil
	for _, d := range f.CheckFiles(checkFixtures) {
		got = append(got, d.Code+" "+d.Where.String())
	}
	want := []string{
		"not-string host[0] secret[2] Name",
		"missing-key host[0] secret[1] Key",
		"stale-recipients host[2] File",
		"file-missing host[3] File",
		"missing-key group[0] secret[1] Key",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckFiles (-want +got):\n%s", diff)
	}

	// A fleet with errors is not checked against files.
	f.Hosts[0].SSHHostKey = "nonsense"
	if ds := f.CheckFiles(checkFixtures); len(ds) != 1 || ds[0].Code != CodeHostKey {
		t.Errorf("CheckFiles on an invalid fleet = %v", ds)
	}
}
