package k3s

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// PortRange is a range of ports, both ends included; a single port has
// From == To.
type PortRange struct {
	From, To uint16
}

// String returns "6443" or "2379-2380".
func (r PortRange) String() string {
	if r.From == r.To {
		return fmt.Sprint(r.From)
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// port returns the range of the single port p.
func port(p uint16) PortRange { return PortRange{p, p} }

// Rule is a firewall rule that a node needs: the ports it opens, to the
// sources in From only. From is never empty: a rule that would have no
// source is left out, so that no rule opens a port to everyone.
type Rule struct {
	// Name names the rule: "k3s-" and what it is for, such as "k3s-etcd".
	Name string
	// Comment says, on one line, why the rule exists.
	Comment string
	// TCP and UDP are the ports opened, sorted.
	TCP, UDP []PortRange
	// From are the sources allowed: the addresses of the node's peers as
	// /32 or /128 prefixes, and for the API server the cluster's admin
	// sources; sorted, without repeats.
	From []netip.Prefix
}

// TrustedInterface is an interface of the pod network whose traffic the
// firewall must accept whatever its port.
type TrustedInterface struct {
	// Name is the kernel name of the interface.
	Name string
	// Comment says, on one line, what comes through it.
	Comment string
}

// The ports of the k3s documentation's "Inbound Rules for K3s Nodes"
// (installation/requirements).
const (
	etcdClientPort   = 2379
	etcdPeerPort     = 2380
	kubeletPort      = 10250
	vxlanPort        = 8472
	wireguardPort    = 51820
	wireguardPort6   = 51821
	spegelPort       = 5001
	rulePrefix       = "k3s-"
	ruleAPI          = rulePrefix + "api"
	ruleEtcd         = rulePrefix + "etcd"
	ruleKubelet      = rulePrefix + "kubelet"
	ruleFlannelVXLAN = rulePrefix + "flannel-vxlan"
	ruleFlannelWG    = rulePrefix + "flannel-wireguard"
	ruleRegistry     = rulePrefix + "registry"
)

// Rules returns the firewall rules of node n in the cluster of nodes (n
// among them), sorted by name. Each opens a port of the k3s
// documentation's inbound rules to the addresses of the other nodes that
// use it:
//
//   - k3s-api, TCP 6443 on servers: the API server and the supervisor
//     that nodes register with, from every other node and the cluster's
//     admin sources;
//   - k3s-etcd, TCP 2379-2380 on servers when the cluster runs embedded
//     etcd (has an init server): etcd clients and peers, from the other
//     servers;
//   - k3s-kubelet, TCP 10250 on every node: the kubelet, which the API
//     servers reach for logs, exec and port-forward, and metrics-server
//     for metrics, from every other node;
//   - k3s-flannel-vxlan, UDP 8472 with the vxlan backend, and
//     k3s-flannel-wireguard, UDP 51820 (and 51821 when the pod network
//     has IPv6) with wireguard-native: pod traffic between nodes, from
//     every other node;
//   - k3s-registry, TCP 5001 (and 6443 on agents) with the embedded
//     registry: Spegel's peer-to-peer port, from every other node.
//
// host-gw and none need no flannel port. A rule left without sources (the
// API of a lone server without admin sources, the kubelet of a one-node
// cluster) is left out. Rules does not check the cluster; see [Lint].
func (c *Cluster) Rules(n *Node, nodes []*Node) []Rule {
	if n == nil {
		return nil
	}
	var peers, servers []netip.Prefix
	for _, o := range nodes {
		if o == nil || o == n || o.Host == n.Host {
			continue
		}
		for _, a := range o.addrs() {
			p := netip.PrefixFrom(a, a.BitLen())
			peers = append(peers, p)
			if o.Role.IsServer() {
				servers = append(servers, p)
			}
		}
	}
	var rules []Rule
	add := func(r Rule, from []netip.Prefix) {
		r.From = canonicalSources(from)
		if len(r.From) == 0 {
			return
		}
		rules = append(rules, r)
	}
	if n.Role.IsServer() {
		add(Rule{Name: ruleAPI, TCP: []PortRange{port(APIPort)},
			Comment: "the Kubernetes API and the k3s supervisor, for joining nodes and admins"},
			append(slices.Clone(peers), c.AdminCIDRs...))
		if embeddedEtcd(nodes) {
			add(Rule{Name: ruleEtcd, TCP: []PortRange{{etcdClientPort, etcdPeerPort}},
				Comment: "etcd clients and peers between the servers"}, servers)
		}
	}
	add(Rule{Name: ruleKubelet, TCP: []PortRange{port(kubeletPort)},
		Comment: "the kubelet, for logs and exec from the API servers, and for metrics-server"}, peers)
	switch c.backend() {
	case FlannelVXLAN:
		add(Rule{Name: ruleFlannelVXLAN, UDP: []PortRange{port(vxlanPort)},
			Comment: "pod traffic between nodes over flannel VXLAN, never to be exposed to the world"}, peers)
	case FlannelWireGuard:
		udp := []PortRange{port(wireguardPort)}
		if c.ipv6Pods() {
			udp = append(udp, port(wireguardPort6))
		}
		add(Rule{Name: ruleFlannelWG, UDP: udp,
			Comment: "pod traffic between nodes over flannel WireGuard"}, peers)
	}
	if c.EmbeddedRegistry {
		tcp := []PortRange{port(spegelPort)}
		if !n.Role.IsServer() {
			tcp = append(tcp, port(APIPort))
		}
		add(Rule{Name: ruleRegistry, TCP: tcp,
			Comment: "the embedded registry mirror (Spegel) between nodes"}, peers)
	}
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.Name, b.Name) })
	return rules
}

