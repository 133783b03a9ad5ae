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
	return l.Analyze().Nix()
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
	out, err := nix.File{Header: header, Expr: a.emit(new(nix.Arena))}.Bytes()
	return out, a.diags, err
}

// emitter builds the expressions of one module. It takes their nodes from
// an arena, since a module has many small ones.
type emitter struct {
	nodes *nix.Arena
}

// binding returns the binding name = v;.
func (em *emitter) binding(name string, v nix.Expr) *nix.Binding {
	return em.nodes.BindPath(em.nodes.Names(name), v)
}

// str returns the string literal s.
func (em *emitter) str(s string) nix.Expr {
	return em.nodes.Str(s)
}

// attrs builds an attribute set binding by binding, leaving out values that
// are disko's defaults.
type attrs struct {
	em    *emitter
	items []nix.Item
}

// attrs returns an empty attribute set builder.
func (em *emitter) attrs() attrs {
	return attrs{em: em}
}

// set binds name to v. A value that is a set with a single binding is
// folded into a dotted path: a = { b = 1; } becomes a.b = 1. Sets are
// built from the inside out, so one level of folding is enough.
func (s *attrs) set(name string, v nix.Expr) {
	if inner, ok := v.(nix.Attrs); ok && !inner.Rec && len(inner.Items) == 1 {
		if b, ok := inner.Items[0].(*nix.Binding); ok && len(b.Comments) == 0 {
			path := s.em.nodes.Path(1 + len(b.Path))
			path[0] = name
			copy(path[1:], b.Path)
			s.add(s.em.nodes.BindPath(path, b.Value))
			return
		}
	}
	s.add(s.em.binding(name, v))
}

// add appends a binding, making room for a few at once.
func (s *attrs) add(b *nix.Binding) {
	if s.items == nil {
		s.items = s.em.nodes.Items(4)
	}
	s.items = append(s.items, b)
}

// str sets a string unless it is empty.
func (s *attrs) str(name, v string) {
	if v != "" {
		s.set(name, s.em.str(v))
	}
}

// list sets a list whose default is not the empty list (mount options): a
// nil slice is left out, an empty one is written.
func (s *attrs) list(name string, v []string) {
	if v != nil {
		s.set(name, s.em.nodes.Strs(v...))
	}
}

