package nixgen

import (
	"cmp"
	"fmt"
	"io"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/disko"
)

// Show writes a plain-text overview of the inventory to w, for people who
// would rather look at the fleet than read the generated Nix. With host
// set, it shows that host only; otherwise every host, in order of name.
//
// The overview starts with a fleet table: a row per host with its k3s role
// ("-" when the host is not a k3s node), the addresses of its interfaces,
// and every port its firewall opens with the sources it is open to. The
// ports are those network.nix opens: the firewall block's lists and allow
// rules and the rules that a k3s node derives from its cluster, with
// "ping" when the host answers ICMP echo requests and "all" for an
// interface whose traffic is trusted whatever its port.
//
// When a host has containers, a container table follows: a row per
// container with its network ("host" when it shares the host's, the
// host's end of its veth pair, or the bridge it joins), its own
// addresses, and the ports of the host forwarded to it ("8080/tcp -> 80"
// when the container's port differs). Forwarded ports reach a container
// through NAT, not through the host's firewall, so they are not in the
// fleet table.
//
// A section per host follows, with its disk layout as a tree in the manner
// of lsblk: each disk with its partitions, and what a partition holds on
// the same row (its filesystem type and mountpoint) or below it (a LUKS
// container, btrfs subvolumes, swap files). A member of an mdadm array, a
// ZFS pool or an LVM volume group says which one; the arrays, pools and
// volume groups follow the disks as trees of their own, each once, with
// their members, vdevs, datasets, volumes and logical volumes. Filesystems
// without a device (tmpfs) come last.
//
// Trees and tables are drawn with ASCII characters ("|-" and "`-"),
// without colour, and nothing depends on the terminal: the same inventory
// always gives the same bytes. A name or path that holds a control
// character is printed quoted, so that every row stays one line.
//
// Show validates the inventory first and returns the diagnostics,
// warnings included. When they hold an error, or when no host is called
// host, it writes nothing.
func Show(w io.Writer, inv *Inventory, host string) hcl.Diagnostics {
	hosts, diags := inv.check()
	if host != "" {
		i := slices.IndexFunc(hosts, func(h checkedHost) bool { return h.Name == host })
		if i < 0 {
			diags = append(diags, unknownHostDiagnostic(host, hosts))
		} else {
			hosts = hosts[i : i+1]
		}
	}
	if diags.HasErrors() {
		return diags
	}
	var b strings.Builder
	if err := writeFleetTable(&b, hosts, len(inv.K3sClusters) > 1); err != nil {
		return append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot show the firewall", Detail: err.Error() + "."})
	}
	writeContainerTable(&b, hosts)
	for i := range hosts {
		b.WriteString("\n")
		writeHostStorage(&b, &hosts[i])
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot write the overview", Detail: err.Error() + "."})
	}
	return diags
}

