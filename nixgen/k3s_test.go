package nixgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/internal/nixcheck"
)

// k3sInventory is a cluster of an init server and an agent, with the
// settings that the tests below vary in the places marked %s.
const k3sInventory = `fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "k8s.example.org"
  token_file     = "/run/keys/k3s_token"
%s}

profile "node" {
  hardware_configuration = "hardware/node.nix"
  k3s {
    cluster     = "main"
    role        = "agent"
    labels      = { "example.org/tier" = "batch", "example.org/disk" = "ssd" }
    taints      = ["dedicated=batch:NoSchedule"]
    extra_flags = ["--kubelet-arg=max-pods=50"]
  }
}

host "cp1" {
  use = ["node"]
  interface "eth0" {
    addresses = ["2001:db8::1/64", "10.0.0.1/24", "10.0.0.100/24"]
  }
  k3s {
    role   = "init"
    labels = { "example.org/disk" = "nvme" }
  }
}

host "worker1" {
  use = ["node"]
  interface "eth0" {
    addresses = ["10.0.0.11/24"]
  }
%s}
`

func k3sParse(t *testing.T, cluster, worker string) *Inventory {
	t.Helper()
	src := []byte(strings.Replace(strings.Replace(k3sInventory, "%s", cluster, 1), "%s", worker, 1))
	inv, diags := Parse("inventory.hcl", src)
	if diags.HasErrors() {
		t.Fatalf("parsing: %v", diags)
	}
	return inv
}

// k3sChecked returns the checked hosts by name, failing on errors.
func k3sChecked(t *testing.T, inv *Inventory) map[string]checkedHost {
	t.Helper()
	hosts, diags := inv.check()
	if diags.HasErrors() {
		t.Fatalf("check: %v", diags)
	}
	out := map[string]checkedHost{}
	for _, h := range hosts {
		out[h.Name] = h
	}
	return out
}

// TestK3sProfileMerge checks that a host's k3s block is laid over its
// profile's field by field, labels key by key, and that the ranges follow
// the values.
func TestK3sProfileMerge(t *testing.T) {
	hosts := k3sChecked(t, k3sParse(t, "", ""))
	cp1 := hosts["cp1"]
	if cp1.k3s == nil {
		t.Fatal("cp1 is not a k3s node")
	}
	n := cp1.k3s.node
	if n.Role != "init" {
		t.Errorf("role = %q, want the host's init", n.Role)
	}
	wantLabels := map[string]string{"example.org/tier": "batch", "example.org/disk": "nvme"}
	if diff := cmp.Diff(wantLabels, n.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"dedicated=batch:NoSchedule"}, n.Taints); diff != "" {
		t.Errorf("taints (-want +got):\n%s", diff)
	}
	if got := cp1.K3s.RoleRange.Start.Line; got != 29 {
		t.Errorf("role range at line %d, want the host's, 29", got)
	}
	if got := cp1.K3s.TaintsRange.Start.Line; got != 18 {
		t.Errorf("taints range at line %d, want the profile's, 18", got)
	}
	// The default node IP is the first static IPv4 address; every static
	// address is a source for the peers' firewalls.
	if got := ipsString(n.NodeIPs); got != "10.0.0.1" {
		t.Errorf("node IPs = %s, want 10.0.0.1", got)
	}
	if got := ipsString(n.Addresses); got != "2001:db8::1,10.0.0.1,10.0.0.100" {
		t.Errorf("addresses = %s", got)
	}
	// The profile itself is left alone.
	inv := k3sParse(t, "", "")
	k3sChecked(t, inv)
	if r := *inv.Profiles[0].K3s.Role; r != "agent" {
		t.Errorf("the profile's role became %q", r)
	}
	if len(inv.Profiles[0].K3s.Labels) != 2 || inv.Profiles[0].K3s.Labels["example.org/disk"] != "ssd" {
		t.Errorf("the profile's labels changed: %v", inv.Profiles[0].K3s.Labels)
	}
}

