package nixgen

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/disko"
	"github.com/nixgen/nixgen/k3s"
	"github.com/nixgen/nixgen/nixgen/nix"
)

// This file holds the k3s part of an inventory: the k3s_cluster blocks,
// the k3s block of hosts and profiles, their conversion to package k3s,
// the mapping of its diagnostics back to source ranges, and the files and
// firewall rules a node gets.
//
//	k3s_cluster "main" {
//	  server_address  = "k8s.example.org"   # joining nodes register here
//	  token_secret    = "k3s_token"         # or token_file = "/run/…"
//	  flannel_backend = "wireguard-native"
//	  admin_sources   = ["198.51.100.7"]    # may reach the API server
//	}
//
//	host "instance-1" {
//	  region = "france"                     # topology.kubernetes.io/region
//	  zone   = "france-paris"               # topology.kubernetes.io/zone
//	  k3s {
//	    cluster = "main"                    # may be left out with one cluster
//	    role    = "init"                    # "init", "server" or "agent"
//	    labels  = { "example.org/disk" = "ssd" }
//	    node_ip = "203.0.113.10"            # default: the first static address
//	  }
//	}
//
// A node gets hosts/NAME/k3s.nix (see [k3s.Cluster.Module]), and its
// network.nix gets the firewall rules of [k3s.Cluster.Rules] and the
// trusted interfaces of [k3s.Cluster.TrustedInterfaces].