// unknownHostDiagnostic reports that no host of hosts is called name.
func unknownHostDiagnostic(name string, hosts []checkedHost) *hcl.Diagnostic {
	names := make([]string, len(hosts))
	for i, h := range hosts {
		names[i] = h.Name
	}
	detail := fmt.Sprintf("The inventory has no host named %q.", name)
	detail += didYouMean(name, names)
	if len(names) == 0 {
		detail += " It defines no hosts."
	} else {
		detail += " Its hosts are: " + strings.Join(names, ", ") + "."
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown host", Detail: detail}
}

// writeFleetTable writes the fleet table of hosts. With multiCluster, the
// role of a k3s node names its cluster too.
func writeFleetTable(b *strings.Builder, hosts []checkedHost, multiCluster bool) error {
	b.WriteString("fleet\n")
	var t textTable
	t.add("HOST", "ROLE", "ADDRESSES", "PORT", "OPEN TO")
	for i := range hosts {
		h := &hosts[i]
		plan, err := h.netPlan()
		if err != nil {
			return err
		}
		role := "-"
		if h.k3s != nil {
			role = string(h.k3s.node.Role)
			if multiCluster {
				role += " (" + h.k3s.cluster.Name + ")"
			}
		}
		addrs := showAddresses(plan.links)
		ports := showPorts(&plan.fw)
		if i > 0 {
			t.add()
		}
		for j := range max(len(addrs), len(ports)) {
			row := make([]string, 5)
			if j == 0 {
				row[0], row[1] = h.Name, role
			}
			if j < len(addrs) {
				row[2] = addrs[j]
			}
			if j < len(ports) {
				row[3], row[4] = ports[j][0], ports[j][1]
			}
			t.add(row...)
		}
	}
	t.write(b)
	return nil
}

// showAddresses returns the lines of the addresses column of a host with
// the interfaces links: "eth0 203.0.113.10/24", "eth0 dhcp ipv4".
func showAddresses(links []linkPlan) []string {
	var out []string
	for _, l := range links {
		for _, a := range l.addrs {
			out = append(out, l.name+" "+a.String())
		}
		dhcp := l.dhcpFamilies()
		if dhcp[0] {
			out = append(out, l.name+" dhcp ipv4")
		}
		if dhcp[1] {
			out = append(out, l.name+" dhcp ipv6")
		}
	}
	if len(out) == 0 {
		out = []string{"-"}
	}
	return out
}

// openPort is the sources that one protocol and range of ports is open
// to, on one interface or on all.
type openPort struct {
	proto string // "tcp" or "udp"
	ports portRange
	iface string // "" for every interface
	any   bool   // open to everyone
	from  []netip.Prefix
	note  string // appended to the sources
}

// showPorts returns the lines of the port columns of a host with the
// firewall fw, pairs of a port and what it is open to: ping first when it
// is allowed, then the ports in order of number, then the trusted
// interfaces. Ports that several rules open on the same interface are
// merged, the sources of all of them together.
func showPorts(fw *firewallPlan) [][2]string {
	type key struct {
		proto string
		ports portRange
		iface string
	}
	byKey := map[key]*openPort{}
	open := func(proto string, ports []portRange, iface string, from []netip.Prefix) {
		for _, r := range ports {
			k := key{proto, r, iface}
			p := byKey[k]
			if p == nil {
				p = &openPort{proto: proto, ports: r, iface: iface}
				byKey[k] = p
			}
			p.any = p.any || len(from) == 0
			p.from = append(p.from, from...)
		}
	}
	open("tcp", fw.tcp, "", nil)
	open("udp", fw.udp, "", nil)
	for _, r := range fw.rules {
		open("tcp", r.TCP, r.Interface, r.From)
		open("udp", r.UDP, r.Interface, r.From)
	}
	ports := make([]*openPort, 0, len(byKey)+1)
	for _, p := range byKey {
		ports = append(ports, p)
	}
	if !fw.opensSSH() {
		// NixOS's services.openssh opens its port to everyone unless
		// the firewall mentions it; see [Firewall.OpensSSH].
		ports = append(ports, &openPort{proto: "tcp", ports: portRange{sshPort, sshPort}, any: true, note: ", if services.openssh is enabled"})
	}
	slices.SortFunc(ports, func(a, b *openPort) int {
		return cmp.Or(comparePortRanges(a.ports, b.ports), strings.Compare(a.proto, b.proto),
			strings.Compare(a.iface, b.iface), strings.Compare(a.note, b.note))
	})

	var out [][2]string
	if fw.allowPing == nil || *fw.allowPing {
		out = append(out, [2]string{"ping", "any"})
	}
	for _, p := range ports {
		to := "any"
		if !p.any {
			kept, _ := minimalSources(p.from)
			s := make([]string, len(kept))
			for i, src := range kept {
				s[i] = src.String()
			}
			to = strings.Join(s, ", ")
		}
		if p.iface != "" {
			to += " on " + p.iface
		}
		out = append(out, [2]string{p.ports.String() + "/" + p.proto, to + p.note})
	}
	for _, t := range fw.trusted {
		out = append(out, [2]string{"all", "any on " + t.Name})
	}
	if len(out) == 0 {
		out = append(out, [2]string{"-", ""})
	}
	return out
}

// writeContainerTable writes the table of the containers of hosts, each
// with its network, its addresses and the ports of the host forwarded to
// it, or nothing when no host has a container.
func writeContainerTable(b *strings.Builder, hosts []checkedHost) {
	var t textTable
	t.add("HOST", "CONTAINER", "NETWORK", "ADDRESSES", "FORWARDED")
	for i := range hosts {
		h := &hosts[i]
		if len(h.Containers) == 0 {
			continue
		}
		if len(t.rows) > 1 {
			t.add()
		}
		for j, c := range sortedBy(h.Containers, func(c *Container) string { return c.Name }) {
			network, addrs := "host", []string(nil)
			if c.PrivateNetwork != nil && *c.PrivateNetwork {
				network = "ve-" + c.Name
				if c.HostBridge != nil {
					network = "bridge " + *c.HostBridge
				}
				for _, a := range []*string{c.LocalAddress, c.LocalAddress6} {
					if a != nil {
						addrs = append(addrs, *a)
					}
				}
			}
			var ports []string
			for _, fp := range c.ForwardPorts {
				proto := "tcp"
				if fp.Protocol != nil {
					proto = *fp.Protocol
				}
				port := strconv.Itoa(fp.HostPort) + "/" + proto
				if fp.ContainerPort != nil && *fp.ContainerPort != fp.HostPort {
					port += " -> " + strconv.Itoa(*fp.ContainerPort)
				}
				ports = append(ports, port)
			}
			for k := range max(1, len(addrs), len(ports)) {
				row := make([]string, 5)
				if k == 0 {
					row[1], row[2] = c.Name, network
					if j == 0 {
						row[0] = h.Name
					}
				}
				if k < len(addrs) {
					row[3] = addrs[k]
				} else if k == 0 {
					row[3] = "-"
				}
				if k < len(ports) {
					row[4] = ports[k]
				} else if k == 0 {
					row[4] = "-"
				}
				t.add(row...)
			}
		}
	}
	if len(t.rows) == 1 {
		return
	}
	b.WriteString("\ncontainers\n")
	t.write(b)
}

// writeHostStorage writes the section of host h: a heading and the tree
// of its disk layout.
func writeHostStorage(b *strings.Builder, h *checkedHost) {
	b.WriteString("host " + showText(h.Name))
	if h.BootLoader != nil {
		b.WriteString(", booted by " + showText(*h.BootLoader))
	}
	b.WriteString("\n")
	// As Render: a host without disks gets no disko.nix.
	if h.layout == nil || !hasStorage(&h.Machine) {
		b.WriteString("no disk layout")
		if hw := h.HardwareConfiguration; hw != nil {
			b.WriteString("; file systems from " + showText(*hw))
		}
		b.WriteString("\n")
		return
	}
	var t textTable
	t.add("NAME", "TYPE", "SIZE", "FSTYPE", "MOUNTPOINT", "DETAIL")
	for _, n := range layoutTree(h.layout) {
		n.flatten(&t, "", "")
	}
	t.write(b)
}

// showNode is a row of a layout tree, with the rows below it.
type showNode struct {
	name, typ, size, fstype, mountpoint string
	detail                              []string
	kids                                []*showNode
}

// flatten adds n and the rows below it to t, the name of n after prefix
// and the names of its children after childPrefix and a branch.
func (n *showNode) flatten(t *textTable, prefix, childPrefix string) {
	t.add(prefix+showText(n.name), n.typ, n.size, n.fstype, n.mountpoint, strings.Join(n.detail, ", "))
	for i, k := range n.kids {
		if i == len(n.kids)-1 {
			k.flatten(t, childPrefix+"`-", childPrefix+"  ")
		} else {
			k.flatten(t, childPrefix+"|-", childPrefix+"| ")
		}
	}
}

// layoutView collects, while the tree of a layout is built, the members
// of its arrays, pools and volume groups.
type layoutView struct {
	// members maps "mdadm NAME", "zpool NAME" and "lvm_vg NAME" to the
	// paths of their members, in the order of the tree.
	members map[string][]string
}

// layoutTree returns the roots of the tree of l: the disks, the mdadm
// arrays, the ZFS pools, the LVM volume groups and the nodev filesystems,
// each kind in order of name (nodev: of mountpoint).
func layoutTree(l *disko.Layout) []*showNode {
	v := &layoutView{members: map[string][]string{}}
	var roots []*showNode
	for _, d := range sortedBy(l.Disks, func(d *disko.Disk) string { return d.Name }) {
		n := &showNode{name: d.Name, typ: "disk"}
		v.content(n, d.Name, d.Content)
		if d.Media != disko.MediaUnknown {
			n.detail = append(n.detail, d.Media.String())
		}
		if d.Device != "" {
			n.detail = append(n.detail, d.Device)
		}
		roots = append(roots, n)
	}
	type pending struct {
		n   *showNode
		key string
	}
	var containers []pending
	for _, a := range sortedBy(l.Arrays, func(a *disko.MDADM) string { return a.Name }) {
		typ := string(a.Level)
		if n, ok := a.Level.Number(); ok {
			typ = "raid" + strconv.Itoa(n)
		}
		n := &showNode{name: a.Name, typ: typ}
		containers = append(containers, pending{n, "mdadm " + a.Name})
		if a.Metadata != "" {
			n.detail = append(n.detail, "metadata "+a.Metadata)
		}
		v.content(n, a.Name, a.Content)
		roots = append(roots, n)
	}
	type poolNode struct {
		n    *showNode
		pool *disko.ZPool
	}
	var pools []poolNode
	for _, p := range sortedBy(l.Pools, func(p *disko.ZPool) string { return p.Name }) {
		n := &showNode{name: p.Name, typ: "zpool"}
		if p.Mountpoint != "" {
			n.fstype, n.mountpoint = "zfs", p.Mountpoint
		}
		n.detail = append(n.detail, mountOptions(p.MountOptions)...)
		pools = append(pools, poolNode{n, p})
		roots = append(roots, n)
	}
	for _, g := range sortedBy(l.VolumeGroups, func(g *disko.VolumeGroup) string { return g.Name }) {
		n := &showNode{name: g.Name, typ: "lvm_vg"}
		containers = append(containers, pending{n, "lvm_vg " + g.Name})
		for _, lv := range sortedBy(g.LVs, func(lv *disko.LogicalVolume) string { return lv.Name }) {
			k := &showNode{name: lv.Name, typ: "lv", size: lv.Size}
			if lv.Type != disko.LVLinear {
				k.typ += " " + string(lv.Type)
			}
			if lv.Pool != "" {
				k.detail = append(k.detail, "in thin pool "+lv.Pool)
			}
			v.content(k, g.Name+"/"+lv.Name, lv.Content)
			n.kids = append(n.kids, k)
		}
		roots = append(roots, n)
	}
	// Volumes may hold members of arrays and volume groups, so the
	// members of those are complete once the pools are walked.
	for _, p := range pools {
		var vols []*showNode
		for _, d := range p.pool.Datasets {
			k := &showNode{name: d.Name, typ: "dataset", mountpoint: d.Mountpoint}
			k.detail = mountOptions(d.MountOptions)
			vols = append(vols, k)
		}
		for _, vol := range p.pool.Volumes {
			k := &showNode{name: vol.Name, typ: "zvol", size: vol.Size}
			v.content(k, p.pool.Name+"/"+vol.Name, vol.Content)
			vols = append(vols, k)
		}
		slices.SortStableFunc(vols, func(a, b *showNode) int { return strings.Compare(a.name, b.name) })
		p.n.kids = append(p.n.kids, vols...)
	}
	for _, p := range pools {
		p.n.kids = append(v.vdevs(p.pool), p.n.kids...)
	}
	for _, c := range containers {
		if ms := v.members[c.key]; len(ms) > 0 {
			c.n.detail = append([]string{"members " + strings.Join(ms, ", ")}, c.n.detail...)
		}
	}
	for _, nd := range sortedBy(l.Nodev, func(nd *disko.Nodev) string { return nd.Mountpoint }) {
		name := nd.Device
		if name == "" {
			name = nd.FSType
		}
		n := &showNode{name: name, typ: "nodev", fstype: nd.FSType, mountpoint: nd.Mountpoint}
		n.detail = mountOptions(nd.MountOptions)
		roots = append(roots, n)
	}
	return roots
}

// vdevs returns the rows of the vdevs of pool p: its members under a row
// of their mode, or the vdevs and classes of its topology. A member
// without redundancy (a stripe) is a row of its own, as zpool status shows
// it.
func (v *layoutView) vdevs(p *disko.ZPool) []*showNode {
	member := func(ref string) *showNode { return &showNode{name: ref} }
	vdev := func(mode disko.ZFSMode, refs []string) []*showNode {
		var ms []*showNode
		for _, r := range refs {
			ms = append(ms, member(r))
		}
		if mode == disko.ZFSStripe {
			return ms
		}
		return []*showNode{{name: string(mode), typ: "vdev", kids: ms}}
	}
	t := p.Topology
	if t == nil {
		return vdev(p.Mode, v.members["zpool "+p.Name])
	}
	var out []*showNode
	for _, vd := range t.Vdevs {
		out = append(out, vdev(vd.Mode, vd.Members)...)
	}
	for _, class := range []struct {
		name  string
		vdevs []disko.Vdev
	}{{"log", t.Log}, {"special", t.Special}, {"dedup", t.Dedup}} {
		if len(class.vdevs) == 0 {
			continue
		}
		c := &showNode{name: class.name}
		for _, vd := range class.vdevs {
			c.kids = append(c.kids, vdev(vd.Mode, vd.Members)...)
		}
		out = append(out, c)
	}
	for _, class := range []struct {
		name string
		refs []string
	}{{"cache", t.Cache}, {"spare", t.Spare}} {
		if len(class.refs) > 0 {
			out = append(out, &showNode{name: class.name, kids: vdev(disko.ZFSStripe, class.refs)})
		}
	}
	return out
}

// content fills in row n, a device at path, with what it holds, c: a
// filesystem on the row itself, partitions and other contents as rows
// below it. path names the device in the member lists of arrays, pools
// and volume groups; a LUKS container keeps the path of its device.
func (v *layoutView) content(n *showNode, path string, c any) {
	if c == nil || reflect.ValueOf(c).IsNil() {
		return
	}
	switch c := c.(type) {
	case *disko.GPT:
		for _, p := range sortedPartitions(c.Partitions) {
			k := &showNode{name: p.Name, typ: "part " + partitionType(p), size: partitionSize(p)}
			switch k.typ {
			case "part " + disko.TypeESP:
				k.detail = append(k.detail, "EFI system partition")
			case "part " + disko.TypeBIOSBoot:
				k.detail = append(k.detail, "BIOS boot partition")
			}
			v.content(k, path+"/"+p.Name, p.Content)
			n.kids = append(n.kids, k)
		}
	case *disko.Filesystem:
		n.fstype, n.mountpoint = c.Format, c.Mountpoint
		n.detail = append(n.detail, mountOptions(c.MountOptions)...)
	case *disko.Swap:
		n.fstype, n.mountpoint = "swap", "[SWAP]"
		if c.RandomEncryption {
			n.detail = append(n.detail, "random encryption")
		}
		if c.ResumeDevice {
			n.detail = append(n.detail, "resume device")
		}
		if c.Priority != nil {
			n.detail = append(n.detail, "priority "+strconv.Itoa(*c.Priority))
		}
	case *disko.Btrfs:
		n.fstype, n.mountpoint = "btrfs", c.Mountpoint
		n.detail = append(n.detail, mountOptions(c.MountOptions)...)
		n.kids = append(n.kids, swapFiles(c.SwapFiles)...)
		for _, s := range sortedBy(c.Subvolumes, func(s *disko.Subvolume) string { return s.Name }) {
			k := &showNode{name: s.Name, typ: "subvol", mountpoint: s.Mountpoint, detail: mountOptions(s.MountOptions)}
			k.kids = swapFiles(s.SwapFiles)
			n.kids = append(n.kids, k)
		}
	case *disko.LUKS:
		n.fstype = "crypto_LUKS"
		k := &showNode{name: c.Name, typ: "crypt"}
		if c.SkipInitrdUnlock {
			k.detail = append(k.detail, "not unlocked at boot")
		}
		v.content(k, path, c.Content)
		n.kids = append(n.kids, k)
	case *disko.MDRaid:
		n.fstype = "linux_raid_member"
		n.detail = append(n.detail, "in "+c.Array)
		v.members["mdadm "+c.Array] = append(v.members["mdadm "+c.Array], path)
	case *disko.ZFS:
		n.fstype = "zfs_member"
		n.detail = append(n.detail, "in "+c.Pool)
		v.members["zpool "+c.Pool] = append(v.members["zpool "+c.Pool], path)
	case *disko.LVMPV:
		n.fstype = "LVM2_member"
		n.detail = append(n.detail, "in "+c.VG)
		v.members["lvm_vg "+c.VG] = append(v.members["lvm_vg "+c.VG], path)
	}
}

// swapFiles returns the rows of the btrfs swap files fs, in order of path.
func swapFiles(fs []disko.SwapFile) []*showNode {
	var out []*showNode
	for _, f := range sortedBy(fs, func(f *disko.SwapFile) string { return f.Path }) {
		k := &showNode{name: f.Path, typ: "swapfile", size: f.Size, fstype: "swap", mountpoint: "[SWAP]"}
		if f.Priority != nil {
			k.detail = append(k.detail, "priority "+strconv.Itoa(*f.Priority))
		}
		out = append(out, k)
	}
	return out
}

// mountOptions returns the detail of mount options opts, "-o a,b", or
// nothing when they are unset.
func mountOptions(opts []string) []string {
	if len(opts) == 0 {
		return nil
	}
	return []string{"-o " + strings.Join(opts, ",")}
}

// sortedPartitions returns the partitions in the order disko creates and
// numbers them: by priority, then by name.
func sortedPartitions(ps []disko.Partition) []*disko.Partition {
	out := sortedBy(ps, func(p *disko.Partition) string { return p.Name })
	slices.SortStableFunc(out, func(a, b *disko.Partition) int {
		return cmp.Compare(a.EffectivePriority(), b.EffectivePriority())
	})
	return out
}

// partitionType returns the type code that disko gives p: its own, in
// upper case when it is a four-digit code, or 8300, or 8200 for swap.
func partitionType(p *disko.Partition) string {
	t := p.Type
	if t == "" {
		t = disko.TypeLinux
		if _, ok := p.Content.(*disko.Swap); ok {
			t = disko.TypeSwap
		}
	}
	if len(t) == 4 && strings.IndexFunc(t, func(r rune) bool { return !unicode.Is(unicode.ASCII_Hex_Digit, r) }) < 0 {
		t = strings.ToUpper(t)
	}
	return t
}

// partitionSize returns the size of p as written, or its bounds when it
// has none.
func partitionSize(p *disko.Partition) string {
	if p.Size != "" {
		return p.Size
	}
	var s []string
	if p.Start != "" {
		s = append(s, "start "+p.Start)
	}
	if p.End != "" {
		s = append(s, "end "+p.End)
	}
	return strings.Join(s, " ")
}

// sortedBy returns pointers to the elements of xs in order of key, ties
// in their original order.
func sortedBy[T any](xs []T, key func(*T) string) []*T {
	out := make([]*T, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	slices.SortStableFunc(out, func(a, b *T) int { return strings.Compare(key(a), key(b)) })
	return out
}

// showText returns s as a table cell: s itself, or quoted in Go syntax
// when it holds control characters or invalid UTF-8, so that every row
// stays one line.
func showText(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return s
}

// textTable is a table of text whose columns are aligned with spaces, two
// between columns; the last cell of a row is not padded.
type textTable struct {
	rows [][]string
}

// add adds a row, each cell passed through showText; a row without
// cells is an empty line.
func (t *textTable) add(cells ...string) {
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = showText(c)
	}
	t.rows = append(t.rows, row)
}

// write writes the table to b, each line without trailing spaces.
func (t *textTable) write(b *strings.Builder) {
	var widths []int
	for _, row := range t.rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range t.rows {
		var line strings.Builder
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
}
