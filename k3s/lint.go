package k3s

import (
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strings"
	"unicode"
)

// Severity is the severity of a [Diagnostic].
type Severity int

// The severities.
const (
	// Error is a problem that makes the configuration wrong: k3s would
	// not start, a node could not join, or the cluster would not be the
	// one described.
	Error Severity = iota
	// Warning is a setting that works but is likely a mistake or risky.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Field names the field of a [Cluster] or [Node] that a [Diagnostic] is
// about, so that a caller can point at the place it was written. Its
// value is the Go name of the field.
type Field string

// The fields of a [Cluster] that diagnostics point at.
const (
	FieldServerAddress  Field = "ServerAddress"
	FieldTLSSANs        Field = "TLSSANs"
	FieldToken          Field = "Token"
	FieldAgentToken     Field = "AgentToken"
	FieldFlannelBackend Field = "FlannelBackend"
	FieldClusterCIDR    Field = "ClusterCIDR"
	FieldServiceCIDR    Field = "ServiceCIDR"
	FieldClusterDNS     Field = "ClusterDNS"
	FieldClusterDomain  Field = "ClusterDomain"
	FieldDisable        Field = "Disable"
	FieldAdminCIDRs     Field = "AdminCIDRs"
	// FieldExtraFlags is the ExtraFlags of the cluster, or of the node
	// when the diagnostic names one.
	FieldExtraFlags Field = "ExtraFlags"
)

// The fields of a [Node] that diagnostics point at.
const (
	FieldHost      Field = "Host"
	FieldRole      Field = "Role"
	FieldLabels    Field = "Labels"
	FieldTaints    Field = "Taints"
	FieldNodeIP    Field = "NodeIP"
	FieldAddresses Field = "Addresses"
	FieldRegion    Field = "Region"
	FieldZone      Field = "Zone"
)

// Diagnostic is a problem that [Lint] found. Node and Field locate it: a
// caller that knows where the cluster and its nodes were written can
// point at the offending value.
type Diagnostic struct {
	Severity Severity
	// Summary is a short capitalised phrase, such as "Two init servers".
	Summary string
	// Detail says what is wrong and how to fix it, in full sentences.
	Detail string
	// Node is the host name of the node the problem is about, or "" when
	// it is about the cluster.
	Node string
	// Field is the field of that node, or of the cluster when Node is "",
	// at fault; "" means the node or cluster as a whole.
	Field Field
	// Element is the position, from 1, of the element at fault when
	// Field is a list (TLSSANs, ClusterCIDR, ServiceCIDR, Disable,
	// AdminCIDRs, Taints, ExtraFlags); 0 means the field as a whole.
	Element int
}

// String returns the diagnostic on one line, for tests and logs.
func (d Diagnostic) String() string {
	where := "cluster"
	if d.Node != "" {
		where = "node " + d.Node
	}
	if d.Field != "" {
		where += " " + string(d.Field)
	}
	return fmt.Sprintf("%s: %s: %s: %s", where, d.Severity, d.Summary, d.Detail)
}

// lint collects diagnostics.
type lint struct {
	diags []Diagnostic
	// elem is the Element of the diagnostics added now; see
	// [lint.element].
	elem int
}

func (l *lint) errorf(node string, f Field, summary, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{Severity: Error, Summary: summary, Detail: fmt.Sprintf(format, args...), Node: node, Field: f, Element: l.elem})
}

func (l *lint) warnf(node string, f Field, summary, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{Severity: Warning, Summary: summary, Detail: fmt.Sprintf(format, args...), Node: node, Field: f, Element: l.elem})
}

// element runs check with the diagnostics it adds marked as being about
// element i, from 0, of a list field.
func (l *lint) element(i int, check func()) {
	l.elem = i + 1
	check()
	l.elem = 0
}