// K3sCluster is a k3s cluster, `k3s_cluster "NAME" { … }`: the settings
// that every node of the cluster shares. Hosts join it with a [K3sNode]
// block. Unset attributes take k3s's defaults, except
// graceful_node_shutdown, which is on unless set to false.
type K3sCluster struct {
	// Name names the cluster; the k3s block of a host refers to it.
	Name string `hcl:"name,label"`
	// ServerAddress is the address that joining nodes register with: a
	// DNS name that resolves to the servers, a virtual IP, or the
	// address of one server. It is always among the TLS SANs.
	ServerAddress *string `hcl:"server_address,optional"`
	// TLSSANs are more names and addresses for the API server's
	// certificate.
	TLSSANs []string `hcl:"tls_sans,optional"`
	// TokenSecret is the name of the sops-nix secret that holds the
	// cluster token, such as "k3s_token"; TokenFile is instead the path
	// of a file on the nodes that holds it. Set one.
	TokenSecret *string `hcl:"token_secret,optional"`
	TokenFile   *string `hcl:"token_file,optional"`
	// Token is refused: a token written in the inventory would end up in
	// the world-readable Nix store. The field exists to say so clearly.
	Token *string `hcl:"token,optional"`
	// AgentTokenSecret and AgentTokenFile name a second token, for agents
	// only; AgentToken is refused like Token.
	AgentTokenSecret *string `hcl:"agent_token_secret,optional"`
	AgentTokenFile   *string `hcl:"agent_token_file,optional"`
	AgentToken       *string `hcl:"agent_token,optional"`
	// FlannelBackend is "vxlan" (k3s's default), "host-gw",
	// "wireguard-native" or "none".
	FlannelBackend *string `hcl:"flannel_backend,optional"`
	// ClusterCIDR and ServiceCIDR are the pod and service networks, as
	// k3s writes them: one prefix, or an IPv4 and an IPv6 prefix
	// separated by a comma for dual stack.
	ClusterCIDR *string `hcl:"cluster_cidr,optional"`
	ServiceCIDR *string `hcl:"service_cidr,optional"`
	// ClusterDNS is the address of the cluster DNS service, in the
	// service network.
	ClusterDNS *string `hcl:"cluster_dns,optional"`
	// ClusterDomain is the cluster's DNS domain, "cluster.local" unless
	// set.
	ClusterDomain *string `hcl:"cluster_domain,optional"`
	// Disable are packaged components not to deploy, such as "traefik".
	Disable []string `hcl:"disable,optional"`
	// SecretsEncryption encrypts Secrets at rest.
	SecretsEncryption *bool `hcl:"secrets_encryption,optional"`
	// EmbeddedRegistry enables the embedded registry mirror (Spegel).
	EmbeddedRegistry *bool `hcl:"embedded_registry,optional"`
	// GracefulNodeShutdown lets the kubelet stop pods in order when a
	// node shuts down; nil means true.
	GracefulNodeShutdown *bool `hcl:"graceful_node_shutdown,optional"`
	// ExtraFlags are more flags for every server, for settings that must
	// be the same on all of them.
	ExtraFlags []string `hcl:"extra_flags,optional"`
	// AdminSources are the addresses or prefixes, besides the nodes,
	// that may reach the API server (port 6443): where admins run
	// kubectl from.
	AdminSources []string `hcl:"admin_sources,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange                 hcl.Range `hcl:"name,label_range"`
	DefRange                  hcl.Range `hcl:",def_range"`
	ServerAddressRange        hcl.Range `hcl:"server_address,attr_value_range"`
	TLSSANsRange              hcl.Range `hcl:"tls_sans,attr_value_range"`
	TokenSecretRange          hcl.Range `hcl:"token_secret,attr_value_range"`
	TokenFileRange            hcl.Range `hcl:"token_file,attr_value_range"`
	TokenRange                hcl.Range `hcl:"token,attr_value_range"`
	AgentTokenSecretRange     hcl.Range `hcl:"agent_token_secret,attr_value_range"`
	AgentTokenFileRange       hcl.Range `hcl:"agent_token_file,attr_value_range"`
	AgentTokenRange           hcl.Range `hcl:"agent_token,attr_value_range"`
	FlannelBackendRange       hcl.Range `hcl:"flannel_backend,attr_value_range"`
	ClusterCIDRRange          hcl.Range `hcl:"cluster_cidr,attr_value_range"`
	ServiceCIDRRange          hcl.Range `hcl:"service_cidr,attr_value_range"`
	ClusterDNSRange           hcl.Range `hcl:"cluster_dns,attr_value_range"`
	ClusterDomainRange        hcl.Range `hcl:"cluster_domain,attr_value_range"`
	DisableRange              hcl.Range `hcl:"disable,attr_value_range"`
	SecretsEncryptionRange    hcl.Range `hcl:"secrets_encryption,attr_value_range"`
	EmbeddedRegistryRange     hcl.Range `hcl:"embedded_registry,attr_value_range"`
	GracefulNodeShutdownRange hcl.Range `hcl:"graceful_node_shutdown,attr_value_range"`
	ExtraFlagsRange           hcl.Range `hcl:"extra_flags,attr_value_range"`
	AdminSourcesRange         hcl.Range `hcl:"admin_sources,attr_value_range"`
}

// K3sNode makes a host a node of a k3s cluster, `k3s { … }` in a host or
// a profile. A host's block is laid over its profiles' field by field:
// a value the host sets wins, labels merge key by key, and a list the
// host sets replaces the inherited one.
type K3sNode struct {
	// Cluster names the [K3sCluster]; it may be left out when the
	// inventory has one cluster.
	Cluster *string `hcl:"cluster,optional"`
	// Role is "init" (the server that creates the cluster), "server" (a
	// server that joins it) or "agent".
	Role *string `hcl:"role,optional"`
	// NodeIP is the address the node advertises, or an IPv4 and an IPv6
	// address separated by a comma, one for each family of a dual-stack
	// pod network. Unset means, for each family of the pod network, the
	// first static address of that family on the host's interfaces: with
	// k3s's default IPv4 pod network, the first static IPv4 address.
	NodeIP *string `hcl:"node_ip,optional"`
	// Labels are node labels, applied when the node registers. The
	// host's region and zone add topology.kubernetes.io/region and
	// topology.kubernetes.io/zone.
	Labels map[string]string `hcl:"labels,optional"`
	// Taints are node taints, "key=value:Effect" or "key:Effect".
	Taints []string `hcl:"taints,optional"`
	// ExtraFlags are more flags for this node only.
	ExtraFlags []string `hcl:"extra_flags,optional"`
	// Manifests are auto-deploying manifests, for servers; see
	// [K3sManifest].
	Manifests []K3sManifest `hcl:"manifest,block"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange        hcl.Range `hcl:",def_range"`
	ClusterRange    hcl.Range `hcl:"cluster,attr_value_range"`
	RoleRange       hcl.Range `hcl:"role,attr_value_range"`
	NodeIPRange     hcl.Range `hcl:"node_ip,attr_value_range"`
	LabelsRange     hcl.Range `hcl:"labels,attr_value_range"`
	TaintsRange     hcl.Range `hcl:"taints,attr_value_range"`
	ExtraFlagsRange hcl.Range `hcl:"extra_flags,attr_value_range"`
}

