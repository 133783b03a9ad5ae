package nixgen

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// Interface is a network interface of a host, configured by
// systemd-networkd as the unit systemd.network.networks."10-<Name>".
//
//	interface "eth0" {
//	  addresses = ["203.0.113.10/24", "2001:db8::2/64"]
//	  gateway   = "203.0.113.1"
//	  gateway6  = "fe80::1"
//	  route {
//	    destination = "10.8.0.0/16"
//	    gateway     = "203.0.113.254"
//	  }
//	}
//
// A gateway outside every subnet of the interface's addresses (a /32
// address with a provider's gateway, as Hetzner and OVH hand out) gets
// GatewayOnLink = true without being asked for; see [Route.OnLink].
type Interface struct {
	// Name is the Linux interface name, at most 15 bytes (IFNAMSIZ) of
	// letters, digits, '.', '-' and '_'. It names the networkd unit
	// "10-<Name>" and, unless MatchMAC is set, selects the interface.
	Name string `hcl:"name,label"`
	// MatchMAC, when set, selects the interface by its MAC address
	// (matchConfig.MACAddress) instead of by Name; Name then only names
	// the unit.
	MatchMAC *string `hcl:"match_mac,optional"`
	// DHCP is networkConfig.DHCP: "ipv4", "ipv6", "yes" (both) or "no".
	// Unset emits nothing, which networkd takes as "no".
	DHCP *string `hcl:"dhcp,optional"`
	// Addresses are the static addresses with their prefix length, such
	// as "203.0.113.10/24" or "2001:db8::2/64", in the order networkd adds
	// them: the first of a subnet is the primary one.
	Addresses []string `hcl:"addresses,optional"`
	// Gateway is the IPv4 default gateway.
	Gateway *string `hcl:"gateway,optional"`
	// Gateway6 is the IPv6 default gateway, often the link-local router
	// address fe80::1.
	Gateway6 *string `hcl:"gateway6,optional"`
	// Routes are further static routes.
	Routes []Route `hcl:"route,block"`
	// RequiredForOnline is linkConfig.RequiredForOnline: "yes", "no", or
	// a minimum operational state with an optional maximum, such as
	// "routable" or "degraded:routable". Unset means "routable" when the
	// interface has addresses or DHCP, and networkd's default otherwise.
	RequiredForOnline *string `hcl:"required_for_online,optional"`

	NameRange              hcl.Range `hcl:"name,label_range"`
	DefRange               hcl.Range `hcl:",def_range"`
	MatchMACRange          hcl.Range `hcl:"match_mac,attr_value_range"`
	DHCPRange              hcl.Range `hcl:"dhcp,attr_value_range"`
	AddressesRange         hcl.Range `hcl:"addresses,attr_value_range"`
	GatewayRange           hcl.Range `hcl:"gateway,attr_value_range"`
	Gateway6Range          hcl.Range `hcl:"gateway6,attr_value_range"`
	RequiredForOnlineRange hcl.Range `hcl:"required_for_online,attr_value_range"`
}

// Route is a static route of an interface: an entry of the networkd routes
// list. A route has a Destination, a Gateway, or both; without a
// Destination it is a default route, like [Interface.Gateway], and without
// a Gateway it is a direct route to a destination on the link.
type Route struct {
	// Destination is the destination prefix, such as "10.8.0.0/16". Its
	// host bits must be zero.
	Destination *string `hcl:"destination,optional"`
	// Gateway is the next hop, of the destination's address family.
	Gateway *string `hcl:"gateway,optional"`
	// OnLink is GatewayOnLink: whether the gateway is reachable on the
	// link although it is outside the interface's subnets. Unset derives
	// it: true when the gateway lies outside every subnet of the
	// interface's static addresses of its family, false otherwise. IPv6
	// link-local gateways (fe80::/10) are on the link by definition and
	// never need it. Setting false for a gateway outside every subnet is
	// an error, because the kernel would refuse the route ("Network is
	// unreachable").
	OnLink *bool `hcl:"on_link,optional"`

	DefRange         hcl.Range `hcl:",def_range"`
	DestinationRange hcl.Range `hcl:"destination,attr_value_range"`
	GatewayRange     hcl.Range `hcl:"gateway,attr_value_range"`
	OnLinkRange      hcl.Range `hcl:"on_link,attr_value_range"`
}

