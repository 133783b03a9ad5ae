package disko

import (
	"slices"
	"strings"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// Nix returns the disko NixOS module for the layout,
// { disko.devices = { disk = …; mdadm = …; zpool = …; lvm_vg = …; nodev = …; }; },
// leaving out the kinds of device the layout does not have. It validates
// the layout first and returns a *ValidationError if there are errors;
// warnings do not stop it (use [Layout.Validate] or [Layout.Render] to see
// them).
//
// The expression is canonical. Named elements are written in order of
// name, partitions in the order disko creates them (priority, then name),
// option maps in order of key; in each element, type comes first and
// content last. An attribute set with a single attribute is written as a
// dotted path (partitions.root = { … }, options.ashift = "12"). Members of
// a ZFS topology are written as full device paths (see [Topology]).
func (l *Layout) Nix() (nix.Expr, error) {
	a := analyze(l)
	if err := a.diags.Err(); err != nil {
		return nil, err
	}
	return a.emit(), nil
}

// File returns the module of [Layout.Nix] as a file with the given header
// comment lines.
func (l *Layout) File(header ...string) (nix.File, error) {
	e, err := l.Nix()
	if err != nil {
		return nix.File{}, err
	}
	return nix.File{Header: header, Expr: e}, nil
}

// Render validates the layout and, if it has no errors, prints its module
// with the given header comment lines. It returns all diagnostics, warnings
// included, and a *ValidationError when there are errors. This is the main
// entry point: one call checks and writes disko.nix.
func (l *Layout) Render(header ...string) ([]byte, Diagnostics, error) {
	a := analyze(l)
	if err := a.diags.Err(); err != nil {
		return nil, a.diags, err
	}
	out, err := nix.File{Header: header, Expr: a.emit()}.Bytes()
	return out, a.diags, err
}

// attrs builds an attribute set binding by binding, leaving out values that
// are disko's defaults.
type attrs struct {
	items []nix.Item
}

// set binds name to v. A value that is a set with a single binding is
// folded into a dotted path: a = { b = 1; } becomes a.b = 1. Sets are
// built from the inside out, so one level of folding is enough.
func (s *attrs) set(name string, v nix.Expr) {
	path := nix.AttrPath{name}
	if inner, ok := v.(nix.Attrs); ok && !inner.Rec && len(inner.Items) == 1 {
		if b, ok := inner.Items[0].(*nix.Binding); ok && len(b.Comments) == 0 {
			path = append(path, b.Path...)
			v = b.Value
		}
	}
	s.items = append(s.items, &nix.Binding{Path: path, Value: v})
}

// str sets a string unless it is empty.
func (s *attrs) str(name, v string) {
	if v != "" {
		s.set(name, nix.Str(v))
	}
}

// list sets a list whose default is not the empty list (mount options): a
// nil slice is left out, an empty one is written.
func (s *attrs) list(name string, v []string) {
	if v != nil {
		s.set(name, nix.Strs(v...))
	}
}

// args sets a list whose default is empty.
func (s *attrs) args(name string, v []string) {
	if len(v) > 0 {
		s.set(name, nix.Strs(v...))
	}
}

func (s *attrs) boolean(name string, v bool) {
	if v {
		s.set(name, nix.Bool(true))
	}
}

func (s *attrs) intPtr(name string, v *int) {
	if v != nil {
		s.set(name, nix.Int(int64(*v)))
	}
}

func (s *attrs) number(name string, v int) {
	if v != 0 {
		s.set(name, nix.Int(int64(v)))
	}
}

// strMap sets an attribute set of strings, in order of key.
func (s *attrs) strMap(name string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var inner attrs
	for _, k := range keys {
		inner.set(k, nix.Str(m[k]))
	}
	s.set(name, inner.expr())
}

func (s *attrs) content(name string, v nix.Expr) {
	if v != nil {
		s.set(name, v)
	}
}

func (s *attrs) expr() nix.Attrs { return nix.Set(s.items...) }

func (a *analysis) emit() nix.Expr {
	l := a.l
	var devs attrs
	if len(l.Disks) > 0 {
		var ds attrs
		for _, d := range sortedByName(l.Disks, func(d *Disk) string { return d.Name }) {
			var s attrs
			s.set("type", nix.Str("disk"))
			s.str("device", d.Device)
			s.content("content", emitDeviceContent(d.Content))
			ds.set(d.Name, s.expr())
		}
		devs.set("disk", ds.expr())
	}
	if len(l.Arrays) > 0 {
		var ms attrs
		for _, m := range sortedByName(l.Arrays, func(m *MDADM) string { return m.Name }) {
			var s attrs
			s.set("type", nix.Str("mdadm"))
			n, _ := m.Level.Number()
			s.set("level", nix.Int(int64(n)))
			s.str("metadata", m.Metadata)
			s.args("extraArgs", m.ExtraArgs)
			s.content("content", emitDeviceContent(m.Content))
			ms.set(m.Name, s.expr())
		}
		devs.set("mdadm", ms.expr())
	}
	if len(l.Pools) > 0 {
		var ps attrs
		for _, p := range sortedByName(l.Pools, func(p *ZPool) string { return p.Name }) {
			ps.set(p.Name, a.emitPool(p))
		}
		devs.set("zpool", ps.expr())
	}
	if len(l.VolumeGroups) > 0 {
		var vs attrs
		for _, vg := range sortedByName(l.VolumeGroups, func(v *VolumeGroup) string { return v.Name }) {
			var s attrs
			s.set("type", nix.Str("lvm_vg"))
			if len(vg.LVs) > 0 {
				var lvs attrs
				for _, lv := range sortedByName(vg.LVs, func(lv *LogicalVolume) string { return lv.Name }) {
					var ls attrs
					ls.str("size", lv.Size)
					ls.str("lvm_type", string(lv.Type))
					ls.str("pool", lv.Pool)
					ls.intPtr("priority", lv.Priority)
					ls.args("extraArgs", lv.ExtraArgs)
					ls.content("content", emitContent(lv.Content))
					lvs.set(lv.Name, ls.expr())
				}
				s.set("lvs", lvs.expr())
			}
			vs.set(vg.Name, s.expr())
		}
		devs.set("lvm_vg", vs.expr())
	}
	if len(l.Nodev) > 0 {
		var ns attrs
		for _, n := range sortedByName(l.Nodev, func(n *Nodev) string { return n.Mountpoint }) {
			var s attrs
			s.set("type", nix.Str("nodev"))
			s.str("fsType", n.FSType)
			s.str("device", n.Device)
			s.list("mountOptions", n.MountOptions)
			ns.set(n.Mountpoint, s.expr())
		}
		devs.set("nodev", ns.expr())
	}
	var disko, top attrs
	disko.set("devices", devs.expr())
	top.set("disko", disko.expr())
	return top.expr()
}

func emitDeviceContent(c DeviceContent) nix.Expr {
	switch c := c.(type) {
	case *GPT:
		if c == nil {
			return nil
		}
		return emitGPT(c)
	case Content:
		return emitContent(c)
	}
	return nil
}

func emitGPT(g *GPT) nix.Expr {
	var s attrs
	s.set("type", nix.Str("gpt"))
	if len(g.Partitions) > 0 {
		var ps attrs
		for _, p := range sortedPartitions(g.Partitions) {
			var e attrs
			e.str("type", normalizeType(p.Type))
			e.intPtr("priority", p.Priority)
			e.str("size", p.Size)
			e.str("start", p.Start)
			e.str("end", p.End)
			e.str("label", p.Label)
			e.str("uuid", p.UUID)
			if len(p.Attributes) > 0 {
				bits := make([]nix.Expr, len(p.Attributes))
				for i, b := range p.Attributes {
					bits[i] = nix.Int(int64(b))
				}
				e.set("attributes", nix.ListOf(bits...))
			}
			e.content("content", emitContent(p.Content))
			ps.set(p.Name, e.expr())
		}
		s.set("partitions", ps.expr())
	}
	return s.expr()
}

func emitContent(c Content) nix.Expr {
	var s attrs
	switch c := c.(type) {
	case *Filesystem:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("filesystem"))
		s.str("format", c.Format)
		s.args("extraArgs", c.ExtraArgs)
		s.str("mountpoint", c.Mountpoint)
		s.list("mountOptions", c.MountOptions)
	case *Swap:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("swap"))
		s.str("discardPolicy", c.DiscardPolicy)
		s.intPtr("priority", c.Priority)
		s.boolean("randomEncryption", c.RandomEncryption)
		s.boolean("resumeDevice", c.ResumeDevice)
		s.args("extraArgs", c.ExtraArgs)
		s.list("mountOptions", c.MountOptions)
	case *Btrfs:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("btrfs"))
		s.args("extraArgs", c.ExtraArgs)
		s.str("mountpoint", c.Mountpoint)
		s.list("mountOptions", c.MountOptions)
		if len(c.Subvolumes) > 0 {
			var subs attrs
			for _, sv := range sortedByName(c.Subvolumes, func(s *Subvolume) string { return s.Name }) {
				var e attrs
				e.args("extraArgs", sv.ExtraArgs)
				e.str("mountpoint", sv.Mountpoint)
				e.list("mountOptions", sv.MountOptions)
				emitSwapFiles(&e, sv.SwapFiles)
				subs.set(sv.Name, e.expr())
			}
			s.set("subvolumes", subs.expr())
		}
		emitSwapFiles(&s, c.SwapFiles)
	case *LUKS:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("luks"))
		s.str("name", c.Name)
		s.str("passwordFile", c.PasswordFile)
		var st attrs
		st.boolean("allowDiscards", c.Settings.AllowDiscards)
		st.boolean("bypassWorkqueues", c.Settings.BypassWorkqueues)
		st.str("keyFile", c.Settings.KeyFile)
		st.number("keyFileOffset", c.Settings.KeyFileOffset)
		st.number("keyFileSize", c.Settings.KeyFileSize)
		if len(st.items) > 0 {
			s.set("settings", st.expr())
		}
		s.args("additionalKeyFiles", c.AdditionalKeyFiles)
		if c.SkipInitrdUnlock {
			s.set("initrdUnlock", nix.Bool(false))
		}
		s.args("extraFormatArgs", c.ExtraFormatArgs)
		s.args("extraOpenArgs", c.ExtraOpenArgs)
		s.content("content", emitDeviceContent(c.Content))
	case *MDRaid:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("mdraid"))
		s.set("name", nix.Str(c.Array))
	case *ZFS:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("zfs"))
		s.set("pool", nix.Str(c.Pool))
	case *LVMPV:
		if c == nil {
			return nil
		}
		s.set("type", nix.Str("lvm_pv"))
		s.set("vg", nix.Str(c.VG))
	default:
		return nil
	}
	return s.expr()
}