// Lint checks cluster c with its nodes and returns every problem found:
// first those of the cluster's own settings, then those of each node in
// the order given, then those that involve several nodes. It checks that
//
//   - the cluster has exactly one init server, which creates the cluster
//     and its embedded etcd, and servers that join it;
//   - the number of servers is odd (a warning): etcd needs a majority,
//     and an even number adds a member without adding tolerance to
//     failures, risking a split brain;
//   - a cluster with joining nodes has a server address, and one that is
//     an IP address belongs to a server (a warning when it belongs to no
//     node: it may be a virtual IP that something else manages);
//   - node names are unique and valid Kubernetes node names;
//   - every node of a cluster of several has an address its peers'
//     firewalls can admit;
//   - tokens are given as secret references, networks and addresses are
//     well formed and do not overlap, labels and taints are valid and
//     allowed for a kubelet to set;
//   - extra flags do not set what a field sets (an agent cannot be made
//     an init server with --cluster-init), and a node's extra flags do
//     not set what must be the same on every server.
//
// Lint does not look at disks; etcd on a rotational disk is the caller's
// to check.
func Lint(c *Cluster, nodes []*Node) []Diagnostic {
	l := &lint{}
	if c == nil {
		l.errorf("", "", "No cluster", "The cluster is missing.")
		return l.diags
	}
	l.cluster(c)
	for _, n := range nodes {
		if n != nil {
			l.node(c, n)
		}
	}
	l.cross(c, nodes)
	return l.diags
}

// cluster checks the cluster's own settings.
func (l *lint) cluster(c *Cluster) {
	if a := c.ServerAddress; a != "" {
		if problem := checkHostOrIP(a); problem != "" {
			l.errorf("", FieldServerAddress, "Invalid server address", "The server address %q %s.", a, problem)
		}
	}
	for i, s := range c.TLSSANs {
		l.element(i, func() {
			if problem := checkHostOrIP(strings.TrimPrefix(s, "*.")); problem != "" {
				l.errorf("", FieldTLSSANs, "Invalid TLS SAN", "The TLS subject alternative name %q %s.", s, problem)
			}
		})
	}
	switch {
	case c.Token.IsZero():
		l.errorf("", FieldToken, "No cluster token",
			"Cluster %q has no token. Every node needs the same token to join; name a file on the nodes that holds it, or a sops-nix secret.", c.Name)
	default:
		l.secret(FieldToken, "token", c.Token)
	}
	if !c.AgentToken.IsZero() {
		l.secret(FieldAgentToken, "agent token", c.AgentToken)
	}
	if b := c.FlannelBackend; b != "" && !slices.Contains(FlannelBackends(), b) {
		detail := fmt.Sprintf("%q is not a flannel backend. Use one of %s.", b, quoteJoin(FlannelBackends(), "or"))
		switch b {
		case "ipsec":
			detail = `k3s deprecated the ipsec backend and removed it in v1.27. Use "wireguard-native" for encrypted pod traffic.`
		case "wireguard":
			detail = `k3s replaced the wireguard backend with "wireguard-native", which uses the kernel's WireGuard. Use "wireguard-native".`
		}
		l.errorf("", FieldFlannelBackend, "Invalid flannel backend", "%s", detail)
	}
	l.cidrs(FieldClusterCIDR, "cluster CIDR", c.ClusterCIDR)
	l.cidrs(FieldServiceCIDR, "service CIDR", c.ServiceCIDR)
	for _, p := range c.podCIDRs() {
		for _, s := range c.serviceCIDRs() {
			if p.IsValid() && s.IsValid() && p.Overlaps(s) {
				l.errorf("", FieldServiceCIDR, "Overlapping networks",
					"The service network %s overlaps the pod network %s. Choose networks that do not overlap.", s, p)
			}
		}
	}
	if d := c.ClusterDNS; d.IsValid() {
		in := slices.ContainsFunc(c.serviceCIDRs(), func(p netip.Prefix) bool { return p.IsValid() && p.Contains(d) })
		if !in {
			l.errorf("", FieldClusterDNS, "Cluster DNS outside the service network",
				"The cluster DNS address %s is not inside the service network (%s). CoreDNS's service gets its address from that network; pick one inside it, such as its tenth address.",
				d, joinPrefixes(c.serviceCIDRs()))
		}
	}
	if d := c.ClusterDomain; d != "" {
		if problem := checkDNSName(d); problem != "" {
			l.errorf("", FieldClusterDomain, "Invalid cluster domain", "The cluster domain %q %s.", d, problem)
		}
	}
	seen := map[string]bool{}
	for i, d := range c.Disable {
		l.element(i, func() {
			switch {
			case seen[d]:
				l.warnf("", FieldDisable, "Component listed twice", "The component %q is listed twice in disable.", d)
			case !slices.Contains(packagedComponents(), d):
				l.warnf("", FieldDisable, "Unknown component",
					"%q is not a component that k3s deploys, so disabling it does nothing. The components are %s.", d, quoteJoin(packagedComponents(), "and"))
			}
		})
		seen[d] = true
	}
	for i, f := range c.ExtraFlags {
		l.element(i, func() { l.flag("", f, true, false) })
	}
	for i, p := range c.AdminCIDRs {
		l.element(i, func() {
			switch {
			case !p.IsValid():
				l.errorf("", FieldAdminCIDRs, "Invalid admin source", "An admin source is not a valid address or prefix.")
			case p.Addr().Is4In6():
				l.errorf("", FieldAdminCIDRs, "Invalid admin source", "The admin source %s is an IPv4-mapped IPv6 prefix; write it in IPv4 form.", p)
			}
		})
	}
}

