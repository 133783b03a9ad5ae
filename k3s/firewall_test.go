package k3s_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/k3s"
)

// portSet writes the ports of rules as "name tcp:… udp:… from:…" lines,
// for comparison.
func portSet(rules []k3s.Rule) []string {
	var out []string
	for _, r := range rules {
		line := r.Name
		for _, p := range []struct {
			proto string
			rs    []k3s.PortRange
		}{{"tcp", r.TCP}, {"udp", r.UDP}} {
			if len(p.rs) == 0 {
				continue
			}
			s := make([]string, len(p.rs))
			for i, x := range p.rs {
				s[i] = x.String()
			}
			line += " " + p.proto + ":" + strings.Join(s, ",")
		}
		from := make([]string, len(r.From))
		for i, p := range r.From {
			from[i] = p.String()
		}
		out = append(out, line+" from:"+strings.Join(from, ","))
	}
	return out
}

// TestRulesRoleBackend is the port set of each role with each flannel
// backend, in a cluster of an init server (10.0.0.1), a server
// (10.0.0.2) and an agent (10.0.0.3), with an admin source.
func TestRulesRoleBackend(t *testing.T) {
	const (
		all     = "10.0.0.1/32,10.0.0.2/32,10.0.0.3/32"
		admin   = "192.0.2.0/24"
		servers = "10.0.0.1/32,10.0.0.2/32"
	)
	// peers returns the sources of node self: the others.
	peers := func(self, list string) string {
		var out []string
		for _, p := range strings.Split(list, ",") {
			if p != self+"/32" {
				out = append(out, p)
			}
		}
		return strings.Join(out, ",")
	}
	flannel := map[k3s.FlannelBackend]string{
		k3s.FlannelVXLAN:     "k3s-flannel-vxlan udp:8472",
		k3s.FlannelWireGuard: "k3s-flannel-wireguard udp:51820",
		k3s.FlannelHostGW:    "",
		k3s.FlannelNone:      "",
	}
	roles := []struct {
		role k3s.Role
		addr string
	}{{k3s.RoleInit, "10.0.0.1"}, {k3s.RoleServer, "10.0.0.2"}, {k3s.RoleAgent, "10.0.0.3"}}
	for _, backend := range []k3s.FlannelBackend{"", k3s.FlannelVXLAN, k3s.FlannelHostGW, k3s.FlannelWireGuard, k3s.FlannelNone} {
		for _, r := range roles {
			t.Run(fmt.Sprintf("%s/%s", backend, r.role), func(t *testing.T) {
				c := &k3s.Cluster{Name: "c", FlannelBackend: backend, AdminCIDRs: []netip.Prefix{netip.MustParsePrefix(admin)}}
				var nodes []*k3s.Node
				var self *k3s.Node
				for i, x := range roles {
					n := &k3s.Node{Host: fmt.Sprint("n", i), Role: x.role, Addresses: []netip.Addr{netip.MustParseAddr(x.addr)}}
					nodes = append(nodes, n)
					if x.role == r.role {
						self = n
					}
				}
				var want []string
				if r.role.IsServer() {
					want = append(want,
						"k3s-api tcp:6443 from:"+peers(r.addr, all)+","+admin,
						"k3s-etcd tcp:2379-2380 from:"+peers(r.addr, servers))
				}
				b := backend
				if b == "" {
					b = k3s.FlannelVXLAN
				}
				if f := flannel[b]; f != "" {
					want = append(want, f+" from:"+peers(r.addr, all))
				}
				want = append(want, "k3s-kubelet tcp:10250 from:"+peers(r.addr, all))
				slices.Sort(want)
				if diff := cmp.Diff(want, portSet(c.Rules(self, nodes))); diff != "" {
					t.Errorf("rules (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestRulesVariants checks the rules that depend on more than role and
// backend: IPv6 pods, the embedded registry, several addresses per node, a
// cluster without an init server, and clusters too small to have peers.
func TestRulesVariants(t *testing.T) {
	a := netip.MustParseAddr
	server := &k3s.Node{Host: "s", Role: k3s.RoleInit, NodeIPs: []netip.Addr{a("10.0.0.1")}, Addresses: []netip.Addr{a("2001:db8::1"), a("10.0.0.1")}}
	agent := &k3s.Node{Host: "a", Role: k3s.RoleAgent, Addresses: []netip.Addr{a("10.0.0.3"), a("2001:db8::3")}}
	nodes := []*k3s.Node{server, agent}

	c := &k3s.Cluster{
		FlannelBackend:   k3s.FlannelWireGuard,
		ClusterCIDR:      []netip.Prefix{netip.MustParsePrefix("10.42.0.0/16"), netip.MustParsePrefix("2001:db8:42::/56")},
		EmbeddedRegistry: true,
	}
	got := portSet(c.Rules(agent, nodes))
	want := []string{
		"k3s-flannel-wireguard udp:51820,51821 from:10.0.0.1/32,2001:db8::1/128",
		"k3s-kubelet tcp:10250 from:10.0.0.1/32,2001:db8::1/128",
		"k3s-registry tcp:5001,6443 from:10.0.0.1/32,2001:db8::1/128",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agent with IPv6 pods and the registry (-want +got):\n%s", diff)
	}
	got = portSet(c.Rules(server, nodes))
	want = []string{
		"k3s-api tcp:6443 from:10.0.0.3/32,2001:db8::3/128",
		"k3s-flannel-wireguard udp:51820,51821 from:10.0.0.3/32,2001:db8::3/128",
		"k3s-kubelet tcp:10250 from:10.0.0.3/32,2001:db8::3/128",
		"k3s-registry tcp:5001 from:10.0.0.3/32,2001:db8::3/128",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("server with IPv6 pods and the registry (-want +got):\n%s", diff)
	}

	// A lone server: no peer, no admin, so no rule at all; with an admin
	// source, the API only. No rule ever opens a port to everyone.
	lone := &k3s.Cluster{}
	if got := lone.Rules(server, []*k3s.Node{server}); len(got) != 0 {
		t.Errorf("lone server without admins: %q", portSet(got))
	}
	lone.AdminCIDRs = []netip.Prefix{netip.MustParsePrefix("198.51.100.7/32"), netip.MustParsePrefix("198.51.100.0/24")}
	want = []string{"k3s-api tcp:6443 from:198.51.100.0/24"}
	if diff := cmp.Diff(want, portSet(lone.Rules(server, []*k3s.Node{server}))); diff != "" {
		t.Errorf("lone server with admins (-want +got):\n%s", diff)
	}

	// Servers without an init server run no embedded etcd: no etcd rule.
	s2 := &k3s.Node{Host: "s2", Role: k3s.RoleServer, Addresses: []netip.Addr{a("10.0.0.2")}}
	s3 := &k3s.Node{Host: "s3", Role: k3s.RoleServer, Addresses: []netip.Addr{a("10.0.0.3")}}
	for _, r := range (&k3s.Cluster{}).Rules(s2, []*k3s.Node{s2, s3}) {
		if r.Name == "k3s-etcd" {
			t.Errorf("etcd rule without an init server: %+v", r)
		}
	}
	for _, r := range (&k3s.Cluster{}).Rules(s2, []*k3s.Node{server, s2, s3}) {
		if r.Name == "k3s-etcd" && len(r.From) != 3 {
			t.Errorf("etcd rule of s2 = %v, want the init server's two addresses and s3's", r.From)
		}
	}
	if got := c.Rules(nil, nodes); got != nil {
		t.Errorf("Rules(nil) = %v", got)
	}
}

// TestTrustedInterfaces checks the pod interfaces of each backend.
func TestTrustedInterfaces(t *testing.T) {
	v6 := []netip.Prefix{netip.MustParsePrefix("10.42.0.0/16"), netip.MustParsePrefix("2001:db8:42::/56")}
	cases := []struct {
		backend k3s.FlannelBackend
		cidr    []netip.Prefix
		want    string
	}{
		{"", nil, "cni0 flannel.1"},
		{k3s.FlannelVXLAN, v6, "cni0 flannel-v6.1 flannel.1"},
		{k3s.FlannelWireGuard, nil, "cni0 flannel-wg"},
		{k3s.FlannelWireGuard, v6, "cni0 flannel-wg flannel-wg-v6"},
		{k3s.FlannelHostGW, v6, "cni0"},
		{k3s.FlannelNone, nil, ""},
	}
	for _, tc := range cases {
		c := &k3s.Cluster{FlannelBackend: tc.backend, ClusterCIDR: tc.cidr}
		var names []string
		for _, ti := range c.TrustedInterfaces() {
			names = append(names, ti.Name)
			if ti.Comment == "" || strings.ContainsAny(ti.Comment, "\n") {
				t.Errorf("%s: comment of %s = %q", tc.backend, ti.Name, ti.Comment)
			}
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%q with %v: %q, want %q", tc.backend, tc.cidr, got, tc.want)
		}
	}
}