// mergeNetwork lays the network settings of layer over dst, as a profile or
// a host over what it inherits. Interfaces merge by name, field by field:
// a scalar the layer sets replaces dst's, and a list the layer sets (even
// to []) replaces dst's list; route blocks replace dst's routes when the
// layer has any. The firewall merges the same way, with allow rules merged
// by name: a layer's rule replaces a same-named rule of dst as a whole.
// Two same-named interfaces or rules within one layer are both kept, so
// that validation reports them. dst receives copies: it shares no memory
// with layer, nor with what dst held before.
func mergeNetwork(dst *Machine, layer *Machine) {
	ifaces := make([]Interface, 0, len(dst.Interfaces)+len(layer.Interfaces))
	for _, in := range dst.Interfaces {
		ifaces = append(ifaces, cloneInterface(in))
	}
	inherited := len(ifaces)
	for _, in := range layer.Interfaces {
		i := slices.IndexFunc(ifaces[:inherited], func(x Interface) bool { return x.Name == in.Name })
		if i < 0 {
			ifaces = append(ifaces, cloneInterface(in))
			continue
		}
		mergeInterface(&ifaces[i], &in)
	}
	if len(ifaces) == 0 {
		ifaces = nil
	}
	dst.Interfaces = ifaces
	dst.Firewall = mergeFirewall(dst.Firewall, layer.Firewall)
}

// mergeInterface lays l over d, which is already a copy.
func mergeInterface(d, l *Interface) {
	overPtr(&d.MatchMAC, &d.MatchMACRange, l.MatchMAC, l.MatchMACRange)
	overPtr(&d.DHCP, &d.DHCPRange, l.DHCP, l.DHCPRange)
	overPtr(&d.Gateway, &d.GatewayRange, l.Gateway, l.GatewayRange)
	overPtr(&d.Gateway6, &d.Gateway6Range, l.Gateway6, l.Gateway6Range)
	overPtr(&d.RequiredForOnline, &d.RequiredForOnlineRange, l.RequiredForOnline, l.RequiredForOnlineRange)
	if l.Addresses != nil {
		d.Addresses = slices.Clone(l.Addresses)
		d.AddressesRange = l.AddressesRange
	}
	if len(l.Routes) > 0 {
		d.Routes = cloneRoutes(l.Routes)
	}
	d.NameRange, d.DefRange = l.NameRange, l.DefRange
}

func cloneInterface(in Interface) Interface {
	out := in
	out.MatchMAC = clonePtr(in.MatchMAC)
	out.DHCP = clonePtr(in.DHCP)
	out.Addresses = slices.Clone(in.Addresses)
	out.Gateway = clonePtr(in.Gateway)
	out.Gateway6 = clonePtr(in.Gateway6)
	out.Routes = cloneRoutes(in.Routes)
	out.RequiredForOnline = clonePtr(in.RequiredForOnline)
	return out
}

func cloneRoutes(rs []Route) []Route {
	if rs == nil {
		return nil
	}
	out := make([]Route, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].Destination = clonePtr(r.Destination)
		out[i].Gateway = clonePtr(r.Gateway)
		out[i].OnLink = clonePtr(r.OnLink)
	}
	return out
}

// validateNetwork checks the network settings of a resolved host: its
// interfaces, nameservers and firewall. Errors name the
// offending value and say how to fix it; warnings point at settings that
// have no effect. Validate a host after the merge of its profiles: a
// profile alone may lack what its hosts add (an address for a gateway).
func validateNetwork(m *Machine) hcl.Diagnostics {
	_, diags := compileNetwork(m)
	return diags
}

// networkModule returns the network.nix module of host m: systemd-networkd
// units for its interfaces, its nameservers and its firewall, with rules
// restricted to sources written for the firewall backend, "iptables" or
// "nftables". An empty backend means m.FirewallBackend, or "iptables" when
// that is unset too. It returns an error if m does not pass
// [validateNetwork].
func networkModule(m *Machine, backend string) (nix.Expr, error) {
	return networkModuleRules(m, backend, nil)
}

// networkModuleRules is networkModule with firewall rules that other parts
// of nixgen derive from the inventory (the ports a k3s server opens to its
// peers) added to the host's own. A derived rule is dropped when the host's
// firewall has an allow rule of the same name, so that the inventory can
// replace it; see [allowRule].
func networkModuleRules(m *Machine, backend string, derived []allowRule) (nix.Expr, error) {
	return networkModuleDerived(m, backend, derivedFirewall{rules: derived})
}

// derivedFirewall is what other parts of nixgen add to the firewall of a
// host: allow rules, and interfaces to trust (those of k3s's pod network).
type derivedFirewall struct {
	rules   []allowRule
	trusted []trustedInterface
}

// networkModuleDerived is networkModuleRules with trusted interfaces as
// well; see [firewallPlan.trust].
func networkModuleDerived(m *Machine, backend string, derived derivedFirewall) (nix.Expr, error) {
	backend, err := firewallBackend(m, backend)
	if err != nil {
		return nil, err
	}
	plan, err := hostNetPlan(m, derived)
	if err != nil {
		return nil, err
	}
	return planModule(new(nix.Arena), m.Name, backend, plan)
}