// secret checks a secret reference.
func (l *lint) secret(f Field, what string, s Secret) {
	switch {
	case s.File != "" && s.SOPS != "":
		l.errorf("", f, "Two sources for the "+what,
			"The %s is given both as the file %q and as the sops-nix secret %q. Give one.", what, s.File, s.SOPS)
	case s.File != "":
		if problem := checkSecretFile(s.File); problem != "" {
			l.errorf("", f, "Invalid "+what+" file", "The %s file %q %s.", what, s.File, problem)
		}
	default:
		if problem := checkSOPSName(s.SOPS); problem != "" {
			l.errorf("", f, "Invalid "+what+" secret name", "The sops-nix secret name %q %s.", s.SOPS, problem)
		}
	}
}

// cidrs checks the pod or service networks.
func (l *lint) cidrs(f Field, what string, ps []netip.Prefix) {
	families := map[bool]netip.Prefix{}
	for _, p := range ps {
		switch {
		case !p.IsValid():
			l.errorf("", f, "Invalid "+what, "A %s is not a valid prefix.", what)
			continue
		case p.Addr().Is4In6():
			l.errorf("", f, "Invalid "+what, "The %s %s is an IPv4-mapped IPv6 prefix; write it in IPv4 form.", what, p)
			continue
		case p != p.Masked():
			l.errorf("", f, "Invalid "+what, "The %s %s has bits set beyond its prefix length; write %s.", what, p, p.Masked())
			continue
		}
		if prev, ok := families[p.Addr().Is6()]; ok {
			l.errorf("", f, "Two "+what+"s of one family",
				"The %ss %s and %s are of the same address family. Give one prefix, or one IPv4 and one IPv6 prefix for dual stack.", what, prev, p)
			continue
		}
		families[p.Addr().Is6()] = p
	}
}

