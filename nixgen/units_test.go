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

// wlFleet is the fleet block of the inventories of the tests of services,
// containers and k3s manifests.
const wlFleet = `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}
`

// wlHost returns an inventory of the fleet and one host "app1", with an
// interface eth0 at 203.0.113.10/24 and body inside its block. The body
// starts on line 14.
func wlHost(body string) string {
	return wlFleet + `
host "app1" {
  hardware_configuration = "hardware/app1.nix"
  interface "eth0" {
    addresses = ["203.0.113.10/24"]
    gateway   = "203.0.113.1"
  }

` + body + `}
`
}

// wlParse parses src, failing the test on any diagnostic.
func wlParse(t *testing.T, src string) *Inventory {
	t.Helper()
	inv, diags := Parse("inventory.hcl", []byte(src))
	if len(diags) > 0 {
		t.Fatalf("parsing:\n%s", wlDiagText(diags))
	}
	return inv
}

// wlRender renders src and returns its files by path; a diagnostic fails
// the test. Every .nix file must parse.
func wlRender(t *testing.T, src string) map[string]string {
	t.Helper()
	files, diags := Render(wlParse(t, src))
	if len(diags) > 0 {
		t.Fatalf("rendering:\n%s", wlDiagText(diags))
	}
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Data)
		if strings.HasSuffix(f.Path, ".nix") {
			nixcheck.Parse(t, f.Path, f.Data)
		}
	}
	return out
}