// mergeK3sNode returns l laid over d, sharing no memory with either.
func mergeK3sNode(d, l *K3sNode) *K3sNode {
	if d == nil && l == nil {
		return nil
	}
	out := &K3sNode{}
	for _, layer := range []*K3sNode{d, l} {
		if layer == nil {
			continue
		}
		overPtr(&out.Cluster, &out.ClusterRange, layer.Cluster, layer.ClusterRange)
		overPtr(&out.Role, &out.RoleRange, layer.Role, layer.RoleRange)
		overPtr(&out.NodeIP, &out.NodeIPRange, layer.NodeIP, layer.NodeIPRange)
		storageOverMap(&out.Labels, &out.LabelsRange, layer.Labels, layer.LabelsRange)
		overList(&out.Taints, &out.TaintsRange, layer.Taints, layer.TaintsRange)
		overList(&out.ExtraFlags, &out.ExtraFlagsRange, layer.ExtraFlags, layer.ExtraFlagsRange)
		out.Manifests = mergeManifests(out.Manifests, layer.Manifests)
		out.DefRange = layer.DefRange
	}
	return out
}

// k3sHost is what a host that is a k3s node renders from.
type k3sHost struct {
	cluster *k3s.Cluster
	node    *k3s.Node
	nodes   []*k3s.Node // the cluster's, node among them
	// manifests is the node's services.k3s.manifests, nil for none; see
	// checkManifests.
	manifests nix.Expr
}

// module returns the host's k3s.nix.
func (k *k3sHost) module() (nix.Expr, error) {
	e, err := k.cluster.Module(k.node)
	if err != nil || k.manifests == nil {
		return e, err
	}
	return withK3sManifests(e, k.manifests)
}

// firewall returns what the host's firewall gets from its cluster.
func (k *k3sHost) firewall() derivedFirewall {
	var out derivedFirewall
	if k == nil {
		return out
	}
	for _, r := range k.cluster.Rules(k.node, k.nodes) {
		a := allowRule{Name: r.Name, Comment: r.Comment, From: slices.Clone(r.From)}
		for _, p := range r.TCP {
			a.TCP = append(a.TCP, portRange{p.From, p.To})
		}
		for _, p := range r.UDP {
			a.UDP = append(a.UDP, portRange{p.From, p.To})
		}
		out.rules = append(out.rules, a)
	}
	for _, t := range k.cluster.TrustedInterfaces() {
		out.trusted = append(out.trusted, trustedInterface{Name: t.Name, Comment: t.Comment})
	}
	return out
}

// etcdDataDir is where a k3s server keeps its embedded etcd.
const etcdDataDir = "/var/lib/rancher/k3s/server/db"

// k3sClusterPlan is a k3s_cluster block with the hosts that join it.
type k3sClusterPlan struct {
	src     *K3sCluster
	cluster *k3s.Cluster
	// tokenReported is set when the conversion already reported the
	// token, or the agent token, so that the lint's "no token" is not
	// reported twice.
	tokenReported, agentTokenReported bool
	hosts                             []*checkedHost
	nodes                             []*k3s.Node
}

// checkK3s checks the k3s clusters and the k3s blocks of hosts, and sets
// the k3s field of every host that is a node of a cluster. hosts are the
// resolved hosts, sorted by name.
func (inv *Inventory) checkK3s(hosts []checkedHost) hcl.Diagnostics {
	var diags hcl.Diagnostics
	errorf := func(r hcl.Range, summary, format string, args ...any) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
	}
	plans := map[string]*k3sClusterPlan{}
	var order []*k3sClusterPlan
	for i := range inv.K3sClusters {
		kc := &inv.K3sClusters[i]
		if prev, ok := plans[kc.Name]; ok {
			errorf(kc.NameRange, "Duplicate k3s cluster", "A k3s_cluster named %q was already defined %s. Cluster names must be unique.", kc.Name, netWhere(prev.src.NameRange))
			continue
		}
		p := kc.convert(&diags)
		plans[kc.Name] = p
		order = append(order, p)
	}

	// failed is set when the k3s block of a host has an error, so that
	// the cluster it meant is not also said to have no nodes.
	failed := false
	for i := range hosts {
		if h := &hosts[i]; h.K3s != nil && !joinK3s(h, plans, order, &diags) {
			failed = true
		}
	}

	for _, p := range order {
		diags = append(diags, p.lint(failed)...)
		diags = append(diags, p.checkDisks()...)
		for i, h := range p.hosts {
			h.k3s = &k3sHost{cluster: p.cluster, node: p.nodes[i], nodes: p.nodes}
		}
	}
	diags = append(diags, inv.checkK3sNixpkgs(order)...)
	return diags
}