// node checks the settings of one node.
func (l *lint) node(c *Cluster, n *Node) {
	h := n.Host
	if h == "" {
		l.errorf(h, FieldHost, "Node without a name", "A node of cluster %q has no host name.", c.Name)
	} else if problem := checkNodeName(h); problem != "" {
		l.errorf(h, FieldHost, "Invalid node name",
			"The host name %q is also the node's Kubernetes name, which %s. The kubelet would fail to register the node; rename the host.", h, problem)
	}
	if !n.Role.valid() {
		l.errorf(h, FieldRole, "Invalid role", "%q is not a k3s role. Use one of %s.", n.Role, quoteJoin(Roles(), "or"))
	}
	for _, lv := range []struct {
		f          Field
		key, value string
		name       string
	}{{FieldRegion, LabelRegion, n.Region, "region"}, {FieldZone, LabelZone, n.Zone, "zone"}} {
		if lv.value == "" {
			continue
		}
		if problem := checkLabelValue(lv.value); problem != "" {
			l.errorf(h, lv.f, "Invalid "+lv.name, "The %s %q becomes the value of the label %s, which %s.", lv.name, lv.value, lv.key, problem)
		}
		if v, ok := n.Labels[lv.key]; ok {
			l.errorf(h, FieldLabels, "Label set twice",
				"The label %s is set to %q, and to %q by the node's %s. Set the %s only.", lv.key, v, lv.value, lv.name, lv.name)
		}
	}
	keys := make([]string, 0, len(n.Labels))
	for k := range n.Labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := n.Labels[k]
		if problem := checkLabelKey(k); problem != "" {
			l.errorf(h, FieldLabels, "Invalid label", "The label key %q %s.", k, problem)
			continue
		}
		if problem := checkLabelValue(v); problem != "" {
			l.errorf(h, FieldLabels, "Invalid label", "The value %q of label %s %s.", v, k, problem)
			continue
		}
		if !kubeletMaySet(k) {
			l.errorf(h, FieldLabels, "Label reserved to Kubernetes",
				"The kubelet refuses to start with the label %s: labels under kubernetes.io and k8s.io are reserved, except those under node.kubernetes.io and kubelet.kubernetes.io and a few well-known ones such as %s. Use a label of your own domain, or apply it with kubectl after the node joined.",
				k, LabelZone)
		}
	}
	seenTaint := map[string]bool{}
	for i, t := range n.Taints {
		l.element(i, func() {
			if problem := checkTaint(t); problem != "" {
				l.errorf(h, FieldTaints, "Invalid taint", "The taint %q %s.", t, problem)
			} else if seenTaint[t] {
				l.warnf(h, FieldTaints, "Taint listed twice", "The taint %q is listed twice.", t)
			}
		})
		seenTaint[t] = true
	}
	l.nodeIPs(c, n)
	for _, a := range n.addrs() {
		for _, nets := range []struct {
			what string
			ps   []netip.Prefix
		}{{"pod", c.podCIDRs()}, {"service", c.serviceCIDRs()}} {
			for _, p := range nets.ps {
				if p.IsValid() && p.Contains(a) {
					f := FieldAddresses
					if slices.Contains(n.NodeIPs, a) {
						f = FieldNodeIP
					}
					l.errorf(h, f, "Node address inside the "+nets.what+" network",
						"The node's address %s lies inside the cluster's %s network %s, so traffic to it would be routed into the cluster. Choose a %s network that does not hold the nodes' addresses.",
						a, nets.what, p, nets.what)
				}
			}
		}
	}
	for i, f := range n.ExtraFlags {
		l.element(i, func() { l.flag(h, f, false, n.Role == RoleAgent) })
	}
}

// nodeIPs checks the node IPs of n: valid, one per family, and of the
// families of the pod network.
func (l *lint) nodeIPs(c *Cluster, n *Node) {
	if len(n.NodeIPs) == 0 {
		return
	}
	var v4, v6 int
	for _, a := range n.NodeIPs {
		switch {
		case !a.IsValid() || a.Is4In6() || a.Zone() != "":
			l.errorf(n.Host, FieldNodeIP, "Invalid node IP", "The node IP %s must be a plain IPv4 or IPv6 address, without zone and not IPv4-mapped.", a)
			return
		case a.Is4():
			v4++
		default:
			v6++
		}
	}
	if v4 > 1 || v6 > 1 {
		l.errorf(n.Host, FieldNodeIP, "Two node IPs of one family",
			"Node %q has the node IPs %s, two of the same address family. Give one address, or one IPv4 and one IPv6 address for dual stack.", n.Host, joinAddrs(n.NodeIPs))
		return
	}
	p4, p6 := c.podFamilies()
	if (v4 > 0) != p4 || (v6 > 0) != p6 {
		l.errorf(n.Host, FieldNodeIP, "Node IP and pod network of different families",
			"Node %q has the node IP %s, but the pod network is %s; k3s refuses to start unless they share the same IP version (IPv4, IPv6 or dual-stack). Give the node one address of each family of the pod network.",
			n.Host, joinAddrs(n.NodeIPs), joinPrefixes(c.podCIDRs()))
	}
}

