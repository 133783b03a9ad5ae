package k3s

import (
	"net"
	"net/netip"
	"slices"
	"strconv"
)

// Role is the part a node plays in its cluster.
type Role string

// The roles of a node.
const (
	// RoleInit is the server that creates the cluster: k3s server with
	// --cluster-init, which starts the embedded etcd that the other
	// servers join. A cluster has at most one.
	RoleInit Role = "init"
	// RoleServer is a server that joins the cluster through the server
	// address: a control-plane node, with an etcd member when the cluster
	// has an init server.
	RoleServer Role = "server"
	// RoleAgent is a worker node.
	RoleAgent Role = "agent"
)

// Roles lists the valid roles.
func Roles() []Role { return []Role{RoleInit, RoleServer, RoleAgent} }

// IsServer reports whether r runs the k3s server: init or server.
func (r Role) IsServer() bool { return r == RoleInit || r == RoleServer }

// valid reports whether r is one of [Roles].
func (r Role) valid() bool { return slices.Contains(Roles(), r) }

// FlannelBackend is the flannel backend that carries pod traffic between
// nodes (k3s networking/basic-network-options).
type FlannelBackend string

// The flannel backends.
const (
	// FlannelVXLAN encapsulates pod traffic in VXLAN, UDP port 8472. It is
	// k3s's default.
	FlannelVXLAN FlannelBackend = "vxlan"
	// FlannelHostGW routes pod traffic through the nodes' own addresses; the
	// nodes must share a layer-2 network.
	FlannelHostGW FlannelBackend = "host-gw"
	// FlannelWireGuard encrypts pod traffic with the kernel's WireGuard,
	// UDP port 51820 (and 51821 for IPv6 pods).
	FlannelWireGuard FlannelBackend = "wireguard-native"
	// FlannelNone disables flannel, for a cluster that installs another
	// CNI; nixgen then opens no flannel port and trusts no pod interface.
	FlannelNone FlannelBackend = "none"
)

// FlannelBackends lists the valid backends. ipsec is not one: k3s
// deprecated it and removed it in v1.27.
func FlannelBackends() []FlannelBackend {
	return []FlannelBackend{FlannelVXLAN, FlannelHostGW, FlannelWireGuard, FlannelNone}
}

// Default networks of k3s (installation/requirements and the defaults of
// the k3s server flags).
const (
	// DefaultClusterCIDR is the pod network when the cluster sets none.
	DefaultClusterCIDR = "10.42.0.0/16"
	// DefaultServiceCIDR is the service network when the cluster sets none.
	DefaultServiceCIDR = "10.43.0.0/16"
)

// APIPort is the port of the Kubernetes API server and of the k3s
// supervisor, the address that joining nodes use.
const APIPort = 6443

// Secret says where a node reads a secret when k3s starts. The secret
// itself never appears in the configuration. Exactly one field is set.
type Secret struct {
	// File is the absolute path of a file on the node that holds the
	// secret, such as "/run/secrets/k3s_token", provided by some other
	// means.
	File string
	// SOPS is the name of a sops-nix secret, such as "k3s_token". The
	// module declares sops.secrets.<SOPS> and reads the file from
	// config.sops.secrets.<SOPS>.path; the encrypted file that holds the
	// secret is configured elsewhere (sops.defaultSopsFile or the
	// secret's sopsFile).
	SOPS string
}

// IsZero reports whether s names no secret.
func (s Secret) IsZero() bool { return s.File == "" && s.SOPS == "" }

// Cluster is a k3s cluster: the settings that are the same for all its
// nodes. The zero value of a field means k3s's default.
type Cluster struct {
	// Name names the cluster in messages.
	Name string
	// ServerAddress is the address that joining nodes register with: a
	// DNS name that resolves to the servers (round-robin DNS, a load
	// balancer), a virtual IP, or the address of one server. Every node
	// but the init server needs it.
	ServerAddress string
	// TLSSANs are extra names and addresses for the API server's
	// certificate (--tls-san). ServerAddress is always added.
	TLSSANs []string
	// Token is where every node reads the cluster token.
	Token Secret
	// AgentToken, when set, is a second token for agents only
	// (--agent-token-file on the servers): agents then join with it, and
	// a leaked agent token cannot join a server.
	AgentToken Secret
	// FlannelBackend is the pod network backend; empty means
	// [FlannelVXLAN].
	FlannelBackend FlannelBackend
	// ClusterCIDR and ServiceCIDR are the pod and service networks, one
	// prefix per address family (two for dual stack); nil means
	// [DefaultClusterCIDR] and [DefaultServiceCIDR].
	ClusterCIDR []netip.Prefix
	ServiceCIDR []netip.Prefix
	// ClusterDNS is the address of the cluster's DNS service, inside the
	// service network; the zero Addr means k3s's default, the tenth
	// address of the service network (10.43.0.10).
	ClusterDNS netip.Addr
	// ClusterDomain is the cluster's DNS domain; empty means
	// "cluster.local".
	ClusterDomain string
	// Disable are packaged components that the servers do not deploy,
	// such as "traefik" or "servicelb" (the --disable flag).
	Disable []string
	// SecretsEncryption encrypts Secrets at rest in the datastore
	// (--secrets-encryption).
	SecretsEncryption bool
	// EmbeddedRegistry enables the embedded distributed registry mirror,
	// Spegel (--embedded-registry). The nodes still need a registries.yaml
	// that lists the registries to mirror.
	EmbeddedRegistry bool
	// GracefulNodeShutdown lets the kubelet stop pods in order when the
	// machine shuts down (services.k3s.gracefulNodeShutdown.enable).
	GracefulNodeShutdown bool
	// ExtraFlags are more flags for every server, copied verbatim after
	// those derived from the fields above. They suit flags that must be
	// the same on all servers, such as "--disable-network-policy".
	ExtraFlags []string
	// AdminCIDRs are the sources, besides the cluster's nodes, allowed to
	// reach the API server: the addresses the admins run kubectl from.
	AdminCIDRs []netip.Prefix
}