// joinK3s adds host h, which has a k3s block, to the cluster it names
// among plans (order holds them as defined). It reports what keeps the
// host from joining and returns false then.
func joinK3s(h *checkedHost, plans map[string]*k3sClusterPlan, order []*k3sClusterPlan, diags *hcl.Diagnostics) bool {
	errorf := func(r hcl.Range, summary, format string, args ...any) bool {
		*diags = append(*diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
		return false
	}
	kn := h.K3s
	var name string
	switch {
	case kn.Cluster != nil:
		name = *kn.Cluster
	case len(order) == 1:
		name = order[0].src.Name
	case len(order) == 0:
		return errorf(kn.DefRange, "No k3s cluster", "Host %q has a k3s block, but the inventory defines no k3s_cluster. Add one, for example: k3s_cluster \"main\" { server_address = \"k8s.example.org\", token_secret = \"k3s_token\" }.", h.Name)
	default:
		return errorf(kn.DefRange, "Missing k3s cluster", "Host %q has a k3s block without cluster, and the inventory defines several k3s clusters (%s). Set cluster to one of them.", h.Name, strings.Join(slices.Sorted(maps.Keys(plans)), ", "))
	}
	p, ok := plans[name]
	if !ok {
		detail := fmt.Sprintf("Host %q joins the k3s cluster %q, but no k3s_cluster of that name is defined.", h.Name, name)
		detail += didYouMean(name, slices.Sorted(maps.Keys(plans)))
		return errorf(netFirstRange(kn.ClusterRange, kn.DefRange), "Unknown k3s cluster", "%s", detail)
	}
	if kn.Role == nil {
		return errorf(kn.DefRange, "Missing k3s role", "The k3s block of host %q has no role. Set role to \"init\" (the server that creates the cluster), \"server\" or \"agent\", on the host or in a profile it uses.", h.Name)
	}
	node, ok := k3sNodeOf(h, p.cluster, diags)
	if !ok {
		return false
	}
	p.hosts = append(p.hosts, h)
	p.nodes = append(p.nodes, node)
	return true
}

// convert converts the block to a [k3s.Cluster], reporting what cannot
// be converted: a plaintext token, values that do not parse.
func (kc *K3sCluster) convert(diags *hcl.Diagnostics) *k3sClusterPlan {
	errorf := func(r hcl.Range, summary, format string, args ...any) {
		*diags = append(*diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: netFirst(r, kc.DefRange)})
	}
	p := &k3sClusterPlan{src: kc}
	c := &k3s.Cluster{
		Name:                 kc.Name,
		ServerAddress:        deref(kc.ServerAddress),
		TLSSANs:              slices.Clone(kc.TLSSANs),
		FlannelBackend:       k3s.FlannelBackend(deref(kc.FlannelBackend)),
		ClusterDomain:        deref(kc.ClusterDomain),
		Disable:              slices.Clone(kc.Disable),
		SecretsEncryption:    kc.SecretsEncryption != nil && *kc.SecretsEncryption,
		EmbeddedRegistry:     kc.EmbeddedRegistry != nil && *kc.EmbeddedRegistry,
		GracefulNodeShutdown: kc.GracefulNodeShutdown == nil || *kc.GracefulNodeShutdown,
		ExtraFlags:           slices.Clone(kc.ExtraFlags),
	}
	p.cluster = c

	secret := func(what, attr string, plain *string, plainAt hcl.Range, sops *string, sopsAt hcl.Range, file *string, fileAt hcl.Range) (k3s.Secret, bool) {
		reported := false
		if plain != nil {
			errorf(plainAt, "Plaintext "+what+" refused",
				"The %s would be written into the generated k3s.nix, and from there into the Nix store, which every user and service of the machine can read, and into the repository. Remove %s, and keep the %s in a sops-nix secret named with %s_secret = \"k3s_token\", or in a file on the nodes named with %s_file = \"/run/secrets/k3s_token\".",
				what, attr, what, attr, attr)
			reported = true
		}
		var s k3s.Secret
		if sops != nil {
			if *sops == "" {
				errorf(sopsAt, "Empty "+attr+"_secret", "%s_secret is empty. Give the name of the sops-nix secret that holds the %s, such as \"k3s_token\".", attr, what)
				reported = true
			}
			s.SOPS = *sops
		}
		if file != nil {
			if *file == "" {
				errorf(fileAt, "Empty "+attr+"_file", "%s_file is empty. Give the path of the file on the nodes that holds the %s, such as \"/run/secrets/k3s_token\".", attr, what)
				reported = true
			}
			s.File = *file
		}
		return s, reported
	}
	c.Token, p.tokenReported = secret("token", "token", kc.Token, kc.TokenRange, kc.TokenSecret, kc.TokenSecretRange, kc.TokenFile, kc.TokenFileRange)
	c.AgentToken, p.agentTokenReported = secret("agent token", "agent_token", kc.AgentToken, kc.AgentTokenRange, kc.AgentTokenSecret, kc.AgentTokenSecretRange, kc.AgentTokenFile, kc.AgentTokenFileRange)

	cidrs := func(attr string, v *string, at hcl.Range) []netip.Prefix {
		if v == nil {
			return nil
		}
		var out []netip.Prefix
		for part := range strings.SplitSeq(*v, ",") {
			pr, err := netip.ParsePrefix(strings.TrimSpace(part))
			if err != nil {
				errorf(at, "Invalid "+attr, "%q is not a prefix such as \"10.42.0.0/16\", or an IPv4 and an IPv6 prefix separated by a comma for dual stack.", *v)
				return nil
			}
			out = append(out, pr)
		}
		return out
	}
	c.ClusterCIDR = cidrs("cluster_cidr", kc.ClusterCIDR, kc.ClusterCIDRRange)
	c.ServiceCIDR = cidrs("service_cidr", kc.ServiceCIDR, kc.ServiceCIDRRange)
	if kc.ClusterDNS != nil {
		a, problem := parseUnicastAddr(*kc.ClusterDNS)
		if problem != "" {
			errorf(kc.ClusterDNSRange, "Invalid cluster_dns", "The cluster DNS address %q %s.", *kc.ClusterDNS, problem)
		} else {
			c.ClusterDNS = a
		}
	}
	for i, s := range kc.AdminSources {
		pr, warning, problem := parseSource(s)
		what := fmt.Sprintf("The admin source %q (element %d of admin_sources of k3s cluster %q)", s, i+1, kc.Name)
		switch {
		case problem != "":
			*diags = append(*diags, atElement(netError("Invalid admin source", what+" "+problem+".", kc.AdminSourcesRange, kc.DefRange), i))
			continue
		case warning != "":
			*diags = append(*diags, atElement(netWarning("Source has host bits", what+" "+warning, kc.AdminSourcesRange, kc.DefRange), i))
		}
		c.AdminCIDRs = append(c.AdminCIDRs, pr)
	}
	return p
}