// cross checks what involves several nodes.
func (l *lint) cross(c *Cluster, nodes []*Node) {
	var live []*Node
	for _, n := range nodes {
		if n != nil {
			live = append(live, n)
		}
	}
	if len(live) == 0 {
		l.warnf("", "", "Cluster without nodes", "No host is a node of cluster %q, so nothing runs it.", c.Name)
		return
	}
	byName := map[string]bool{}
	for _, n := range live {
		if n.Host != "" && byName[n.Host] {
			l.errorf(n.Host, FieldHost, "Duplicate node name",
				"Two nodes of cluster %q are called %q. Kubernetes identifies a node by its name, so the second would take the place of the first.", c.Name, n.Host)
		}
		byName[n.Host] = true
	}

	var inits, servers, joiners []string
	for _, n := range live {
		if n.Role.IsServer() {
			servers = append(servers, n.Host)
		}
		switch {
		case n.Role == RoleInit:
			inits = append(inits, n.Host)
			if len(inits) > 1 {
				l.errorf(n.Host, FieldRole, "Two init servers",
					"Node %q and node %q both have the role \"init\", so each would create a cluster of its own. Give one of them the role \"server\", which joins the cluster through the server address.", inits[0], n.Host)
			}
		case n.Role.valid():
			joiners = append(joiners, n.Host)
		}
	}
	if len(inits) == 0 {
		l.errorf("", "", "No init server",
			"No node of cluster %q has the role \"init\". One server must create the cluster (k3s server --cluster-init, which starts the embedded etcd) for the others to join it; give that role to one of %s.",
			c.Name, plural("server", servers, "the nodes"))
	}
	if len(servers) > 1 && len(servers)%2 == 0 {
		l.warnf("", "", "Even number of servers",
			"Cluster %q has %d servers (%s). etcd needs a majority of its members: %d servers tolerate no more failures than %d, and a network split can leave no side with a majority (split brain). Use an odd number of servers.",
			c.Name, len(servers), strings.Join(servers, ", "), len(servers), len(servers)-1)
	}
	if len(joiners) > 0 && c.ServerAddress == "" {
		l.errorf("", FieldServerAddress, "No server address",
			"Cluster %q has no server address, which the nodes that join the cluster (%s) register with. Set it to a DNS name that resolves to the servers, a virtual IP, or the address of a server.",
			c.Name, strings.Join(joiners, ", "))
	}
	if a, err := netip.ParseAddr(c.ServerAddress); err == nil && len(joiners) > 0 {
		owner := ""
		for _, n := range live {
			if slices.Contains(n.addrs(), a.Unmap().WithZone("")) {
				owner = n.Host
				if n.Role.IsServer() {
					break
				}
			}
		}
		switch {
		case owner == "":
			l.warnf("", FieldServerAddress, "Server address of no node",
				"The server address %s is not an address of any node of cluster %q. If it is a virtual IP that a load balancer or keepalived moves between the servers, this is fine; otherwise the joining nodes cannot reach it.",
				a, c.Name)
		case !slices.Contains(servers, owner):
			l.errorf("", FieldServerAddress, "Server address of an agent",
				"The server address %s belongs to node %q, which is an agent: agents run no API server, so the nodes that join cannot register there. Use the address of a server, or a DNS name for the servers.",
				a, owner)
		}
	}
	if len(live) > 1 {
		for _, n := range live {
			if len(n.addrs()) == 0 {
				l.errorf(n.Host, FieldAddresses, "Node without an address",
					"Node %q has no known address, so the firewalls of the other nodes of cluster %q cannot admit its traffic. Give the host a static address, or set its node IP.", n.Host, c.Name)
			}
		}
	}
}

