package nixgen

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// The firewall backends: NixOS's networking.firewall on iptables, its
// default, or on nftables.
const (
	backendIPTables = "iptables"
	backendNFTables = "nftables"
)

// sshPort is the port that services.openssh opens unless told not to.
const sshPort = 22

// Firewall is the firewall of a host: NixOS's networking.firewall, which
// drops incoming connections except to the ports opened here.
//
//	firewall {
//	  allow_ping = true
//	  tcp        = [80, 443]
//	  udp        = [53]
//	  tcp_ranges = ["60000-61000"]
//	  allow "etcd" {
//	    tcp  = [2379, 2380]
//	    from = ["10.0.0.1", "10.0.0.0/24", "2001:db8::/64"]
//	  }
//	  allow "ssh-lan" {
//	    tcp       = [22]
//	    interface = "eth1"
//	  }
//	}
//
// NixOS has no per-source allow list, so an allow rule with sources is
// written as iptables commands (networking.firewall.extraCommands) or
// nftables rules (networking.firewall.extraInputRules), after the host's
// firewall backend. When the firewall opens TCP port 22 in any way,
// network.nix also sets services.openssh.openFirewall = false; see
// [Firewall.OpensSSH].
type Firewall struct {
	// AllowPing is networking.firewall.allowPing, true by default: whether
	// the host answers ICMP echo requests. ICMPv6 is always allowed, since
	// IPv6 needs it.
	AllowPing *bool `hcl:"allow_ping,optional"`
	// TCP and UDP are the ports open to everyone on every interface.
	TCP []int `hcl:"tcp,optional"`
	UDP []int `hcl:"udp,optional"`
	// TCPRanges and UDPRanges are port ranges open to everyone, written
	// "from-to" with both ends included, such as "60000-61000".
	TCPRanges []string `hcl:"tcp_ranges,optional"`
	UDPRanges []string `hcl:"udp_ranges,optional"`
	// Allow are named rules that open ports to some sources, on some
	// interface, or both.
	Allow []FirewallAllow `hcl:"allow,block"`

	DefRange       hcl.Range `hcl:",def_range"`
	AllowPingRange hcl.Range `hcl:"allow_ping,attr_value_range"`
	TCPRange       hcl.Range `hcl:"tcp,attr_value_range"`
	UDPRange       hcl.Range `hcl:"udp,attr_value_range"`
	TCPRangesRange hcl.Range `hcl:"tcp_ranges,attr_value_range"`
	UDPRangesRange hcl.Range `hcl:"udp_ranges,attr_value_range"`
}

// FirewallAllow is a named firewall rule: the ports it lists are opened to
// the sources in From (to everyone when From is absent), on the interface
// Interface (on every interface when it is unset).
type FirewallAllow struct {
	// Name names the rule: letters, digits, '.', '-' and '_', starting
	// with a letter or digit. It is unique within a host, and a profile's
	// or host's rule replaces an inherited rule of the same name. It is
	// written as a comment above the rule's commands.
	Name string `hcl:"name,label"`
	// TCP, UDP, TCPRanges and UDPRanges are the ports the rule opens, as
	// in [Firewall].
	TCP       []int    `hcl:"tcp,optional"`
	UDP       []int    `hcl:"udp,optional"`
	TCPRanges []string `hcl:"tcp_ranges,optional"`
	UDPRanges []string `hcl:"udp_ranges,optional"`
	// From are the sources allowed: IPv4 or IPv6 addresses, or prefixes
	// such as "10.0.0.0/24". Absent means everyone; an empty list is an
	// error, so that a list emptied by mistake cannot open the ports to
	// the world.
	From []string `hcl:"from,optional"`
	// Interface, when set, restricts the rule to connections arriving on
	// this interface (its kernel name).
	Interface *string `hcl:"interface,optional"`

	NameRange      hcl.Range `hcl:"name,label_range"`
	DefRange       hcl.Range `hcl:",def_range"`
	TCPRange       hcl.Range `hcl:"tcp,attr_value_range"`
	UDPRange       hcl.Range `hcl:"udp,attr_value_range"`
	TCPRangesRange hcl.Range `hcl:"tcp_ranges,attr_value_range"`
	UDPRangesRange hcl.Range `hcl:"udp_ranges,attr_value_range"`
	FromRange      hcl.Range `hcl:"from,attr_value_range"`
	InterfaceRange hcl.Range `hcl:"interface,attr_value_range"`
}

