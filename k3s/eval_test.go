package k3s_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/internal/nixcheck"
	"github.com/nixgen/nixgen/k3s"
	"github.com/nixgen/nixgen/nixgen/nix"
)

// evaluated is what a generated module evaluates to, as JSON.
type evaluated struct {
	K3s struct {
		Enable               bool     `json:"enable"`
		Role                 string   `json:"role"`
		TokenFile            string   `json:"tokenFile"`
		AgentTokenFile       *string  `json:"agentTokenFile"`
		ClusterInit          *bool    `json:"clusterInit"`
		ServerAddr           *string  `json:"serverAddr"`
		Disable              []string `json:"disable"`
		NodeIP               *string  `json:"nodeIP"`
		NodeLabel            []string `json:"nodeLabel"`
		NodeTaint            []string `json:"nodeTaint"`
		ExtraFlags           []string `json:"extraFlags"`
		GracefulNodeShutdown *struct {
			Enable bool `json:"enable"`
		} `json:"gracefulNodeShutdown"`
	} `json:"k3s"`
	Secrets map[string]map[string]any `json:"secrets"`
}

// evalModule writes the module of n to k3s.nix, checks that Nix parses
// it, and evaluates it with a stub config that has the sops-nix secrets'
// paths.
func evalModule(t *testing.T, c *k3s.Cluster, n *k3s.Node) evaluated {
	t.Helper()
	e, err := c.Module(n)
	if err != nil {
		t.Fatalf("Module(%s): %v", n.Host, err)
	}
	src, err := nix.File{Header: []string{"test"}, Expr: e}.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	nixcheck.Parse(t, "k3s.nix", src)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k3s.nix"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	const expr = `let
  secret = name: { path = "/run/secrets/" + name; };
  config.sops.secrets = {
    k3s_token = secret "k3s_token";
    "k3s/agent-token" = secret "k3s/agent-token";
  };
  m = import ./k3s.nix { inherit config; lib = { }; pkgs = { }; };
in {
  k3s = m.services.k3s;
  secrets = m.sops.secrets or { };
}`
	var out evaluated
	nixcheck.EvalExprJSON(t, dir, expr, &out)
	return out
}

func ptr[T any](v T) *T { return &v }

// TestModuleEval evaluates the module of every node of the reference
// cluster, and of a cluster with every setting, with the real Nix
// evaluator.
func TestModuleEval(t *testing.T) {
	c, nodes := seedCluster()
	for _, n := range nodes {
		t.Run(n.Host, func(t *testing.T) {
			got := evalModule(t, c, n)
			k := got.K3s
			if !k.Enable || k.TokenFile != "/run/secrets/k3s_token" {
				t.Errorf("enable = %v, tokenFile = %q", k.Enable, k.TokenFile)
			}
			if diff := cmp.Diff(map[string]map[string]any{"k3s_token": {}}, got.Secrets); diff != "" {
				t.Errorf("sops.secrets (-want +got):\n%s", diff)
			}
			wantRole, wantFlags := "server", []string{"--flannel-backend wireguard-native", "--tls-san k8s.example.org"}
			if n.Role == k3s.RoleAgent {
				wantRole, wantFlags = "agent", nil
			}
			if k.Role != wantRole || !cmp.Equal(k.ExtraFlags, wantFlags) {
				t.Errorf("role = %q, extraFlags = %q; want %q, %q", k.Role, k.ExtraFlags, wantRole, wantFlags)
			}
			if n.Role == k3s.RoleInit {
				if k.ClusterInit == nil || !*k.ClusterInit || k.ServerAddr != nil {
					t.Errorf("init: clusterInit = %v, serverAddr = %v", k.ClusterInit, k.ServerAddr)
				}
			} else if k.ClusterInit != nil || k.ServerAddr == nil || *k.ServerAddr != "https://k8s.example.org:6443" {
				t.Errorf("joiner: clusterInit = %v, serverAddr = %v", k.ClusterInit, k.ServerAddr)
			}
			wantLabels := []string{"topology.kubernetes.io/region=france", "topology.kubernetes.io/zone=" + n.Zone}
			if !cmp.Equal(k.NodeLabel, wantLabels) || k.NodeIP == nil || *k.NodeIP != n.NodeIPs[0].String() {
				t.Errorf("nodeLabel = %q, nodeIP = %v", k.NodeLabel, k.NodeIP)
			}
			if k.GracefulNodeShutdown == nil || !k.GracefulNodeShutdown.Enable {
				t.Error("gracefulNodeShutdown.enable is not true")
			}
		})
	}

	full := &k3s.Cluster{
		Name:          "lab",
		ServerAddress: "10.0.0.10",
		Token:         k3s.Secret{SOPS: "k3s_token"},
		AgentToken:    k3s.Secret{SOPS: "k3s/agent-token"},
		ClusterCIDR:   []netip.Prefix{netip.MustParsePrefix("10.52.0.0/16")},
		ClusterDomain: "lab.local",
		Disable:       []string{"traefik"},
		ExtraFlags:    []string{`--kube-apiserver-arg "audit-log-maxage=30"`},
	}
	server := &k3s.Node{Host: "cp2", Role: k3s.RoleServer, Taints: []string{"dedicated=control:NoSchedule"}}
	got := evalModule(t, full, server)
	want := evaluated{}
	want.K3s.Enable = true
	want.K3s.Role = "server"
	want.K3s.TokenFile = "/run/secrets/k3s_token"
	want.K3s.AgentTokenFile = ptr("/run/secrets/k3s/agent-token")
	want.K3s.ServerAddr = ptr("https://10.0.0.10:6443")
	want.K3s.Disable = []string{"traefik"}
	want.K3s.NodeTaint = []string{"dedicated=control:NoSchedule"}
	want.K3s.ExtraFlags = []string{
		"--cluster-cidr 10.52.0.0/16",
		"--cluster-domain lab.local",
		"--tls-san 10.0.0.10",
		`--kube-apiserver-arg "audit-log-maxage=30"`,
	}
	want.Secrets = map[string]map[string]any{"k3s_token": {}, "k3s/agent-token": {}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server of the full cluster (-want +got):\n%s", diff)
	}

	agent := &k3s.Node{Host: "w1", Role: k3s.RoleAgent}
	got = evalModule(t, full, agent)
	want = evaluated{}
	want.K3s.Enable = true
	want.K3s.Role = "agent"
	want.K3s.TokenFile = "/run/secrets/k3s/agent-token"
	want.K3s.ServerAddr = ptr("https://10.0.0.10:6443")
	want.Secrets = map[string]map[string]any{"k3s/agent-token": {}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agent of the full cluster (-want +got):\n%s", diff)
	}
}