// canonicalSources returns ps masked, sorted, without repeats and without
// the prefixes that another one contains. Invalid and IPv4-mapped
// prefixes are dropped; [Lint] reports them.
func canonicalSources(ps []netip.Prefix) []netip.Prefix {
	var valid []netip.Prefix
	for _, p := range ps {
		if p.IsValid() && !p.Addr().Is4In6() {
			valid = append(valid, p.Masked())
		}
	}
	// Shorter prefixes first, so that a container comes before what it
	// holds.
	slices.SortStableFunc(valid, func(a, b netip.Prefix) int { return a.Bits() - b.Bits() })
	var out []netip.Prefix
	for _, p := range valid {
		if !slices.ContainsFunc(out, func(k netip.Prefix) bool { return k.Overlaps(p) && k.Bits() <= p.Bits() }) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	return out
}

// TrustedInterfaces returns the interfaces of the cluster's pod network,
// sorted by name, whose traffic every node's firewall must accept whatever
// the port (networking.firewall.trustedInterfaces), after the flannel
// backend:
//
//   - cni0, the bridge of the node's pods, with every backend but none:
//     pods reach the API server and the kubelet of their own node from
//     their pod address, through it;
//   - flannel.1 (vxlan), or flannel-wg (wireguard-native): the tunnel
//     that brings traffic from pods on other nodes, whose outer packets
//     the flannel rule admits from cluster nodes only; flannel-v6.1 and
//     flannel-wg-v6 too when the pod network has IPv6.
//
// These are the interface names that k3s's flannel creates; with the none
// backend the cluster's own CNI decides them, and nothing is returned.
//
// Trusting interfaces rather than the pod network's addresses keeps a
// packet that merely claims a pod address, arriving on the public
// interface, out. The service network needs no rule: service addresses
// are only ever destinations, rewritten to a pod or node address before
// the firewall sees the packet.
func (c *Cluster) TrustedInterfaces() []TrustedInterface {
	const bridge = "the pods of this node, which reach its API server and kubelet from their pod addresses"
	v6 := c.ipv6Pods()
	var out []TrustedInterface
	switch c.backend() {
	case FlannelVXLAN:
		out = append(out, TrustedInterface{"cni0", bridge},
			TrustedInterface{"flannel.1", "flannel VXLAN, which carries the traffic of pods on other nodes"})
		if v6 {
			out = append(out, TrustedInterface{"flannel-v6.1", "flannel VXLAN for IPv6, which carries the IPv6 traffic of pods on other nodes"})
		}
	case FlannelWireGuard:
		out = append(out, TrustedInterface{"cni0", bridge},
			TrustedInterface{"flannel-wg", "flannel WireGuard, which carries the traffic of pods on other nodes"})
		if v6 {
			out = append(out, TrustedInterface{"flannel-wg-v6", "flannel WireGuard for IPv6, which carries the IPv6 traffic of pods on other nodes"})
		}
	case FlannelHostGW:
		out = append(out, TrustedInterface{"cni0", bridge})
	}
	slices.SortFunc(out, func(a, b TrustedInterface) int { return strings.Compare(a.Name, b.Name) })
	return out
}