// checkedNetworkModule is networkModuleDerived for a checked host, whose
// network plan is already compiled (see [checkedHost.netPlan]), with the
// nodes of the module taken from nodes.
func checkedNetworkModule(nodes *nix.Arena, h *checkedHost) (nix.Expr, error) {
	backend, err := firewallBackend(&h.Machine, "")
	if err != nil {
		return nil, err
	}
	plan, err := h.netPlan()
	if err != nil {
		return nil, err
	}
	return planModule(nodes, h.Name, backend, plan)
}

// planModule returns the network.nix module of the plan of host name,
// with its firewall written for backend and its nodes taken from nodes.
func planModule(nodes *nix.Arena, name, backend string, plan netPlan) (nix.Expr, error) {
	items := nodes.Items(2 + len(plan.links) + 4)
	if len(plan.links) > 0 {
		items = append(items,
			nodes.Bind("networking.useDHCP", nix.Bool(false)),
			nodes.Bind("networking.useNetworkd", nix.Bool(true)),
		)
		for _, l := range plan.links {
			items = append(items, l.binding(nodes))
		}
	}
	if len(plan.nameservers) > 0 {
		ns := make([]string, len(plan.nameservers))
		for i, a := range plan.nameservers {
			ns[i] = a.String()
		}
		items = append(items, nodes.Bind("networking.nameservers", nodes.Strs(ns...)))
	}
	fw, err := plan.fw.bindings(nodes, backend)
	if err != nil {
		return nil, fmt.Errorf("host %q: %w", name, err)
	}
	items = append(items, fw...)
	return nodes.Module(nil, nodes.Set(items...)), nil
}

// firewallBackend resolves the backend argument of networkModule.
func firewallBackend(m *Machine, backend string) (string, error) {
	if backend == "" && m.FirewallBackend != nil {
		backend = *m.FirewallBackend
	}
	switch backend {
	case "":
		return backendIPTables, nil
	case backendIPTables, backendNFTables:
		return backend, nil
	}
	return "", fmt.Errorf("unknown firewall backend %q: use %q or %q", backend, backendIPTables, backendNFTables)
}

// netPlan is the network of a host in checked, canonical form: every
// address parsed, every collection in output order.
type netPlan struct {
	links       []linkPlan // by name
	nameservers []netip.Addr
	fw          firewallPlan
}

// linkPlan is one systemd.network.networks unit.
type linkPlan struct {
	name              string
	mac               string // canonical; empty: match by name
	dhcp              string
	addrs             []netip.Prefix
	routes            []routePlan
	requiredForOnline string
}

// routePlan is one entry of a unit's routes list.
type routePlan struct {
	dst    netip.Prefix // invalid for a default route
	gw     netip.Addr   // invalid for a direct route
	onLink bool
}

// binding returns the unit, with its nodes taken from nodes.
func (l linkPlan) binding(nodes *nix.Arena) *nix.Binding {
	items := nodes.Items(5)
	if l.mac != "" {
		items = append(items, nodes.Bind("matchConfig.MACAddress", nodes.Str(l.mac)))
	} else {
		items = append(items, nodes.Bind("matchConfig.Name", nodes.Str(l.name)))
	}
	// The unit's name, addresses and routes are printed into one buffer,
	// made a string at once, and each string is a slice of that.
	var buf [512]byte
	var endBuf [16]int
	text := append(append(buf[:0], "10-"...), l.name...)
	ends := append(endBuf[:0], len(text))
	for _, a := range l.addrs {
		text = a.AppendTo(text)
		ends = append(ends, len(text))
	}
	for _, r := range l.routes {
		if r.dst.IsValid() {
			text = r.dst.AppendTo(text)
			ends = append(ends, len(text))
		}
		if r.gw.IsValid() {
			text = r.gw.AppendTo(text)
			ends = append(ends, len(text))
		}
	}
	all := string(text)
	next, start := 0, 0
	str := func() string {
		s := all[start:ends[next]]
		start = ends[next]
		next++
		return s
	}
	unit := str()
	if len(l.addrs) > 0 {
		var asBuf [8]string
		as := asBuf[:0]
		for range l.addrs {
			as = append(as, str())
		}
		items = append(items, nodes.Bind("address", nodes.Strs(as...)))
	}
	if len(l.routes) > 0 {
		rs := nodes.Exprs(len(l.routes))[:len(l.routes)]
		ris := nodes.Items(3 * len(l.routes))
		for i, r := range l.routes {
			ri := ris[len(ris):len(ris)]
			if r.dst.IsValid() {
				ri = append(ri, nodes.Bind("Destination", nodes.Str(str())))
			}
			if r.gw.IsValid() {
				ri = append(ri, nodes.Bind("Gateway", nodes.Str(str())))
			}
			if r.onLink {
				ri = append(ri, nodes.Bind("GatewayOnLink", nix.Bool(true)))
			}
			ris = ris[:len(ris)+len(ri)]
			rs[i] = nodes.Set(ri[:len(ri):len(ri)]...)
		}
		items = append(items, nodes.Bind("routes", nodes.List(rs...)))
	}
	if l.dhcp != "" {
		items = append(items, nodes.Bind("networkConfig.DHCP", nodes.Str(l.dhcp)))
	}
	if l.requiredForOnline != "" {
		items = append(items, nodes.Bind("linkConfig.RequiredForOnline", nodes.Str(l.requiredForOnline)))
	}
	return nodes.BindPath(nodes.Names("systemd", "network", "networks", unit), nodes.Set(items...))
}