// k3sNodeOf converts the k3s block of host h, a node of cluster c, to a
// [k3s.Node]. It reports a node IP that does not parse, and returns false
// then.
func k3sNodeOf(h *checkedHost, c *k3s.Cluster, diags *hcl.Diagnostics) (*k3s.Node, bool) {
	kn := h.K3s
	n := &k3s.Node{
		Host:       h.Name,
		Role:       k3s.Role(*kn.Role),
		Labels:     maps.Clone(kn.Labels),
		Taints:     slices.Clone(kn.Taints),
		ExtraFlags: slices.Clone(kn.ExtraFlags),
		Region:     deref(h.Region),
		Zone:       deref(h.Zone),
	}
	// The static addresses of the interfaces, in the order written;
	// those that do not parse are reported by the network checks.
	for _, in := range h.Interfaces {
		for _, s := range in.Addresses {
			if p, err := netip.ParsePrefix(s); err == nil {
				n.Addresses = append(n.Addresses, p.Addr())
			}
		}
	}
	if kn.NodeIP != nil {
		for part := range strings.SplitSeq(*kn.NodeIP, ",") {
			a, problem := parseUnicastAddr(strings.TrimSpace(part))
			if problem != "" {
				*diags = append(*diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid node_ip",
					Detail:  fmt.Sprintf("The node IP %q of host %q %s. Give an address, or an IPv4 and an IPv6 address separated by a comma.", part, h.Name, problem),
					Subject: netFirst(kn.NodeIPRange, kn.DefRange)})
				return nil, false
			}
			n.NodeIPs = append(n.NodeIPs, a)
		}
		return n, true
	}
	// One address for each family of the pod network, as k3s wants.
	pods := c.ClusterCIDR
	if len(pods) == 0 {
		pods = []netip.Prefix{netip.MustParsePrefix(k3s.DefaultClusterCIDR)}
	}
	for _, is6 := range []bool{false, true} {
		if !slices.ContainsFunc(pods, func(p netip.Prefix) bool { return p.Addr().Is6() == is6 }) {
			continue
		}
		if i := slices.IndexFunc(n.Addresses, func(a netip.Addr) bool { return a.Is6() == is6 }); i >= 0 {
			n.NodeIPs = append(n.NodeIPs, n.Addresses[i])
		}
	}
	return n, true
}