func ipsString[T interface{ String() string }](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

// TestK3sNodeIP checks the node IP: one per family of the pod network by
// default, given, and invalid.
func TestK3sNodeIP(t *testing.T) {
	hosts := k3sChecked(t, k3sParse(t, `  cluster_cidr = "10.42.0.0/16,2001:db8:42::/56"
`, `  interface "eth1" {
    addresses = ["2001:db8::11/64"]
  }
`))
	for host, want := range map[string]string{"cp1": "10.0.0.1,2001:db8::1", "worker1": "10.0.0.11,2001:db8::11"} {
		if got := ipsString(hosts[host].k3s.node.NodeIPs); got != want {
			t.Errorf("%s dual-stack node IPs = %s, want %s", host, got, want)
		}
	}

	inv := k3sParse(t, "", `  k3s {
    node_ip = "10.0.0.11,2001:db8::11"
  }
`)
	_, diags := inv.check()
	want := []string{`inventory.hcl:40:15: error: Node IP and pod network of different families`}
	if diff := cmp.Diff(want, k3sDiagLines(diags)); diff != "" {
		t.Errorf("dual node_ip in an IPv4 cluster (-want +got):\n%s", diff)
	}

	inv = k3sParse(t, "", `  k3s {
    node_ip = "10.0.0.300"
  }
`)
	_, diags = inv.check()
	want = []string{`inventory.hcl:40:15: error: Invalid node_ip`}
	if diff := cmp.Diff(want, k3sDiagLines(diags)); diff != "" {
		t.Errorf("invalid node_ip (-want +got):\n%s", diff)
	}
}

// k3sDiagLines returns the first line of each diagnostic as the text
// output writes it.
func k3sDiagLines(diags hcl.Diagnostics) []string {
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

// TestK3sRefusesPlaintextToken checks that a token written in the
// inventory is refused in both syntaxes, and that no other token problem
// is reported on top.
func TestK3sRefusesPlaintextToken(t *testing.T) {
	hcl := strings.Replace(strings.Replace(k3sInventory, "  token_file     = \"/run/keys/k3s_token\"\n", "", 1), "%s", `  token       = "K10abc::server:def"
  agent_token = "K10abc::node:ghi"
`, 1)
	hcl = strings.Replace(hcl, "%s", "", 1)
	inv, diags := Parse("inventory.hcl", []byte(hcl))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = inv.check()
	want := []string{
		"inventory.hcl:9:17: error: Plaintext token refused",
		"inventory.hcl:10:17: error: Plaintext agent token refused",
	}
	if diff := cmp.Diff(want, k3sDiagLines(diags)); diff != "" {
		t.Errorf("HCL (-want +got):\n%s", diff)
	}
	if !strings.Contains(diags[0].Detail, "Nix store") || !strings.Contains(diags[0].Detail, `token_secret = "k3s_token"`) {
		t.Errorf("the detail does not explain: %s", diags[0].Detail)
	}

	json := `{
  "fleet": {"nixpkgs": "github:NixOS/nixpkgs/nixos-unstable", "system": "x86_64-linux", "state_version": "25.11"},
  "k3s_cluster": {"main": {"token": "K10abc::server:def"}},
  "host": {"cp1": {"hardware_configuration": "hw/cp1.nix", "k3s": {"role": "init"}}}
}`
	inv, diags = Parse("inventory.json", []byte(json))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = inv.check()
	want = []string{"inventory.json:3:37: error: Plaintext token refused"}
	if diff := cmp.Diff(want, k3sDiagLines(diags)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

// TestK3sClusterErrors checks the conversion of the cluster block.
func TestK3sClusterErrors(t *testing.T) {
	cases := []struct {
		name, cluster string
		want          []string
	}{
		{"bad cidr", `  cluster_cidr = "10.42.0.0"
`, []string{"inventory.hcl:10:18: error: Invalid cluster_cidr"}},
		{"bad dns", `  cluster_dns = "10.43.0.0.10"
`, []string{"inventory.hcl:10:17: error: Invalid cluster_dns"}},
		{"two token sources", `  token_secret = "k3s_token"
`, []string{"inventory.hcl:10:18: error: Two sources for the token"}},
		{"admin source", `  admin_sources = ["198.51.100.7", "198.51.100.0/24", "bad"]
`, []string{"inventory.hcl:10:55: error: Invalid admin source"}},
		{"flag element", `  extra_flags = ["--disable-network-policy", "--flannel-backend=host-gw"]
`, []string{"inventory.hcl:10:46: error: Flag set elsewhere"}},
		{"host bits", `  admin_sources = ["198.51.100.7/24"]
`, []string{"inventory.hcl:10:20: warning: Source has host bits"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, diags := k3sParse(t, c.cluster, "").check()
			if diff := cmp.Diff(c.want, k3sDiagLines(diags)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	src := strings.Replace(strings.Replace(k3sInventory, "%s", "", 2), `host "cp1"`, `k3s_cluster "main" {
  token_file = "/run/keys/k3s"
}

host "cp1"`, 1)
	inv, diags := Parse("inventory.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = inv.check()
	if diff := cmp.Diff([]string{"inventory.hcl:23:13: error: Duplicate k3s cluster"}, k3sDiagLines(diags)); diff != "" {
		t.Errorf("duplicate cluster (-want +got):\n%s", diff)
	}
}

// TestK3sTrustedInterfaces checks the trusted interfaces of a plan: sorted,
// without repeats, and checked.
func TestK3sTrustedInterfaces(t *testing.T) {
	var p firewallPlan
	for _, ti := range []trustedInterface{{"flannel.1", "b"}, {"cni0", "a"}, {"cni0", "again"}} {
		if err := p.trust(ti); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]trustedInterface{{"cni0", "a"}, {"flannel.1", "b"}}, p.trusted); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []trustedInterface{{"cni 0", "x"}, {"cni0", ""}, {"cni0", "two\nlines"}, {"averyveryverylongname", "x"}} {
		if err := p.trust(bad); err == nil {
			t.Errorf("trust(%q) succeeded", bad)
		}
	}
}

// TestK3sRenderEval renders the seed 002 example and evaluates what every
// node's k3s.nix and network.nix set, with the real Nix evaluator and a
// stub config for sops-nix.
func TestK3sRenderEval(t *testing.T) {
	inv, diags := Load("../examples/seed-002-k3s-ha/inventory.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, diags := Render(inv)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
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
	type result struct {
		Imports []string `json:"imports"`
		K3s     struct {
			Role        string   `json:"role"`
			TokenFile   string   `json:"tokenFile"`
			ClusterInit bool     `json:"clusterInit"`
			ServerAddr  string   `json:"serverAddr"`
			NodeIP      string   `json:"nodeIP"`
			NodeLabel   []string `json:"nodeLabel"`
			ExtraFlags  []string `json:"extraFlags"`
		} `json:"k3s"`
		Trusted  []string `json:"trusted"`
		Commands string   `json:"commands"`
	}
	for _, host := range []string{"instance-1", "instance-2", "instance-3", "satellite"} {
		t.Run(host, func(t *testing.T) {
			expr := `let
  config.sops.secrets.k3s_token.path = "/run/secrets/k3s_token";
  h = ./hosts/` + host + `;
  k3s = import (h + "/k3s.nix") { inherit config; };
  net = import (h + "/network.nix") { };
in {
  imports = map (p: baseNameOf (toString p)) (import (h + "/default.nix") { }).imports;
  k3s = { inherit (k3s.services.k3s) role tokenFile nodeIP nodeLabel; }
    // { clusterInit = k3s.services.k3s.clusterInit or false;
         serverAddr = k3s.services.k3s.serverAddr or "";
         extraFlags = k3s.services.k3s.extraFlags or [ ]; };
  trusted = net.networking.firewall.trustedInterfaces;
  commands = net.networking.firewall.extraCommands;
}`
			var got result
			nixcheck.EvalExprJSON(t, dir, expr, &got)
			if diff := cmp.Diff([]string{"disko.nix", "network.nix", "k3s.nix", "services.nix", "secrets.nix"}, got.Imports); diff != "" {
				t.Errorf("imports (-want +got):\n%s", diff)
			}
			if got.K3s.TokenFile != "/run/secrets/k3s_token" {
				t.Errorf("tokenFile = %q", got.K3s.TokenFile)
			}
			server := host != "satellite"
			if (got.K3s.Role == "server") != server {
				t.Errorf("role = %q", got.K3s.Role)
			}
			if got.K3s.ClusterInit != (host == "instance-1") {
				t.Errorf("clusterInit = %v", got.K3s.ClusterInit)
			}
			if (got.K3s.ServerAddr == "https://k8s.example.org:6443") != (host != "instance-1") {
				t.Errorf("serverAddr = %q", got.K3s.ServerAddr)
			}
			var wantFlags []string
			if server {
				wantFlags = []string{"--flannel-backend wireguard-native", "--tls-san k8s.example.org"}
			}
			if diff := cmp.Diff(wantFlags, got.K3s.ExtraFlags, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("extraFlags (-want +got):\n%s", diff)
			}
			if len(got.K3s.NodeLabel) != 2 || !strings.HasPrefix(got.K3s.NodeLabel[0], "topology.kubernetes.io/region=") {
				t.Errorf("nodeLabel = %q", got.K3s.NodeLabel)
			}
			if diff := cmp.Diff([]string{"cni0", "flannel-wg"}, got.Trusted); diff != "" {
				t.Errorf("trustedInterfaces (-want +got):\n%s", diff)
			}
			for _, port := range []string{"--dport 10250 ", "--dport 51820 "} {
				if !strings.Contains(got.Commands, port) {
					t.Errorf("no rule for %s", port)
				}
			}
			hasAPI := strings.Contains(got.Commands, "--dport 6443 ")
			if hasAPI != server || strings.Contains(got.Commands, "--dport 2379:2380 ") != server {
				t.Errorf("API and etcd rules on %s: %v\n%s", host, hasAPI, got.Commands)
			}
			if strings.Contains(got.Commands, got.K3s.NodeIP+"/32") {
				t.Errorf("%s admits its own address %s", host, got.K3s.NodeIP)
			}
		})
	}
}
