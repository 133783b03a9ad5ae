package nixgen

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// This file holds the NixOS containers of a host: the container blocks of
// hosts and profiles, their checks, and hosts/NAME/containers.nix.
//
//	container "forum" {
//	  auto_start      = true
//	  ephemeral       = true                 # a fresh root file system on every start
//	  private_network = true                 # eth0 in the container, ve-forum on the host
//	  host_address    = "10.0.5.1"
//	  local_address   = "10.0.5.70"
//	  bind_mount "/var/discourse" {
//	    host_path = "/data/forum"
//	    read_only = false
//	  }
//	  imports = ["modules/forum.nix"]        # relative to the flake root
//	}
//
// A host with containers gets hosts/NAME/containers.nix, imported from its
// default.nix. When containers have private networks on veth pairs (no
// host_bridge), the file also tells systemd-networkd to leave the host
// side of the pairs, the ve-* interfaces, to the scripts of the NixOS
// containers module, which configure them; with IPv4 addresses it
// enables NAT for the ve-* interfaces, as the NixOS manual describes, so
// that the containers reach the outside and the ports forwarded to them
// work.

// Container is a NixOS container, `container "NAME" { … }` in a host or a
// profile, emitted as containers.NAME: a NixOS system run by
// systemd-nspawn, sharing the host's Nix store. A host's container
// replaces a profile's container of the same name as a whole.
//
// The name must suit the nixos-container tool, NixOS (which refuses
// underscores in container names) and the container's host name: letters,
// digits and inner hyphens, at most 63. With a private network the host
// side of the container's veth pair is the interface ve-NAME, which a
// name longer than 11 characters makes longer than the kernel's 15: Linux
// 5.8 and later keep it as an alternative name of a shortened interface,
// NixOS's assertion fails on older kernels, and nixos-container create
// refuses such names, so nixgen warns about them.
type Container struct {
	// Name names the container, its systemd unit container@NAME and its
	// host name.
	Name string `hcl:"name,label"`
	// AutoStart starts the container at boot.
	AutoStart *bool `hcl:"auto_start,optional"`
	// Ephemeral gives the container an empty root file system on every
	// start: only what bind mounts hold survives a restart.
	Ephemeral *bool `hcl:"ephemeral,optional"`
	// PrivateNetwork gives the container its own network stack, with an
	// interface eth0 whose peer on the host is ve-NAME, or is put into
	// HostBridge. Without it the container shares the host's network.
	PrivateNetwork *bool `hcl:"private_network,optional"`
	// HostBridge puts the host side of the veth pair into this bridge,
	// which a hand-written module defines on the host.
	HostBridge *string `hcl:"host_bridge,optional"`
	// HostAddress and HostAddress6 are the container's IPv4 and IPv6
	// gateways: without a bridge, the addresses of the host side of the
	// veth pair, which containers may share; with one, the bridge's
	// addresses. (NixOS's option text says they are unused with a
	// bridge, but the container still routes through them.)
	// LocalAddress and LocalAddress6 are the container's own addresses,
	// unique on the host: without a bridge, addresses alone (routed as
	// /32 and /128); with one, with the bridge's prefix length, such as
	// "10.0.5.70/24".
	HostAddress   *string `hcl:"host_address,optional"`
	LocalAddress  *string `hcl:"local_address,optional"`
	HostAddress6  *string `hcl:"host_address6,optional"`
	LocalAddress6 *string `hcl:"local_address6,optional"`
	// ForwardPorts forward ports of the host to the container; they need
	// a private network.
	ForwardPorts []ForwardPort `hcl:"forward_port,block"`
	// BindMounts are host directories mounted into the container.
	BindMounts []BindMount `hcl:"bind_mount,block"`
	// AdditionalCapabilities are capabilities granted to the container,
	// such as "CAP_NET_ADMIN", or "all".
	AdditionalCapabilities []string `hcl:"additional_capabilities,optional"`
	// Imports are the NixOS modules that configure the container, paths
	// relative to the flake root.
	Imports []string `hcl:"imports,optional"`
	// StateVersion is the container's system.stateVersion; unset, the
	// host's.
	StateVersion *string `hcl:"state_version,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange                   hcl.Range `hcl:"name,label_range"`
	DefRange                    hcl.Range `hcl:",def_range"`
	AutoStartRange              hcl.Range `hcl:"auto_start,attr_value_range"`
	EphemeralRange              hcl.Range `hcl:"ephemeral,attr_value_range"`
	PrivateNetworkRange         hcl.Range `hcl:"private_network,attr_value_range"`
	HostBridgeRange             hcl.Range `hcl:"host_bridge,attr_value_range"`
	HostAddressRange            hcl.Range `hcl:"host_address,attr_value_range"`
	LocalAddressRange           hcl.Range `hcl:"local_address,attr_value_range"`
	HostAddress6Range           hcl.Range `hcl:"host_address6,attr_value_range"`
	LocalAddress6Range          hcl.Range `hcl:"local_address6,attr_value_range"`
	AdditionalCapabilitiesRange hcl.Range `hcl:"additional_capabilities,attr_value_range"`
	ImportsRange                hcl.Range `hcl:"imports,attr_value_range"`
	StateVersionRange           hcl.Range `hcl:"state_version,attr_value_range"`
}

// BindMount mounts a host directory into a container,
// `bind_mount "/path/in/container" { … }`.
type BindMount struct {
	// MountPoint is the absolute path in the container.
	MountPoint string `hcl:"mount_point,label"`
	// HostPath is the absolute path on the host; unset, the same as
	// MountPoint.
	HostPath *string `hcl:"host_path,optional"`
	// ReadOnly mounts the directory read-only. Unset means true, as in
	// NixOS; nixgen always writes isReadOnly out.
	ReadOnly *bool `hcl:"read_only,optional"`

	MountPointRange hcl.Range `hcl:"mount_point,label_range"`
	DefRange        hcl.Range `hcl:",def_range"`
	HostPathRange   hcl.Range `hcl:"host_path,attr_value_range"`
	ReadOnlyRange   hcl.Range `hcl:"read_only,attr_value_range"`
}

// ForwardPort forwards a port of the host to a container,
// `forward_port { host_port = 443 }`.
type ForwardPort struct {
	// Protocol is "tcp" (the default) or "udp".
	Protocol *string `hcl:"protocol,optional"`
	// HostPort is the port on the host.
	HostPort int `hcl:"host_port"`
	// ContainerPort is the port in the container; unset, HostPort.
	ContainerPort *int `hcl:"container_port,optional"`

	DefRange           hcl.Range `hcl:",def_range"`
	ProtocolRange      hcl.Range `hcl:"protocol,attr_value_range"`
	HostPortRange      hcl.Range `hcl:"host_port,attr_value_range"`
	ContainerPortRange hcl.Range `hcl:"container_port,attr_value_range"`
}

// mergeContainers lays the containers of layer over dst: a container
// replaces dst's container of the same name as a whole.
func mergeContainers(dst, layer *Machine) {
	dst.Containers = mergeNamed(dst.Containers, layer.Containers, func(c Container) string { return c.Name }, cloneContainer)
}

// cloneContainer returns a copy of c that shares no memory with it.
func cloneContainer(c Container) Container {
	c.ForwardPorts, c.BindMounts = slices.Clone(c.ForwardPorts), slices.Clone(c.BindMounts)
	c.AdditionalCapabilities, c.Imports = slices.Clone(c.AdditionalCapabilities), slices.Clone(c.Imports)
	return c
}

// containerNameRE is a container name: a host name label without
// underscores, which NixOS refuses in container names.
var containerNameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// capabilityRE is a capability name as systemd-nspawn --capability takes
// it.
var capabilityRE = regexp.MustCompile(`^CAP_[A-Z0-9_]+$`)

// containerNameMax is the longest container name that nixos-container
// create accepts, and NixOS on kernels before 5.8 with a private
// network: "ve-" and the name fit the kernel's 15 bytes.
const containerNameMax = 11

// containersPlan is what hosts/NAME/containers.nix is written from.
type containersPlan struct {
	containers []containerPlan // sorted by name
	// veth is set when a container has a private network on a veth pair.
	veth bool
	// nat is set when containers need NAT on the ve-* interfaces, and
	// natExternal is the host interface that NAT goes out of, "" when
	// there is no single one.
	nat         bool
	natExternal string
}

// containerPlan is a checked container.
type containerPlan struct {
	*Container
	stateVersion string
}

// containerAddr is who uses an address on a host.
type containerAddr struct {
	owner string // such as `container "forum"` or `interface "eth0"`
	at    hcl.Range
	local bool // the address of the owner itself, not a container's gateway
}

// compileContainers checks the containers of host m and returns the plan
// of its containers.nix, nil when it has none.
func compileContainers(m *Machine) (*containersPlan, hcl.Diagnostics) {
	if len(m.Containers) == 0 {
		return nil, nil
	}
	var diags hcl.Diagnostics
	add := func(d *hcl.Diagnostic) *hcl.Diagnostic { diags = append(diags, d); return d }

	// The addresses of the host's interfaces; those that do not parse
	// are reported by the network checks.
	used := map[netip.Addr]containerAddr{}
	for _, in := range m.Interfaces {
		for _, s := range in.Addresses {
			if p, err := netip.ParsePrefix(s); err == nil {
				if _, ok := used[p.Addr()]; !ok {
					used[p.Addr()] = containerAddr{owner: fmt.Sprintf("interface %q", in.Name), at: netFirstRange(in.AddressesRange, in.DefRange), local: true}
				}
			}
		}
	}
	type portKey struct {
		proto string
		port  int
	}
	ports := map[portKey]string{}
	plan := &containersPlan{}
	seen := map[string]*Container{}
	for i := range m.Containers {
		c := &m.Containers[i]
		if prev, ok := seen[c.Name]; ok {
			add(netError("Duplicate container", fmt.Sprintf("A container named %q was already defined %s. Container names must be unique on a host.", c.Name, netWhere(prev.NameRange)), c.NameRange, c.DefRange))
			continue
		}
		seen[c.Name] = c
		what := fmt.Sprintf("container %q", c.Name)
		errorAt := func(summary, detail string, ranges ...hcl.Range) *hcl.Diagnostic {
			return add(netError(summary, detail, append(ranges, c.DefRange)...))
		}
		private := c.PrivateNetwork != nil && *c.PrivateNetwork

		switch {
		case strings.Contains(c.Name, "_"):
			errorAt("Invalid container name", fmt.Sprintf("The container name %q holds an underscore, which NixOS refuses in container names. Use a hyphen instead.", c.Name), c.NameRange)
		case !containerNameRE.MatchString(c.Name):
			errorAt("Invalid container name", fmt.Sprintf("The container name %q is not valid: it is also the container's host name, so use at most 63 letters, digits and hyphens, starting and ending with a letter or digit.", c.Name), c.NameRange)
		case private && len(c.Name) > containerNameMax:
			add(netWarning("Long container name", fmt.Sprintf("The container name %q is longer than %d characters, so the host's interface ve-%s is longer than the kernel's limit of 15: Linux 5.8 and later keep it as an alternative name of a shortened interface, older kernels fail to start the container, and nixos-container create refuses such names. Use a name of at most %d characters.", c.Name, containerNameMax, c.Name, containerNameMax), c.NameRange, c.DefRange))
		}

		// The network.
		bridge := c.HostBridge != nil
		if bridge {
			if problem := checkIfName(*c.HostBridge); problem != "" {
				errorAt("Invalid host_bridge", fmt.Sprintf("The host_bridge %q of %s %s.", *c.HostBridge, what, problem), c.HostBridgeRange)
			}
		}
		if !private {
			for _, s := range []struct {
				attr string
				set  bool
				r    hcl.Range
			}{
				{"host_bridge", bridge, c.HostBridgeRange}, {"host_address", c.HostAddress != nil, c.HostAddressRange},
				{"local_address", c.LocalAddress != nil, c.LocalAddressRange}, {"host_address6", c.HostAddress6 != nil, c.HostAddress6Range},
				{"local_address6", c.LocalAddress6 != nil, c.LocalAddress6Range}, {"forward_port", len(c.ForwardPorts) > 0, firstPortRange(c.ForwardPorts)},
			} {
				if s.set {
					errorAt("Network setting without private_network", fmt.Sprintf("The %s sets %s, which NixOS only applies to a container with a private network. Set private_network = true, or remove %s.", what, s.attr, s.attr), s.r)
					break
				}
			}
		}
		for _, fam := range []struct {
			is6               bool
			hostAttr, locAttr string
			host, local       *string
			hostAt, localAt   hcl.Range
		}{
			{false, "host_address", "local_address", c.HostAddress, c.LocalAddress, c.HostAddressRange, c.LocalAddressRange},
			{true, "host_address6", "local_address6", c.HostAddress6, c.LocalAddress6, c.HostAddress6Range, c.LocalAddress6Range},
		} {
			var hostAddr, localAddr netip.Addr
			if fam.host != nil {
				if a, problem := containerParseAddr(*fam.host, fam.is6, fam.hostAttr, false); problem != "" {
					errorAt("Invalid "+fam.hostAttr, fmt.Sprintf("The %s %q of %s %s.", fam.hostAttr, *fam.host, what, problem), fam.hostAt)
				} else {
					hostAddr = a
				}
			}
			if fam.local != nil {
				if a, problem := containerParseAddr(*fam.local, fam.is6, fam.locAttr, bridge); problem != "" {
					errorAt("Invalid "+fam.locAttr, fmt.Sprintf("The %s %q of %s %s.", fam.locAttr, *fam.local, what, problem), fam.localAt)
				} else {
					localAddr = a
					if bridge && fam.host == nil && !strings.Contains(*fam.local, "/") {
						add(netWarning("Bridged address without prefix length", fmt.Sprintf("The %s %q of %s has no prefix length and the container has no %s as its gateway, so it takes the address as a /%d and reaches nothing on the bridge %q. Write it with the bridge's prefix length, such as %q, or set %s to the bridge's address.", fam.locAttr, *fam.local, what, fam.hostAttr, localAddr.BitLen(), *c.HostBridge, localAddr.String()+"/24", fam.hostAttr), fam.localAt, c.DefRange))
					}
				}
			}
			switch {
			case !bridge && (fam.host == nil) != (fam.local == nil):
				missing, have, at := fam.locAttr, fam.hostAttr, fam.hostAt
				if fam.host == nil {
					missing, have, at = fam.hostAttr, fam.locAttr, fam.localAt
				}
				errorAt("Incomplete container address pair", fmt.Sprintf("The %s sets %s but not %s. On a veth pair the container needs both: its own address, and the host's as its gateway. Set %s too.", what, have, missing, missing), at)
			case bridge && fam.host != nil && fam.local == nil:
				errorAt("Incomplete container address pair", fmt.Sprintf("The %s sets %s, its gateway on the bridge, but not %s, so it has no address to reach the gateway from. Set %s too.", what, fam.hostAttr, fam.locAttr, fam.locAttr), fam.hostAt)
			}
			if localAddr.IsValid() {
				if prev, ok := used[localAddr]; ok {
					errorAt("Container address in use", fmt.Sprintf("The %s %s of %s is already used by %s %s. Every container needs an address of its own, different from the host's.", fam.locAttr, localAddr, what, prev.owner, netWhere(prev.at)), fam.localAt)
				} else {
					used[localAddr] = containerAddr{owner: what, at: fam.localAt, local: true}
				}
			}
			if hostAddr.IsValid() {
				prev, ok := used[hostAddr]
				switch {
				case ok && prev.local && strings.HasPrefix(prev.owner, "container "):
					errorAt("Container address in use", fmt.Sprintf("The %s %s of %s is the address of %s %s. The host side of a veth pair must not take a container's address.", fam.hostAttr, hostAddr, what, prev.owner, netWhere(prev.at)), fam.hostAt)
				case !ok:
					used[hostAddr] = containerAddr{owner: what, at: fam.hostAt}
				}
			}
		}
		if private && !bridge {
			plan.veth = true
			plan.nat = plan.nat || c.LocalAddress != nil
		}
		for _, fp := range c.ForwardPorts {
			proto := "tcp"
			if fp.Protocol != nil {
				proto = *fp.Protocol
			}
			if proto != "tcp" && proto != "udp" {
				errorAt("Invalid protocol", fmt.Sprintf("The forwarded port protocol %q of %s is not \"tcp\" or \"udp\".", proto, what), fp.ProtocolRange, fp.DefRange)
			}
			if fp.HostPort < 1 || fp.HostPort > 65535 {
				errorAt("Invalid port", fmt.Sprintf("The host_port %d of %s is not a port from 1 to 65535.", fp.HostPort, what), fp.HostPortRange, fp.DefRange)
			}
			if p := fp.ContainerPort; p != nil && (*p < 1 || *p > 65535) {
				errorAt("Invalid port", fmt.Sprintf("The container_port %d of %s is not a port from 1 to 65535.", *p, what), fp.ContainerPortRange, fp.DefRange)
			}
			k := portKey{proto, fp.HostPort}
			if prev, ok := ports[k]; ok {
				errorAt("Port forwarded twice", fmt.Sprintf("Port %d/%s of the host is forwarded to %s and to %s. A host port goes to one container only.", fp.HostPort, proto, prev, what), fp.HostPortRange, fp.DefRange)
			} else {
				ports[k] = what
			}
		}

		// Mounts, capabilities and configuration.
		mounts := map[string]hcl.Range{}
		for _, b := range c.BindMounts {
			if problem := checkMountPath(b.MountPoint); problem != "" {
				errorAt("Invalid bind mount", fmt.Sprintf("The mount point %q of %s %s.", b.MountPoint, what, problem), b.MountPointRange, b.DefRange)
			}
			if b.HostPath != nil {
				if problem := checkMountPath(*b.HostPath); problem != "" {
					errorAt("Invalid host_path", fmt.Sprintf("The host_path %q of %s %s.", *b.HostPath, what, problem), b.HostPathRange, b.DefRange)
				}
			}
			if prev, ok := mounts[b.MountPoint]; ok {
				errorAt("Duplicate bind mount", fmt.Sprintf("The mount point %q of %s is already bound %s.", b.MountPoint, what, netWhere(prev)), b.MountPointRange, b.DefRange)
			}
			mounts[b.MountPoint] = b.MountPointRange
		}
		for i, cap := range c.AdditionalCapabilities {
			if cap != "all" && !capabilityRE.MatchString(cap) {
				atElement(errorAt("Invalid capability", fmt.Sprintf("%q (element %d of additional_capabilities of %s) is not a capability such as \"CAP_NET_ADMIN\", or \"all\".", cap, i+1, what), c.AdditionalCapabilitiesRange), i)
			}
		}
		for i, p := range c.Imports {
			if !validRelPath(p) {
				atElement(errorAt("Invalid import path", fmt.Sprintf("%q is not a relative path inside the flake. Give module paths relative to the flake root, such as \"modules/forum.nix\", without \"..\".", p), c.ImportsRange), i)
			}
		}
		sv := deref(m.StateVersion)
		if c.StateVersion != nil {
			sv = *c.StateVersion
			if !validStateVersion(sv) {
				errorAt("Invalid state_version", fmt.Sprintf("%q is not a NixOS release such as \"25.05\".", sv), c.StateVersionRange)
			}
		}
		plan.containers = append(plan.containers, containerPlan{Container: c, stateVersion: sv})
	}
	slices.SortFunc(plan.containers, func(a, b containerPlan) int { return strings.Compare(a.Name, b.Name) })
	if plan.nat {
		plan.natExternal = natExternalInterface(m)
	}
	return plan, diags
}

// firstPortRange returns the range of the first of ps, or none.
func firstPortRange(ps []ForwardPort) hcl.Range {
	if len(ps) == 0 {
		return hcl.Range{}
	}
	return ps[0].DefRange
}

// natExternalInterface returns the interface of host m that NAT for its
// containers goes out of: the only interface with an IPv4 gateway, or
// the only interface; "" when there is no single one, or when it is
// selected by MAC address, so that its kernel name is unknown.
func natExternalInterface(m *Machine) string {
	var withGateway []*Interface
	for i := range m.Interfaces {
		if m.Interfaces[i].Gateway != nil {
			withGateway = append(withGateway, &m.Interfaces[i])
		}
	}
	var in *Interface
	switch {
	case len(withGateway) == 1:
		in = withGateway[0]
	case len(withGateway) == 0 && len(m.Interfaces) == 1:
		in = &m.Interfaces[0]
	}
	if in == nil || in.MatchMAC != nil {
		return ""
	}
	return in.Name
}

// containerParseAddr parses the host or local address attr of a
// container, of the family is6, and returns what is wrong with it. A
// local address on a bridge may have a prefix length.
func containerParseAddr(s string, is6 bool, attr string, prefixOK bool) (netip.Addr, string) {
	text := s
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Addr{}, "is not an IP address"
		}
		switch {
		case strings.HasPrefix(attr, "host_"):
			return netip.Addr{}, fmt.Sprintf("has a prefix length, which a gateway cannot have: NixOS routes the container's traffic via this address. Write the address alone, %s", p.Addr())
		case !prefixOK:
			return netip.Addr{}, fmt.Sprintf("has a prefix length, which only a container on a bridge takes: on a veth pair NixOS routes the whole prefix to this one container. Write the address alone, %s", p.Addr())
		}
		text = p.Addr().String()
	}
	a, problem := netParseHostAddr(text)
	if problem != "" {
		return a, problem
	}
	if a.Is6() != is6 {
		other := strings.TrimSuffix(attr, "6")
		if !is6 {
			other = attr + "6"
		}
		return a, fmt.Sprintf("is an %s address, but %s takes %s addresses. Move it to %s", netFamily(a), attr, netFamilyName(is6), other)
	}
	return a, ""
}

// checkMountPath returns what is wrong with a bind mount path, or "":
// NixOS passes it to systemd-nspawn as --bind=HOST:CONTAINER in a
// space-separated list, so it must be absolute and hold no colon or
// white space.
func checkMountPath(p string) string {
	if strings.ContainsAny(p, ": \t,") {
		return "holds a colon, a comma or white space, which systemd-nspawn's --bind cannot take"
	}
	return checkAbsPath(p)
}

// module returns hosts/NAME/containers.nix.
func (p *containersPlan) module() nix.Expr {
	var items []nix.Item
	for _, c := range p.containers {
		var attrs []nix.Item
		optBool := func(name string, v *bool) {
			if v != nil {
				attrs = append(attrs, nix.Bind(name, nix.Bool(*v)))
			}
		}
		optStr := func(name string, v *string) {
			if v != nil {
				attrs = append(attrs, nix.Bind(name, nix.Str(*v)))
			}
		}
		optBool("autoStart", c.AutoStart)
		optBool("ephemeral", c.Ephemeral)
		optBool("privateNetwork", c.PrivateNetwork)
		optStr("hostBridge", c.HostBridge)
		optStr("hostAddress", c.HostAddress)
		optStr("localAddress", c.LocalAddress)
		optStr("hostAddress6", c.HostAddress6)
		optStr("localAddress6", c.LocalAddress6)
		if len(c.ForwardPorts) > 0 {
			var fps []nix.Expr
			for _, fp := range c.ForwardPorts {
				proto := "tcp"
				if fp.Protocol != nil {
					proto = *fp.Protocol
				}
				cp := fp.HostPort
				if fp.ContainerPort != nil {
					cp = *fp.ContainerPort
				}
				fps = append(fps, nix.Set(
					nix.Bind("protocol", nix.Str(proto)),
					nix.Bind("hostPort", nix.Int(fp.HostPort)),
					nix.Bind("containerPort", nix.Int(cp)),
				))
			}
			attrs = append(attrs, nix.Bind("forwardPorts", nix.ListOf(fps...)))
		}
		if len(c.BindMounts) > 0 {
			mounts := slices.Clone(c.BindMounts)
			slices.SortFunc(mounts, func(a, b BindMount) int { return strings.Compare(a.MountPoint, b.MountPoint) })
			var binds []nix.Item
			for _, b := range mounts {
				var m []nix.Item
				if b.HostPath != nil {
					m = append(m, nix.Bind("hostPath", nix.Str(*b.HostPath)))
				}
				m = append(m, nix.Bind("isReadOnly", nix.Bool(b.ReadOnly == nil || *b.ReadOnly)))
				binds = append(binds, nix.BindPath(nix.AttrPath{b.MountPoint}, nix.Set(m...)))
			}
			attrs = append(attrs, nix.Bind("bindMounts", nix.Set(binds...)))
		}
		if len(c.AdditionalCapabilities) > 0 {
			attrs = append(attrs, nix.Bind("additionalCapabilities", nix.Strs(c.AdditionalCapabilities...)))
		}
		var config []nix.Item
		if len(c.Imports) > 0 {
			imports := make([]nix.Expr, len(c.Imports))
			for i, p := range c.Imports {
				imports[i] = nix.Path("../../" + p)
			}
			config = append(config, nix.Bind("imports", nix.ListOf(imports...)))
		}
		config = append(config, nix.Bind("system.stateVersion", nix.Str(c.stateVersion)))
		attrs = append(attrs, nix.Bind("config", nix.Set(config...)))
		items = append(items, nix.BindPath(nix.AttrPath{"containers", c.Name}, nix.Set(attrs...)))
	}
	if p.veth {
		items = append(items, nix.BindPath(nix.AttrPath{"systemd", "network", "networks", "05-container-ve"}, nix.Set(
			nix.Bind("matchConfig.Name", nix.Str("ve-*")),
			nix.Bind("linkConfig.Unmanaged", nix.Bool(true)),
		)).Comment("The containers module configures the host side of the veth pairs;", "systemd-networkd leaves it alone."))
	}
	if p.nat {
		nat := []nix.Item{
			nix.Bind("enable", nix.Bool(true)),
			nix.Bind("internalInterfaces", nix.Strs("ve-+")),
		}
		if p.natExternal != "" {
			nat = append(nat, nix.Bind("externalInterface", nix.Str(p.natExternal)))
		}
		items = append(items, nix.Bind("networking.nat", nix.Set(nat...)).
			Comment("Containers on veth pairs reach the outside, and forwarded ports", "reach them, through NAT."))
	}
	return nix.Module(nil, nix.Set(items...))
}