// lint runs [k3s.Lint] on the cluster and points its diagnostics at the
// inventory. When hostFailed, the k3s block of some host had an error
// and the cluster may lack the node it meant, so the warning of a
// cluster without nodes is left out.
func (p *k3sClusterPlan) lint(hostFailed bool) hcl.Diagnostics {
	byHost := make(map[string]*checkedHost, len(p.hosts))
	for _, h := range p.hosts {
		byHost[h.Name] = h
	}
	var diags hcl.Diagnostics
	for _, d := range k3s.Lint(p.cluster, p.nodes) {
		if d.Node == "" && (d.Field == k3s.FieldToken && p.tokenReported || d.Field == k3s.FieldAgentToken && p.agentTokenReported) {
			continue
		}
		if hostFailed && len(p.nodes) == 0 && d.Node == "" && d.Field == "" && d.Severity == k3s.Warning {
			continue // the cluster without nodes
		}
		at, list := p.src.fieldRange(d.Field)
		if d.Node != "" {
			if h := byHost[d.Node]; h != nil {
				at, list = h.k3sFieldRange(d.Field)
			}
		}
		sev := hcl.DiagError
		if d.Severity == k3s.Warning {
			sev = hcl.DiagWarning
		}
		diag := &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Subject: at.Ptr()}
		if list && d.Element > 0 {
			atElement(diag, d.Element-1)
		}
		diags = append(diags, diag)
	}
	return diags
}

// fieldRange returns where field f of the cluster is written, and whether
// it is a list there.
func (kc *K3sCluster) fieldRange(f k3s.Field) (hcl.Range, bool) {
	first := func(r hcl.Range) hcl.Range { return netFirstRange(r, kc.DefRange) }
	switch f {
	case k3s.FieldServerAddress:
		return first(kc.ServerAddressRange), false
	case k3s.FieldTLSSANs:
		return first(kc.TLSSANsRange), true
	case k3s.FieldToken:
		return netFirstRange(kc.TokenSecretRange, kc.TokenFileRange, kc.DefRange), false
	case k3s.FieldAgentToken:
		return netFirstRange(kc.AgentTokenSecretRange, kc.AgentTokenFileRange, kc.DefRange), false
	case k3s.FieldFlannelBackend:
		return first(kc.FlannelBackendRange), false
	case k3s.FieldClusterCIDR:
		return first(kc.ClusterCIDRRange), false
	case k3s.FieldServiceCIDR:
		return first(kc.ServiceCIDRRange), false
	case k3s.FieldClusterDNS:
		return first(kc.ClusterDNSRange), false
	case k3s.FieldClusterDomain:
		return first(kc.ClusterDomainRange), false
	case k3s.FieldDisable:
		return first(kc.DisableRange), true
	case k3s.FieldExtraFlags:
		return first(kc.ExtraFlagsRange), true
	case k3s.FieldAdminCIDRs:
		return first(kc.AdminSourcesRange), true
	}
	return kc.DefRange, false
}

// k3sFieldRange returns where field f of the host's k3s node is written,
// and whether it is a list there.
func (h *checkedHost) k3sFieldRange(f k3s.Field) (hcl.Range, bool) {
	kn := h.K3s
	first := func(r hcl.Range) hcl.Range { return netFirstRange(r, kn.DefRange) }
	switch f {
	case k3s.FieldHost:
		return netFirstRange(h.NameRange, kn.DefRange), false
	case k3s.FieldRole:
		return first(kn.RoleRange), false
	case k3s.FieldLabels:
		return first(kn.LabelsRange), false
	case k3s.FieldTaints:
		return first(kn.TaintsRange), true
	case k3s.FieldNodeIP:
		return first(kn.NodeIPRange), false
	case k3s.FieldExtraFlags:
		return first(kn.ExtraFlagsRange), true
	case k3s.FieldRegion:
		return netFirstRange(h.RegionRange, kn.DefRange), false
	case k3s.FieldZone:
		return netFirstRange(h.ZoneRange, kn.DefRange), false
	}
	return kn.DefRange, false
}