// compileNetwork checks the network settings of m and returns them in
// canonical form. The plan is only meaningful when the diagnostics hold no
// error.
func compileNetwork(m *Machine) (netPlan, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var plan netPlan
	plan.links = compileInterfaces(m, &diags)
	plan.nameservers = compileNameservers(m, &diags)
	macMatched := map[string]bool{}
	for _, l := range plan.links {
		if l.mac != "" {
			macMatched[l.name] = true
		}
	}
	plan.fw = compileFirewall(m.Firewall, macMatched, &diags)
	return plan, diags
}

// netFamily names the address family of a in messages.
func netFamily(a netip.Addr) string { return netFamilyName(a.Is6()) }

// checkIfName returns why name cannot be a Linux interface name, or "".
// The kernel allows more characters than this (anything but '/', ':' and
// white space), but the name is also written into shell commands, nftables
// rules and Nix attribute names, so it is held to a set that needs no
// quoting anywhere.
func checkIfName(name string) string {
	switch {
	case name == "":
		return "is empty"
	case name == "." || name == "..":
		return "is reserved by the kernel"
	case len(name) > 15:
		return fmt.Sprintf("is %d bytes long, and Linux interface names are at most 15 bytes (IFNAMSIZ)", len(name))
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return fmt.Sprintf("contains %q; use letters, digits, '.', '-' and '_'", c)
		}
	}
	return ""
}

// netParseHostAddr parses a unicast address written without a prefix length:
// a gateway or a nameserver.
func netParseHostAddr(s string) (netip.Addr, string) {
	a, problem := parseUnicastAddr(s)
	if problem == "is not a unicast address" {
		problem += " of another host"
	}
	return a, problem
}

// parseUnicastAddr parses s as a single unicast IP address without a zone,
// and otherwise says what is wrong with it.
func parseUnicastAddr(s string) (netip.Addr, string) {
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil:
		return a, "is not an IP address"
	case a.Zone() != "":
		return a, "has a zone (%...); write the address alone"
	case a.Is4In6():
		return a, fmt.Sprintf("is an IPv4-mapped IPv6 address; write %s", a.Unmap())
	case a.IsUnspecified() || a.IsMulticast() || a.IsLoopback():
		return a, "is not a unicast address"
	}
	return a, ""
}

// checkRequiredForOnline reports whether s is a value of networkd's
// RequiredForOnline: a boolean, or a minimum operational state with an
// optional maximum after a colon.
func checkRequiredForOnline(s string) bool {
	if s == "yes" || s == "no" {
		return true
	}
	lo, hi, ok := strings.Cut(s, ":")
	return isNetworkdState(lo) && (!ok || isNetworkdState(hi))
}

// networkdStates lists the operational states of networkd links.
const networkdStates = "missing, off, no-carrier, dormant, degraded-carrier, carrier, degraded, enslaved, routable"

func isNetworkdState(s string) bool {
	return s != "" && !strings.ContainsAny(s, ", ") && slices.Contains(strings.Split(networkdStates, ", "), s)
}

// addrOwner is where an address of the host is declared.
type addrOwner struct {
	iface string
	at    hcl.Range
}

// linkChecker compiles the interfaces of one host.
type linkChecker struct {
	diags  *hcl.Diagnostics
	owners map[netip.Addr]addrOwner // every static address of the host
}

func (c *linkChecker) add(d *hcl.Diagnostic) { *c.diags = append(*c.diags, d) }

