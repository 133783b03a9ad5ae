package sops

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// brief returns "SEVERITY CODE WHERE" for each diagnostic.
func brief(ds Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Severity.String()+" "+d.Code+" "+d.Where.String())
	}
	return out
}

func TestValidate(t *testing.T) {
	rsa := rsaHostKey
	cases := []struct {
		name   string
		modify func(f *Fleet)
		want   []string
	}{
		{"valid", func(f *Fleet) {}, nil},
		{"fake admin key", func(f *Fleet) {
			f.Admins[0].Recipient = "age1irdq4jgq134vi2aasxayzgt4uc0fa6k0datbzmzb16pbqawxxy1bfrdz72"
		}, []string{"error invalid-recipient admin[0] Recipient"}},
		{"admin ssh key", func(f *Fleet) { f.Admins[0].Recipient = sshToAgeVectors[1].ssh }, nil},
		{"admin without name", func(f *Fleet) { f.Admins[0].Name = " " }, []string{"error invalid-name admin[0] Name"}},
		{"duplicate admin", func(f *Fleet) {
			f.Admins = append(f.Admins, Admin{Name: "my_machine", Recipient: sshToAgeVectors[2].age})
		}, []string{"error duplicate-name admin[1] Name"}},
		{"no admins", func(f *Fleet) { f.Admins = nil }, []string{"warning no-admins Admins"}},
		{"host name", func(f *Fleet) { f.Hosts[3].Name = "web/1" }, []string{
			"error invalid-name host[3] Name",
			"error unknown-member group[0] member[3]",
		}},
		{"duplicate host", func(f *Fleet) { f.Hosts[1].Name = "instance-1" }, []string{
			"error duplicate-name host[1] Name",
			"error unknown-member group[0] member[1]",
		}},
		{"rsa host key", func(f *Fleet) { f.Hosts[2].SSHHostKey = rsa }, []string{"error invalid-host-key host[2] SSHHostKey"}},
		{"host with secrets, no key", func(f *Fleet) {
			f.Groups = nil
			f.Hosts[0].SSHHostKey = ""
		}, []string{"error missing-host-key host[0] SSHHostKey"}},
		{"member without key", func(f *Fleet) { f.Hosts[3].SSHHostKey = "" }, []string{"error missing-host-key host[3] SSHHostKey"}},
		{"host without key or secrets", func(f *Fleet) {
			f.Groups[0].Members = f.Groups[0].Members[:3]
			f.Hosts[3].SSHHostKey = ""
		}, nil},
		{"cloned host key", func(f *Fleet) { f.Hosts[2].SSHHostKey = f.Hosts[1].SSHHostKey }, []string{"warning duplicate-recipient host[2] SSHHostKey"}},
		{"admin uses a host key", func(f *Fleet) {
			r, _ := SSHToAge(f.Hosts[0].SSHHostKey)
			f.Admins = append(f.Admins, Admin{Name: "oops", Recipient: r})
		}, []string{"warning duplicate-recipient host[0] SSHHostKey"}},
		{"absolute file", func(f *Fleet) { f.Hosts[1].File = "/etc/secrets.yaml" }, []string{"error invalid-file-path host[1] File"}},
		{"file outside", func(f *Fleet) { f.Groups[0].File = "../secrets/k3s.yaml" }, []string{
			"error invalid-file-path group[0] File",
		}},
		{"file not clean", func(f *Fleet) { f.Hosts[1].File = "secrets/./x.yaml" }, []string{"error invalid-file-path host[1] File"}},
		{"file not yaml", func(f *Fleet) { f.Hosts[1].File = "secrets/x.json" }, []string{"error invalid-file-path host[1] File"}},
		{"file odd characters", func(f *Fleet) { f.Hosts[1].File = "secrets/my file.yaml" }, []string{"error invalid-file-path host[1] File"}},
		{"secret file outside", func(f *Fleet) { f.Hosts[0].Secrets[0].File = "../../etc/shadow.yaml" }, []string{"error invalid-file-path host[0] secret[0] File"}},
		{"secrets dir absolute", func(f *Fleet) { f.SecretsDir = "/var/secrets" }, []string{"error invalid-file-path SecretsDir"}},
		{"secrets dir", func(f *Fleet) { f.SecretsDir = "nix/secrets" }, nil},
		{"duplicate file", func(f *Fleet) { f.Groups[0].File = "secrets/instance-1.yaml" }, []string{"error duplicate-file group[0] File"}},
		{"unknown file", func(f *Fleet) { f.Hosts[0].Secrets[0].File = "secrets/other.yaml" }, []string{"error unknown-file host[0] secret[0] File"}},
		{"other host's file", func(f *Fleet) { f.Hosts[0].Secrets[0].File = "secrets/instance-2.yaml" }, []string{"error not-recipient host[0] secret[0] File"}},
		{"group file, not a member", func(f *Fleet) {
			f.Groups[0].Members = f.Groups[0].Members[1:]
			f.Hosts[0].Secrets[0].File = "secrets/k3s-main.yaml"
		}, []string{"error not-recipient host[0] secret[0] File"}},
		{"own host file, explicit", func(f *Fleet) { f.Hosts[0].Secrets[0].File = "secrets/instance-1.yaml" }, nil},
		{"unknown member", func(f *Fleet) { f.Groups[0].Members = append(f.Groups[0].Members, "instance-9") }, []string{"error unknown-member group[0] member[4]"}},
		{"duplicate member", func(f *Fleet) { f.Groups[0].Members = append(f.Groups[0].Members, "instance-1") }, []string{"warning duplicate-name group[0] member[4]"}},
		{"empty group", func(f *Fleet) {
			f.Groups[0].Members = nil
			f.Groups[0].Secrets = nil
		}, []string{"warning empty-group group[0] Members"}},
		{"duplicate group", func(f *Fleet) {
			f.Groups = append(f.Groups, Group{Name: "k3s-main", File: "secrets/k3s-2.yaml", Members: []string{"instance-1"}})
		}, []string{"error duplicate-name group[1] Name"}},
		{"secret names", func(f *Fleet) {
			f.Hosts[0].Secrets = []Secret{{Name: ""}, {Name: "a//b"}, {Name: "../x"}, {Name: "a b"}, {Name: "/abs"}, {Name: "ok/name.txt"}}
		}, []string{
			"error invalid-name host[0] secret[0] Name",
			"error invalid-name host[0] secret[1] Name",
			"error invalid-name host[0] secret[2] Name",
			"error invalid-name host[0] secret[3] Name",
			"error invalid-name host[0] secret[4] Name",
		}},
		{"key", func(f *Fleet) {
			f.Hosts[0].Secrets[0].Key = "a//b"
			f.Hosts[1].Secrets = []Secret{{Name: "x", Key: "a/b/c"}}
		}, []string{"error invalid-key host[0] secret[0] Key"}},
		{"modes", func(f *Fleet) {
			f.Hosts[0].Secrets = []Secret{{Name: "a", Mode: "644x"}, {Name: "b", Mode: "99"}, {Name: "c", Mode: "640"}, {Name: "d", Mode: "0440"}, {Name: "e", Mode: "00400"}}
		}, []string{
			"error invalid-mode host[0] secret[0] Mode",
			"error invalid-mode host[0] secret[1] Mode",
			"error invalid-mode host[0] secret[4] Mode",
		}},
		{"owner and group", func(f *Fleet) {
			f.Hosts[0].Secrets[0].Owner = "bad user"
			f.Hosts[0].Secrets[0].Group = "1wheel"
			f.Hosts[1].Secrets = []Secret{{Name: "x", Owner: "nix-serve", Group: "_keys"}}
		}, []string{"error invalid-owner host[0] secret[0] Owner", "error invalid-owner host[0] secret[0] Group"}},
		{"path", func(f *Fleet) {
			f.Hosts[0].Secrets[0].Path = "var/lib/x"
			f.Hosts[1].Secrets = []Secret{{Name: "x", Path: "/var/lib/app/token"}, {Name: "y", Path: "/var/lib/../x"}}
		}, []string{"error invalid-path host[0] secret[0] Path", "error invalid-path host[1] secret[1] Path"}},
		{"restart units", func(f *Fleet) {
			f.Groups[0].Secrets[0].RestartUnits = []string{"k3s", "k3s.service", "", "nginx.service ", "container@web.service"}
		}, []string{
			"error invalid-unit group[0] secret[0] restartUnit[0]",
			"error invalid-unit group[0] secret[0] restartUnit[2]",
			"error invalid-unit group[0] secret[0] restartUnit[3]",
		}},
		{"secret declared twice", func(f *Fleet) {
			f.Hosts[0].Secrets = append(f.Hosts[0].Secrets, Secret{Name: "k3s_token"})
		}, []string{"error duplicate-name group[0] secret[0] Name"}},
		{"secret declared twice on a host", func(f *Fleet) {
			f.Hosts[1].Secrets = []Secret{{Name: "x"}, {Name: "x", Key: "y"}}
		}, []string{"error duplicate-name host[1] secret[1] Name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := seed002(t)
			c.modify(f)
			ds := f.Validate()
			if diff := cmp.Diff(c.want, brief(ds)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\nall:\n%s", diff, dump(ds))
			}
			for _, d := range ds {
				if d.Summary == "" || d.Detail == "" {
					t.Errorf("diagnostic without summary or detail: %+v", d)
				}
			}
			// The generators refuse a fleet with errors and say why.
			_, err := f.SopsYAML("x")
			if ds.HasErrors() {
				var de *DiagnosticsError
				if !errors.As(err, &de) || len(de.Diagnostics) != len(ds.Errors()) {
					t.Errorf("SopsYAML error = %v, want a DiagnosticsError with the %d errors", err, len(ds.Errors()))
				}
				if _, err := f.HostModule("instance-2"); err == nil {
					t.Errorf("HostModule succeeded on a fleet with errors")
				}
				if files, _ := f.Render("x"); files != nil {
					t.Errorf("Render returned files for a fleet with errors")
				}
			} else if err != nil {
				t.Errorf("SopsYAML: %v", err)
			}
		})
	}
}

