package k3s

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// Module returns the NixOS module that runs node n of the cluster:
//
//	{ config, ... }: {
//	  services.k3s = {
//	    enable = true;
//	    role = "server";                                # or "agent"
//	    tokenFile = config.sops.secrets.k3s_token.path; # or "/path/on/the/node"
//	    clusterInit = true;                             # the init server only
//	    serverAddr = "https://k8s.example.org:6443";    # every other node
//	    disable = [ "traefik" ];                        # servers
//	    nodeIP = "203.0.113.10";                        # "v4,v6" for dual stack
//	    nodeLabel = [ "topology.kubernetes.io/region=france" ];
//	    nodeTaint = [ "dedicated=storage:NoSchedule" ];
//	    extraFlags = [
//	      "--flannel-backend wireguard-native"          # servers
//	      "--tls-san k8s.example.org"                   # servers
//	    ];
//	    gracefulNodeShutdown.enable = true;
//	  };
//	  sops.secrets.k3s_token = { };                     # sops-nix tokens
//	}
//
// Servers get every cluster-wide setting, always in the same order, so
// that they cannot disagree: the flags --flannel-backend (unless vxlan,
// k3s's default), --cluster-cidr, --service-cidr, --cluster-dns,
// --cluster-domain, --secrets-encryption, --embedded-registry and
// --tls-san for the server address and each TLS SAN, then the cluster's
// extra flags; the disable option; and agentTokenFile when the cluster
// has an agent token, which agents then use as their tokenFile. Every node
// gets its own labels (the region and zone first become
// topology.kubernetes.io labels) and taints, sorted, its node IP, and its
// extra flags last. Tokens are always read from a file, never written
// into the module; see [Secret].
//
// Module fails if the cluster's settings or the node's have errors that
// [Lint] reports, or if n joins the cluster (it is not the init server)
// and the cluster has no server address. It does not check what needs the
// other nodes, such as the number of init servers.
func (c *Cluster) Module(n *Node) (nix.Expr, error) {
	if c == nil {
		return nil, errors.New("k3s: no cluster")
	}
	if n == nil {
		return nil, errors.New("k3s: no node")
	}
	l := &lint{}
	l.cluster(c)
	l.node(c, n)
	for _, d := range l.diags {
		if d.Severity == Error {
			return nil, fmt.Errorf("k3s: cluster %q, node %q: %s: %s", c.Name, n.Host, d.Summary, strings.TrimSuffix(d.Detail, "."))
		}
	}
	if n.Role != RoleInit && c.ServerAddress == "" {
		return nil, fmt.Errorf("k3s: cluster %q, node %q: the node joins the cluster, but the cluster has no server address", c.Name, n.Host)
	}

	server := n.Role.IsServer()
	role := "agent"
	if server {
		role = "server"
	}
	token := c.Token
	if !server && !c.AgentToken.IsZero() {
		token = c.AgentToken
	}
	var sops []string
	secretExpr := func(s Secret) nix.Expr {
		if s.File != "" {
			return nix.Str(s.File)
		}
		if !slices.Contains(sops, s.SOPS) {
			sops = append(sops, s.SOPS)
		}
		return nix.Sel(nix.Ident("config"), "sops", "secrets", s.SOPS, "path")
	}

	items := []nix.Item{
		nix.Bind("enable", nix.Bool(true)),
		nix.Bind("role", nix.Str(role)),
		nix.Bind("tokenFile", secretExpr(token)),
	}
	if server && !c.AgentToken.IsZero() {
		items = append(items, nix.Bind("agentTokenFile", secretExpr(c.AgentToken)))
	}
	if n.Role == RoleInit {
		items = append(items, nix.Bind("clusterInit", nix.Bool(true)))
	} else {
		items = append(items, nix.Bind("serverAddr", nix.Str(c.serverURL())))
	}
	if server && len(c.Disable) > 0 {
		items = append(items, nix.Bind("disable", nix.Strs(sortedUnique(c.Disable)...)))
	}
	if len(n.NodeIPs) > 0 {
		ips := slices.Clone(n.NodeIPs)
		slices.SortStableFunc(ips, func(a, b netip.Addr) int { return boolInt(a.Is6()) - boolInt(b.Is6()) })
		s := make([]string, len(ips))
		for i, a := range ips {
			s[i] = a.String()
		}
		items = append(items, nix.Bind("nodeIP", nix.Str(strings.Join(s, ","))))
	}
	if labels := n.labels(); len(labels) > 0 {
		items = append(items, nix.Bind("nodeLabel", nix.Strs(labels...)))
	}
	if len(n.Taints) > 0 {
		items = append(items, nix.Bind("nodeTaint", nix.Strs(sortedUnique(n.Taints)...)))
	}
	var flags []string
	if server {
		flags = c.serverFlags()
	}
	flags = append(flags, n.ExtraFlags...)
	if len(flags) > 0 {
		items = append(items, nix.Bind("extraFlags", nix.Strs(flags...)))
	}
	if c.GracefulNodeShutdown {
		items = append(items, nix.Bind("gracefulNodeShutdown.enable", nix.Bool(true)))
	}

	body := []nix.Item{nix.Bind("services.k3s", nix.Set(items...))}
	slices.Sort(sops)
	for _, name := range sops {
		body = append(body, nix.BindPath(nix.AttrPath{"sops", "secrets", name}, nix.Set()))
	}
	var formals []string
	if len(sops) > 0 {
		formals = []string{"config"}
	}
	return nix.Module(formals, nix.Set(body...)), nil
}

// serverFlags returns the extraFlags that every server gets.
func (c *Cluster) serverFlags() []string {
	var flags []string
	if b := c.backend(); b != FlannelVXLAN {
		flags = append(flags, "--flannel-backend "+string(b))
	}
	if len(c.ClusterCIDR) > 0 {
		flags = append(flags, "--cluster-cidr "+joinCIDRs(c.ClusterCIDR))
	}
	if len(c.ServiceCIDR) > 0 {
		flags = append(flags, "--service-cidr "+joinCIDRs(c.ServiceCIDR))
	}
	if c.ClusterDNS.IsValid() {
		flags = append(flags, "--cluster-dns "+c.ClusterDNS.String())
	}
	if c.ClusterDomain != "" {
		flags = append(flags, "--cluster-domain "+c.ClusterDomain)
	}
	if c.SecretsEncryption {
		flags = append(flags, "--secrets-encryption")
	}
	if c.EmbeddedRegistry {
		flags = append(flags, "--embedded-registry")
	}
	for _, s := range c.tlsSANs() {
		flags = append(flags, "--tls-san "+s)
	}
	return append(flags, c.ExtraFlags...)
}

// joinCIDRs writes prefixes as k3s's flags take them: comma-separated,
// IPv4 first.
func joinCIDRs(ps []netip.Prefix) string {
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b netip.Prefix) int {
		return boolInt(a.Addr().Is6()) - boolInt(b.Addr().Is6())
	})
	s := make([]string, len(sorted))
	for i, p := range sorted {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sortedUnique returns xs sorted, without repeats.
func sortedUnique(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return slices.Compact(out)
}
