package k3s_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/k3s"
	"github.com/nixgen/nixgen/nixgen/nix"
)

// seedCluster is the cluster of the reference write-up: three servers and
// one satellite agent, flannel over WireGuard, a round-robin DNS name for
// the servers and the token in sops-nix.
func seedCluster() (*k3s.Cluster, []*k3s.Node) {
	c := &k3s.Cluster{
		Name:                 "main",
		ServerAddress:        "k8s.example.org",
		Token:                k3s.Secret{SOPS: "k3s_token"},
		FlannelBackend:       k3s.FlannelWireGuard,
		GracefulNodeShutdown: true,
		AdminCIDRs:           []netip.Prefix{netip.MustParsePrefix("198.51.100.7/32")},
	}
	node := func(host string, role k3s.Role, addr, zone string) *k3s.Node {
		a := netip.MustParseAddr(addr)
		return &k3s.Node{Host: host, Role: role, NodeIPs: []netip.Addr{a}, Addresses: []netip.Addr{a}, Region: "france", Zone: zone}
	}
	return c, []*k3s.Node{
		node("instance-1", k3s.RoleInit, "203.0.113.10", "france-paris"),
		node("instance-2", k3s.RoleServer, "203.0.113.11", "france-paris"),
		node("instance-3", k3s.RoleServer, "203.0.113.12", "france-roubaix"),
		node("satellite", k3s.RoleAgent, "203.0.113.40", "france-roubaix"),
	}
}

func printModule(t *testing.T, c *k3s.Cluster, n *k3s.Node) string {
	t.Helper()
	e, err := c.Module(n)
	if err != nil {
		t.Fatalf("Module(%s): %v", n.Host, err)
	}
	out, err := nix.Print(e)
	if err != nil {
		t.Fatalf("printing the module of %s: %v", n.Host, err)
	}
	return string(out)
}

// TestModule checks the modules of the reference cluster in full.
func TestModule(t *testing.T) {
	c, nodes := seedCluster()
	want := map[string]string{
		"instance-1": `{ config, ... }: {
  services.k3s = {
    enable = true;
    role = "server";
    tokenFile = config.sops.secrets.k3s_token.path;
    clusterInit = true;
    nodeIP = "203.0.113.10";
    nodeLabel = [
      "topology.kubernetes.io/region=france"
      "topology.kubernetes.io/zone=france-paris"
    ];
    extraFlags = [
      "--flannel-backend wireguard-native"
      "--tls-san k8s.example.org"
    ];
    gracefulNodeShutdown.enable = true;
  };
  sops.secrets.k3s_token = { };
}
`,
		"instance-3": `{ config, ... }: {
  services.k3s = {
    enable = true;
    role = "server";
    tokenFile = config.sops.secrets.k3s_token.path;
    serverAddr = "https://k8s.example.org:6443";
    nodeIP = "203.0.113.12";
    nodeLabel = [
      "topology.kubernetes.io/region=france"
      "topology.kubernetes.io/zone=france-roubaix"
    ];
    extraFlags = [
      "--flannel-backend wireguard-native"
      "--tls-san k8s.example.org"
    ];
    gracefulNodeShutdown.enable = true;
  };
  sops.secrets.k3s_token = { };
}
`,
		"satellite": `{ config, ... }: {
  services.k3s = {
    enable = true;
    role = "agent";
    tokenFile = config.sops.secrets.k3s_token.path;
    serverAddr = "https://k8s.example.org:6443";
    nodeIP = "203.0.113.40";
    nodeLabel = [
      "topology.kubernetes.io/region=france"
      "topology.kubernetes.io/zone=france-roubaix"
    ];
    gracefulNodeShutdown.enable = true;
  };
  sops.secrets.k3s_token = { };
}
`,
	}
	for _, n := range nodes {
		w, ok := want[n.Host]
		if !ok {
			continue
		}
		if diff := cmp.Diff(w, printModule(t, c, n)); diff != "" {
			t.Errorf("module of %s (-want +got):\n%s", n.Host, diff)
		}
	}
}