// flag checks an extra flag of the cluster (node "") or of a node.
func (l *lint) flag(node, f string, cluster, agent bool) {
	if strings.TrimSpace(f) == "" {
		l.errorf(node, FieldExtraFlags, "Empty flag", "An extra flag is empty. Remove it.")
		return
	}
	if strings.ContainsFunc(f, unicode.IsControl) {
		l.errorf(node, FieldExtraFlags, "Invalid flag", "The extra flag %q holds a control character, such as a line break. Write each flag as one line.", f)
		return
	}
	if strings.ContainsAny(f, "%$") {
		l.warnf(node, FieldExtraFlags, "Flag expanded by systemd",
			"The extra flag %q holds '%%' or '$', which systemd expands in the k3s service's command line (specifiers and environment variables). Write %%%% or $$ for a literal character.", f)
	}
	name, _, _ := strings.Cut(strings.Fields(f)[0], "=")
	if agent && name == "--cluster-init" {
		l.errorf(node, FieldExtraFlags, "Agent cannot be init",
			"The extra flag %q would make an agent create a cluster, which only a server can do (nixpkgs asserts role = \"agent\" -> !clusterInit). Give the node the role \"init\" instead.", f)
		return
	}
	if what, why := managedFlag(name); what != "" {
		l.errorf(node, FieldExtraFlags, "Flag set elsewhere", "The extra flag %q is derived from %s; set that instead.%s", f, what, why)
		return
	}
	if !cluster && clusterWideFlag(name) {
		l.errorf(node, FieldExtraFlags, "Cluster-wide flag on a node",
			"The extra flag %q must be the same on every server, or they fail with confusing errors. Set it in the cluster's extra flags.", f)
	}
}

// managedFlag returns what sets the flag called name, and optionally a
// sentence on why, or "" when the flag is free to use in extra flags.
func managedFlag(name string) (what, why string) {
	switch name {
	case "--token", "-t", "--token-file", "--agent-token", "--agent-token-file":
		return "the cluster's token reference", " A token on the command line would end up in the world-readable Nix store."
	case "--datastore-endpoint":
		return "the init role", " The servers keep the cluster's state in the embedded etcd that the init server starts; an external datastore is not supported."
	case "--server", "-s":
		return "the cluster's server address", ""
	case "--cluster-init":
		return "the role \"init\"", ""
	case "--flannel-backend":
		return "the cluster's flannel backend", ""
	case "--cluster-cidr":
		return "the cluster's pod network (cluster CIDR)", ""
	case "--service-cidr":
		return "the cluster's service network (service CIDR)", ""
	case "--cluster-dns":
		return "the cluster's DNS address", ""
	case "--cluster-domain":
		return "the cluster's DNS domain", ""
	case "--disable":
		return "the cluster's disable list", ""
	case "--secrets-encryption":
		return "the cluster's secrets encryption", ""
	case "--embedded-registry":
		return "the cluster's embedded registry", ""
	case "--tls-san":
		return "the cluster's server address and TLS SANs", ""
	case "--node-label":
		return "the node's labels, region and zone", ""
	case "--node-taint":
		return "the node's taints", ""
	case "--node-ip", "-i":
		return "the node IP", ""
	case "--node-name":
		return "the host name, which is the node name", ""
	}
	return "", ""
}

// clusterWideFlag reports whether the flag called name must be the same on
// all servers (k3s datastore/ha-embedded) and is not set by a field: a
// node may not set it alone.
func clusterWideFlag(name string) bool {
	switch name {
	case "--disable-helm-controller", "--disable-kube-proxy", "--disable-network-policy", "--egress-selector-mode":
		return true
	}
	return strings.HasPrefix(name, "--flannel-")
}