// OpensSSH reports whether the firewall opens TCP port 22 itself: to
// everyone, on an interface, or to the sources of an allow rule. NixOS's
// services.openssh.openFirewall, true by default, adds port 22 to
// allowedTCPPorts, which opens it to everyone and silently defeats an
// allow rule that restricts it; so when the firewall opens port 22,
// network.nix sets openFirewall to false and the firewall alone decides
// who reaches SSH. A firewall that does not mention port 22 leaves
// openssh's default in place, so that a host is not locked out by
// omission. Invalid entries are ignored; [Inventory.Validate] reports
// them.
func (f *Firewall) OpensSSH() bool {
	var diags hcl.Diagnostics
	plan := compileFirewall(f, nil, &diags)
	return plan.opensSSH()
}

// mergeFirewall returns l laid over d, as mergeNetwork describes, sharing
// no memory with either.
func mergeFirewall(d, l *Firewall) *Firewall {
	if d == nil {
		return cloneFirewall(l)
	}
	out := cloneFirewall(d)
	if l == nil {
		return out
	}
	overPtr(&out.AllowPing, &out.AllowPingRange, l.AllowPing, l.AllowPingRange)
	overList(&out.TCP, &out.TCPRange, l.TCP, l.TCPRange)
	overList(&out.UDP, &out.UDPRange, l.UDP, l.UDPRange)
	overList(&out.TCPRanges, &out.TCPRangesRange, l.TCPRanges, l.TCPRangesRange)
	overList(&out.UDPRanges, &out.UDPRangesRange, l.UDPRanges, l.UDPRangesRange)
	inherited := len(out.Allow)
	for _, a := range l.Allow {
		a = cloneAllow(a)
		if i := slices.IndexFunc(out.Allow[:inherited], func(x FirewallAllow) bool { return x.Name == a.Name }); i >= 0 {
			out.Allow[i] = a
		} else {
			out.Allow = append(out.Allow, a)
		}
	}
	out.DefRange = l.DefRange
	return out
}

func cloneFirewall(f *Firewall) *Firewall {
	if f == nil {
		return nil
	}
	out := *f
	out.AllowPing = clonePtr(f.AllowPing)
	out.TCP = slices.Clone(f.TCP)
	out.UDP = slices.Clone(f.UDP)
	out.TCPRanges = slices.Clone(f.TCPRanges)
	out.UDPRanges = slices.Clone(f.UDPRanges)
	out.Allow = nil
	if len(f.Allow) > 0 {
		out.Allow = make([]FirewallAllow, len(f.Allow))
		for i := range f.Allow {
			out.Allow[i] = cloneAllow(f.Allow[i])
		}
	}
	return &out
}

func cloneAllow(a FirewallAllow) FirewallAllow {
	out := a
	out.TCP = slices.Clone(a.TCP)
	out.UDP = slices.Clone(a.UDP)
	out.TCPRanges = slices.Clone(a.TCPRanges)
	out.UDPRanges = slices.Clone(a.UDPRanges)
	out.From = slices.Clone(a.From)
	out.Interface = clonePtr(a.Interface)
	return out
}

// portRange is a range of ports, both ends included; a single port has
// From == To.
type portRange struct {
	From, To uint16
}

