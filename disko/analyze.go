package disko

import (
	"cmp"
	"path"
	"slices"
	"strconv"
	"strings"
)

// ckind is the kind of a device built from members: an mdadm array, a ZFS
// pool or an LVM volume group.
type ckind uint8

const (
	kindMD ckind = iota
	kindZFS
	kindVG
)

// noun names the kind in messages.
func (k ckind) noun() string {
	switch k {
	case kindMD:
		return "mdadm array"
	case kindZFS:
		return "ZFS pool"
	}
	return "LVM volume group"
}

// step is the Where kind of a container.
func (k ckind) step() string {
	switch k {
	case kindMD:
		return "mdadm"
	case kindZFS:
		return "zpool"
	}
	return "lvm_vg"
}

// field is the option of a member content that names its container.
func (k ckind) field() string {
	switch k {
	case kindMD:
		return "name"
	case kindZFS:
		return "pool"
	}
	return "vg"
}

// ckey identifies a container.
type ckey struct {
	kind ckind
	name string
}

// String returns the container as in a Where, for example mdadm "md0".
func (k ckey) String() string { return k.kind.step() + " " + strconv.Quote(k.name) }

func compareKeys(a, b ckey) int {
	if c := cmp.Compare(a.kind, b.kind); c != 0 {
		return c
	}
	return strings.Compare(a.name, b.name)
}

// source is what an element is built on: a disk, or a container.
type source struct {
	disk        string
	container   ckey
	inContainer bool
}

// memberUse is one member of a container: where it is declared and the
// device path disko gives it.
type memberUse struct {
	where  Where
	device string
	src    source
	// disk and part are the names a topology can refer to the member by:
	// the disk it lies on, and the partition of that disk's own table, if
	// any. Both are empty for members inside arrays, pools and volume
	// groups.
	disk, part string
	// esp is set for a member that is an EFI system partition.
	esp bool
}

// mountUse is one filesystem mounted at a path.
type mountUse struct {
	path  string
	where Where
	src   source
	// managed is set when disko mounts the filesystem and writes its
	// fileSystems entry; ZFS datasets mounted by ZFS itself are not.
	managed bool
}

// ctx is the position of a content in the layout.
type ctx struct {
	where Where
	// device is the block device the content lies on.
	device string
	// parentType and parentName are the type and name of the device whose
	// partition table this would be: they make the default labels.
	parentType, parentName string
	src                    source
	disk, part             string
	esp                    bool
}

// analysis is the result of one walk over a layout: its diagnostics and the
// facts that emission and the query methods need.
type analysis struct {
	l          *Layout
	diags      Diagnostics
	mounts     map[string]int
	mountList  []mountUse
	members    map[ckey][]memberUse
	containers map[ckey]Where
	labels     map[string]Where
	luks       map[string]Where
	// topo holds each topology pool's topology with members replaced by
	// device paths.
	topo        map[string]*Topology
	hasESP      bool
	hasBIOS     bool
	espOnRaid   bool
	biosDevices []string
	// steps is a block from which child and index take the steps of the
	// locations they make, since a walk makes a location for every
	// element.
	steps []Step
}

// where returns a location of the steps of w and then step, taking its
// memory from a.steps. Like [Where.Child], it shares no memory with w, and
// appending to its steps never reaches those of another location.
func (a *analysis) where(w Where, step Step) Where {
	n := len(w.Steps) + 1
	if cap(a.steps)-len(a.steps) < n {
		a.steps = make([]Step, 0, max(n, 24))
	}
	i := len(a.steps)
	a.steps = append(append(a.steps, w.Steps...), step)
	return Where{Steps: a.steps[i : i+n : i+n]}
}

// child returns w.Child(kind, name).
func (a *analysis) child(w Where, kind, name string) Where {
	return a.where(w, Step{Kind: kind, Name: name})
}

// index returns w.Index(kind, i).
func (a *analysis) index(w Where, kind string, i int) Where {
	return a.where(w, Step{Kind: kind, Index: i, Indexed: true})
}

func (a *analysis) report(sev Severity, code string, w Where, related []Where, summary, detail string) {
	a.diags = append(a.diags, Diagnostic{
		Severity: sev,
		Code:     code,
		Where:    w,
		Related:  related,
		Summary:  summary,
		Detail:   detail,
	})
}

func (a *analysis) errorf(code string, w Where, summary, detail string) {
	a.report(SeverityError, code, w, nil, summary, detail)
}

func (a *analysis) warnf(code string, w Where, summary, detail string) {
	a.report(SeverityWarning, code, w, nil, summary, detail)
}

// Validate checks the layout and returns its problems, errors and warnings,
// in a fixed order: element by element (disks, arrays, pools, volume
// groups, nodev, each by name), then the checks that span elements. A
// layout whose diagnostics hold no error can be written with [Layout.Nix].
// See the Code constants for the rules.
func (l *Layout) Validate() Diagnostics {
	return analyze(l).diags
}

// sortedByName returns pointers to the elements of xs ordered by key, ties
// in their original order.
func sortedByName[T any](xs []T, key func(*T) string) []*T {
	ps := make([]*T, len(xs))
	for i := range xs {
		ps[i] = &xs[i]
	}
	slices.SortStableFunc(ps, func(a, b *T) int { return strings.Compare(key(a), key(b)) })
	return ps
}

// EffectivePriority returns the priority disko uses for the partition: the
// Priority field if set, else 9001 for a "100%" partition, 100 for a BIOS
// boot partition and 1000 for any other (lib/types/gpt.nix).
func (p *Partition) EffectivePriority() int {
	if p.Priority != nil {
		return *p.Priority
	}
	if p.Size == "100%" {
		return 9001
	}
	if normalizeType(p.Type) == TypeBIOSBoot {
		return 100
	}
	return 1000
}