func emitSwapFiles(s *attrs, files []SwapFile) {
	if len(files) == 0 {
		return
	}
	var fs attrs
	for _, f := range sortedByName(files, func(f *SwapFile) string { return f.Path }) {
		var e attrs
		e.str("size", f.Size)
		e.intPtr("priority", f.Priority)
		e.list("options", f.Options)
		fs.set(f.Path, e.expr())
	}
	s.set("swap", fs.expr())
}

func (a *analysis) emitPool(p *ZPool) nix.Expr {
	var s attrs
	s.set("type", nix.Str("zpool"))
	if t := a.topo[p.Name]; p.Topology != nil && t != nil {
		var ts attrs
		ts.set("type", nix.Str("topology"))
		emitVdevs(&ts, "vdev", t.Vdevs)
		ts.args("spare", t.Spare)
		emitVdevs(&ts, "log", t.Log)
		emitVdevs(&ts, "dedup", t.Dedup)
		emitVdevs(&ts, "special", t.Special)
		ts.args("cache", t.Cache)
		var mode attrs
		mode.set("topology", ts.expr())
		s.set("mode", mode.expr())
	} else {
		s.str("mode", string(p.Mode))
	}
	s.strMap("options", p.Options)
	s.strMap("rootFsOptions", p.RootFSOptions)
	s.str("mountpoint", p.Mountpoint)
	s.list("mountOptions", p.MountOptions)
	type entry struct {
		name string
		expr nix.Expr
	}
	var entries []entry
	for i := range p.Datasets {
		d := &p.Datasets[i]
		var e attrs
		e.set("type", nix.Str("zfs_fs"))
		e.str("mountpoint", d.Mountpoint)
		e.list("mountOptions", d.MountOptions)
		e.strMap("options", d.Options)
		entries = append(entries, entry{d.Name, e.expr()})
	}
	for i := range p.Volumes {
		v := &p.Volumes[i]
		var e attrs
		e.set("type", nix.Str("zfs_volume"))
		e.str("size", v.Size)
		e.strMap("options", v.Options)
		e.args("extraArgs", v.ExtraArgs)
		e.content("content", emitContent(v.Content))
		entries = append(entries, entry{v.Name, e.expr()})
	}
	if len(entries) > 0 {
		slices.SortStableFunc(entries, func(x, y entry) int { return strings.Compare(x.name, y.name) })
		var ds attrs
		for _, e := range entries {
			ds.set(e.name, e.expr)
		}
		s.set("datasets", ds.expr())
	}
	return s.expr()
}

func emitVdevs(s *attrs, name string, vs []Vdev) {
	if len(vs) == 0 {
		return
	}
	elems := make([]nix.Expr, len(vs))
	for i, v := range vs {
		var e attrs
		e.str("mode", string(v.Mode))
		e.set("members", nix.Strs(v.Members...))
		elems[i] = e.expr()
	}
	s.set(name, nix.ListOf(elems...))
}