// String returns the range as nftables and the inventory write it: "22"
// or "60000-61000".
func (r portRange) String() string {
	if r.From == r.To {
		return strconv.Itoa(int(r.From))
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

func comparePortRanges(a, b portRange) int {
	return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
}

// normalizePorts returns rs sorted, with ranges that overlap merged and
// ports inside a range dropped, so that the result can be an nftables set,
// which rejects overlapping elements. Adjacent ports stay apart, as
// written.
func normalizePorts(rs []portRange) []portRange {
	if len(rs) == 0 {
		return nil
	}
	return normalizeOwnPorts(slices.Clone(rs))
}

// normalizeOwnPorts is normalizePorts for a slice that the caller owns: it
// sorts and merges rs in place.
func normalizeOwnPorts(out []portRange) []portRange {
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, comparePortRanges)
	// Merge in place: the n ranges kept come before the one looked at.
	n := 0
	for _, r := range out {
		if n > 0 && r.From <= out[n-1].To {
			out[n-1].To = max(out[n-1].To, r.To)
			continue
		}
		out[n] = r
		n++
	}
	return out[:n]
}

// coversPort reports whether one of rs holds port.
func coversPort(rs []portRange, port uint16) bool {
	return slices.ContainsFunc(rs, func(r portRange) bool { return r.From <= port && port <= r.To })
}

// allowRule is a firewall rule in checked, canonical form: what the
// firewall of network.nix is written from. The allow blocks of the
// inventory compile to allowRules, and other parts of nixgen derive more
// from the inventory (the ports a k3s server opens to its cluster peers)
// and hand them to networkModuleRules, which adds them with
// [firewallPlan.add]. A rule opens its ports
//   - with From, to those sources only: iptables commands in
//     networking.firewall.extraCommands, or nftables rules in
//     networking.firewall.extraInputRules;
//   - with Interface and no From, to everyone on that interface:
//     networking.firewall.interfaces.<Interface>;
//   - with neither, to everyone: networking.firewall.allowedTCPPorts and
//     the like.
//
// Name and Comment are written as a comment line, "# Name: Comment",
// above the rule's commands.
type allowRule struct {
	// Name is unique within a host: letters, digits, '.', '-' and '_'.
	Name string
	// Comment optionally says why the rule exists, on one line.
	Comment string
	// TCP and UDP are the ports opened. firewallPlan.add sorts them and
	// merges overlaps.
	TCP, UDP []portRange
	// From are the sources allowed, everyone when empty. firewallPlan.add
	// masks them, sorts them and drops those inside another.
	From []netip.Prefix
	// Interface is the kernel name of the interface that connections must
	// arrive on, any when empty.
	Interface string
}

// title is the comment line above the rule's commands.
func (r *allowRule) title() string {
	if r.Comment == "" {
		return "# " + r.Name
	}
	return "# " + r.Name + ": " + r.Comment
}

// firewallPlan is the firewall of a host in canonical form.
type firewallPlan struct {
	allowPing *bool
	tcp, udp  []portRange        // open to everyone; normalized
	rules     []allowRule        // by name
	trusted   []trustedInterface // by name
}

// trustedInterface is an interface whose traffic the firewall accepts
// whatever its port or protocol: an entry of
// networking.firewall.trustedInterfaces. Other parts of nixgen derive
// them from the inventory (the interfaces of k3s's pod network) and hand
// them to networkModuleDerived. The comment says what comes through the
// interface; it is written above the setting as "# Name: Comment".
type trustedInterface struct {
	// Name is the kernel name of the interface.
	Name string
	// Comment says, on one line, why the interface is trusted.
	Comment string
}

// trust checks t and adds it to the plan, sorted by name. Trusting an
// interface twice keeps the first comment.
func (p *firewallPlan) trust(t trustedInterface) error {
	if problem := checkIfName(t.Name); problem != "" {
		return fmt.Errorf("the interface name %q %s", t.Name, problem)
	}
	if t.Comment == "" || strings.ContainsFunc(t.Comment, unicode.IsControl) {
		return fmt.Errorf("interface %q: the comment %q must be one line without control characters", t.Name, t.Comment)
	}
	i, found := slices.BinarySearchFunc(p.trusted, t.Name, func(x trustedInterface, name string) int { return strings.Compare(x.Name, name) })
	if !found {
		p.trusted = slices.Insert(p.trusted, i, t)
	}
	return nil
}

// has reports whether the plan has a rule called name.
func (p *firewallPlan) has(name string) bool {
	return slices.ContainsFunc(p.rules, func(r allowRule) bool { return r.Name == name })
}

// add checks r, puts it in canonical form and adds it to the plan. It
// fails if r is malformed or if the plan already has a rule of that name.
func (p *firewallPlan) add(r allowRule) error {
	if problem := checkRuleName(r.Name); problem != "" {
		return fmt.Errorf("rule name %q %s", r.Name, problem)
	}
	if p.has(r.Name) {
		return fmt.Errorf("two firewall rules are called %q", r.Name)
	}
	if strings.ContainsFunc(r.Comment, unicode.IsControl) {
		return fmt.Errorf("rule %q: the comment %q must be one line without control characters", r.Name, r.Comment)
	}
	if len(r.TCP) == 0 && len(r.UDP) == 0 {
		return fmt.Errorf("rule %q opens no port", r.Name)
	}
	for _, ports := range [...][]portRange{r.TCP, r.UDP} {
		for _, pr := range ports {
			if pr.From == 0 || pr.From > pr.To {
				return fmt.Errorf("rule %q: invalid port range %d-%d", r.Name, pr.From, pr.To)
			}
		}
	}
	if r.Interface != "" {
		if problem := checkIfName(r.Interface); problem != "" {
			return fmt.Errorf("rule %q: the interface name %q %s", r.Name, r.Interface, problem)
		}
	}
	from := make([]netip.Prefix, 0, len(r.From))
	for _, s := range r.From {
		if !s.IsValid() || s.Addr().Is4In6() || s.Addr().Zone() != "" {
			return fmt.Errorf("rule %q: invalid source %s", r.Name, s)
		}
		from = append(from, s.Masked())
	}
	r.From, _ = minimalSources(from)
	r.TCP = normalizePorts(r.TCP)
	r.UDP = normalizePorts(r.UDP)
	i, _ := slices.BinarySearchFunc(p.rules, r.Name, func(x allowRule, name string) int { return strings.Compare(x.Name, name) })
	p.rules = slices.Insert(p.rules, i, r)
	return nil
}

// minimalSources returns ps sorted, without duplicates and without the
// prefixes that another one contains, and the dropped prefixes with the
// prefix that contains each. kept may be ps itself.
func minimalSources(ps []netip.Prefix) (kept []netip.Prefix, dropped [][2]netip.Prefix) {
	if len(ps) == 0 {
		return nil, nil
	}
	if sortedMinimal(ps) {
		// The common case: nothing to drop, already in order.
		return ps, nil
	}
	sorted := slices.Clone(ps)
	// Shorter prefixes first, so that a container comes before what it
	// contains.
	slices.SortStableFunc(sorted, func(a, b netip.Prefix) int { return cmp.Compare(a.Bits(), b.Bits()) })
	for _, p := range sorted {
		i := slices.IndexFunc(kept, func(k netip.Prefix) bool { return k.Addr().Is4() == p.Addr().Is4() && k.Contains(p.Addr()) })
		if i >= 0 {
			dropped = append(dropped, [2]netip.Prefix{p, kept[i]})
			continue
		}
		kept = append(kept, p)
	}
	slices.SortFunc(kept, netComparePrefixes)
	return kept, dropped
}

// sortedMinimal reports whether ps is in the order minimalSources returns
// and none of its prefixes holds another.
func sortedMinimal(ps []netip.Prefix) bool {
	for i, a := range ps {
		if i > 0 && netComparePrefixes(ps[i-1], a) >= 0 {
			return false
		}
		for _, b := range ps {
			if a != b && a.Bits() <= b.Bits() && a.Addr().Is4() == b.Addr().Is4() && a.Contains(b.Addr()) {
				return false
			}
		}
	}
	return true
}

// opensSSH reports whether the plan opens TCP port 22 in any way; see
// [Firewall.OpensSSH].
func (p *firewallPlan) opensSSH() bool {
	return coversPort(p.tcp, sshPort) ||
		slices.ContainsFunc(p.rules, func(r allowRule) bool { return coversPort(r.TCP, sshPort) })
}

// checkRuleName returns why name cannot name a firewall rule, or "". The
// name is written into shell and nftables comments, so it is held to
// characters that cannot end a line or a comment.
func checkRuleName(name string) string {
	if name == "" {
		return "is empty"
	}
	for i, c := range name {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '-' && c != '_') {
			if i == 0 {
				return "does not start with a letter or a digit"
			}
			return fmt.Sprintf("contains %q; use letters, digits, '.', '-' and '_'", c)
		}
	}
	return ""
}