// Node is a machine of a cluster.
type Node struct {
	// Host is the host name, which is also the Kubernetes node name.
	Host string
	// Role is the node's role.
	Role Role
	// Labels are node labels applied when the node registers
	// (services.k3s.nodeLabel).
	Labels map[string]string
	// Taints are node taints applied when the node registers, written
	// "key=value:Effect" or "key:Effect"
	// (services.k3s.nodeTaint).
	Taints []string
	// NodeIPs are the addresses the node advertises (services.k3s.nodeIP),
	// one per address family of the pod network: k3s refuses to start
	// when they and the cluster CIDR differ in families. nil lets k3s
	// choose the address of the default route's interface.
	NodeIPs []netip.Addr
	// Addresses are all the addresses the node's traffic to its peers may
	// come from; the firewall of its peers admits them. NodeIPs are added
	// when missing.
	Addresses []netip.Addr
	// ExtraFlags are more flags for this node only, copied verbatim after
	// all others.
	ExtraFlags []string
	// Region and Zone, when set, become the well-known labels
	// topology.kubernetes.io/region and topology.kubernetes.io/zone.
	Region string
	Zone   string
}

// The well-known topology labels (Kubernetes's well-known labels).
const (
	LabelRegion = "topology.kubernetes.io/region"
	LabelZone   = "topology.kubernetes.io/zone"
)

// backend returns the cluster's flannel backend, the default filled in.
func (c *Cluster) backend() FlannelBackend {
	if c.FlannelBackend == "" {
		return FlannelVXLAN
	}
	return c.FlannelBackend
}

// podCIDRs returns the pod networks, the default filled in.
func (c *Cluster) podCIDRs() []netip.Prefix {
	if len(c.ClusterCIDR) == 0 {
		return []netip.Prefix{netip.MustParsePrefix(DefaultClusterCIDR)}
	}
	return c.ClusterCIDR
}

// serviceCIDRs returns the service networks, the default filled in.
func (c *Cluster) serviceCIDRs() []netip.Prefix {
	if len(c.ServiceCIDR) == 0 {
		return []netip.Prefix{netip.MustParsePrefix(DefaultServiceCIDR)}
	}
	return c.ServiceCIDR
}

// podFamilies reports whether the pod network has IPv4 and IPv6
// addresses.
func (c *Cluster) podFamilies() (v4, v6 bool) {
	for _, p := range c.podCIDRs() {
		if p.Addr().Is4() {
			v4 = true
		} else {
			v6 = true
		}
	}
	return v4, v6
}

// ipv6Pods reports whether the pod network has IPv6 addresses, which makes
// flannel create its IPv6 devices.
func (c *Cluster) ipv6Pods() bool {
	return slices.ContainsFunc(c.podCIDRs(), func(p netip.Prefix) bool { return p.Addr().Is6() })
}

// serverURL returns the serverAddr of a joining node.
func (c *Cluster) serverURL() string {
	return "https://" + net.JoinHostPort(c.ServerAddress, strconv.Itoa(APIPort))
}

// tlsSANs returns the names for --tls-san: the server address and then
// TLSSANs, without repeats.
func (c *Cluster) tlsSANs() []string {
	var out []string
	for _, s := range append([]string{c.ServerAddress}, c.TLSSANs...) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// embeddedEtcd reports whether the cluster of nodes runs embedded etcd:
// whether one of them is an init server.
func embeddedEtcd(nodes []*Node) bool {
	return slices.ContainsFunc(nodes, func(n *Node) bool { return n != nil && n.Role == RoleInit })
}

// addrs returns the node's addresses with NodeIPs, unmapped, without
// repeats, sorted.
func (n *Node) addrs() []netip.Addr {
	var out []netip.Addr
	for _, a := range slices.Concat(n.Addresses, n.NodeIPs) {
		if !a.IsValid() {
			continue
		}
		a = a.Unmap().WithZone("")
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, netip.Addr.Compare)
	return out
}

// labels returns the node's labels with the topology labels of Region and
// Zone, as "key=value" sorted by key. A label set both ways keeps the
// value of Labels; [Lint] reports the conflict.
func (n *Node) labels() []string {
	all := make(map[string]string, len(n.Labels)+2)
	if n.Region != "" {
		all[LabelRegion] = n.Region
	}
	if n.Zone != "" {
		all[LabelZone] = n.Zone
	}
	for k, v := range n.Labels {
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + all[k]
	}
	return out
}