// compileInterfaces checks the interfaces of m and returns their units,
// sorted by name. Addresses are read for all interfaces before any
// gateway, so that a gateway equal to an address of another interface is
// caught wherever that is declared.
func compileInterfaces(m *Machine, diags *hcl.Diagnostics) []linkPlan {
	c := &linkChecker{diags: diags, owners: map[netip.Addr]addrOwner{}}
	byName := map[string]*Interface{}
	byMAC := map[string]*Interface{}
	var links []linkPlan
	var ins []*Interface
	for i := range m.Interfaces {
		in := &m.Interfaces[i]
		if prev, ok := byName[in.Name]; ok {
			c.add(netError("Duplicate interface",
				fmt.Sprintf("The interface %q, networkd unit \"10-%s\", is also declared %s. Merge the two blocks into one.",
					in.Name, in.Name, netWhere(prev.DefRange)), in.NameRange, in.DefRange))
			continue
		}
		byName[in.Name] = in
		links = append(links, c.link(in, byMAC))
		ins = append(ins, in)
	}
	var defaults [2][]string // names of the interfaces with an IPv4, IPv6 default route
	for i, in := range ins {
		l := &links[i]
		l.routes = c.routes(in, l)
		for _, r := range l.routes {
			if !r.dst.IsValid() {
				fam := netBit(routeIs6(r))
				defaults[fam] = append(defaults[fam], in.Name)
			}
		}
	}
	for fam, names := range defaults {
		if len(names) > 1 {
			slices.Sort(names)
			c.add(netWarning("Several default routes",
				fmt.Sprintf("Interfaces %s all have an %s default gateway. The kernel uses one of them at a time; keep the gateway on one interface unless that is what you want.",
					netQuoteList(names), netFamilyName(fam == 1)), m.DefRange))
		}
	}
	slices.SortFunc(links, func(a, b linkPlan) int { return strings.Compare(a.name, b.name) })
	return links
}

// link compiles everything of an interface but its routes.
func (c *linkChecker) link(in *Interface, byMAC map[string]*Interface) linkPlan {
	l := linkPlan{name: in.Name}
	if p := checkIfName(in.Name); p != "" {
		c.add(netError("Invalid interface name",
			fmt.Sprintf("The interface name %q %s.", in.Name, p), in.NameRange, in.DefRange))
	}
	if in.MatchMAC != nil {
		hw, err := net.ParseMAC(*in.MatchMAC)
		if err != nil || len(hw) != 6 {
			c.add(netError("Invalid MAC address",
				fmt.Sprintf("The match_mac value %q of interface %q is not an Ethernet MAC address; write six hexadecimal byte pairs separated by colons, like \"52:54:00:12:34:56\".",
					*in.MatchMAC, in.Name), in.MatchMACRange, in.DefRange))
		} else {
			l.mac = hw.String()
			if prev, ok := byMAC[l.mac]; ok {
				c.add(netError("Duplicate MAC address",
					fmt.Sprintf("Interfaces %q and %q (%s) both match the MAC address %s; networkd would apply only the first unit to the device. Remove one of the match_mac values.",
						in.Name, prev.Name, netWhere(prev.MatchMACRange), l.mac), in.MatchMACRange, in.DefRange))
			}
			byMAC[l.mac] = in
		}
	}
	if in.DHCP != nil {
		l.dhcp = *in.DHCP
		if !slices.Contains([]string{"ipv4", "ipv6", "yes", "no"}, l.dhcp) {
			c.add(netError("Invalid DHCP mode",
				fmt.Sprintf("The dhcp value %q of interface %q is not one of \"ipv4\", \"ipv6\", \"yes\" (both) and \"no\".",
					*in.DHCP, in.Name), in.DHCPRange, in.DefRange))
		}
	}
	if len(in.Addresses) > 0 {
		l.addrs = make([]netip.Prefix, 0, len(in.Addresses))
	}
	for j, s := range in.Addresses {
		what := func() string {
			return fmt.Sprintf("The address %q (element %d of addresses of interface %q)", s, j+1, in.Name)
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			detail := what() + " is not an address with a prefix length."
			if _, aerr := netip.ParseAddr(s); aerr == nil {
				detail += fmt.Sprintf(" Add the length of its subnet, such as \"%s/24\", or /32 (/128 for IPv6) for an address alone on its link.", s)
			} else {
				detail += " Write it like \"203.0.113.10/24\" or \"2001:db8::2/64\"."
			}
			c.add(atElement(netError("Invalid address", detail, in.AddressesRange, in.DefRange), j))
			continue
		}
		if a := p.Addr(); a.Is4In6() || a.IsUnspecified() || a.IsMulticast() || a.IsLoopback() {
			c.add(atElement(netError("Invalid address",
				what()+" is not a unicast address that an interface can own.", in.AddressesRange, in.DefRange), j))
			continue
		}
		if prev, ok := c.owners[p.Addr()]; ok {
			c.add(atElement(netError("Duplicate address",
				fmt.Sprintf("%s is also given to interface %q %s. An address belongs to one interface; remove one of them.",
					what(), prev.iface, netWhere(prev.at)), in.AddressesRange, in.DefRange), j))
			continue
		}
		c.owners[p.Addr()] = addrOwner{in.Name, netFirstRange(in.AddressesRange, in.DefRange)}
		l.addrs = append(l.addrs, p)
	}
	dhcp := l.dhcpFamilies()
	switch {
	case in.RequiredForOnline != nil:
		l.requiredForOnline = *in.RequiredForOnline
		if !checkRequiredForOnline(l.requiredForOnline) {
			c.add(netError("Invalid RequiredForOnline",
				fmt.Sprintf("The required_for_online value %q of interface %q is not \"yes\", \"no\", or an operational state such as \"routable\" or \"degraded:routable\" (states: %s).",
					l.requiredForOnline, in.Name, networkdStates), in.RequiredForOnlineRange, in.DefRange))
		}
	case len(l.addrs) > 0 || dhcp[0] || dhcp[1]:
		l.requiredForOnline = "routable"
	}
	if len(in.Addresses) == 0 && !dhcp[0] && !dhcp[1] {
		c.add(netWarning("Interface without addresses",
			fmt.Sprintf("Interface %q has no addresses and no DHCP, so it gets only an IPv6 link-local address. Add addresses, or set dhcp.",
				in.Name), in.NameRange, in.DefRange))
	}
	return l
}