// sortedPartitions returns the partitions in the order disko creates them
// and numbers them: by priority, then by name. disko sorts attrValues of the
// partitions (alphabetical by name) with a stable sort on priority.
func sortedPartitions(ps []Partition) []*Partition {
	out := make([]*Partition, len(ps))
	for i := range ps {
		out[i] = &ps[i]
	}
	slices.SortStableFunc(out, func(a, b *Partition) int {
		if c := cmp.Compare(a.EffectivePriority(), b.EffectivePriority()); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

func analyze(l *Layout) *analysis {
	a := &analysis{
		l:          l,
		mounts:     make(map[string]int),
		members:    make(map[ckey][]memberUse),
		containers: make(map[ckey]Where),
		labels:     make(map[string]Where),
		luks:       make(map[string]Where),
		topo:       make(map[string]*Topology),
	}
	if len(l.Disks) == 0 {
		a.errorf(CodeNoDisks, Where{}, "no disks",
			"The layout has no disk. disko needs at least one (its scripts stop with \"No disks defined\"); declare the disks of the host.")
	}
	a.walkDisks()
	arrays := sortedByName(l.Arrays, func(m *MDADM) string { return m.Name })
	pools := sortedByName(l.Pools, func(p *ZPool) string { return p.Name })
	vgs := sortedByName(l.VolumeGroups, func(v *VolumeGroup) string { return v.Name })
	for _, m := range arrays {
		a.walkArray(m)
	}
	for _, p := range pools {
		a.walkPool(p)
	}
	for _, vg := range vgs {
		a.walkVG(vg)
	}
	a.walkNodev()

	a.checkUnknownContainers()
	for _, m := range arrays {
		a.checkArrayMembers(m)
	}
	for _, p := range pools {
		a.checkPoolMembers(p)
	}
	for _, vg := range vgs {
		w := a.child(Where{}, "lvm_vg", vg.Name)
		if len(a.members[ckey{kindVG, vg.Name}]) == 0 {
			a.errorf(CodeNoMembers, w, "volume group without physical volumes",
				"No device is a physical volume of volume group "+strconv.Quote(vg.Name)+". Give a partition or disk content of type lvm_pv with vg "+strconv.Quote(vg.Name)+", or remove the volume group.")
		}
	}
	a.checkCycles()
	a.checkRoot()
	return a
}

// checkName reports an invalid name of an element whose name ends up in
// labels or device paths.
func (a *analysis) checkName(w Where, name, what string) {
	if msg := nameProblem(name); msg != "" {
		a.errorf(CodeName, w.At("name"), "invalid "+what+" name",
			"The "+what+" name "+strconv.Quote(name)+" cannot be used: "+msg+". disko builds partition labels and device paths from it; use letters, digits and - or _.")
	}
}

// checkDup records name in seen, or reports that an earlier element of the
// same collection has it.
func (a *analysis) checkDup(seen map[string]Where, name string, w Where, what string) {
	if prev, ok := seen[name]; ok {
		a.report(SeverityError, CodeDuplicateName, w.At("name"), []Where{prev},
			"duplicate "+what+" name "+strconv.Quote(name),
			"Another "+what+" is also named "+strconv.Quote(name)+", at "+prev.String()+". In Nix both would be the same attribute; rename one of them.")
		return
	}
	seen[name] = w
}

func (a *analysis) walkDisks() {
	seen := make(map[string]Where)
	devices := make(map[string]Where)
	for _, d := range sortedByName(a.l.Disks, func(d *Disk) string { return d.Name }) {
		w := a.child(Where{}, "disk", d.Name)
		a.checkName(w, d.Name, "disk")
		a.checkDup(seen, d.Name, w, "disk")
		switch {
		case d.Device == "":
			a.errorf(CodeDevice, w.At("device"), "no device",
				"Disk "+strconv.Quote(d.Name)+" has no device path. Set its device, preferably to a /dev/disk/by-id/… path.")
		case !strings.HasPrefix(d.Device, "/"):
			a.errorf(CodeDevice, w.At("device"), "device is not an absolute path",
				"The device "+strconv.Quote(d.Device)+" of disk "+strconv.Quote(d.Name)+" is not an absolute path, which disko rejects. Use the full path, preferably /dev/disk/by-id/….")
		default:
			if prev, ok := devices[d.Device]; ok {
				a.report(SeverityError, CodeDuplicateDevice, w.At("device"), []Where{prev},
					"device "+d.Device+" is used twice",
					"Device "+d.Device+" is also the device of "+prev.String()+". disko would partition the same disk twice; give each disk its own device.")
			} else {
				devices[d.Device] = w
			}
			if isKernelDiskName(d.Device) {
				a.warnf(CodeUnstableDevice, w.At("device"), "unstable device name "+d.Device,
					"Kernel names such as "+d.Device+" are handed out in probe order and can change between boots or after adding a disk, so disko could format the wrong disk (disko issue #1124). Use the disk's /dev/disk/by-id/… path instead (ls -l /dev/disk/by-id).")
			}
		}
		a.walkDevice(d.Content, ctx{
			where:      w,
			device:     d.Device,
			parentType: "disk",
			parentName: d.Name,
			src:        source{disk: d.Name},
			disk:       d.Name,
		})
	}
}

func (a *analysis) walkDevice(c DeviceContent, x ctx) {
	switch c := c.(type) {
	case *GPT:
		if c != nil {
			a.walkGPT(c, x)
		}
	case Content:
		a.walkContent(c, x)
	}
}

func (a *analysis) walkGPT(g *GPT, x ctx) {
	parts := sortedPartitions(g.Partitions)
	seen := make(map[string]Where)
	var fills []int
	for i, p := range parts {
		w := a.child(x.where, "partition", p.Name)
		a.checkName(w, p.Name, "partition")
		a.checkDup(seen, p.Name, w, "partition")
		typ := normalizeType(p.Type)
		if typ != "" && !isHex(typ, 4) && !isGUID(typ) {
			a.errorf(CodePartitionType, w.At("type"), "invalid partition type "+strconv.Quote(p.Type),
				"The partition type must be a four-digit sgdisk code such as EF00 (EFI system), EF02 (BIOS boot), 8300 (Linux) or 8200 (swap), or a full type GUID; "+strconv.Quote(p.Type)+" is neither.")
		}
		if p.UUID != "" && !isGUID(p.UUID) {
			a.errorf(CodeUUID, w.At("uuid"), "invalid partition UUID",
				"The partition UUID "+strconv.Quote(p.UUID)+" is not a GUID of the form 809b3a2b-828a-4730-95e1-75b6343e415a. Generate one with uuidgen -r, or leave the uuid unset.")
		}
		a.checkPartitionBounds(p, w)
		label := p.Label
		if label == "" {
			label = PartitionLabel(x.parentType, x.parentName, p.Name)
		} else {
			if len(label) > maxLabel {
				a.errorf(CodeLabel, w.At("label"), "label longer than 36 characters",
					"The label "+strconv.Quote(label)+" has "+itoa(len(label))+" characters; a GPT partition name holds at most 36, so the label on disk would be cut short and /dev/disk/by-partlabel/"+label+" would not exist. Shorten it, or leave the label unset for disko's default.")
			}
			if !isPrintableASCII(label) {
				a.errorf(CodeLabel, w.At("label"), "label outside printable ASCII",
					"The label "+strconv.Quote(label)+" holds characters outside printable ASCII, for which disko cannot compute the /dev/disk/by-partlabel path. Use plain ASCII.")
			}
		}
		if prev, ok := a.labels[label]; ok {
			a.report(SeverityError, CodeDuplicateLabel, w.At("label"), []Where{prev},
				"duplicate partition label "+strconv.Quote(label),
				"The partition label "+strconv.Quote(label)+" is also the label of "+prev.String()+". disko and the boot process find partitions by label under /dev/disk/by-partlabel, so one of them would be used in place of the other. Rename a disk or a partition, or set distinct labels.")
		} else {
			a.labels[label] = w
		}
		device := partitionDevice(p, label, x.parentType, x.parentName, i+1)
		if p.Size == "100%" {
			fills = append(fills, i)
		}
		if typ == TypeBIOSBoot {
			a.hasBIOS = true
			a.biosDevices = append(a.biosDevices, x.device)
			if p.Content != nil {
				a.errorf(CodeBIOSBootContent, w.At("content"), "BIOS boot partition with content",
					"Partition "+strconv.Quote(p.Name)+" has type EF02 (BIOS boot), where GRUB writes its core image; a filesystem or other content there would be overwritten. Leave the partition without content.")
			}
		}
		if typ == TypeESP {
			a.hasESP = true
			a.checkESPContent(p, w)
		}
		child := ctx{
			where:      w,
			device:     device,
			parentType: "partition",
			parentName: p.Name,
			src:        x.src,
			disk:       x.disk,
			esp:        typ == TypeESP,
		}
		if x.parentType == "disk" {
			child.part = p.Name
		} else {
			child.disk = ""
		}
		a.walkContent(p.Content, child)
	}
	if len(fills) > 1 {
		first := a.child(x.where, "partition", parts[fills[0]].Name)
		for _, i := range fills[1:] {
			p := parts[i]
			a.report(SeverityError, CodeMultipleFill, a.child(x.where, "partition", p.Name).At("size"), []Where{first},
				"second partition with size \"100%\"",
				"Partition "+strconv.Quote(p.Name)+" and partition "+strconv.Quote(parts[fills[0]].Name)+" both take the rest of the disk (size \"100%\"). disko accepts this, but sgdisk fails while formatting because the first one leaves no space. Give all but one of them a fixed size.")
		}
	}
	if len(fills) > 0 && fills[0] < len(parts)-1 {
		f := parts[fills[0]]
		var related []Where
		var names []string
		for _, p := range parts[fills[0]+1:] {
			if p.Size == "100%" {
				continue
			}
			related = append(related, a.child(x.where, "partition", p.Name))
			names = append(names, strconv.Quote(p.Name))
		}
		if len(names) > 0 {
			a.report(SeverityError, CodeFillNotLast, a.child(x.where, "partition", f.Name).At("priority"), related,
				"\"100%\" partition is not created last",
				"Partition "+strconv.Quote(f.Name)+" takes the rest of the disk (size \"100%\") but has priority "+itoa(f.EffectivePriority())+", so partition "+strings.Join(names, ", ")+" is created after it and finds no space. Leave the priority of the \"100%\" partition unset (disko then uses 9001) or give it a priority higher than every other partition of the table.")
		}
	}
}

// checkPartitionBounds checks size, start and end of a partition.
func (a *analysis) checkPartitionBounds(p *Partition, w Where) {
	switch {
	case p.Size == "" && p.End == "":
		a.errorf(CodeSize, w.At("size"), "no size",
			"Partition "+strconv.Quote(p.Name)+" has neither a size nor an end. Set its size, for example \"512M\", or \"100%\" for the rest of the disk.")
	case p.Size != "" && !isPartitionSize(p.Size):
		a.errorf(CodeSize, w.At("size"), "invalid size "+strconv.Quote(p.Size),
			"disko accepts a partition size of digits with an optional K, M, G, T or P suffix (\"512M\", \"2G\") or \"100%\"; "+strconv.Quote(p.Size)+" is rejected. Write whole numbers of a smaller unit instead of fractions (\"1536M\" for 1.5G) and K, M, G rather than KiB, MiB, GiB.")
	}
	for _, b := range [...]struct{ field, value string }{{"start", p.Start}, {"end", p.End}} {
		if b.value != "" && !isSgdiskBound(b.value) {
			a.errorf(CodeSize, w.At(b.field), "invalid "+b.field+" "+strconv.Quote(b.value),
				"The "+b.field+" of a partition is given to sgdisk: an optional + or -, digits and an optional unit K, M, G, T, P (or s for sectors), for example \"1M\" or \"-1G\"; "+strconv.Quote(b.value)+" is not. For a partition that fills the rest of the disk, set its size to \"100%\" instead.")
		}
	}
}

// partitionDevice returns the device path disko gives a partition (option
// device of lib/types/gpt.nix): by partition UUID if one is set, by md name
// and number on an mdadm array (whose partition labels udev does not link),
// else by label.
func partitionDevice(p *Partition, label, parentType, parentName string, index int) string {
	if p.UUID != "" {
		return "/dev/disk/by-partuuid/" + p.UUID
	}
	if parentType == "mdadm" {
		return "/dev/disk/by-id/md-name-any:" + parentName + "-part" + itoa(index)
	}
	return PartLabelPath(label)
}

// checkESPContent checks that an EF00 partition holds a FAT filesystem,
// directly or as a member of an mdadm array (checked with the array).
func (a *analysis) checkESPContent(p *Partition, w Where) {
	switch c := p.Content.(type) {
	case *Filesystem:
		if c != nil && c.Format == "vfat" {
			return
		}
		if c != nil {
			a.errorf(CodeESPFormat, w.At("content"), "EFI system partition is "+strconv.Quote(c.Format)+", not vfat",
				"Partition "+strconv.Quote(p.Name)+" has type EF00 (EFI system partition) but its filesystem is "+strconv.Quote(c.Format)+". UEFI firmware reads only FAT; set its format to \"vfat\".")
			return
		}
	case *MDRaid:
		if c != nil {
			return
		}
	}
	a.errorf(CodeESPFormat, w.At("content"), "EFI system partition without vfat filesystem",
		"Partition "+strconv.Quote(p.Name)+" has type EF00 (EFI system partition) but does not hold a vfat filesystem. Give it a filesystem with format \"vfat\" (usually mounted at /boot), or a different partition type.")
}

// mount records a filesystem mounted at p.
func (a *analysis) mount(p string, w Where, src source, managed bool) {
	if p == "" {
		return
	}
	if !isCleanAbs(p) {
		a.errorf(CodeMountpoint, w, "invalid mountpoint "+strconv.Quote(p),
			"A mountpoint must be an absolute path in clean form (no trailing slash, no . or .. elements); "+strconv.Quote(p)+" is not. Write it as "+suggestMount(p)+".")
		return
	}
	if i, ok := a.mounts[p]; ok {
		prev := a.mountList[i].where
		a.report(SeverityError, CodeDuplicateMountpoint, w, []Where{prev},
			"mountpoint "+p+" is used twice",
			"Mountpoint "+p+" is also the mountpoint of "+prev.String()+". Only one filesystem can be mounted there (and NixOS has one fileSystems entry per path); mount one of them elsewhere.")
		return
	}
	a.mounts[p] = len(a.mountList)
	if a.mountList == nil {
		a.mountList = make([]mountUse, 0, 8)
	}
	a.mountList = append(a.mountList, mountUse{path: p, where: w, src: src, managed: managed})
}

// suggestMount returns the clean absolute form of p, quoted.
func suggestMount(p string) string {
	return strconv.Quote(path.Clean("/" + p))
}

func (a *analysis) walkContent(c Content, x ctx) {
	switch c := c.(type) {
	case *Filesystem:
		if c != nil {
			a.walkFilesystem(c, x)
		}
	case *Swap:
		if c != nil {
			a.checkSwap(c.DiscardPolicy, c.Priority, x.where)
		}
	case *Btrfs:
		if c != nil {
			a.walkBtrfs(c, x)
		}
	case *LUKS:
		if c != nil {
			a.walkLUKS(c, x)
		}
	case *MDRaid:
		if c != nil {
			a.member(kindMD, c.Array, x)
		}
	case *ZFS:
		if c != nil {
			a.member(kindZFS, c.Pool, x)
		}
	case *LVMPV:
		if c != nil {
			a.member(kindVG, c.VG, x)
		}
	}
}

func (a *analysis) member(k ckind, name string, x ctx) {
	key := ckey{k, name}
	a.members[key] = append(a.members[key], memberUse{
		where:  x.where,
		device: x.device,
		src:    x.src,
		disk:   x.disk,
		part:   x.part,
		esp:    x.esp,
	})
}

func (a *analysis) walkFilesystem(c *Filesystem, x ctx) {
	switch c.Format {
	case "":
		a.errorf(CodeFilesystem, x.where.At("format"), "filesystem without format",
			"The filesystem has no format; disko runs mkfs.FORMAT and needs one, for example \"ext4\", \"xfs\" or \"vfat\".")
	case "zfs":
		a.errorf(CodeFilesystem, x.where.At("format"), "ZFS as a filesystem format",
			"ZFS is not made with mkfs (disko issue #820). Make the device a member of a ZFS pool instead, with content of type zfs naming the pool, and declare the pool and its datasets as a zpool.")
	case "swap":
		a.errorf(CodeFilesystem, x.where.At("format"), "swap as a filesystem format",
			"Swap is not a filesystem; give the device content of type swap instead, which also sets up swapDevices.")
	}
	a.mount(c.Mountpoint, x.where.At("mountpoint"), x.src, true)
}

// checkSwap checks the options shared by swap devices and swap files.
func (a *analysis) checkSwap(discard string, priority *int, w Where) {
	switch discard {
	case "", "once", "pages", "both":
	default:
		a.errorf(CodeSwap, w.At("discardPolicy"), "invalid discard policy "+strconv.Quote(discard),
			"The swap discard policy must be \"once\", \"pages\" or \"both\", or empty for none.")
	}
	if priority != nil && (*priority < 0 || *priority > 32767) {
		a.errorf(CodeSwap, w.At("priority"), "swap priority out of range",
			"A swap priority is between 0 and 32767 (higher is used first); "+itoa(*priority)+" is not. Leave it unset to let the kernel choose.")
	}
}

func (a *analysis) walkBtrfs(c *Btrfs, x ctx) {
	a.mount(c.Mountpoint, x.where.At("mountpoint"), x.src, true)
	a.walkSwapFiles(c.SwapFiles, c.Mountpoint, x.where, "the top-level volume")
	seen := make(map[string]Where)
	for _, s := range sortedByName(c.Subvolumes, func(s *Subvolume) string { return s.Name }) {
		w := a.child(x.where, "subvolume", s.Name)
		if s.Name == "" {
			a.errorf(CodeName, w.At("name"), "invalid subvolume name",
				"A subvolume needs a name, its path inside the filesystem, for example \"/home\" or \"root\".")
		}
		a.checkDup(seen, s.Name, w, "subvolume")
		a.mount(s.Mountpoint, w.At("mountpoint"), x.src, true)
		if s.Mountpoint == "" && s.MountOptions != nil && !slices.Equal(s.MountOptions, []string{"defaults"}) {
			a.warnf(CodeUnmountedOptions, w.At("mountOptions"), "mount options without mountpoint",
				"Subvolume "+strconv.Quote(s.Name)+" has mount options but no mountpoint, so the options are not used (disko warns about this too). Set its mountpoint, or drop the options.")
		}
		if len(s.SwapFiles) > 0 {
			a.walkSwapFiles(s.SwapFiles, s.Mountpoint, w, "subvolume "+strconv.Quote(s.Name))
		}
	}
}

func (a *analysis) walkSwapFiles(files []SwapFile, mountpoint string, w Where, in string) {
	if len(files) == 0 {
		return
	}
	seen := make(map[string]Where)
	for _, f := range sortedByName(files, func(f *SwapFile) string { return f.Path }) {
		fw := a.child(w, "swapfile", f.Path)
		if f.Path == "" {
			a.errorf(CodeName, fw.At("path"), "swap file without path",
				"A swap file needs a path relative to the mountpoint of its volume, for example \"swapfile\".")
		}
		a.checkDup(seen, f.Path, fw, "swap file")
		if !isSizeWithUnit(f.Size, true) {
			a.errorf(CodeSize, fw.At("size"), "invalid swap file size "+strconv.Quote(f.Size),
				"disko accepts a swap file size of digits followed by K, M, G, T or P, for example \"8G\"; the unit is required.")
		}
		a.checkSwap("", f.Priority, fw)
		if mountpoint == "" {
			a.errorf(CodeSwapFileMount, fw, "swap file in an unmounted volume",
				"Swap file "+strconv.Quote(f.Path)+" lies in "+in+", which has no mountpoint, so it cannot be activated (its swapDevices path is relative to the mountpoint). Mount the volume, or move the swap file to a mounted subvolume.")
		}
	}
}

func (a *analysis) walkLUKS(c *LUKS, x ctx) {
	w := a.child(x.where, "luks", c.Name)
	a.checkName(w, c.Name, "LUKS")
	if prev, ok := a.luks[c.Name]; ok {
		a.report(SeverityError, CodeDuplicateName, w.At("name"), []Where{prev},
			"duplicate LUKS name "+strconv.Quote(c.Name),
			"LUKS container "+strconv.Quote(c.Name)+" is also opened at "+prev.String()+"; both would be /dev/mapper/"+c.Name+". Give each container its own name.")
	} else {
		a.luks[c.Name] = w
	}
	secret := func(field, value string) {
		if value != "" && !strings.HasPrefix(value, "/") {
			a.errorf(CodeSecret, w.At(field), field+" is not an absolute path",
				"The "+field+" of LUKS container "+strconv.Quote(c.Name)+" must be the absolute path of a file that holds the secret, never the secret itself: it is written into the Nix store in plain text. Put the secret in a file (for example one copied to the installer, or a sops-nix secret) and give its path.")
		}
	}
	secret("passwordFile", c.PasswordFile)
	secret("settings.keyFile", c.Settings.KeyFile)
	for _, f := range c.AdditionalKeyFiles {
		secret("additionalKeyFiles", f)
	}
	a.walkDevice(c.Content, ctx{
		where:      w,
		device:     "/dev/mapper/" + c.Name,
		parentType: "luks",
		parentName: c.Name,
		src:        x.src,
		disk:       x.disk,
		part:       x.part,
	})
}

func (a *analysis) registerContainer(k ckind, name string, w Where, what string) {
	a.checkName(w, name, what)
	key := ckey{k, name}
	if prev, ok := a.containers[key]; ok {
		a.report(SeverityError, CodeDuplicateName, w.At("name"), []Where{prev},
			"duplicate "+k.noun()+" name "+strconv.Quote(name),
			"Another "+k.noun()+" is also named "+strconv.Quote(name)+", at "+prev.String()+". Rename one of them.")
		return
	}
	a.containers[key] = w
}

func (a *analysis) walkArray(m *MDADM) {
	w := a.child(Where{}, "mdadm", m.Name)
	a.registerContainer(kindMD, m.Name, w, "mdadm array")
	if _, ok := m.Level.Number(); !ok {
		a.errorf(CodeRAIDLevel, w.At("level"), "unknown RAID level "+strconv.Quote(string(m.Level)),
			"disko passes the level to mdadm without checking it. Use level 0, 1, 4, 5, 6 or 10.")
	}
	switch m.Metadata {
	case "", "1", "1.0", "1.1", "1.2", "default", "ddf", "imsm":
	default:
		a.errorf(CodeMetadata, w.At("metadata"), "invalid metadata "+strconv.Quote(m.Metadata),
			"disko accepts the mdadm metadata versions \"1\", \"1.0\", \"1.1\", \"1.2\", \"default\", \"ddf\" and \"imsm\".")
	}
	key := ckey{kindMD, m.Name}
	a.walkDevice(m.Content, ctx{
		where:      w,
		device:     "/dev/md/" + m.Name,
		parentType: "mdadm",
		parentName: m.Name,
		src:        source{container: key, inContainer: true},
	})
}

func (a *analysis) checkArrayMembers(m *MDADM) {
	w := a.child(Where{}, "mdadm", m.Name)
	members := a.members[ckey{kindMD, m.Name}]
	if len(members) == 0 {
		a.errorf(CodeNoMembers, w, "array without members",
			"No device is a member of mdadm array "+strconv.Quote(m.Name)+". Give its member partitions content of type mdraid with name "+strconv.Quote(m.Name)+", or remove the array.")
	} else if need, ok := m.Level.MinMembers(); ok && len(members) < need {
		n, _ := m.Level.Number()
		a.report(SeverityError, CodeTooFewMembers, w, wheres(members),
			"RAID "+itoa(n)+" with "+itoa(len(members))+" member(s), needs "+itoa(need),
			"mdadm array "+strconv.Quote(m.Name)+" has "+itoa(len(members))+" member(s) ("+joinWheres(members)+"), but RAID "+itoa(n)+" needs at least "+itoa(need)+". Add members or choose another level.")
	}
	var esp []memberUse
	for _, mu := range members {
		if mu.esp {
			esp = append(esp, mu)
		}
	}
	if len(esp) == 0 {
		return
	}
	a.espOnRaid = true
	if m.Metadata != "1.0" {
		a.report(SeverityError, CodeESPMetadata, w.At("metadata"), wheres(esp),
			"EFI system partition on an array without metadata \"1.0\"",
			"mdadm array "+strconv.Quote(m.Name)+" is built from EFI system partitions ("+joinWheres(esp)+"). UEFI firmware reads a member as a plain FAT filesystem only if the RAID superblock sits at its end, which is metadata \"1.0\"; set its metadata to \"1.0\".")
	}
	if fs, ok := m.Content.(*Filesystem); !ok || fs == nil || fs.Format != "vfat" {
		a.errorf(CodeESPFormat, w.At("content"), "array of EFI system partitions without vfat filesystem",
			"mdadm array "+strconv.Quote(m.Name)+" is built from EFI system partitions, so it must hold a filesystem with format \"vfat\".")
	}
	a.report(SeverityWarning, CodeESPRaid, w, wheres(esp),
		"EFI system partition on mdadm RAID: GRUB only",
		"The EFI system partition is mirrored by mdadm array "+strconv.Quote(m.Name)+". systemd-boot cannot be installed there (bootctl: \"not located on a partitioned block device\", disko issue #753); use GRUB with efiSupport, or separate ESPs per disk.")
}

// wheres returns the locations of members.
func wheres(ms []memberUse) []Where {
	out := make([]Where, len(ms))
	for i, m := range ms {
		out[i] = m.where
	}
	return out
}

// joinWheres lists the locations of members for a message.
func joinWheres(ms []memberUse) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.where.String()
	}
	return strings.Join(parts, ", ")
}

func (a *analysis) walkPool(p *ZPool) {
	w := a.child(Where{}, "zpool", p.Name)
	a.registerContainer(kindZFS, p.Name, w, "ZFS pool")
	key := ckey{kindZFS, p.Name}
	src := source{container: key, inContainer: true}
	if _, _, ok := zfsModeInfo(p.Mode); !ok {
		a.errorf(CodeZFSMode, w.At("mode"), "invalid pool mode "+strconv.Quote(string(p.Mode)),
			"disko accepts the modes \"\" (stripe), \"mirror\", \"raidz\", \"raidz1\", \"raidz2\" and \"raidz3\"; dRAID is not supported.")
	}
	if p.Topology != nil && p.Mode != ZFSStripe {
		a.errorf(CodeZFSMode, w.At("mode"), "both mode and topology",
			"ZFS pool "+strconv.Quote(p.Name)+" sets both mode "+strconv.Quote(string(p.Mode))+" and a topology; disko takes one or the other. Put the mode in the topology's vdevs and leave the pool's mode unset.")
	}
	a.mount(p.Mountpoint, w.At("mountpoint"), src, true)
	seen := make(map[string]Where)
	for _, d := range sortedByName(p.Datasets, func(d *Dataset) string { return d.Name }) {
		dw := a.child(w, "dataset", d.Name)
		if d.Name == "" {
			a.errorf(CodeName, dw.At("name"), "invalid dataset name",
				"A dataset needs a name, its path below the pool, for example \"root\" or \"root/nix\".")
		}
		a.checkDup(seen, d.Name, dw, "dataset or volume")
		prop := d.Options["mountpoint"]
		unmounted := prop == "none" || d.Options["canmount"] == "off"
		switch {
		case d.Mountpoint != "" && !unmounted:
			a.mount(d.Mountpoint, dw.At("mountpoint"), src, true)
		case d.Mountpoint != "":
			// disko neither mounts it nor writes fileSystems; only
			// the syntax matters.
			if !isCleanAbs(d.Mountpoint) {
				a.mount(d.Mountpoint, dw.At("mountpoint"), src, true)
			}
		case strings.HasPrefix(prop, "/") && isCleanAbs(prop) && d.Options["canmount"] != "off":
			// ZFS mounts the dataset itself.
			a.mount(prop, dw.At("options"), src, false)
		}
	}
	for _, v := range sortedByName(p.Volumes, func(v *Volume) string { return v.Name }) {
		vw := a.child(w, "volume", v.Name)
		if v.Name == "" {
			a.errorf(CodeName, vw.At("name"), "invalid volume name",
				"A volume needs a name, its path below the pool.")
		}
		a.checkDup(seen, v.Name, vw, "dataset or volume")
		if !isDecimalSize(v.Size) {
			a.errorf(CodeSize, vw.At("size"), "invalid volume size "+strconv.Quote(v.Size),
				"A ZFS volume needs a size such as \"10G\" or \"512M\".")
		}
		a.walkContent(v.Content, ctx{
			where:      vw,
			device:     "/dev/zvol/" + p.Name + "/" + v.Name,
			parentType: "zfs_volume",
			parentName: v.Name,
			src:        src,
		})
	}
}

func (a *analysis) checkPoolMembers(p *ZPool) {
	w := a.child(Where{}, "zpool", p.Name)
	members := a.members[ckey{kindZFS, p.Name}]
	if len(members) == 0 {
		a.errorf(CodeNoMembers, w, "pool without members",
			"No device is a member of ZFS pool "+strconv.Quote(p.Name)+" (disko would stop with \"no devices found for zpool\"). Give its member partitions content of type zfs with pool "+strconv.Quote(p.Name)+", or remove the pool.")
		return
	}
	if p.Topology != nil {
		a.resolveTopology(p, w, members)
		return
	}
	a.checkVdevCount(p.Mode, len(members), w, wheres(members), "ZFS pool "+strconv.Quote(p.Name))
}

// checkVdevCount checks the member count of a vdev of mode m.
func (a *analysis) checkVdevCount(m ZFSMode, n int, w Where, related []Where, what string) {
	need, warn, ok := zfsModeInfo(m)
	if !ok {
		return
	}
	mode := string(m)
	if mode == "" {
		mode = "stripe"
	}
	switch {
	case n < need:
		a.report(SeverityError, CodeTooFewMembers, w, related,
			mode+" with "+itoa(n)+" member(s), needs "+itoa(need),
			what+" is a "+mode+" of "+itoa(n)+" member(s), but a "+mode+" needs at least "+itoa(need)+". Add members or choose another mode.")
	case n < warn:
		a.report(SeverityWarning, CodeNarrowRaidz, w, related,
			mode+" with only "+itoa(n)+" members",
			what+" is a "+mode+" of "+itoa(n)+" members: it keeps one disk's worth of parity like a mirror, with more overhead and slower rebuilds. Use a mirror, or add a member.")
	}
}

func (a *analysis) resolveTopology(p *ZPool, w Where, members []memberUse) {
	t := p.Topology
	res := &Topology{}
	used := make(map[string]Where)
	resolve := func(ref string, mw Where) string {
		dev, problem := resolveMember(p.Name, ref, members)
		if problem != "" {
			a.errorf(CodeTopology, mw, "unknown member "+strconv.Quote(ref), problem)
			return ""
		}
		if prev, ok := used[dev]; ok {
			a.report(SeverityError, CodeTopology, mw, []Where{prev},
				"member "+strconv.Quote(ref)+" placed twice",
				"Member "+strconv.Quote(ref)+" ("+dev+") is also placed at "+prev.String()+". Each device of the pool goes into exactly one vdev.")
			return dev
		}
		used[dev] = mw
		return dev
	}
	vdevs := func(kind string, vs []Vdev) []Vdev {
		if len(vs) == 0 {
			return nil
		}
		out := make([]Vdev, len(vs))
		for i, v := range vs {
			vw := a.index(w, kind, i)
			if _, _, ok := zfsModeInfo(v.Mode); !ok {
				a.errorf(CodeZFSMode, vw.At("mode"), "invalid vdev mode "+strconv.Quote(string(v.Mode)),
					"disko accepts the vdev modes \"\" (single device or stripe), \"mirror\", \"raidz\", \"raidz1\", \"raidz2\" and \"raidz3\".")
			} else if kind == "log" && v.Mode != ZFSStripe && v.Mode != ZFSMirror {
				a.errorf(CodeZFSMode, vw.At("mode"), "raidz log vdev",
					"A ZFS intent log vdev is a single device or a mirror; raidz is not supported for the log (zpoolconcepts(7)). Use a mirror or single devices.")
			}
			if len(v.Members) == 0 {
				a.errorf(CodeNoMembers, vw, "vdev without members", "Each vdev needs at least one member.")
			} else {
				a.checkVdevCount(v.Mode, len(v.Members), vw, nil, kind+" vdev "+itoa(i)+" of ZFS pool "+strconv.Quote(p.Name))
			}
			out[i] = Vdev{Mode: v.Mode, Members: make([]string, len(v.Members))}
			for j, ref := range v.Members {
				out[i].Members[j] = resolve(ref, a.index(vw, "member", j))
			}
		}
		return out
	}
	list := func(kind string, refs []string) []string {
		if len(refs) == 0 {
			return nil
		}
		out := make([]string, len(refs))
		for j, ref := range refs {
			out[j] = resolve(ref, a.index(w, kind, j))
		}
		return out
	}
	if len(t.Vdevs) == 0 {
		a.errorf(CodeTopology, w.At("topology"), "topology without vdevs",
			"The topology of ZFS pool "+strconv.Quote(p.Name)+" has no storage vdev; zpool create needs at least one. Add a vdev with the data devices to the topology.")
	}
	res.Vdevs = vdevs("vdev", t.Vdevs)
	res.Spare = list("spare", t.Spare)
	res.Log = vdevs("log", t.Log)
	res.Dedup = vdevs("dedup", t.Dedup)
	res.Special = vdevs("special", t.Special)
	res.Cache = list("cache", t.Cache)
	for _, m := range members {
		if _, ok := used[m.device]; !ok {
			a.report(SeverityError, CodeTopology, m.where, []Where{w.At("topology")},
				"pool member left out of the topology",
				"This device is a member of ZFS pool "+strconv.Quote(p.Name)+" ("+m.device+") but the pool's topology does not place it; disko would stop with \"not all disks accounted for\". Add it to a vdev, log, cache, special, dedup or spare, or remove its zfs content.")
		}
	}
	a.topo[p.Name] = res
}

// resolveMember resolves a topology member reference to the device path of
// a member of pool, or explains why it cannot.
func resolveMember(pool, ref string, members []memberUse) (device, problem string) {
	if strings.HasPrefix(ref, "/") {
		for _, m := range members {
			if m.device == ref {
				return ref, ""
			}
		}
		return "", "No member of ZFS pool " + strconv.Quote(pool) + " has the device " + ref + ". Members are the devices with content of type zfs and pool " + strconv.Quote(pool) + "; refer to one as \"DISK\" or \"DISK/PARTITION\", or by its exact device path (" + memberDevices(members) + ")."
	}
	disk, part, hasPart := strings.Cut(ref, "/")
	var found []memberUse
	for _, m := range members {
		if m.disk != disk {
			continue
		}
		if hasPart && m.part != part {
			continue
		}
		if !hasPart && m.part == "" {
			return m.device, ""
		}
		found = append(found, m)
	}
	switch len(found) {
	case 1:
		return found[0].device, ""
	case 0:
		return "", "No member of ZFS pool " + strconv.Quote(pool) + " is " + describeRef(disk, part, hasPart) + ". Members are the devices with content of type zfs and pool " + strconv.Quote(pool) + ": " + memberDevices(members) + "."
	}
	names := make([]string, len(found))
	for i, m := range found {
		names[i] = strconv.Quote(disk + "/" + m.part)
	}
	return "", "Disk " + strconv.Quote(disk) + " has several partitions in ZFS pool " + strconv.Quote(pool) + "; name one: " + strings.Join(names, ", ") + "."
}

func describeRef(disk, part string, hasPart bool) string {
	if hasPart {
		return "partition " + strconv.Quote(part) + " of disk " + strconv.Quote(disk)
	}
	return "on disk " + strconv.Quote(disk)
}

func memberDevices(members []memberUse) string {
	devs := make([]string, len(members))
	for i, m := range members {
		devs[i] = m.device
	}
	return strings.Join(devs, ", ")
}

func (a *analysis) walkVG(vg *VolumeGroup) {
	w := a.child(Where{}, "lvm_vg", vg.Name)
	a.registerContainer(kindVG, vg.Name, w, "LVM volume group")
	key := ckey{kindVG, vg.Name}
	lvs := sortedByName(vg.LVs, func(lv *LogicalVolume) string { return lv.Name })
	types := make(map[string]LVMType, len(lvs))
	for _, lv := range lvs {
		types[lv.Name] = lv.Type
	}
	seen := make(map[string]Where)
	for _, lv := range lvs {
		lw := a.child(w, "lv", lv.Name)
		a.checkName(lw, lv.Name, "logical volume")
		a.checkDup(seen, lv.Name, lw, "logical volume")
		if !isLVSize(lv.Size) {
			a.errorf(CodeSize, lw.At("size"), "invalid logical volume size "+strconv.Quote(lv.Size),
				"A logical volume needs a size lvcreate accepts: an absolute size such as \"20G\", or a percentage such as \"100%FREE\" or \"50%VG\".")
		}
		switch lv.Type {
		case LVLinear, LVMirror, LVRAID0, LVRAID1, LVRAID4, LVRAID5, LVRAID6, LVThinPool, LVThin:
		default:
			a.errorf(CodeLV, lw.At("lvm_type"), "invalid logical volume type "+strconv.Quote(string(lv.Type)),
				"disko accepts the types mirror, raid0, raid1, raid4, raid5, raid6, thin-pool and thinlv, or none for a linear volume.")
		}
		switch {
		case lv.Type == LVThin && types[lv.Pool] != LVThinPool:
			a.errorf(CodeLV, lw.At("pool"), "thin volume without thin pool",
				"Thin volume "+strconv.Quote(lv.Name)+" must name a logical volume of type thin-pool in volume group "+strconv.Quote(vg.Name)+" as its pool; "+strconv.Quote(lv.Pool)+" is not one.")
		case lv.Type != LVThin && lv.Pool != "":
			a.errorf(CodeLV, lw.At("pool"), "pool on a volume that is not thin",
				"Only a thin volume (type thinlv) has a pool; set its type to thinlv, or remove the pool.")
		}
		a.walkContent(lv.Content, ctx{
			where:      lw,
			device:     "/dev/" + vg.Name + "/" + lv.Name,
			parentType: "lvm_vg",
			parentName: lv.Name,
			src:        source{container: key, inContainer: true},
		})
	}
}

func (a *analysis) walkNodev() {
	for _, n := range sortedByName(a.l.Nodev, func(n *Nodev) string { return n.Mountpoint }) {
		w := a.child(Where{}, "nodev", n.Mountpoint)
		if n.Mountpoint == "" {
			a.errorf(CodeMountpoint, w.At("mountpoint"), "nodev without mountpoint",
				"A nodev filesystem needs a mountpoint; it is also its name.")
		}
		if n.FSType == "" {
			a.errorf(CodeNodev, w.At("fsType"), "nodev without fsType",
				"A nodev filesystem needs an fsType, for example \"tmpfs\".")
		}
		a.mount(n.Mountpoint, w.At("mountpoint"), source{}, true)
	}
}

// checkUnknownContainers reports members that name an array, pool or volume
// group the layout does not have.
func (a *analysis) checkUnknownContainers() {
	keys := make([]ckey, 0, len(a.members))
	for k := range a.members {
		if _, ok := a.containers[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareKeys)
	for _, k := range keys {
		var have []string
		for c := range a.containers {
			if c.kind == k.kind {
				have = append(have, strconv.Quote(c.name))
			}
		}
		slices.Sort(have)
		known := "The layout has none."
		if len(have) > 0 {
			known = "The layout has " + strings.Join(have, ", ") + "."
		}
		for _, m := range a.members[k] {
			a.errorf(CodeUnknownContainer, m.where.At(k.kind.field()), "unknown "+k.kind.noun()+" "+strconv.Quote(k.name),
				"This device is a member of "+k.kind.noun()+" "+strconv.Quote(k.name)+", which does not exist. "+known+" Fix the name, or add the "+k.kind.noun()+".")
		}
	}
}

// checkCycles reports containers built, through their members, on
// themselves: disko aborts with "detected a cycle in your disk setup".
func (a *analysis) checkCycles() {
	keys := make([]ckey, 0, len(a.containers))
	for k := range a.containers {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	const (
		white = iota
		grey
		black
	)
	color := make(map[ckey]int, len(keys))
	var stack []ckey
	var visit func(k ckey)
	visit = func(k ckey) {
		color[k] = grey
		stack = append(stack, k)
		var next []ckey
		for _, m := range a.members[k] {
			if m.src.inContainer {
				next = append(next, m.src.container)
			}
		}
		slices.SortFunc(next, compareKeys)
		for _, n := range slices.Compact(next) {
			if _, ok := a.containers[n]; !ok {
				continue
			}
			switch color[n] {
			case white:
				visit(n)
			case grey:
				i := slices.Index(stack, n)
				cycle := slices.Clone(stack[i:])
				parts := make([]string, 0, len(cycle)+1)
				related := make([]Where, 0, len(cycle))
				for _, c := range cycle {
					parts = append(parts, c.String())
					related = append(related, a.containers[c])
				}
				parts = append(parts, n.String())
				a.report(SeverityError, CodeCycle, a.containers[n], related, "devices built on each other",
					"These devices are built on each other in a circle, each from members that lie inside the next: "+strings.Join(parts, " -> ")+". disko aborts with \"detected a cycle in your disk setup\". Move the members to devices outside the circle.")
			}
		}
		stack = stack[:len(stack)-1]
		color[k] = black
	}
	for _, k := range keys {
		if color[k] == white {
			visit(k)
		}
	}
}

func (a *analysis) checkRoot() {
	if i, ok := a.mounts["/"]; ok && a.mountList[i].managed {
		return
	}
	if len(a.l.Disks) == 0 {
		return
	}
	a.errorf(CodeNoRoot, Where{}, "nothing is mounted at /",
		"No filesystem, subvolume, dataset or nodev of the layout has the mountpoint \"/\", so the host has no root filesystem. Set the mountpoint \"/\" on the one that holds the system (a tmpfs nodev for an ephemeral root).")
}