func dump(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n  " + d.Detail + "\n")
	}
	return b.String()
}

func TestDiagnosticMessages(t *testing.T) {
	f := seed002(t)
	f.Hosts[0].Secrets[0].File = "secrets/instance-2.yaml"
	ds := f.Validate()
	if len(ds) != 1 {
		t.Fatalf("got %v", ds)
	}
	want := `error: host[0] secret[0] File: host "instance-1" cannot decrypt secrets/instance-2.yaml for secret "myservice/db_password"`
	if got := ds[0].String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !strings.Contains(ds[0].Detail, "0 successful groups required") {
		t.Errorf("detail does not name the sops-nix failure: %s", ds[0].Detail)
	}
	if got := ds.Err().Error(); got != "sops: "+want {
		t.Errorf("Err() = %q", got)
	}
	if (Diagnostics{{Severity: SeverityWarning}}).Err() != nil {
		t.Errorf("warnings make an error")
	}
}

func TestCheckReferences(t *testing.T) {
	f := seed002(t)
	ds := f.CheckReferences([]Reference{
		{Host: "instance-2", Secret: "k3s_token"},
		{Host: "instance-2", Secret: "myservice/db_password"},
		{Host: "instance-9", Secret: "k3s_token"},
		{Host: "instance-1", Secret: "myservice/db_password"},
	})
	want := []string{
		"error undeclared-secret reference[1] Secret",
		"error undeclared-secret reference[2] Host",
	}
	if diff := cmp.Diff(want, brief(ds)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(ds) == 2 && !strings.Contains(ds[0].Detail, "k3s_token, longhorn_passphrase") {
		t.Errorf("detail does not list the host's secrets: %s", ds[0].Detail)
	}
}

func TestRequiredKeys(t *testing.T) {
	f := seed002(t)
	f.Hosts[1].Secrets = []Secret{{Name: "b"}, {Name: "a", Key: "x/y"}, {Name: "c", Key: "b"}}
	want := map[string][]string{
		"secrets/instance-1.yaml": {"myservice/db_password"},
		"secrets/instance-2.yaml": {"b", "x/y"},
		"secrets/k3s-main.yaml":   {"k3s_token", "longhorn/crypto_key_value"},
	}
	if diff := cmp.Diff(want, f.RequiredKeys()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRules(t *testing.T) {
	f := seed002(t)
	f.Hosts = append(f.Hosts, Host{Name: "nokey"})
	f.Admins = append(f.Admins, Admin{Name: "twin", Recipient: f.Admins[0].Recipient})
	rules, err := f.Rules()
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, r := range rules {
		files = append(files, r.File)
		if len(r.Recipients) != len(r.Labels) {
			t.Errorf("%s: %d recipients, %d labels", r.File, len(r.Recipients), len(r.Labels))
		}
		for i := 1; i < len(r.Recipients); i++ {
			if r.Recipients[i-1] >= r.Recipients[i] {
				t.Errorf("%s: recipients not sorted and unique: %v", r.File, r.Recipients)
			}
		}
	}
	// Host files first, in host order, then group files; no rule for a
	// host without a key.
	want := []string{"secrets/instance-1.yaml", "secrets/instance-2.yaml", "secrets/instance-3.yaml", "secrets/instance-4.yaml", "secrets/k3s-main.yaml"}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("rule files (-want +got):\n%s", diff)
	}
	if got := rules[0].Labels; !slicesContain(got, "admin my_machine, admin twin") {
		t.Errorf("shared recipient labels = %q", got)
	}
	if rules[4].PathRegex != `^secrets/k3s-main\.yaml$` {
		t.Errorf("path_regex = %s", rules[4].PathRegex)
	}
}

func slicesContain(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestRelPath(t *testing.T) {
	for _, c := range []struct{ dir, target, want string }{
		{"hosts/web1", "secrets/web1.yaml", "../../secrets/web1.yaml"},
		{"hosts/web1", "hosts/web1/s.yaml", "./s.yaml"},
		{"hosts/web1", "hosts/s.yaml", "../s.yaml"},
		{"nix/hosts/web1", "nix/secrets/a.yaml", "../../secrets/a.yaml"},
		{"", "secrets/a.yaml", "./secrets/a.yaml"},
		{"hosts", "hostsx/a.yaml", "../hostsx/a.yaml"},
	} {
		if got := relPath(c.dir, c.target); got != c.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", c.dir, c.target, got, c.want)
		}
	}
}

func TestHostModuleUnknownHost(t *testing.T) {
	if _, err := seed002(t).HostModule("nope"); err == nil {
		t.Error("HostModule(unknown) succeeded")
	}
}

func TestSecretPath(t *testing.T) {
	e := nix.Module([]string{"config"}, nix.Set(
		nix.Bind("services.k3s.tokenFile", SecretPath("k3s_token")),
		nix.Bind("x", SecretPath("myservice/db_password")),
	))
	got, err := nix.Print(e)
	if err != nil {
		t.Fatal(err)
	}
	want := "{ config, ... }: {\n  services.k3s.tokenFile = config.sops.secrets.k3s_token.path;\n  x = config.sops.secrets.\"myservice/db_password\".path;\n}\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestHeader(t *testing.T) {
	if got := Header("a\nb.hcl"); got != "Code generated by nixgen from a b.hcl. DO NOT EDIT." {
		t.Errorf("Header = %q", got)
	}
	if got := Header(""); got != "Code generated by nixgen from inventory. DO NOT EDIT." {
		t.Errorf("Header = %q", got)
	}
}
