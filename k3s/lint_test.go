package k3s_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/k3s"
)

// found is the part of a diagnostic that the lint tests compare.
type found struct {
	Severity k3s.Severity
	Summary  string
	Node     string
	Field    k3s.Field
}

func lintFound(c *k3s.Cluster, nodes []*k3s.Node) ([]found, []k3s.Diagnostic) {
	diags := k3s.Lint(c, nodes)
	var out []found
	for _, d := range diags {
		out = append(out, found{d.Severity, d.Summary, d.Node, d.Field})
	}
	return out, diags
}

// TestLintSeed checks that the reference cluster is clean.
func TestLintSeed(t *testing.T) {
	c, nodes := seedCluster()
	if diags := k3s.Lint(c, nodes); len(diags) > 0 {
		t.Errorf("the reference cluster has diagnostics: %v", diags)
	}
}

// TestLint runs each check on the reference cluster changed to trip it,
// and changed almost as much without tripping it.
func TestLint(t *testing.T) {
	a := netip.MustParseAddr
	p := netip.MustParsePrefix
	cases := []struct {
		name string
		edit func(c *k3s.Cluster, n []*k3s.Node)
		want []found // nil: a near miss, no diagnostic
	}{
		{"two inits", func(c *k3s.Cluster, n []*k3s.Node) { n[1].Role = k3s.RoleInit },
			[]found{{k3s.Error, "Two init servers", "instance-2", k3s.FieldRole}}},
		{"no init", func(c *k3s.Cluster, n []*k3s.Node) { n[0].Role = k3s.RoleServer },
			[]found{{k3s.Error, "No init server", "", ""}}},
		{"no init, near miss: a lone init", func(c *k3s.Cluster, n []*k3s.Node) {
			c.ServerAddress = ""
			n[1], n[2], n[3] = nil, nil, nil
		}, nil},
		{"even servers", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Role = k3s.RoleServer },
			[]found{{k3s.Warning, "Even number of servers", "", ""}}},
		{"even servers, near miss: one server", func(c *k3s.Cluster, n []*k3s.Node) { n[1].Role, n[2].Role = k3s.RoleAgent, k3s.RoleAgent }, nil},
		{"joiner without server address", func(c *k3s.Cluster, n []*k3s.Node) { c.ServerAddress = "" },
			[]found{{k3s.Error, "No server address", "", k3s.FieldServerAddress}}},
		{"server address of an agent", func(c *k3s.Cluster, n []*k3s.Node) { c.ServerAddress = "203.0.113.40" },
			[]found{{k3s.Error, "Server address of an agent", "", k3s.FieldServerAddress}}},
		{"server address of a server, near miss", func(c *k3s.Cluster, n []*k3s.Node) { c.ServerAddress = "203.0.113.11" }, nil},
		{"server address of no node", func(c *k3s.Cluster, n []*k3s.Node) { c.ServerAddress = "203.0.113.99" },
			[]found{{k3s.Warning, "Server address of no node", "", k3s.FieldServerAddress}}},
		{"invalid server address", func(c *k3s.Cluster, n []*k3s.Node) { c.ServerAddress = "k8s..example.org" },
			[]found{{k3s.Error, "Invalid server address", "", k3s.FieldServerAddress}}},
		{"duplicate node name", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Host = "instance-2" },
			[]found{{k3s.Error, "Duplicate node name", "instance-2", k3s.FieldHost}}},
		{"duplicate node name, near miss", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Host = "instance-20" }, nil},
		{"invalid node name", func(c *k3s.Cluster, n []*k3s.Node) { n[0].Host = "instance_1" },
			[]found{{k3s.Error, "Invalid node name", "instance_1", k3s.FieldHost}}},
		{"node name in capitals, near miss", func(c *k3s.Cluster, n []*k3s.Node) { n[0].Host = "Instance-1" }, nil},
		{"agent cannot be init", func(c *k3s.Cluster, n []*k3s.Node) { n[3].ExtraFlags = []string{"--cluster-init"} },
			[]found{{k3s.Error, "Agent cannot be init", "satellite", k3s.FieldExtraFlags}}},
		{"agent cannot be init, near miss", func(c *k3s.Cluster, n []*k3s.Node) { n[3].ExtraFlags = []string{"--kubelet-arg=cluster-init"} }, nil},
		{"server with --cluster-init", func(c *k3s.Cluster, n []*k3s.Node) { n[1].ExtraFlags = []string{"--cluster-init"} },
			[]found{{k3s.Error, "Flag set elsewhere", "instance-2", k3s.FieldExtraFlags}}},
		{"cluster-wide flag on a node", func(c *k3s.Cluster, n []*k3s.Node) { n[1].ExtraFlags = []string{"--disable-network-policy"} },
			[]found{{k3s.Error, "Cluster-wide flag on a node", "instance-2", k3s.FieldExtraFlags}}},
		{"cluster-wide flag on the cluster, near miss", func(c *k3s.Cluster, n []*k3s.Node) { c.ExtraFlags = []string{"--disable-network-policy"} }, nil},
		{"managed flag on the cluster", func(c *k3s.Cluster, n []*k3s.Node) { c.ExtraFlags = []string{"--tls-san=k8s.internal"} },
			[]found{{k3s.Error, "Flag set elsewhere", "", k3s.FieldExtraFlags}}},
		{"flag with a line break", func(c *k3s.Cluster, n []*k3s.Node) { c.ExtraFlags = []string{"--debug\n--token x"} },
			[]found{{k3s.Error, "Invalid flag", "", k3s.FieldExtraFlags}}},
		{"flag expanded by systemd", func(c *k3s.Cluster, n []*k3s.Node) { n[0].ExtraFlags = []string{"--data-dir=%h/k3s"} },
			[]found{{k3s.Warning, "Flag expanded by systemd", "instance-1", k3s.FieldExtraFlags}}},
		{"reserved label", func(c *k3s.Cluster, n []*k3s.Node) {
			n[3].Labels = map[string]string{"node-role.kubernetes.io/worker": "true"}
		}, []found{{k3s.Error, "Label reserved to Kubernetes", "satellite", k3s.FieldLabels}}},
		{"reserved label, near miss", func(c *k3s.Cluster, n []*k3s.Node) {
			n[3].Labels = map[string]string{"node.kubernetes.io/worker": "true", "example.org/role": "worker"}
		}, nil},
		{"label set twice", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Labels = map[string]string{k3s.LabelZone: "roubaix"} },
			[]found{{k3s.Error, "Label set twice", "satellite", k3s.FieldLabels}}},
		{"label set once, near miss", func(c *k3s.Cluster, n []*k3s.Node) {
			n[3].Zone = ""
			n[3].Labels = map[string]string{k3s.LabelZone: "roubaix"}
		}, nil},
		{"invalid label", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Labels = map[string]string{"example.org/disk": "hdd only"} },
			[]found{{k3s.Error, "Invalid label", "satellite", k3s.FieldLabels}}},
		{"invalid zone", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Zone = "france/roubaix" },
			[]found{{k3s.Error, "Invalid zone", "satellite", k3s.FieldZone}}},
		{"invalid taint", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Taints = []string{"dedicated=storage"} },
			[]found{{k3s.Error, "Invalid taint", "satellite", k3s.FieldTaints}}},
		{"valid taint, near miss", func(c *k3s.Cluster, n []*k3s.Node) {
			n[3].Taints = []string{"dedicated=storage:NoSchedule", "spot:PreferNoSchedule"}
		}, nil},
		{"node without an address", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Addresses, n[3].NodeIPs = nil, nil },
			[]found{{k3s.Error, "Node without an address", "satellite", k3s.FieldAddresses}}},
		{"node with a node IP only, near miss", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Addresses = nil }, nil},
		{"node address in the pod network", func(c *k3s.Cluster, n []*k3s.Node) { n[3].Addresses = []netip.Addr{a("10.42.7.1")} },
			[]found{{k3s.Error, "Node address inside the pod network", "satellite", k3s.FieldAddresses}}},
		{"node IP in a moved service network", func(c *k3s.Cluster, n []*k3s.Node) { c.ServiceCIDR = []netip.Prefix{p("203.0.113.0/26")} },
			[]found{
				{k3s.Error, "Node address inside the service network", "instance-1", k3s.FieldNodeIP},
				{k3s.Error, "Node address inside the service network", "instance-2", k3s.FieldNodeIP},
				{k3s.Error, "Node address inside the service network", "instance-3", k3s.FieldNodeIP},
				{k3s.Error, "Node address inside the service network", "satellite", k3s.FieldNodeIP},
			}},
		{"node IP of another family", func(c *k3s.Cluster, n []*k3s.Node) { n[3].NodeIPs = []netip.Addr{a("2001:db8::40")} },
			[]found{{k3s.Error, "Node IP and pod network of different families", "satellite", k3s.FieldNodeIP}}},
		{"one node IP in a dual-stack cluster", func(c *k3s.Cluster, n []*k3s.Node) {
			c.ClusterCIDR = []netip.Prefix{p("10.42.0.0/16"), p("2001:db8:42::/56")}
			n[3].NodeIPs = []netip.Addr{a("203.0.113.40")}
			n[0].NodeIPs, n[1].NodeIPs, n[2].NodeIPs = nil, nil, nil
		}, []found{{k3s.Error, "Node IP and pod network of different families", "satellite", k3s.FieldNodeIP}}},
		{"two node IPs in a dual-stack cluster, near miss", func(c *k3s.Cluster, n []*k3s.Node) {
			c.ClusterCIDR = []netip.Prefix{p("10.42.0.0/16"), p("2001:db8:42::/56")}
			n[3].NodeIPs = []netip.Addr{a("2001:db8::40"), a("203.0.113.40")}
			n[0].NodeIPs, n[1].NodeIPs, n[2].NodeIPs = nil, nil, nil
		}, nil},
		{"two node IPs of one family", func(c *k3s.Cluster, n []*k3s.Node) { n[3].NodeIPs = []netip.Addr{a("203.0.113.40"), a("203.0.113.41")} },
			[]found{{k3s.Error, "Two node IPs of one family", "satellite", k3s.FieldNodeIP}}},
		{"no token", func(c *k3s.Cluster, n []*k3s.Node) { c.Token = k3s.Secret{} },
			[]found{{k3s.Error, "No cluster token", "", k3s.FieldToken}}},
		{"two token sources", func(c *k3s.Cluster, n []*k3s.Node) { c.Token.File = "/run/secrets/k3s_token" },
			[]found{{k3s.Error, "Two sources for the token", "", k3s.FieldToken}}},
		{"token file in the store", func(c *k3s.Cluster, n []*k3s.Node) { c.Token = k3s.Secret{File: "/nix/store/x-token"} },
			[]found{{k3s.Error, "Invalid token file", "", k3s.FieldToken}}},
		{"relative token file", func(c *k3s.Cluster, n []*k3s.Node) { c.Token = k3s.Secret{File: "secrets/token"} },
			[]found{{k3s.Error, "Invalid token file", "", k3s.FieldToken}}},
		{"token file, near miss", func(c *k3s.Cluster, n []*k3s.Node) { c.Token = k3s.Secret{File: "/var/lib/nix-store-token"} }, nil},
		{"bad agent token name", func(c *k3s.Cluster, n []*k3s.Node) { c.AgentToken = k3s.Secret{SOPS: "../agent"} },
			[]found{{k3s.Error, "Invalid agent token secret name", "", k3s.FieldAgentToken}}},
		{"agent token, near miss", func(c *k3s.Cluster, n []*k3s.Node) { c.AgentToken = k3s.Secret{SOPS: "k3s/agent"} }, nil},
		{"ipsec", func(c *k3s.Cluster, n []*k3s.Node) { c.FlannelBackend = "ipsec" },
			[]found{{k3s.Error, "Invalid flannel backend", "", k3s.FieldFlannelBackend}}},
		{"overlapping networks", func(c *k3s.Cluster, n []*k3s.Node) { c.ServiceCIDR = []netip.Prefix{p("10.42.128.0/17")} },
			[]found{{k3s.Error, "Overlapping networks", "", k3s.FieldServiceCIDR}}},
		{"two pod networks of one family", func(c *k3s.Cluster, n []*k3s.Node) {
			c.ClusterCIDR = []netip.Prefix{p("10.42.0.0/16"), p("10.52.0.0/16")}
		}, []found{{k3s.Error, "Two cluster CIDRs of one family", "", k3s.FieldClusterCIDR}}},
		{"dual stack, near miss", func(c *k3s.Cluster, n []*k3s.Node) {
			c.ClusterCIDR = []netip.Prefix{p("10.42.0.0/16"), p("2001:db8:42::/56")}
			c.ServiceCIDR = []netip.Prefix{p("10.43.0.0/16"), p("2001:db8:43::/112")}
			for _, x := range n {
				x.NodeIPs = append(x.NodeIPs, a("2001:db8::"+strings.TrimPrefix(x.NodeIPs[0].String(), "203.0.113.")))
			}
		}, nil},
		{"cidr with host bits", func(c *k3s.Cluster, n []*k3s.Node) { c.ClusterCIDR = []netip.Prefix{p("10.42.0.1/16")} },
			[]found{{k3s.Error, "Invalid cluster CIDR", "", k3s.FieldClusterCIDR}}},
		{"cluster DNS outside", func(c *k3s.Cluster, n []*k3s.Node) { c.ClusterDNS = a("10.42.0.10") },
			[]found{{k3s.Error, "Cluster DNS outside the service network", "", k3s.FieldClusterDNS}}},
		{"cluster DNS inside, near miss", func(c *k3s.Cluster, n []*k3s.Node) { c.ClusterDNS = a("10.43.0.10") }, nil},
		{"unknown component", func(c *k3s.Cluster, n []*k3s.Node) { c.Disable = []string{"traefik", "trafik"} },
			[]found{{k3s.Warning, "Unknown component", "", k3s.FieldDisable}}},
		{"invalid TLS SAN", func(c *k3s.Cluster, n []*k3s.Node) { c.TLSSANs = []string{"k8s example"} },
			[]found{{k3s.Error, "Invalid TLS SAN", "", k3s.FieldTLSSANs}}},
		{"wildcard TLS SAN, near miss", func(c *k3s.Cluster, n []*k3s.Node) { c.TLSSANs = []string{"*.k8s.example.org", "203.0.113.10"} }, nil},
		{"mapped admin source", func(c *k3s.Cluster, n []*k3s.Node) { c.AdminCIDRs = []netip.Prefix{p("::ffff:198.51.100.7/128")} },
			[]found{{k3s.Error, "Invalid admin source", "", k3s.FieldAdminCIDRs}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, nodes := seedCluster()
			tc.edit(c, nodes)
			got, diags := lintFound(c, nodes)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\nall: %v", diff, diags)
			}
			for _, d := range diags {
				if d.Detail == "" || strings.Contains(d.Detail, "%!") || !strings.HasSuffix(d.Detail, ".") {
					t.Errorf("badly formed detail: %q", d.Detail)
				}
			}
		})
	}
}