// args sets a list whose default is empty.
func (s *attrs) args(name string, v []string) {
	if len(v) > 0 {
		s.set(name, s.em.nodes.Strs(v...))
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
	inner := s.em.attrs()
	for _, k := range keys {
		inner.set(k, s.em.str(m[k]))
	}
	s.set(name, inner.expr())
}

func (s *attrs) content(name string, v nix.Expr) {
	if v != nil {
		s.set(name, v)
	}
}

func (s *attrs) expr() nix.Expr { return s.em.nodes.Set(s.items...) }

// emit returns the module of the layout, with its nodes taken from nodes.
func (a *analysis) emit(nodes *nix.Arena) nix.Expr {
	l := a.l
	em := &emitter{nodes: nodes}
	devs := em.attrs()
	if len(l.Disks) > 0 {
		ds := em.attrs()
		for _, d := range sortedByName(l.Disks, func(d *Disk) string { return d.Name }) {
			s := em.attrs()
			s.set("type", em.str("disk"))
			s.str("device", d.Device)
			s.content("content", em.deviceContent(d.Content))
			ds.set(d.Name, s.expr())
		}
		devs.set("disk", ds.expr())
	}
	if len(l.Arrays) > 0 {
		ms := em.attrs()
		for _, m := range sortedByName(l.Arrays, func(m *MDADM) string { return m.Name }) {
			s := em.attrs()
			s.set("type", em.str("mdadm"))
			n, _ := m.Level.Number()
			s.set("level", nix.Int(int64(n)))
			s.str("metadata", m.Metadata)
			s.args("extraArgs", m.ExtraArgs)
			s.content("content", em.deviceContent(m.Content))
			ms.set(m.Name, s.expr())
		}
		devs.set("mdadm", ms.expr())
	}
	if len(l.Pools) > 0 {
		ps := em.attrs()
		for _, p := range sortedByName(l.Pools, func(p *ZPool) string { return p.Name }) {
			ps.set(p.Name, em.pool(a, p))
		}
		devs.set("zpool", ps.expr())
	}
	if len(l.VolumeGroups) > 0 {
		vs := em.attrs()
		for _, vg := range sortedByName(l.VolumeGroups, func(v *VolumeGroup) string { return v.Name }) {
			s := em.attrs()
			s.set("type", em.str("lvm_vg"))
			if len(vg.LVs) > 0 {
				lvs := em.attrs()
				for _, lv := range sortedByName(vg.LVs, func(lv *LogicalVolume) string { return lv.Name }) {
					ls := em.attrs()
					ls.str("size", lv.Size)
					ls.str("lvm_type", string(lv.Type))
					ls.str("pool", lv.Pool)
					ls.intPtr("priority", lv.Priority)
					ls.args("extraArgs", lv.ExtraArgs)
					ls.content("content", em.content(lv.Content))
					lvs.set(lv.Name, ls.expr())
				}
				s.set("lvs", lvs.expr())
			}
			vs.set(vg.Name, s.expr())
		}
		devs.set("lvm_vg", vs.expr())
	}
	if len(l.Nodev) > 0 {
		ns := em.attrs()
		for _, n := range sortedByName(l.Nodev, func(n *Nodev) string { return n.Mountpoint }) {
			s := em.attrs()
			s.set("type", em.str("nodev"))
			s.str("fsType", n.FSType)
			s.str("device", n.Device)
			s.list("mountOptions", n.MountOptions)
			ns.set(n.Mountpoint, s.expr())
		}
		devs.set("nodev", ns.expr())
	}
	disko, top := em.attrs(), em.attrs()
	disko.set("devices", devs.expr())
	top.set("disko", disko.expr())
	return top.expr()
}

func (em *emitter) deviceContent(c DeviceContent) nix.Expr {
	switch c := c.(type) {
	case *GPT:
		if c == nil {
			return nil
		}
		return em.gpt(c)
	case Content:
		return em.content(c)
	}
	return nil
}

func (em *emitter) gpt(g *GPT) nix.Expr {
	s := em.attrs()
	s.set("type", em.str("gpt"))
	if len(g.Partitions) > 0 {
		ps := em.attrs()
		for _, p := range sortedPartitions(g.Partitions) {
			e := em.attrs()
			e.str("type", normalizeType(p.Type))
			e.intPtr("priority", p.Priority)
			e.str("size", p.Size)
			e.str("start", p.Start)
			e.str("end", p.End)
			e.str("label", p.Label)
			e.str("uuid", p.UUID)
			if len(p.Attributes) > 0 {
				bits := em.nodes.Exprs(len(p.Attributes))
				for _, b := range p.Attributes {
					bits = append(bits, nix.Int(int64(b)))
				}
				e.set("attributes", em.nodes.List(bits...))
			}
			e.content("content", em.content(p.Content))
			ps.set(p.Name, e.expr())
		}
		s.set("partitions", ps.expr())
	}
	return s.expr()
}

func (em *emitter) content(c Content) nix.Expr {
	s := em.attrs()
	switch c := c.(type) {
	case *Filesystem:
		if c == nil {
			return nil
		}
		s.set("type", em.str("filesystem"))
		s.str("format", c.Format)
		s.args("extraArgs", c.ExtraArgs)
		s.str("mountpoint", c.Mountpoint)
		s.list("mountOptions", c.MountOptions)
	case *Swap:
		if c == nil {
			return nil
		}
		s.set("type", em.str("swap"))
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
		s.set("type", em.str("btrfs"))
		s.args("extraArgs", c.ExtraArgs)
		s.str("mountpoint", c.Mountpoint)
		s.list("mountOptions", c.MountOptions)
		if len(c.Subvolumes) > 0 {
			subs := em.attrs()
			for _, sv := range sortedByName(c.Subvolumes, func(s *Subvolume) string { return s.Name }) {
				e := em.attrs()
				e.args("extraArgs", sv.ExtraArgs)
				e.str("mountpoint", sv.Mountpoint)
				e.list("mountOptions", sv.MountOptions)
				em.swapFiles(&e, sv.SwapFiles)
				subs.set(sv.Name, e.expr())
			}
			s.set("subvolumes", subs.expr())
		}
		em.swapFiles(&s, c.SwapFiles)
	case *LUKS:
		if c == nil {
			return nil
		}
		s.set("type", em.str("luks"))
		s.str("name", c.Name)
		s.str("passwordFile", c.PasswordFile)
		st := em.attrs()
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
		s.content("content", em.deviceContent(c.Content))
	case *MDRaid:
		if c == nil {
			return nil
		}
		s.set("type", em.str("mdraid"))
		s.set("name", em.str(c.Array))
	case *ZFS:
		if c == nil {
			return nil
		}
		s.set("type", em.str("zfs"))
		s.set("pool", em.str(c.Pool))
	case *LVMPV:
		if c == nil {
			return nil
		}
		s.set("type", em.str("lvm_pv"))
		s.set("vg", em.str(c.VG))
	default:
		return nil
	}
	return s.expr()
}

func (em *emitter) swapFiles(s *attrs, files []SwapFile) {
	if len(files) == 0 {
		return
	}
	fs := em.attrs()
	for _, f := range sortedByName(files, func(f *SwapFile) string { return f.Path }) {
		e := em.attrs()
		e.str("size", f.Size)
		e.intPtr("priority", f.Priority)
		e.list("options", f.Options)
		fs.set(f.Path, e.expr())
	}
	s.set("swap", fs.expr())
}

func (em *emitter) pool(a *analysis, p *ZPool) nix.Expr {
	s := em.attrs()
	s.set("type", em.str("zpool"))
	if t := a.topo[p.Name]; p.Topology != nil && t != nil {
		ts := em.attrs()
		ts.set("type", em.str("topology"))
		em.vdevs(&ts, "vdev", t.Vdevs)
		ts.args("spare", t.Spare)
		em.vdevs(&ts, "log", t.Log)
		em.vdevs(&ts, "dedup", t.Dedup)
		em.vdevs(&ts, "special", t.Special)
		ts.args("cache", t.Cache)
		mode := em.attrs()
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
		e := em.attrs()
		e.set("type", em.str("zfs_fs"))
		e.str("mountpoint", d.Mountpoint)
		e.list("mountOptions", d.MountOptions)
		e.strMap("options", d.Options)
		entries = append(entries, entry{d.Name, e.expr()})
	}
	for i := range p.Volumes {
		v := &p.Volumes[i]
		e := em.attrs()
		e.set("type", em.str("zfs_volume"))
		e.str("size", v.Size)
		e.strMap("options", v.Options)
		e.args("extraArgs", v.ExtraArgs)
		e.content("content", em.content(v.Content))
		entries = append(entries, entry{v.Name, e.expr()})
	}
	if len(entries) > 0 {
		slices.SortStableFunc(entries, func(x, y entry) int { return strings.Compare(x.name, y.name) })
		ds := em.attrs()
		for _, e := range entries {
			ds.set(e.name, e.expr)
		}
		s.set("datasets", ds.expr())
	}
	return s.expr()
}

func (em *emitter) vdevs(s *attrs, name string, vs []Vdev) {
	if len(vs) == 0 {
		return
	}
	elems := em.nodes.Exprs(len(vs))
	for _, v := range vs {
		e := em.attrs()
		e.str("mode", string(v.Mode))
		e.set("members", em.nodes.Strs(v.Members...))
		elems = append(elems, e.expr())
	}
	s.set(name, em.nodes.List(elems...))
}