// wlWrite writes the files of src into a new directory and returns it.
func wlWrite(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	for path, data := range wlRender(t, src) {
		p := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// wlDiagLines validates src and returns the first line of each
// diagnostic as the text output writes it.
func wlDiagLines(t *testing.T, src string) []string {
	t.Helper()
	return wlDiagLinesOf(wlParse(t, src).Validate())
}

// wlDiagText returns diags as the text output writes them.
func wlDiagText(diags hcl.Diagnostics) string {
	var b strings.Builder
	if err := WriteDiagnostics(&b, diags, DiagnosticsText); err != nil {
		panic(err)
	}
	return b.String()
}

// wlLintCase is a lint and its near miss: bad must give exactly want,
// and good, a small change of bad, nothing.
type wlLintCase struct {
	name      string
	bad, good string
	want      []string
}

// wlRunLints runs the lint cases, each body put into a host by wrap.
func wlRunLints(t *testing.T, cases []wlLintCase, wrap func(string) string) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, wlDiagLines(t, wrap(c.bad))); diff != "" {
				t.Errorf("bad (-want +got):\n%s", diff)
			}
			if got := wlDiagLines(t, wrap(c.good)); len(got) > 0 {
				t.Errorf("near miss: unexpected diagnostics:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// unitsKV is a hardened service in the manner of seed 003, with a script
// that holds what an indented Nix string must escape, a oneshot
// migration it depends on, and PostgreSQL.
const unitsKV = `  service "kv" {
    description         = "kv"
    strict_shell_checks = true
    wanted_by           = ["multi-user.target"]
    requires            = ["postgresql.service", "kv-migrations.service"]
    after               = ["kv-migrations.service"]
    packages            = ["kv", "python3Packages.requests"]
    script              = <<-EOT
      export KV_STORAGE_ROOT="$STATE_DIRECTORY"
      echo "$${HOME}" '' ''' "it's"
      exec kv-server
    EOT
    environment          = { KV_PORT = 4000, KV_HOST = "127.0.0.1" }
    user                 = "kv"
    restart              = "on-failure"
    restart_sec          = "10s"
    state_directory      = "kv"
    state_directory_mode = "0750"
    protect_system       = "strict"
    private_tmp          = true
    umask                = "0007"
    hardening            = { ProtectClock = "true", SystemCallFilter = "@system-service", NoNewPrivileges = "yes" }
  }

  service "kv-migrations" {
    type              = "oneshot"
    remain_after_exit = true
    exec_start        = "/run/current-system/sw/bin/kv-migrate --all"
    requires          = ["postgresql.service"]
    after             = ["postgresql.service"]
    user              = "kv"
  }

  postgresql {
    package   = "postgresql_17"
    databases = ["kv"]
    users     = ["kv", "grafana"]
  }
`

// unitsKVScript is the script of unitsKV as HCL reads it: the heredoc's
// indentation is gone and "$${" is "${".
const unitsKVScript = "export KV_STORAGE_ROOT=\"$STATE_DIRECTORY\"\necho \"${HOME}\" '' ''' \"it's\"\nexec kv-server\n"

// TestUnitsModule checks the units.nix of a host with services and
// PostgreSQL, and that default.nix imports it.
func TestUnitsModule(t *testing.T) {
	files := wlRender(t, wlHost(unitsKV))
	want := `# Code generated by nixgen from inventory.hcl. DO NOT EDIT.
{ pkgs, ... }: {
  systemd.services.kv = {
    description = "kv";
    enableStrictShellChecks = true;
    wantedBy = [ "multi-user.target" ];
    requires = [
      "postgresql.service"
      "kv-migrations.service"
    ];
    after = [ "kv-migrations.service" ];
    path = with pkgs; [
      kv
      python3Packages.requests
    ];
    script = ''
      export KV_STORAGE_ROOT="$STATE_DIRECTORY"
      echo "''${HOME}" ''' '''' "it's"
      exec kv-server
    '';
    environment = {
      KV_HOST = "127.0.0.1";
      KV_PORT = "4000";
    };
    serviceConfig = {
      User = "kv";
      ProtectSystem = "strict";
      PrivateTmp = true;
      NoNewPrivileges = true;
      UMask = "0007";
      Restart = "on-failure";
      RestartSec = "10s";
      StateDirectory = "kv";
      StateDirectoryMode = "0750";
      ProtectClock = true;
      SystemCallFilter = "@system-service";
    };
  };
  systemd.services.kv-migrations = {
    requires = [ "postgresql.service" ];
    after = [ "postgresql.service" ];
    serviceConfig = {
      Type = "oneshot";
      ExecStart = "/run/current-system/sw/bin/kv-migrate --all";
      RemainAfterExit = true;
      User = "kv";
    };
  };
  users.users.kv = {
    isSystemUser = true;
    group = "kv";
  };
  users.groups.kv = { };
  services.postgresql = {
    enable = true;
    package = pkgs.postgresql_17;
    ensureDatabases = [ "kv" ];
    ensureUsers = [
      {
        name = "kv";
        ensureDBOwnership = true;
      }
      { name = "grafana"; }
    ];
  };
}
`
	if diff := cmp.Diff(want, files["hosts/app1/units.nix"]); diff != "" {
		t.Errorf("units.nix (-want +got):\n%s", diff)
	}
	if !strings.Contains(files["hosts/app1/default.nix"], "    ./network.nix\n    ./units.nix\n") {
		t.Errorf("default.nix does not import units.nix:\n%s", files["hosts/app1/default.nix"])
	}

	// A host without services or PostgreSQL gets no units.nix.
	files = wlRender(t, wlHost(""))
	if _, ok := files["hosts/app1/units.nix"]; ok {
		t.Error("a host without services got a units.nix")
	}
	if strings.Contains(files["hosts/app1/default.nix"], "units.nix") {
		t.Error("a host without services imports units.nix")
	}
}

// TestUnitsEval evaluates units.nix with the real Nix evaluator and stub
// packages, and checks the values NixOS would get: the script byte for
// byte, in both string forms the printer chooses between, and the
// serviceConfig with its types.
func TestUnitsEval(t *testing.T) {
	inv := wlParse(t, wlHost(unitsKV))
	if got := *inv.Hosts[0].Services[0].Script; got != unitsKVScript {
		t.Fatalf("HCL reads the script as %q, want %q", got, unitsKVScript)
	}
	// A tab keeps the printer from the indented form, and a line that
	// starts with spaces tests the indentation it strips.
	tabbed := strings.Replace(unitsKV, "exec kv-server", "\texec kv-server\n        indented", 1)
	for _, c := range []struct {
		name, src, script string
	}{
		{"indented", unitsKV, unitsKVScript},
		{"quoted", tabbed, strings.Replace(unitsKVScript, "exec kv-server\n", "\texec kv-server\n  indented\n", 1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := wlWrite(t, wlHost(c.src))
			expr := `let
  pkgs = { kv = "KV"; python3Packages.requests = "REQUESTS"; postgresql_17 = "PG17"; };
  m = import ./hosts/app1/units.nix { inherit pkgs; };
in {
  inherit (m.systemd.services.kv) script path environment serviceConfig;
  migrations = m.systemd.services.kv-migrations.serviceConfig;
  users = m.users;
  postgresql = m.services.postgresql;
}`
			var got struct {
				Script        string            `json:"script"`
				Path          []string          `json:"path"`
				Environment   map[string]string `json:"environment"`
				ServiceConfig map[string]any    `json:"serviceConfig"`
				Migrations    map[string]any    `json:"migrations"`
				Users         map[string]any    `json:"users"`
				PostgreSQL    map[string]any    `json:"postgresql"`
			}
			nixcheck.EvalExprJSON(t, dir, expr, &got)
			if got.Script != c.script {
				t.Errorf("script = %q, want %q", got.Script, c.script)
			}
			if diff := cmp.Diff([]string{"KV", "REQUESTS"}, got.Path); diff != "" {
				t.Errorf("path (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(map[string]string{"KV_HOST": "127.0.0.1", "KV_PORT": "4000"}, got.Environment); diff != "" {
				t.Errorf("environment (-want +got):\n%s", diff)
			}
			wantConfig := map[string]any{
				"User": "kv", "ProtectSystem": "strict", "PrivateTmp": true, "NoNewPrivileges": true,
				"UMask": "0007", "Restart": "on-failure", "RestartSec": "10s", "StateDirectory": "kv",
				"StateDirectoryMode": "0750", "ProtectClock": true, "SystemCallFilter": "@system-service",
			}
			if diff := cmp.Diff(wantConfig, got.ServiceConfig); diff != "" {
				t.Errorf("serviceConfig (-want +got):\n%s", diff)
			}
			wantMigrations := map[string]any{"Type": "oneshot", "ExecStart": "/run/current-system/sw/bin/kv-migrate --all", "RemainAfterExit": true, "User": "kv"}
			if diff := cmp.Diff(wantMigrations, got.Migrations); diff != "" {
				t.Errorf("kv-migrations serviceConfig (-want +got):\n%s", diff)
			}
			wantUsers := map[string]any{
				"users":  map[string]any{"kv": map[string]any{"isSystemUser": true, "group": "kv"}},
				"groups": map[string]any{"kv": map[string]any{}},
			}
			if diff := cmp.Diff(wantUsers, got.Users); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
			wantPG := map[string]any{
				"enable": true, "package": "PG17", "ensureDatabases": []any{"kv"},
				"ensureUsers": []any{map[string]any{"name": "kv", "ensureDBOwnership": true}, map[string]any{"name": "grafana"}},
			}
			if diff := cmp.Diff(wantPG, got.PostgreSQL); diff != "" {
				t.Errorf("services.postgresql (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnitsNoPackages checks that units.nix takes no pkgs argument when
// nothing refers to a package.
func TestUnitsNoPackages(t *testing.T) {
	files := wlRender(t, wlHost(`  service "hello" {
    exec_start = "/run/current-system/sw/bin/hello"
  }
`))
	want := `# Code generated by nixgen from inventory.hcl. DO NOT EDIT.
{ ... }: {
  systemd.services.hello = {
    serviceConfig = {
      ExecStart = "/run/current-system/sw/bin/hello";
    };
  };
}
`
	if diff := cmp.Diff(want, files["hosts/app1/units.nix"]); diff != "" {
		t.Errorf("units.nix (-want +got):\n%s", diff)
	}
}

// TestUnitsProfileMerge checks that a host's service replaces a profile's
// service of the same name as a whole, that the profile's other services
// are kept, and that the postgresql block merges field by field.
func TestUnitsProfileMerge(t *testing.T) {
	src := wlFleet + `
profile "app" {
  service "kv" {
    exec_start = "/bin/kv"
    restart    = "always"
  }
  service "backup" {
    exec_start = "/bin/backup"
  }
  postgresql {
    databases = ["kv"]
    users     = ["kv"]
  }
}

host "app1" {
  use                    = ["app"]
  hardware_configuration = "hardware/app1.nix"
  service "kv" {
    exec_start = "/bin/kv --fast"
  }
  postgresql {
    package = "postgresql_16"
  }
}
`
	inv := wlParse(t, src)
	hosts, diags := inv.check()
	if len(diags) > 0 {
		t.Fatalf("check:\n%s", wlDiagText(diags))
	}
	p := hosts[0].units
	var names []string
	for _, s := range p.services {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"backup", "kv"}, names); diff != "" {
		t.Errorf("services (-want +got):\n%s", diff)
	}
	kv := p.services[1]
	if *kv.ExecStart != "/bin/kv --fast" || kv.Restart != nil {
		t.Errorf("kv is not the host's own: exec_start %q, restart %v", *kv.ExecStart, kv.Restart)
	}
	if pg := p.postgres; *pg.Package != "postgresql_16" || len(pg.Databases) != 1 || len(pg.Users) != 1 {
		t.Errorf("postgresql did not merge field by field: %+v", pg)
	}
	if len(inv.Profiles[0].Services) != 2 || *inv.Profiles[0].Services[0].ExecStart != "/bin/kv" {
		t.Error("the profile's services changed")
	}
}

// TestUnitsLints checks each lint of services and PostgreSQL against a
// near miss that passes. Service bodies start on line 14, column 3.
func TestUnitsLints(t *testing.T) {
	svc := func(body string) string {
		return "  service \"kv\" {\n" + body + "  }\n"
	}
	run := "    exec_start = \"/bin/kv\"\n"
	cases := []wlLintCase{
		{"name with suffix",
			`  service "kv.service" {` + "\n" + run + "  }\n",
			`  service "kv" {` + "\n" + run + "  }\n",
			[]string{"inventory.hcl:14:11: error: Invalid service name"}},
		{"name with a slash",
			`  service "kv/x" {` + "\n" + run + "  }\n",
			`  service "kv-x" {` + "\n" + run + "  }\n",
			[]string{"inventory.hcl:14:11: error: Invalid service name"}},
		{"duplicate service",
			svc(run) + svc(run),
			svc(run) + `  service "kv2" {` + "\n" + run + "  }\n",
			[]string{"inventory.hcl:17:11: error: Duplicate service"}},
		{"script and exec_start",
			svc(run + "    script = \"exec kv\"\n"),
			svc("    script = \"exec kv\"\n"),
			[]string{"inventory.hcl:15:18: error: Both script and exec_start"}},
		{"nothing to run",
			svc("    user = \"kv\"\n"),
			svc("    user = \"kv\"\n" + run),
			[]string{"inventory.hcl:14:11: error: Nothing to run"}},
		{"empty script",
			svc("    script = \" \\n\"\n"),
			svc("    script = \"true\\n\"\n"),
			[]string{"inventory.hcl:15:14: error: Empty script"}},
		{"exec_start not absolute",
			svc("    exec_start = \"kv-server --port 4000\"\n"),
			svc("    exec_start = \"-/run/current-system/sw/bin/kv-server --port 4000\"\n"),
			[]string{"inventory.hcl:15:18: error: Invalid exec_start"}},
		{"strict_shell_checks without script",
			svc(run + "    strict_shell_checks = true\n"),
			svc("    script = \"exec kv\"\n    strict_shell_checks = true\n"),
			[]string{"inventory.hcl:16:27: error: strict_shell_checks without a script"}},
		{"type",
			svc(run + "    type = \"one-shot\"\n"),
			svc(run + "    type = \"oneshot\"\n"),
			[]string{"inventory.hcl:16:12: error: Invalid service type"}},
		{"unit name without type",
			svc(run + "    after = [\"network-online.target\", \"postgresql\"]\n"),
			svc(run + "    after = [\"network-online.target\", \"postgresql.service\"]\n"),
			[]string{"inventory.hcl:16:39: error: Invalid unit name"}},
		{"depends on itself",
			svc(run + "    wants = [\"kv.service\"]\n"),
			svc(run + "    wants = [\"kv.socket\"]\n"),
			[]string{"inventory.hcl:16:14: error: Service depends on itself"}},
		{"required unit not ordered",
			svc(run + "    requires = [\"postgresql.service\"]\n    after = [\"network.target\"]\n"),
			// Ordered through the host's other service, which is after it.
			svc(run+"    requires = [\"postgresql.service\"]\n    after = [\"kv-migrations.service\"]\n") +
				`  service "kv-migrations" {` + "\n" + run + "    after = [\"postgresql.service\"]\n  }\n",
			[]string{"inventory.hcl:16:17: warning: Required unit not ordered"}},
		{"package",
			svc("    script = \"exec kv\"\n    packages = [\"jq\", \"python3Packages..requests\"]\n"),
			svc("    script = \"exec kv\"\n    packages = [\"jq\", \"python3Packages.requests\"]\n"),
			[]string{"inventory.hcl:16:23: error: Invalid package"}},
		{"environment name",
			svc(run + "    environment = { \"WEIRD.NAME\" = \"x\" }\n"),
			svc(run + "    environment = { \"WEIRD_NAME\" = \"x\" }\n"),
			[]string{"inventory.hcl:16:36: error: Invalid environment variable name"}},
		{"environment value",
			svc(run + "    environment = { A = \"x\\ny\" }\n"),
			svc(run + "    environment = { A = \"x y\" }\n"),
			[]string{"inventory.hcl:16:25: error: Invalid environment value"}},
		{"user",
			svc(run + "    user = \"KV user\"\n"),
			svc(run + "    user = \"kv_user\"\n"),
			[]string{"inventory.hcl:16:12: error: Invalid user"}},
		{"create_user without user",
			svc(run + "    create_user = false\n"),
			svc(run + "    create_user = false\n    user = \"kv\"\n"),
			[]string{"inventory.hcl:16:19: error: create_user without user"}},
		{"conflicting groups",
			svc(run+"    user = \"kv\"\n") + `  service "kv2" {` + "\n" + run + "    user = \"kv\"\n    group = \"web\"\n  }\n",
			svc(run+"    user = \"kv\"\n") + `  service "kv2" {` + "\n" + run + "    user = \"kv\"\n    group = \"web\"\n    create_user = false\n  }\n",
			[]string{"inventory.hcl:21:13: error: Conflicting primary groups"}},
		{"restart",
			svc(run + "    restart = \"on-fail\"\n"),
			svc(run + "    restart = \"on-failure\"\n"),
			[]string{"inventory.hcl:16:15: error: Invalid restart"}},
		{"restart_sec",
			svc(run + "    restart = \"always\"\n    restart_sec = \"10 secs\"\n"),
			svc(run + "    restart = \"always\"\n    restart_sec = \"1min 30s\"\n"),
			[]string{"inventory.hcl:17:19: error: Invalid restart_sec"}},
		{"restart_sec without restart",
			svc(run + "    restart_sec = \"10s\"\n"),
			svc(run + "    restart_sec = \"10s\"\n    restart = \"on-abnormal\"\n"),
			[]string{"inventory.hcl:16:19: warning: restart_sec without restart"}},
		{"state_directory",
			svc(run + "    state_directory = \"/var/lib/kv\"\n"),
			svc(run + "    state_directory = \"kv/data\"\n"),
			[]string{"inventory.hcl:16:23: error: Invalid state_directory"}},
		{"state_directory_mode",
			svc(run + "    state_directory = \"kv\"\n    state_directory_mode = \"750o\"\n"),
			svc(run + "    state_directory = \"kv\"\n    state_directory_mode = \"750\"\n"),
			[]string{"inventory.hcl:17:28: error: Invalid state_directory_mode"}},
		{"state_directory_mode without state_directory",
			svc(run + "    state_directory_mode = \"0750\"\n"),
			svc(run + "    state_directory_mode = \"0750\"\n    state_directory = \"kv\"\n"),
			[]string{"inventory.hcl:16:28: warning: state_directory_mode without state_directory"}},
		{"umask",
			svc(run + "    umask = \"0087\"\n"),
			svc(run + "    umask = \"0077\"\n"),
			[]string{"inventory.hcl:16:13: error: Invalid umask"}},
		{"protect_system",
			svc(run + "    protect_system = \"strictly\"\n"),
			svc(run + "    protect_system = true\n"),
			[]string{"inventory.hcl:16:22: error: Invalid protect_system"}},
		{"read_write_paths",
			svc(run + "    read_write_paths = [\"/var/lib/kv\", \"srv/kv\"]\n"),
			svc(run + "    read_write_paths = [\"/var/lib/kv\", \"/srv/kv\"]\n"),
			[]string{"inventory.hcl:16:40: error: Invalid read_write_paths"}},
		{"hardening directive name",
			svc(run + "    hardening = { protectClock = \"true\" }\n"),
			svc(run + "    hardening = { ProtectClock = \"true\" }\n"),
			[]string{"inventory.hcl:16:34: error: Invalid directive"}},
		{"hardening sets an attribute's directive",
			svc(run + "    hardening = { User = \"kv\" }\n"),
			svc(run + "    hardening = { DynamicUser = \"true\" }\n"),
			[]string{"inventory.hcl:16:26: error: Directive set by an attribute"}},
		{"hardening sets a directive twice",
			svc(run + "    private_tmp = true\n    hardening = { PrivateTmp = \"true\" }\n"),
			svc(run + "    hardening = { PrivateTmp = \"true\" }\n"),
			[]string{"inventory.hcl:17:32: error: Directive set twice"}},
		{"hardening boolean",
			svc(run + "    hardening = { PrivateTmp = \"maybe\" }\n"),
			svc(run + "    hardening = { PrivateTmp = \"no\" }\n"),
			[]string{"inventory.hcl:16:32: error: Invalid PrivateTmp"}},
		{"hardening typed value",
			svc(run + "    hardening = { UMask = \"777\", ProtectSystem = \"struct\" }\n"),
			svc(run + "    hardening = { UMask = \"777\", ProtectSystem = \"strict\" }\n"),
			[]string{"inventory.hcl:16:50: error: Invalid protect_system"}},
		{"postgresql names",
			"  postgresql {\n    databases = [\"kv\", \"kv db\"]\n    users = [\"kv\", \"kv\"]\n  }\n",
			"  postgresql {\n    databases = [\"kv\", \"kv_db\"]\n    users = [\"kv\", \"kv2\"]\n  }\n",
			[]string{"inventory.hcl:15:24: error: Invalid PostgreSQL database name", "inventory.hcl:16:20: error: Duplicate PostgreSQL user"}},
		{"postgresql package",
			"  postgresql {\n    package = \"postgresql 17\"\n  }\n",
			"  postgresql {\n    package = \"postgresql_17\"\n  }\n",
			[]string{"inventory.hcl:15:15: error: Invalid PostgreSQL package"}},
	}
	wlRunLints(t, cases, wlHost)
}

// wlDiagLinesOf returns the first line of each diagnostic.
func wlDiagLinesOf(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		line, _, _ := strings.Cut(wlDiagText(hcl.Diagnostics{d}), "\n")
		out = append(out, line)
	}
	return out
}

// TestUnitsUsers checks which accounts nixgen declares: not root and
// nobody, which NixOS declares, nor one with create_user = false, and a
// user shared by two services once, with the group the services name.
func TestUnitsUsers(t *testing.T) {
	svc := func(name, account string) string {
		return "  service \"" + name + "\" {\n    exec_start = \"/bin/" + name + "\"\n" + account + "  }\n"
	}
	src := wlHost(svc("a", "    user = \"root\"\n") +
		svc("b", "    user = \"nobody\"\n") +
		svc("c", "    user = \"kv\"\n    create_user = false\n") +
		svc("d", "    user = \"web\"\n    group = \"www\"\n") +
		svc("e", "    user = \"web\"\n    group = \"www\"\n"))
	hosts, diags := wlParse(t, src).check()
	if len(diags) > 0 {
		t.Fatal(wlDiagText(diags))
	}
	if diff := cmp.Diff([]unitUser{{name: "web", group: "www"}}, hosts[0].units.users, cmp.AllowUnexported(unitUser{})); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}