// packagedComponents returns the components that --disable accepts.
func packagedComponents() []string {
	return []string{"coredns", "local-storage", "metrics-server", "runtimes", "servicelb", "traefik"}
}

// kubeletMaySet reports whether the kubelet accepts the label key in
// --node-labels: keys outside the kubernetes.io and k8s.io namespaces, and
// inside them only the well-known node labels and the node.kubernetes.io
// and kubelet.kubernetes.io namespaces (k8s.io/kubelet's IsKubeletLabel).
func kubeletMaySet(key string) bool {
	ns, _, ok := strings.Cut(key, "/")
	if !ok {
		return true
	}
	under := func(ns, domain string) bool { return ns == domain || strings.HasSuffix(ns, "."+domain) }
	if !under(ns, "kubernetes.io") && !under(ns, "k8s.io") {
		return true
	}
	if under(ns, "node.kubernetes.io") || under(ns, "kubelet.kubernetes.io") {
		return true
	}
	switch key {
	case "kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch",
		LabelRegion, LabelZone,
		"failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
		"beta.kubernetes.io/instance-type", "beta.kubernetes.io/os", "beta.kubernetes.io/arch":
		return true
	}
	return false
}

// checkHostOrIP returns why s is neither an IP address nor a DNS name, or
// "".
func checkHostOrIP(s string) string {
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" || a.Is4In6() {
			return "must be a plain IPv4 or IPv6 address, without zone and not IPv4-mapped"
		}
		return ""
	}
	if problem := checkDNSName(s); problem != "" {
		return "is neither an IP address nor a DNS name: it " + problem
	}
	return ""
}

// checkDNSName returns why s is not a DNS name (letters, digits and '-' in
// dot-separated labels of at most 63 characters, at most 253 in all), or
// "".
func checkDNSName(s string) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > 253 {
		return "is longer than 253 characters"
	}
	for label := range strings.SplitSeq(s, ".") {
		if problem := checkDNSLabel(label, true); problem != "" {
			return problem
		}
	}
	return ""
}

// checkDNSLabel returns why s is not one label of a DNS name, or "".
// Upper-case letters are allowed when upper is set.
func checkDNSLabel(s string, upper bool) string {
	switch {
	case s == "":
		return "has an empty label (two dots in a row, or a dot at an end)"
	case len(s) > 63:
		return fmt.Sprintf("has a label longer than 63 characters (%q)", s)
	case s[0] == '-' || s[len(s)-1] == '-':
		return fmt.Sprintf("has a label that starts or ends with '-' (%q)", s)
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || upper && r >= 'A' && r <= 'Z'
		if !ok {
			return fmt.Sprintf("contains %q, which is not a letter, a digit or '-'", r)
		}
	}
	return ""
}

// checkNodeName returns why host cannot be a Kubernetes node name, or "".
// The kubelet lower-cases the host name; the result must be a DNS
// subdomain (RFC 1123): lower-case letters, digits, '-' and '.'.
func checkNodeName(host string) string {
	if len(host) > 253 {
		return "must be at most 253 characters long"
	}
	for label := range strings.SplitSeq(strings.ToLower(host), ".") {
		if problem := checkDNSLabel(label, false); problem != "" {
			return "must be a lower-case DNS subdomain (RFC 1123), but " + problem
		}
	}
	return ""
}

// checkLabelKey returns why k is not a Kubernetes label key ([prefix/]name,
// the prefix a DNS subdomain), or "".
func checkLabelKey(k string) string {
	name := k
	if prefix, rest, ok := strings.Cut(k, "/"); ok {
		if problem := checkDNSName(prefix); problem != "" {
			return "has a prefix that is not a DNS subdomain: it " + problem
		}
		if strings.ToLower(prefix) != prefix {
			return "has a prefix with upper-case letters"
		}
		name = rest
	}
	if name == "" {
		return "has an empty name"
	}
	if problem := checkLabelValue(name); problem != "" {
		return "has a name that " + problem
	}
	return ""
}