// TestLintEmpty checks the degenerate inputs.
func TestLintEmpty(t *testing.T) {
	if got, _ := lintFound(nil, nil); !cmp.Equal(got, []found{{k3s.Error, "No cluster", "", ""}}) {
		t.Errorf("Lint(nil) = %v", got)
	}
	c, _ := seedCluster()
	if got, _ := lintFound(c, nil); !cmp.Equal(got, []found{{k3s.Warning, "Cluster without nodes", "", ""}}) {
		t.Errorf("Lint without nodes = %v", got)
	}
}

// TestLintElement checks that a diagnostic about one element of a list
// says which.
func TestLintElement(t *testing.T) {
	c, nodes := seedCluster()
	c.TLSSANs = []string{"k8s.example.org", "bad name"}
	nodes[3].Taints = []string{"a:NoSchedule", "b:NoSchedule", "a:NoSchedule"}
	nodes[3].ExtraFlags = []string{"--node-ip=203.0.113.41"}
	var got []string
	for _, d := range k3s.Lint(c, nodes) {
		got = append(got, fmt.Sprintf("%s %s %d", d.Summary, d.Field, d.Element))
	}
	want := []string{"Invalid TLS SAN TLSSANs 2", "Taint listed twice Taints 3", "Flag set elsewhere ExtraFlags 1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