// dhcpFamilies reports whether DHCP configures IPv4 and IPv6.
func (l *linkPlan) dhcpFamilies() [2]bool {
	switch l.dhcp {
	case "yes":
		return [2]bool{true, true}
	case "ipv4":
		return [2]bool{true, false}
	case "ipv6":
		return [2]bool{false, true}
	}
	return [2]bool{}
}

// routeSource is a route as written: a gateway or gateway6 attribute, or
// a route block.
type routeSource struct {
	attr                      string // "gateway", "gateway6", or "" for a route block
	block                     int    // for a route block: its position, from 1
	dst, gw                   *string
	onLink                    *bool
	family                    int // for gateway and gateway6: 4 or 6
	at, dstAt, gwAt, onLinkAt hcl.Range
}

// what names the route in messages: "gateway", "gateway6", "route 2".
func (s *routeSource) what() string {
	if s.attr != "" {
		return s.attr
	}
	return "route " + strconv.Itoa(s.block)
}

// routes compiles the default gateways and the route blocks of in, whose
// other settings are compiled in l, and returns them in output order.
func (c *linkChecker) routes(in *Interface, l *linkPlan) []routePlan {
	var buf [4]routeSource // enough for most interfaces
	srcs := buf[:0]
	if in.Gateway != nil {
		srcs = append(srcs, routeSource{attr: "gateway", gw: in.Gateway, family: 4, at: in.DefRange, gwAt: in.GatewayRange})
	}
	if in.Gateway6 != nil {
		srcs = append(srcs, routeSource{attr: "gateway6", gw: in.Gateway6, family: 6, at: in.DefRange, gwAt: in.Gateway6Range})
	}
	for j, r := range in.Routes {
		srcs = append(srcs, routeSource{block: j + 1, dst: r.Destination, gw: r.Gateway,
			onLink: r.OnLink, at: r.DefRange, dstAt: r.DestinationRange, gwAt: r.GatewayRange, onLinkAt: r.OnLinkRange})
	}
	var routes []routePlan
	if len(srcs) > 0 {
		routes = make([]routePlan, 0, len(srcs))
	}
	var defaultAt [2]*hcl.Range
	for i := range srcs {
		s := &srcs[i]
		r, ok := c.route(in, l, s)
		if !ok {
			continue
		}
		if !r.dst.IsValid() {
			fam := netBit(routeIs6(r))
			if prev := defaultAt[fam]; prev != nil {
				c.add(netError("Two default routes",
					fmt.Sprintf("Interface %q has two %s default routes: %s, and another %s. Keep one.",
						in.Name, netFamilyName(fam == 1), s.what(), netWhere(*prev)), s.gwAt, s.at))
				continue
			}
			at := netFirstRange(s.gwAt, s.at)
			defaultAt[fam] = &at
		}
		if slices.ContainsFunc(routes, func(x routePlan) bool { return x.dst == r.dst && x.gw == r.gw }) {
			c.add(netError("Duplicate route",
				fmt.Sprintf("%s of interface %q repeats an earlier route to the same destination through the same gateway. Remove it.",
					storageCapitalize(s.what()), in.Name), s.at, in.DefRange))
			continue
		}
		routes = append(routes, r)
	}
	slices.SortFunc(routes, compareRoutes)
	return routes
}