// checkDisks warns about servers of an embedded-etcd cluster whose etcd
// data lies on a rotational disk.
func (p *k3sClusterPlan) checkDisks() hcl.Diagnostics {
	etcd := slices.ContainsFunc(p.nodes, func(n *k3s.Node) bool { return n.Role == k3s.RoleInit })
	if !etcd {
		return nil
	}
	var diags hcl.Diagnostics
	for i, h := range p.hosts {
		if !p.nodes[i].Role.IsServer() || h.layout == nil || !hasStorage(&h.Machine) {
			continue
		}
		media := h.layout.MediaAt
		if h.disk != nil {
			media = h.disk.MediaAt
		}
		if !slices.Contains(media(etcdDataDir), disko.MediaHDD) {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "etcd on a hard disk",
			Detail: fmt.Sprintf("Host %q is a server of k3s cluster %q, whose embedded etcd keeps its data in %s, on a disk with media = \"hdd\". etcd syncs every write to disk and fails when that is slow: on hard disks it misses heartbeats, loses its leader, and k3s restarts over and over; the k3s documentation recommends SSDs for servers. Put %s (or the file system that holds it) on an SSD or NVMe disk, or make the host an agent.",
				h.Name, p.src.Name, etcdDataDir, etcdDataDir),
			Subject: netFirst(h.K3s.RoleRange, h.K3s.DefRange),
		})
	}
	return diags
}

// nixpkgsReleaseRE finds a NixOS release such as "nixos-25.05" or
// "release-24.11" in a flake URL.
var nixpkgsReleaseRE = regexp.MustCompile(`\b(?:nixos|nixpkgs|release)-([0-9]{2})\.([0-9]{2})\b`)

// k3sMinRelease is the first NixOS release whose services.k3s is known to
// have the options disable, nodeIP, nodeLabel, nodeTaint and
// agentTokenFile, as YYMM.
const k3sMinRelease = 2511

// checkK3sNixpkgs warns about a fleet pinned to a NixOS release older
// than the k3s options that the nodes' modules set; see package k3s. It is
// a warning: the options are known to be missing from NixOS 24.11 and
// present from 25.11 on, and a release in between may have them.
func (inv *Inventory) checkK3sNixpkgs(plans []*k3sClusterPlan) hcl.Diagnostics {
	if inv.Fleet == nil {
		return nil
	}
	m := nixpkgsReleaseRE.FindStringSubmatch(inv.Fleet.Nixpkgs)
	if m == nil {
		return nil
	}
	yy, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2])
	if yy*100+mm >= k3sMinRelease {
		return nil
	}
	var hosts []string
	for _, p := range plans {
		for _, n := range p.nodes {
			server := n.Role.IsServer() && (len(p.cluster.Disable) > 0 || !p.cluster.AgentToken.IsZero())
			if server || len(n.NodeIPs) > 0 ||
				len(n.Labels) > 0 || n.Region != "" || n.Zone != "" || len(n.Taints) > 0 {
				hosts = append(hosts, n.Host)
			}
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	slices.Sort(hosts)
	consequence := "If it lacks one, evaluation stops"
	if yy*100+mm <= 2411 {
		consequence = "Evaluation stops"
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagWarning,
		Summary:  "nixpkgs may be too old for the k3s options",
		Detail: fmt.Sprintf("The fleet is pinned to NixOS %s.%s, but the k3s modules of %s set services.k3s options (nodeIP, nodeLabel, nodeTaint, disable or agentTokenFile) that came with the k3s module of NixOS 25.11 and that NixOS 24.11 lacks. %s with an error such as \"The option `services.k3s.nodeIP' does not exist\". Pin nixos-25.11 or later, or nixos-unstable.",
			m[1], m[2], strings.Join(hosts, ", "), consequence),
		Subject: netFirst(inv.Fleet.NixpkgsRange, inv.Fleet.DefRange),
	}}
}