// TestModuleEverything sets every field, to check the order of the
// options and flags, the agent token, and a token file.
func TestModuleEverything(t *testing.T) {
	c := &k3s.Cluster{
		Name:              "lab",
		ServerAddress:     "2001:db8::10",
		TLSSANs:           []string{"k8s.lab.example", "2001:db8::10", "*.lab.example"},
		Token:             k3s.Secret{File: "/run/keys/k3s-token"},
		AgentToken:        k3s.Secret{SOPS: "k3s/agent-token"},
		ClusterCIDR:       []netip.Prefix{netip.MustParsePrefix("2001:db8:42::/56"), netip.MustParsePrefix("10.42.0.0/16")},
		ServiceCIDR:       []netip.Prefix{netip.MustParsePrefix("10.43.0.0/16"), netip.MustParsePrefix("2001:db8:43::/112")},
		ClusterDNS:        netip.MustParseAddr("10.43.0.10"),
		ClusterDomain:     "lab.local",
		Disable:           []string{"traefik", "servicelb", "traefik"},
		SecretsEncryption: true,
		EmbeddedRegistry:  true,
		ExtraFlags:        []string{"--disable-network-policy"},
	}
	server := &k3s.Node{
		Host: "cp1", Role: k3s.RoleServer,
		NodeIPs:    []netip.Addr{netip.MustParseAddr("2001:db8::11"), netip.MustParseAddr("10.0.0.11")},
		Labels:     map[string]string{"example.org/disk": "ssd", "node.kubernetes.io/pool": "core"},
		Taints:     []string{"dedicated=control:NoSchedule", "CriticalAddonsOnly=true:NoExecute"},
		ExtraFlags: []string{"--kubelet-arg=max-pods=200"},
	}
	got := printModule(t, c, server)
	want := `{ config, ... }: {
  services.k3s = {
    enable = true;
    role = "server";
    tokenFile = "/run/keys/k3s-token";
    agentTokenFile = config.sops.secrets."k3s/agent-token".path;
    serverAddr = "https://[2001:db8::10]:6443";
    disable = [
      "servicelb"
      "traefik"
    ];
    nodeIP = "10.0.0.11,2001:db8::11";
    nodeLabel = [
      "example.org/disk=ssd"
      "node.kubernetes.io/pool=core"
    ];
    nodeTaint = [
      "CriticalAddonsOnly=true:NoExecute"
      "dedicated=control:NoSchedule"
    ];
    extraFlags = [
      "--cluster-cidr 10.42.0.0/16,2001:db8:42::/56"
      "--service-cidr 10.43.0.0/16,2001:db8:43::/112"
      "--cluster-dns 10.43.0.10"
      "--cluster-domain lab.local"
      "--secrets-encryption"
      "--embedded-registry"
      "--tls-san 2001:db8::10"
      "--tls-san k8s.lab.example"
      "--tls-san *.lab.example"
      "--disable-network-policy"
      "--kubelet-arg=max-pods=200"
    ];
  };
  sops.secrets."k3s/agent-token" = { };
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server module (-want +got):\n%s", diff)
	}

	// The agent joins with the agent token, and gets none of the
	// cluster-wide flags.
	agent := &k3s.Node{Host: "w1", Role: k3s.RoleAgent, ExtraFlags: []string{"--kubelet-arg=max-pods=50"}}
	got = printModule(t, c, agent)
	want = `{ config, ... }: {
  services.k3s = {
    enable = true;
    role = "agent";
    tokenFile = config.sops.secrets."k3s/agent-token".path;
    serverAddr = "https://[2001:db8::10]:6443";
    extraFlags = [ "--kubelet-arg=max-pods=50" ];
  };
  sops.secrets."k3s/agent-token" = { };
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agent module (-want +got):\n%s", diff)
	}

	// Without a sops secret the module needs no argument.
	c.AgentToken = k3s.Secret{}
	got = printModule(t, c, agent)
	if !strings.HasPrefix(got, "{ ... }: {\n") || !strings.Contains(got, `tokenFile = "/run/keys/k3s-token";`) {
		t.Errorf("agent module with a token file:\n%s", got)
	}
}

// TestModuleErrors checks that Module refuses what would be a broken
// module, and accepts the near misses.
func TestModuleErrors(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(c *k3s.Cluster, n *k3s.Node)
		error string // "" for a near miss that must pass
	}{
		{"no token", func(c *k3s.Cluster, n *k3s.Node) { c.Token = k3s.Secret{} }, "No cluster token"},
		{"token in the store", func(c *k3s.Cluster, n *k3s.Node) { c.Token = k3s.Secret{File: "/nix/store/abc-token"} }, "in the Nix store"},
		{"token file near miss", func(c *k3s.Cluster, n *k3s.Node) { c.Token = k3s.Secret{File: "/nix/storage/token"} }, ""},
		{"joiner without address", func(c *k3s.Cluster, n *k3s.Node) { c.ServerAddress = "" }, "no server address"},
		{"init without address", func(c *k3s.Cluster, n *k3s.Node) { c.ServerAddress = ""; n.Role = k3s.RoleInit }, ""},
		{"bad role", func(c *k3s.Cluster, n *k3s.Node) { n.Role = "master" }, "Invalid role"},
		{"token flag", func(c *k3s.Cluster, n *k3s.Node) { n.ExtraFlags = []string{"--token=s3cret"} }, "Flag set elsewhere"},
		{"bad taint", func(c *k3s.Cluster, n *k3s.Node) { n.Taints = []string{"dedicated=x:Sometimes"} }, "Invalid taint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, nodes := seedCluster()
			n := nodes[1]
			tc.edit(c, n)
			_, err := c.Module(n)
			switch {
			case tc.error == "" && err != nil:
				t.Errorf("Module: %v, want success", err)
			case tc.error != "" && (err == nil || !strings.Contains(err.Error(), tc.error)):
				t.Errorf("Module: %v, want an error containing %q", err, tc.error)
			}
		})
	}
	c, _ := seedCluster()
	if _, err := c.Module(nil); err == nil {
		t.Error("Module(nil) succeeded")
	}
}