// route compiles one route of in.
func (c *linkChecker) route(in *Interface, l *linkPlan, s *routeSource) (routePlan, bool) {
	var r routePlan
	if s.dst == nil && s.gw == nil {
		c.add(netError("Empty route",
			fmt.Sprintf("%s of interface %q has neither a destination nor a gateway. Set destination, gateway, or both.",
				storageCapitalize(s.what()), in.Name), s.at, in.DefRange))
		return r, false
	}
	if s.gw == nil && s.onLink != nil {
		c.add(netError("on_link without gateway",
			fmt.Sprintf("%s of interface %q sets on_link but has no gateway; on_link says whether the gateway is on the link. Remove on_link, or add the gateway.",
				storageCapitalize(s.what()), in.Name), s.onLinkAt, s.at))
		return r, false
	}
	var dst netip.Prefix // as written; r.dst stays unset for a default route
	if s.dst != nil {
		p, err := netip.ParsePrefix(*s.dst)
		switch {
		case err != nil || p.Addr().Is4In6():
			c.add(netError("Invalid route destination",
				fmt.Sprintf("The destination %q of %s of interface %q is not a prefix such as \"10.8.0.0/16\" or \"2001:db8:1::/48\".",
					*s.dst, s.what(), in.Name), s.dstAt, s.at))
			return r, false
		case p != p.Masked():
			c.add(netError("Route destination has host bits",
				fmt.Sprintf("The destination %q of %s of interface %q has bits set beyond its prefix length, and the kernel rejects such routes. Write %q.",
					*s.dst, s.what(), in.Name, p.Masked().String()), s.dstAt, s.at))
			return r, false
		}
		dst = p
		if p.Bits() > 0 {
			r.dst = p
		}
	}
	if s.gw == nil {
		if !r.dst.IsValid() {
			c.add(netError("Default route without gateway",
				fmt.Sprintf("The destination %q of %s of interface %q is a default route, which needs a gateway.",
					*s.dst, s.what(), in.Name), s.dstAt, s.at))
			return r, false
		}
		return r, true
	}
	noun := func() string { return gatewayNoun(s.what()) }
	gw, problem := netParseHostAddr(*s.gw)
	if problem != "" {
		c.add(netError("Invalid gateway",
			fmt.Sprintf("The %s %q of interface %q %s.", noun(), *s.gw, in.Name, problem), s.gwAt, s.at))
		return r, false
	}
	if s.family == 4 && !gw.Is4() || s.family == 6 && !gw.Is6() {
		other := map[int]string{4: "gateway6", 6: "gateway"}[s.family]
		c.add(netError("Gateway of the wrong family",
			fmt.Sprintf("The %s %q of interface %q is an %s address. Move it to %s.",
				s.what(), *s.gw, in.Name, netFamily(gw), other), s.gwAt, s.at))
		return r, false
	}
	if dst.IsValid() && gw.Is4() != dst.Addr().Is4() {
		c.add(netError("Gateway of the wrong family",
			fmt.Sprintf("The %s %q of interface %q is an %s address, but the destination %q is not. A route's gateway and destination share a family.",
				noun(), *s.gw, in.Name, netFamily(gw), *s.dst), s.gwAt, s.at))
		return r, false
	}
	onLink, ok := deriveOnLink(gw, l.addrs, l.dhcpFamilies(), s.onLink, c.owners,
		func(summary, detail string) {
			c.add(netError(summary, fmt.Sprintf("The %s %q of interface %q %s", noun(), *s.gw, in.Name, detail),
				s.gwAt, s.onLinkAt, s.at))
		})
	r.gw, r.onLink = gw, onLink
	return r, ok
}

// deriveOnLink decides GatewayOnLink for a gateway gw of an interface
// with the static addresses addrs and DHCP for IPv4 and IPv6 as in dhcp,
// where explicit is the route's on_link setting. It reports a gateway
// that cannot work through report, whose detail completes a sentence
// naming the gateway, and returns ok = false.
//
// The rules, in order:
//   - a gateway of a family that the interface gets no address of, neither
//     static nor by DHCP, is an error: the host has no source address to
//     use it with;
//   - a gateway that is an address of the host itself is an error;
//   - an IPv6 link-local gateway (fe80::/10) is reachable on the link by
//     definition: the kernel resolves it on the route's interface, and
//     systemd-networkd accepts Gateway=fe80::1 without GatewayOnLink, so
//     on_link is not derived (it is emitted when set explicitly);
//   - a gateway of a family that only DHCP configures cannot be placed,
//     since the subnet is known only from the lease: on_link is what the
//     route sets, false when unset;
//   - a gateway inside a subnet of the interface's static addresses of
//     its family needs no on_link; an explicit true is kept;
//   - a gateway outside all of them needs on_link (a /32 address with the
//     provider's gateway), which is derived when unset; an explicit false
//     is an error, since the kernel would refuse the route.
func deriveOnLink(gw netip.Addr, addrs []netip.Prefix, dhcp [2]bool, explicit *bool,
	owners map[netip.Addr]addrOwner, report func(summary, detail string)) (onLink, ok bool) {
	fam := netBit(gw.Is6())
	var subnets []netip.Prefix
	for _, p := range addrs {
		if p.Addr().Is6() == gw.Is6() {
			subnets = append(subnets, p)
		}
	}
	if len(subnets) == 0 && !dhcp[fam] {
		family := netFamily(gw)
		report("Gateway without address", fmt.Sprintf(
			"is an %s address, but the interface has no %s address, static or by DHCP, to reach it from. Add an %s address to addresses, set dhcp = %q, or remove the gateway.",
			family, family, family, strings.ToLower(family)))
		return false, false
	}
	if o, mine := owners[gw]; mine {
		report("Gateway is a local address", fmt.Sprintf(
			"is an address of this host (of interface %q, %s). The gateway is the router's address, not the host's.", o.iface, netWhere(o.at)))
		return false, false
	}
	explicitOr := func(def bool) bool {
		if explicit != nil {
			return *explicit
		}
		return def
	}
	if gw.Is6() && gw.IsLinkLocalUnicast() || len(subnets) == 0 {
		return explicitOr(false), true
	}
	for _, p := range subnets {
		if p.Masked().Contains(gw) {
			return explicitOr(false), true
		}
	}
	if explicit != nil && !*explicit {
		report("Gateway not on the link", fmt.Sprintf(
			"lies outside every subnet of the interface (%s), and on_link = false tells the kernel that it is not directly reachable, so the route would fail with \"Network is unreachable\". Remove on_link = false (GatewayOnLink is then set), or fix the gateway.",
			netJoinPrefixes(subnets)))
		return false, false
	}
	return true, true
}