// checkLabelValue returns why v is not a Kubernetes label value (at most 63
// letters, digits, '-', '_' and '.', starting and ending with a letter or
// digit; or empty), or "".
func checkLabelValue(v string) string {
	if v == "" {
		return ""
	}
	if len(v) > 63 {
		return "is longer than 63 characters"
	}
	alnum := func(r byte) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' }
	if !alnum(v[0]) || !alnum(v[len(v)-1]) {
		return "must start and end with a letter or a digit"
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !alnum(c) && c != '-' && c != '_' && c != '.' {
			return fmt.Sprintf("contains %q; use letters, digits, '-', '_' and '.'", rune(c))
		}
	}
	return ""
}

// checkTaint returns why t is not a taint "key[=value]:Effect", or "".
func checkTaint(t string) string {
	kv, effect, ok := strings.Cut(t, ":")
	if !ok {
		return `has no effect; write "key=value:Effect" or "key:Effect"`
	}
	switch effect {
	case "NoSchedule", "PreferNoSchedule", "NoExecute":
	default:
		return fmt.Sprintf("has the effect %q; use NoSchedule, PreferNoSchedule or NoExecute", effect)
	}
	key, value, _ := strings.Cut(kv, "=")
	if problem := checkLabelKey(key); problem != "" {
		return "has a key that " + problem
	}
	if problem := checkLabelValue(value); problem != "" {
		return "has a value that " + problem
	}
	return ""
}

// checkSecretFile returns why p cannot be the path of a secret file on a
// node, or "".
func checkSecretFile(p string) string {
	switch {
	case !strings.HasPrefix(p, "/"):
		return "is not an absolute path"
	case strings.ContainsFunc(p, unsafeInExecStart):
		return "contains white space, a quote, a backslash, '%', '$' or a control character, which the k3s command line (a systemd ExecStart) would not pass on unchanged"
	case path.Clean(p) != p:
		return fmt.Sprintf("is not a clean path; write %q", path.Clean(p))
	case p == "/nix/store" || strings.HasPrefix(p, "/nix/store/"):
		return "is in the Nix store, which every local user can read; keep secrets outside it, for example under /run/secrets"
	}
	return ""
}

// unsafeInExecStart reports whether r is a character that systemd
// interprets in an ExecStart line: white space and quotes split and group
// words, a backslash escapes, '%' starts a specifier and '$' a variable.
func unsafeInExecStart(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"'\%$`, r)
}

// checkSOPSName returns why s cannot be the name of a sops-nix secret, or
// "". sops-nix installs the secret at /run/secrets/<name>, so the name is
// a relative path.
func checkSOPSName(s string) string {
	switch {
	case s == "":
		return "is empty"
	case strings.ContainsFunc(s, unsafeInExecStart):
		return "contains white space, a quote, a backslash, '%', '$' or a control character, which the k3s command line (a systemd ExecStart) would not pass on unchanged"
	case strings.HasPrefix(s, "/") || path.Clean(s) != s || s == ".." || strings.HasPrefix(s, "../"):
		return "is not a clean relative path such as \"k3s_token\" or \"k3s/token\""
	}
	return ""
}

// quoteJoin returns xs quoted, separated by commas and conj before the
// last.
func quoteJoin[T ~string](xs []T, conj string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	if len(q) > 1 {
		return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
	}
	return strings.Join(q, "")
}

// joinAddrs returns as separated by commas.
func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}

// joinPrefixes returns ps separated by commas.
func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// plural returns "the servers a, b" or, with no names, none.
func plural(noun string, names []string, none string) string {
	switch len(names) {
	case 0:
		return none
	case 1:
		return "the " + noun + " " + names[0]
	}
	return "the " + noun + "s " + strings.Join(names, ", ")
}