// fwChecker compiles a firewall block.
type fwChecker struct {
	diags *hcl.Diagnostics
}

func (c *fwChecker) add(d *hcl.Diagnostic) { *c.diags = append(*c.diags, d) }

// portEntry is a port or a range as written, for overlap messages.
type portEntry struct {
	r     portRange
	list  string // the attribute, "tcp" or "tcp_ranges"
	index int    // the position in list, from 0
}

func (e portEntry) describe() string {
	if e.r.From == e.r.To {
		return fmt.Sprintf("port %d (in %s)", e.r.From, e.list)
	}
	return fmt.Sprintf("range %s (in %s)", e.r, e.list)
}

// fwOwner names the firewall block, or its allow rule called rule when
// rule is not empty, in messages.
func fwOwner(rule string) string {
	if rule == "" {
		return "the firewall"
	}
	return fmt.Sprintf("allow %q", rule)
}

// ports compiles the ports and ranges of one protocol of a firewall block
// or an allow rule (see [fwOwner]), and warns about ports that are listed
// twice.
func (c *fwChecker) ports(rule, proto string, ports []int, portsAt hcl.Range, ranges []string, rangesAt, blockAt hcl.Range) []portRange {
	var buf [8]portEntry // enough for most lists
	entries := buf[:0]
	for i, p := range ports {
		if p < 1 || p > 65535 {
			c.add(atElement(netError("Port out of range",
				fmt.Sprintf("The port %d (element %d of %s of %s) is not between 1 and 65535.", p, i+1, proto, fwOwner(rule)),
				portsAt, blockAt), i))
			continue
		}
		entries = append(entries, portEntry{portRange{uint16(p), uint16(p)}, proto, i})
	}
	var rangesAttr string
	switch proto { // without building the common names anew
	case "tcp":
		rangesAttr = "tcp_ranges"
	case "udp":
		rangesAttr = "udp_ranges"
	default:
		rangesAttr = proto + "_ranges"
	}
	for i, s := range ranges {
		r, problem := parsePortRange(s)
		if problem != "" {
			c.add(atElement(netError("Invalid port range",
				fmt.Sprintf("The port range %q (element %d of %s of %s) %s.", s, i+1, rangesAttr, fwOwner(rule), problem),
				rangesAt, blockAt), i))
			continue
		}
		entries = append(entries, portEntry{r, rangesAttr, i})
	}
	out := make([]portRange, 0, len(entries))
	for i, e := range entries {
		for _, prev := range entries[:i] {
			if e.r.From <= prev.r.To && prev.r.From <= e.r.To {
				at := portsAt
				if e.list == rangesAttr {
					at = rangesAt
				}
				overlap := fmt.Sprintf("%s overlaps %s", e.describe(), prev.describe())
				if e.r == prev.r && e.list == prev.list {
					overlap = e.describe() + " is listed twice"
				}
				c.add(atElement(netWarning("Port listed twice",
					fmt.Sprintf("In %s, %s; the ports are opened once. Remove the repetition.", fwOwner(rule), overlap),
					at, blockAt), e.index))
				break
			}
		}
		out = append(out, e.r)
	}
	return normalizeOwnPorts(out)
}