// gatewayNoun names the gateway of a route source in messages.
func gatewayNoun(what string) string {
	if strings.HasPrefix(what, "gateway") {
		return what
	}
	return "gateway of " + what
}

// compareRoutes orders routes: default routes first, IPv4 before IPv6,
// then by destination and gateway.
func compareRoutes(a, b routePlan) int {
	return cmp.Or(
		cmp.Compare(netBit(a.dst.IsValid()), netBit(b.dst.IsValid())),
		cmp.Compare(netBit(routeIs6(a)), netBit(routeIs6(b))),
		netComparePrefixes(a.dst, b.dst),
		a.gw.Compare(b.gw),
	)
}

func routeIs6(r routePlan) bool {
	if r.dst.IsValid() {
		return r.dst.Addr().Is6()
	}
	return r.gw.Is6()
}

func netBit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// netComparePrefixes orders prefixes by address (IPv4 first), then length.
func netComparePrefixes(a, b netip.Prefix) int {
	return cmp.Or(a.Addr().Compare(b.Addr()), cmp.Compare(a.Bits(), b.Bits()))
}

func netJoinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Masked().String()
	}
	return strings.Join(s, ", ")
}

func netQuoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func compileNameservers(m *Machine, diags *hcl.Diagnostics) []netip.Addr {
	var out []netip.Addr
	for i, s := range m.Nameservers {
		a, problem := netParseHostAddr(s)
		if problem != "" {
			*diags = append(*diags, atElement(netError("Invalid nameserver",
				fmt.Sprintf("The nameserver %q (element %d of nameservers) %s. Nameservers are IP addresses, such as \"9.9.9.9\" or \"2620:fe::fe\".",
					s, i+1, problem), m.NameserversRange, m.DefRange), i))
			continue
		}
		if slices.Contains(out, a) {
			*diags = append(*diags, atElement(netWarning("Duplicate nameserver",
				fmt.Sprintf("The nameserver %s (element %d of nameservers) is listed twice; the duplicate is dropped.", a, i+1),
				m.NameserversRange, m.DefRange), i))
			continue
		}
		out = append(out, a)
	}
	return out
}

// netFamilyName names an address family in messages.
func netFamilyName(is6 bool) string {
	if is6 {
		return "IPv6"
	}
	return "IPv4"
}

// netFirstRange returns the first of ranges that is set; a range is unset
// in an inventory built in Go.
func netFirstRange(ranges ...hcl.Range) hcl.Range {
	for _, r := range ranges {
		if r != (hcl.Range{}) {
			return r
		}
	}
	return hcl.Range{}
}

// netFirst returns the first of ranges that is set, or nil.
func netFirst(ranges ...hcl.Range) *hcl.Range {
	if r := netFirstRange(ranges...); r != (hcl.Range{}) {
		return &r
	}
	return nil
}

// netWhere says where r is, "at file:line,col-col", or "earlier" when r
// is unset.
func netWhere(r hcl.Range) string {
	if r == (hcl.Range{}) {
		return "earlier"
	}
	return "at " + r.String()
}

// netError returns an error diagnostic whose subject is the first of
// ranges that is set: the offending value, else an enclosing block.
func netError(summary, detail string, ranges ...hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: netFirst(ranges...)}
}

// netWarning is netError for a warning.
func netWarning(summary, detail string, ranges ...hcl.Range) *hcl.Diagnostic {
	d := netError(summary, detail, ranges...)
	d.Severity = hcl.DiagWarning
	return d
}