// parsePortRange parses "from-to", both between 1 and 65535 and from no
// greater than to, and returns what is wrong with s otherwise.
func parsePortRange(s string) (portRange, string) {
	const form = `; write it "from-to", such as "60000-61000"`
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		return portRange{}, "is not a range" + form
	}
	from, err1 := fwParsePort(lo)
	to, err2 := fwParsePort(hi)
	switch {
	case err1 != nil || err2 != nil:
		return portRange{}, "does not have two ports between 1 and 65535" + form
	case from > to:
		return portRange{}, fmt.Sprintf("starts after it ends; write \"%d-%d\"", to, from)
	}
	return portRange{from, to}, ""
}

// fwParsePort parses a decimal port number between 1 and 65535, digits only.
func fwParsePort(s string) (uint16, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, errors.New("not a number")
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n == 0 {
		return 0, errors.New("out of range")
	}
	return uint16(n), nil
}

// parseSource parses an entry of an allow rule's from list: an address,
// taken as a single host, or a prefix. It returns the prefix, a warning
// for a prefix with host bits set (the prefix is masked), or what is
// wrong with s.
func parseSource(s string) (p netip.Prefix, warning, problem string) {
	if strings.Contains(s, "/") {
		pp, err := netip.ParsePrefix(s)
		if err != nil {
			return p, "", "is not an address or a prefix such as \"10.0.0.0/24\""
		}
		p = pp
	} else {
		a, err := netip.ParseAddr(s)
		switch {
		case err != nil:
			return p, "", "is not an address or a prefix such as \"10.0.0.0/24\""
		case a.Zone() != "":
			return p, "", "has a zone (%...); write the address alone"
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Is4In6() {
		return p, "", fmt.Sprintf("is an IPv4-mapped IPv6 address; write the IPv4 form %s", p.Addr().Unmap())
	}
	if m := p.Masked(); m != p {
		warning = fmt.Sprintf("has bits set beyond its prefix length; it stands for the whole subnet %s. Write %q, or the address alone if you meant one host.", m, m.String())
		p = m
	}
	return p, warning, ""
}

// compileFirewall checks the firewall block f of a host whose interfaces
// matched by MAC address are named in macMatched, and returns its plan.
func compileFirewall(f *Firewall, macMatched map[string]bool, diags *hcl.Diagnostics) firewallPlan {
	var plan firewallPlan
	if f == nil {
		return plan
	}
	c := &fwChecker{diags: diags}
	plan.allowPing = f.AllowPing
	plan.tcp = c.ports("", "tcp", f.TCP, f.TCPRange, f.TCPRanges, f.TCPRangesRange, f.DefRange)
	plan.udp = c.ports("", "udp", f.UDP, f.UDPRange, f.UDPRanges, f.UDPRangesRange, f.DefRange)

	seen := make(map[string]*FirewallAllow, len(f.Allow))
	at := make(map[string]hcl.Range, len(f.Allow))
	if len(f.Allow) > 0 {
		plan.rules = make([]allowRule, 0, len(f.Allow))
	}
	for i := range f.Allow {
		a := &f.Allow[i]
		if problem := checkRuleName(a.Name); problem != "" {
			c.add(netError("Invalid rule name",
				fmt.Sprintf("The firewall rule name %q %s.", a.Name, problem), a.NameRange, a.DefRange))
			continue
		}
		if prev, ok := seen[a.Name]; ok {
			c.add(netError("Duplicate firewall rule",
				fmt.Sprintf("The firewall rule %q is also declared %s. Merge the two blocks, or rename one.",
					a.Name, netWhere(prev.DefRange)), a.NameRange, a.DefRange))
			continue
		}
		seen[a.Name] = a
		at[a.Name] = netFirstRange(a.DefRange, f.DefRange)
		r := allowRule{Name: a.Name}
		r.TCP = c.ports(a.Name, "tcp", a.TCP, a.TCPRange, a.TCPRanges, a.TCPRangesRange, a.DefRange)
		r.UDP = c.ports(a.Name, "udp", a.UDP, a.UDPRange, a.UDPRanges, a.UDPRangesRange, a.DefRange)
		valid := true
		if len(a.TCP)+len(a.UDP)+len(a.TCPRanges)+len(a.UDPRanges) == 0 {
			c.add(netError("Rule opens no port",
				fmt.Sprintf("The firewall rule %q lists no port. Add tcp, udp, tcp_ranges or udp_ranges, or remove the rule.", a.Name),
				a.NameRange, a.DefRange))
			valid = false
		} else if len(r.TCP)+len(r.UDP) == 0 {
			valid = false // every port was invalid, and reported
		}
		if a.Interface != nil {
			r.Interface = *a.Interface
			if problem := checkIfName(r.Interface); problem != "" {
				c.add(netError("Invalid interface name",
					fmt.Sprintf("The interface %q of firewall rule %q %s.", r.Interface, a.Name, problem),
					a.InterfaceRange, a.DefRange))
				valid = false
			} else if macMatched[r.Interface] {
				c.add(netWarning("Interface matched by MAC address",
					fmt.Sprintf("The firewall rule %q applies to the interface named %q, but the interface of that name is selected by its MAC address, so its kernel name may differ and the rule would never match. Name the interface by its kernel name, or drop match_mac.",
						a.Name, r.Interface), a.InterfaceRange, a.DefRange))
			}
		}
		if a.From != nil && len(a.From) == 0 {
			c.add(netError("Empty source list",
				fmt.Sprintf("The firewall rule %q has from = [], which allows no source. Remove from to open the ports to everyone, or list the sources.", a.Name),
				a.FromRange, a.DefRange))
			valid = false
		}
		if len(a.From) > 0 {
			r.From = make([]netip.Prefix, 0, len(a.From))
		}
		for j, s := range a.From {
			p, warning, problem := parseSource(s)
			what := func() string {
				return fmt.Sprintf("The source %q (element %d of from of firewall rule %q)", s, j+1, a.Name)
			}
			if problem != "" {
				c.add(atElement(netError("Invalid source", what()+" "+problem+".", a.FromRange, a.DefRange), j))
				valid = false
				continue
			}
			if warning != "" {
				c.add(atElement(netWarning("Source has host bits", what()+" "+warning, a.FromRange, a.DefRange), j))
			}
			r.From = append(r.From, p)
		}
		_, dropped := minimalSources(r.From)
		for _, d := range dropped {
			covered := fmt.Sprintf("%s is already covered by %s", d[0], d[1])
			if d[0] == d[1] {
				covered = fmt.Sprintf("%s is listed twice", d[0])
			}
			c.add(netWarning("Source listed twice",
				fmt.Sprintf("In the from list of firewall rule %q, %s. Remove the repetition.", a.Name, covered),
				a.FromRange, a.DefRange))
		}
		if !valid {
			continue
		}
		if err := plan.add(r); err != nil {
			c.add(netError("Invalid firewall rule", fmt.Sprintf("The firewall rule %q: %v.", a.Name, err), a.DefRange))
		}
	}
	c.warnShadowed(&plan, at)
	return plan
}

// warnShadowed warns about restricted rules whose ports the firewall also
// opens to everyone, which makes the restriction moot. at locates each
// rule by name.
func (c *fwChecker) warnShadowed(plan *firewallPlan, at map[string]hcl.Range) {
	open := plan.openToAll()
	for _, r := range plan.rules {
		if len(r.From) == 0 && r.Interface == "" {
			continue
		}
		for _, pr := range []struct {
			proto      string
			rule, open []portRange
		}{{"TCP", r.TCP, open[0]}, {"UDP", r.UDP, open[1]}} {
			for _, x := range pr.rule {
				for _, o := range pr.open {
					if x.From <= o.To && o.From <= x.To {
						c.add(netWarning("Restriction has no effect",
							fmt.Sprintf("The firewall rule %q restricts %s port %s, but the firewall also opens %s port %s to everyone, so the restriction has no effect. Remove the port from the open list if only the rule's sources should reach it.",
								r.Name, pr.proto, x, pr.proto, o), at[r.Name]))
					}
				}
			}
		}
	}
}

// openToAll returns the TCP and UDP ports open to everyone on every
// interface: the firewall's lists and the rules without sources or
// interface.
func (p *firewallPlan) openToAll() [2][]portRange {
	nTCP, nUDP := len(p.tcp), len(p.udp)
	for _, r := range p.rules {
		if len(r.From) == 0 && r.Interface == "" {
			nTCP += len(r.TCP)
			nUDP += len(r.UDP)
		}
	}
	// One array holds both lists.
	all := make([]portRange, nTCP+nUDP)
	tcp, udp := append(all[:0:nTCP], p.tcp...), append(all[nTCP:nTCP], p.udp...)
	for _, r := range p.rules {
		if len(r.From) == 0 && r.Interface == "" {
			tcp = append(tcp, r.TCP...)
			udp = append(udp, r.UDP...)
		}
	}
	return [2][]portRange{normalizeOwnPorts(tcp), normalizeOwnPorts(udp)}
}

// bindings returns the NixOS settings of the plan for backend: the
// networking.firewall set, networking.nftables.enable for nftables, and
// services.openssh.openFirewall = false when the firewall opens port 22.
// The nodes of the settings are taken from nodes.
func (p *firewallPlan) bindings(nodes *nix.Arena, backend string) ([]nix.Item, error) {
	fw := nodes.Items(8)
	fw = append(fw, nodes.Bind("enable", nix.Bool(true)))
	open := p.openToAll()
	fw = append(fw, portBindings(nodes, open[0], open[1])...)
	if p.allowPing != nil {
		fw = append(fw, nodes.Bind("allowPing", nix.Bool(*p.allowPing)))
	}
	if len(p.trusted) > 0 {
		names := make([]string, len(p.trusted))
		b := nodes.Bind("trustedInterfaces", nil)
		for i, t := range p.trusted {
			names[i] = t.Name
			b.Comment(t.Name + ": " + t.Comment)
		}
		b.Value = nodes.Strs(names...)
		fw = append(fw, b)
	}

	var perIface map[string]*[2][]portRange
	var restricted []allowRule
	for _, r := range p.rules {
		switch {
		case len(r.From) > 0:
			if restricted == nil {
				restricted = make([]allowRule, 0, len(p.rules))
			}
			restricted = append(restricted, r)
		case r.Interface != "":
			if perIface == nil {
				perIface = map[string]*[2][]portRange{}
			}
			ports := perIface[r.Interface]
			if ports == nil {
				ports = new([2][]portRange)
				perIface[r.Interface] = ports
			}
			ports[0] = append(ports[0], r.TCP...)
			ports[1] = append(ports[1], r.UDP...)
		}
	}
	names := make([]string, 0, len(perIface))
	for name := range perIface {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		ports := perIface[name]
		fw = append(fw, nodes.BindPath(nodes.Names("interfaces", name),
			nodes.Set(portBindings(nodes, normalizeOwnPorts(ports[0]), normalizeOwnPorts(ports[1]))...)))
	}

	items := nodes.Items(3)
	switch backend {
	case backendIPTables:
		if len(restricted) > 0 {
			fw = append(fw, nodes.Bind("extraCommands", nodes.Str(iptablesScript(restricted))))
		}
	case backendNFTables:
		if len(restricted) > 0 {
			fw = append(fw, nodes.Bind("extraInputRules", nodes.Str(nftablesRules(restricted))))
		}
		items = append(items, nodes.Bind("networking.nftables.enable", nix.Bool(true)))
	default:
		return nil, fmt.Errorf("unknown firewall backend %q", backend)
	}
	items = append(items, nodes.Bind("networking.firewall", nodes.Set(fw...)))
	if p.opensSSH() {
		items = append(items, nodes.Bind("services.openssh.openFirewall", nix.Bool(false)))
	}
	return items, nil
}

// portBindings returns the allowed*Ports and allowed*PortRanges settings
// of normalized TCP and UDP ports.
func portBindings(nodes *nix.Arena, tcp, udp []portRange) []nix.Item {
	items := nodes.Items(4)
	protos := [...]struct {
		ports                 []portRange
		singleName, rangeName string
	}{{tcp, "allowedTCPPorts", "allowedTCPPortRanges"}, {udp, "allowedUDPPorts", "allowedUDPPortRanges"}}
	for _, proto := range protos {
		n := 0
		for _, r := range proto.ports {
			if r.From == r.To {
				n++
			}
		}
		if n == 0 {
			continue
		}
		singles := nodes.Exprs(n)
		for _, r := range proto.ports {
			if r.From == r.To {
				singles = append(singles, nix.Int(r.From))
			}
		}
		items = append(items, nodes.Bind(proto.singleName, nodes.List(singles...)))
	}
	for _, proto := range protos {
		n := 0
		for _, r := range proto.ports {
			if r.From != r.To {
				n++
			}
		}
		if n == 0 {
			continue
		}
		ranges := nodes.Exprs(n)
		for _, r := range proto.ports {
			if r.From != r.To {
				bounds := append(nodes.Items(2), nodes.Bind("from", nix.Int(r.From)), nodes.Bind("to", nix.Int(r.To)))
				ranges = append(ranges, nodes.Set(bounds...))
			}
		}
		items = append(items, nodes.Bind(proto.rangeName, nodes.List(ranges...)))
	}
	return items
}

// iptablesScript returns the networking.firewall.extraCommands lines of
// rules with sources: one command per protocol, port and source, appended
// to the nixos-fw chain before its final refusal. NixOS flushes the chain
// whenever the firewall starts, so the commands need no counterpart in
// extraStopCommands.
func iptablesScript(rules []allowRule) string {
	size := 0
	for _, r := range rules {
		size += len(r.Name) + len(r.Comment) + 5 + (len(r.TCP)+len(r.UDP))*len(r.From)*(90+len(r.Interface))
	}
	var b strings.Builder
	b.Grow(size)
	var num [64]byte // one number or source at a time
	for _, r := range rules {
		b.WriteString("# ")
		b.WriteString(r.Name)
		if r.Comment != "" {
			b.WriteString(": ")
			b.WriteString(r.Comment)
		}
		b.WriteByte('\n')
		for _, proto := range [...]struct {
			name  string
			ports []portRange
		}{{"tcp", r.TCP}, {"udp", r.UDP}} {
			for _, port := range proto.ports {
				for _, src := range r.From {
					if src.Addr().Is6() {
						b.WriteString("ip6tables -A nixos-fw")
					} else {
						b.WriteString("iptables -A nixos-fw")
					}
					if r.Interface != "" {
						b.WriteString(" -i ")
						b.WriteString(r.Interface)
					}
					b.WriteString(" -p ")
					b.WriteString(proto.name)
					b.WriteString(" --dport ")
					b.Write(strconv.AppendUint(num[:0], uint64(port.From), 10))
					if port.To != port.From {
						b.WriteByte(':')
						b.Write(strconv.AppendUint(num[:0], uint64(port.To), 10))
					}
					b.WriteString(" -s ")
					b.Write(src.AppendTo(num[:0]))
					b.WriteString(" -j nixos-fw-accept\n")
				}
			}
		}
	}
	return b.String()
}

// nftablesRules returns the networking.firewall.extraInputRules lines of
// rules with sources: one rule per address family and protocol, with the
// sources and the ports as sets.
func nftablesRules(rules []allowRule) string {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString(r.title() + "\n")
		for _, fam := range []struct {
			name string
			is6  bool
		}{{"ip", false}, {"ip6", true}} {
			var srcs []string
			for _, s := range r.From {
				if s.Addr().Is6() != fam.is6 {
					continue
				}
				if s.IsSingleIP() {
					srcs = append(srcs, s.Addr().String())
				} else {
					srcs = append(srcs, s.String())
				}
			}
			if len(srcs) == 0 {
				continue
			}
			for _, proto := range []struct {
				name  string
				ports []portRange
			}{{"tcp", r.TCP}, {"udp", r.UDP}} {
				if len(proto.ports) == 0 {
					continue
				}
				if r.Interface != "" {
					fmt.Fprintf(&b, "iifname %q ", r.Interface)
				}
				fmt.Fprintf(&b, "%s saddr { %s } %s dport %s accept\n",
					fam.name, strings.Join(srcs, ", "), proto.name, nftPorts(proto.ports))
			}
		}
	}
	return b.String()
}

// nftPorts writes ports as an nftables port, range, or anonymous set.
func nftPorts(ports []portRange) string {
	if len(ports) == 1 {
		return ports[0].String()
	}
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = p.String()
	}
	return "{ " + strings.Join(s, ", ") + " }"
}
