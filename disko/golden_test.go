package disko_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/disko"
	"github.com/nixgen/nixgen/internal/golden"
	"github.com/nixgen/nixgen/internal/nixcheck"
)

// goldenCase is a layout whose disko.nix is kept under
// testdata/NAME/disko.nix.
type goldenCase struct {
	name   string
	header string
	build  func() *disko.Layout
	// members are the expected device paths of each topology pool, in the
	// order vdev, spare, log, dedup, special, cache: the paths disko
	// computes for the members (checked against disko itself when the
	// files were written).
	members map[string][]string
	// warnings are the expected warning codes.
	warnings []string
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{
			name:   "seed000-zfs-raidz-slog",
			header: "ESP and ext4 /boot on the NVMe SSD, the rest of it as ZFS log; three HDDs in raidz1.",
			build:  seed000,
			members: map[string][]string{"rpool": {
				"/dev/disk/by-partlabel/disk-hdd1-zfs",
				"/dev/disk/by-partlabel/disk-hdd2-zfs",
				"/dev/disk/by-partlabel/disk-hdd3-zfs",
				"/dev/disk/by-partlabel/disk-nvme-slog",
			}},
		},
		{
			name:   "seed001-mdadm-btrfs",
			header: "ESP on the first disk, mdadm RAID 1 over both disks, btrfs subvolumes on the array.",
			build:  seed001,
		},
		{
			name:     "seed002-bios-efi",
			header:   "BIOS boot partition, ESP and ext4 root for GRUB in BIOS or UEFI mode.",
			build:    seed002,
			warnings: []string{disko.CodeUnstableDevice},
		},
		{
			name:   "luks-lvm",
			header: "LVM on LUKS on one NVMe disk.",
			build:  luksLVM,
		},
		{
			name:   "zfs-mirror-datasets-zvol",
			header: "ZFS mirror over two SSDs with datasets and a zvol.",
			build:  zfsMirror,
		},
		{
			name:   "zfs-hashed-labels",
			header: "Disks named by their by-id strings: partition labels are hashed.",
			build:  zfsLongNames,
			members: map[string][]string{"tank": {
				"/dev/disk/by-partlabel/2f23181189349e543aad5449e89b4f960819",
				"/dev/disk/by-partlabel/d205d8775aeb0b69a44d0ef59f4b42aa4a6d",
				"/dev/disk/by-partlabel/disk-nvme-l2arc",
			}},
		},
		{
			name:   "btrfs-swapfile",
			header: "btrfs subvolumes with a swap file.",
			build:  btrfsSwap,
		},
		{
			name:   "tmpfs-root",
			header: "tmpfs on /, with /nix and /persist on btrfs.",
			build:  tmpfsRoot,
		},
	}
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			l := c.build()
			got, diags, err := l.Render(c.header)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			var codes []string
			for _, d := range diags {
				codes = append(codes, d.Code)
			}
			if diff := cmp.Diff(c.warnings, codes); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, diags)
			}
			golden.CompareFile(t, filepath.Join("testdata", c.name, "disko.nix"), got)

			nixcheck.Parse(t, c.name+".nix", got)
			var ev map[string]any
			nixcheck.EvalJSON(t, got, &ev)
			if diff := cmp.Diff(modelFacts(l, c.members), evalFacts(t, ev)); diff != "" {
				t.Errorf("evaluated disko.nix differs from the layout (-layout +nix):\n%s", diff)
			}
		})
	}
}

// facts are the values of a layout that matter most, gathered once from the
// Go model and once from the evaluated Nix.
type facts struct {
	Devices     map[string]string   // disk name → device
	Sizes       map[string]string   // "disk/D/P", "mdadm/M/P", "lv/VG/LV", "zvol/POOL/V" → size
	Types       map[string]string   // partition path → type code
	Mountpoints []string            // sorted, with repeats
	Contents    map[string]string   // element path → content type
	Levels      map[string]int      // array → level
	Modes       map[string]string   // pool → mode, or "topology"
	Members     map[string][]string // topology pool → device paths
	Containers  map[string]string   // member path → container name
}

func newFacts() facts {
	return facts{
		Devices:    map[string]string{},
		Sizes:      map[string]string{},
		Types:      map[string]string{},
		Contents:   map[string]string{},
		Levels:     map[string]int{},
		Modes:      map[string]string{},
		Members:    map[string][]string{},
		Containers: map[string]string{},
	}
}

// modelFacts reads the facts from the Go model, without the package's own
// emission code.
func modelFacts(l *disko.Layout, members map[string][]string) facts {
	f := newFacts()
	mount := func(p string) {
		if p != "" {
			f.Mountpoints = append(f.Mountpoints, p)
		}
	}
	var content func(c any, at string)
	content = func(c any, at string) {
		switch c := c.(type) {
		case *disko.GPT:
			f.Contents[at] = "gpt"
			for _, p := range c.Partitions {
				pat := at + "/" + p.Name
				if p.Size != "" {
					f.Sizes[pat] = p.Size
				}
				if p.Type != "" {
					f.Types[pat] = strings.ToUpper(p.Type)
				}
				content(p.Content, pat)
			}
		case *disko.Filesystem:
			f.Contents[at] = "filesystem"
			mount(c.Mountpoint)
		case *disko.Swap:
			f.Contents[at] = "swap"
		case *disko.Btrfs:
			f.Contents[at] = "btrfs"
			mount(c.Mountpoint)
			for _, s := range c.Subvolumes {
				mount(s.Mountpoint)
			}
		case *disko.LUKS:
			f.Contents[at] = "luks"
			content(c.Content, at+"/luks")
		case *disko.MDRaid:
			f.Contents[at] = "mdraid"
			f.Containers[at] = c.Array
		case *disko.ZFS:
			f.Contents[at] = "zfs"
			f.Containers[at] = c.Pool
		case *disko.LVMPV:
			f.Contents[at] = "lvm_pv"
			f.Containers[at] = c.VG
		}
	}
	for _, d := range l.Disks {
		f.Devices[d.Name] = d.Device
		content(d.Content, "disk/"+d.Name)
	}
	for _, m := range l.Arrays {
		n, _ := m.Level.Number()
		f.Levels[m.Name] = n
		content(m.Content, "mdadm/"+m.Name)
	}
	for _, p := range l.Pools {
		mode := string(p.Mode)
		if p.Topology != nil {
			mode = "topology"
			f.Members[p.Name] = members[p.Name]
		}
		f.Modes[p.Name] = mode
		mount(p.Mountpoint)
		for _, d := range p.Datasets {
			mount(d.Mountpoint)
		}
		for _, v := range p.Volumes {
			f.Sizes["zvol/"+p.Name+"/"+v.Name] = v.Size
			content(v.Content, "zvol/"+p.Name+"/"+v.Name)
		}
	}
	for _, vg := range l.VolumeGroups {
		for _, lv := range vg.LVs {
			f.Sizes["lv/"+vg.Name+"/"+lv.Name] = lv.Size
			content(lv.Content, "lv/"+vg.Name+"/"+lv.Name)
		}
	}
	for _, n := range l.Nodev {
		mount(n.Mountpoint)
	}
	slices.Sort(f.Mountpoints)
	return f
}

// evalFacts reads the facts from the evaluated module.
func evalFacts(t *testing.T, ev map[string]any) facts {
	t.Helper()
	f := newFacts()
	obj := func(v any) map[string]any {
		m, _ := v.(map[string]any)
		return m
	}
	str := func(v any) string {
		s, _ := v.(string)
		return s
	}
	mount := func(m map[string]any) {
		if p := str(m["mountpoint"]); p != "" {
			f.Mountpoints = append(f.Mountpoints, p)
		}
	}
	var content func(v any, at string)
	content = func(v any, at string) {
		c := obj(v)
		if c == nil {
			return
		}
		typ := str(c["type"])
		f.Contents[at] = typ
		switch typ {
		case "gpt":
			for name, pv := range obj(c["partitions"]) {
				p := obj(pv)
				pat := at + "/" + name
				if s := str(p["size"]); s != "" {
					f.Sizes[pat] = s
				}
				if s := str(p["type"]); s != "" {
					f.Types[pat] = s
				}
				content(p["content"], pat)
			}
		case "filesystem":
			mount(c)
		case "btrfs":
			mount(c)
			for _, s := range obj(c["subvolumes"]) {
				mount(obj(s))
			}
		case "luks":
			content(c["content"], at+"/luks")
		case "mdraid":
			f.Containers[at] = str(c["name"])
		case "zfs":
			f.Containers[at] = str(c["pool"])
		case "lvm_pv":
			f.Containers[at] = str(c["vg"])
		}
	}
	devices := obj(obj(ev["disko"])["devices"])
	if devices == nil {
		t.Fatalf("no disko.devices in %v", ev)
	}
	for name, d := range obj(devices["disk"]) {
		f.Devices[name] = str(obj(d)["device"])
		if typ := str(obj(d)["type"]); typ != "disk" {
			t.Errorf("disk %s has type %q", name, typ)
		}
		content(obj(d)["content"], "disk/"+name)
	}
	for name, m := range obj(devices["mdadm"]) {
		level, _ := obj(m)["level"].(float64)
		f.Levels[name] = int(level)
		content(obj(m)["content"], "mdadm/"+name)
	}
	for name, pv := range obj(devices["zpool"]) {
		p := obj(pv)
		switch mode := p["mode"].(type) {
		case nil:
			f.Modes[name] = ""
		case string:
			f.Modes[name] = mode
		case map[string]any:
			f.Modes[name] = "topology"
			topo := obj(mode["topology"])
			var devs []string
			vdevs := func(key string) {
				list, _ := topo[key].([]any)
				for _, v := range list {
					for _, m := range obj(v)["members"].([]any) {
						devs = append(devs, str(m))
					}
				}
			}
			plain := func(key string) {
				list, _ := topo[key].([]any)
				for _, m := range list {
					devs = append(devs, str(m))
				}
			}
			vdevs("vdev")
			plain("spare")
			vdevs("log")
			vdevs("dedup")
			vdevs("special")
			plain("cache")
			f.Members[name] = devs
		}
		mount(p)
		for dname, dv := range obj(p["datasets"]) {
			d := obj(dv)
			switch str(d["type"]) {
			case "zfs_fs":
				mount(d)
			case "zfs_volume":
				f.Sizes["zvol/"+name+"/"+dname] = str(d["size"])
				content(d["content"], "zvol/"+name+"/"+dname)
			}
		}
	}
	for vg, v := range obj(devices["lvm_vg"]) {
		for lv, lvv := range obj(obj(v)["lvs"]) {
			f.Sizes["lv/"+vg+"/"+lv] = str(obj(lvv)["size"])
			content(obj(lvv)["content"], "lv/"+vg+"/"+lv)
		}
	}
	for path, nv := range obj(devices["nodev"]) {
		p := str(obj(nv)["mountpoint"])
		if p == "" {
			p = path // disko's default: the attribute name
		}
		f.Mountpoints = append(f.Mountpoints, p)
	}
	slices.Sort(f.Mountpoints)
	return f
}

// TestDeterminism builds every case with its named collections in shuffled
// order (map order varies by itself) and checks that the bytes never
// change.
func TestDeterminism(t *testing.T) {
	cases := goldenCases()
	cases = append(cases, goldenCase{name: "host64", build: host64})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, _, err := c.build().Render(c.header)
			if err != nil {
				t.Fatal(err)
			}
			for seed := range uint64(25) {
				l := c.build()
				shuffleLayout(rand.New(rand.NewPCG(seed, 0x5eed)), l)
				got, _, err := l.Render(c.header)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("seed %d: output differs:\n%s", seed, cmp.Diff(string(want), string(got)))
				}
			}
		})
	}
}

// shuffleLayout permutes every collection of named elements in l.
func shuffleLayout(r *rand.Rand, l *disko.Layout) {
	shuffle := func(n int, swap func(i, j int)) { r.Shuffle(n, swap) }
	var content func(c any)
	content = func(c any) {
		switch c := c.(type) {
		case *disko.GPT:
			shuffle(len(c.Partitions), func(i, j int) { c.Partitions[i], c.Partitions[j] = c.Partitions[j], c.Partitions[i] })
			for i := range c.Partitions {
				content(c.Partitions[i].Content)
			}
		case *disko.Btrfs:
			shuffle(len(c.Subvolumes), func(i, j int) { c.Subvolumes[i], c.Subvolumes[j] = c.Subvolumes[j], c.Subvolumes[i] })
			shuffle(len(c.SwapFiles), func(i, j int) { c.SwapFiles[i], c.SwapFiles[j] = c.SwapFiles[j], c.SwapFiles[i] })
		case *disko.LUKS:
			content(c.Content)
		}
	}
	shuffle(len(l.Disks), func(i, j int) { l.Disks[i], l.Disks[j] = l.Disks[j], l.Disks[i] })
	for i := range l.Disks {
		content(l.Disks[i].Content)
	}
	shuffle(len(l.Arrays), func(i, j int) { l.Arrays[i], l.Arrays[j] = l.Arrays[j], l.Arrays[i] })
	for i := range l.Arrays {
		content(l.Arrays[i].Content)
	}
	shuffle(len(l.Pools), func(i, j int) { l.Pools[i], l.Pools[j] = l.Pools[j], l.Pools[i] })
	for i := range l.Pools {
		p := &l.Pools[i]
		shuffle(len(p.Datasets), func(i, j int) { p.Datasets[i], p.Datasets[j] = p.Datasets[j], p.Datasets[i] })
		shuffle(len(p.Volumes), func(i, j int) { p.Volumes[i], p.Volumes[j] = p.Volumes[j], p.Volumes[i] })
		for j := range p.Volumes {
			content(p.Volumes[j].Content)
		}
	}
	shuffle(len(l.VolumeGroups), func(i, j int) { l.VolumeGroups[i], l.VolumeGroups[j] = l.VolumeGroups[j], l.VolumeGroups[i] })
	for i := range l.VolumeGroups {
		vg := &l.VolumeGroups[i]
		shuffle(len(vg.LVs), func(i, j int) { vg.LVs[i], vg.LVs[j] = vg.LVs[j], vg.LVs[i] })
		for j := range vg.LVs {
			content(vg.LVs[j].Content)
		}
	}
	shuffle(len(l.Nodev), func(i, j int) { l.Nodev[i], l.Nodev[j] = l.Nodev[j], l.Nodev[i] })
}

// TestSeed001Original checks that the published seed 001 layout is caught:
// its top-level btrfs volume and subvolume "/" are both mounted at /, and
// subvolume "/persist" is mounted at /home where "/home" already is.
func TestSeed001Original(t *testing.T) {
	diags := seed001Original().Validate()
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s %s %s [%s]", d.Severity, d.Code, d.Where, d.Related[0]))
	}
	want := []string{
		`error duplicate-mountpoint mdadm "raid1" partition "primary" subvolume "/" mountpoint [mdadm "raid1" partition "primary" mountpoint]`,
		`error duplicate-mountpoint mdadm "raid1" partition "primary" subvolume "/persist" mountpoint [mdadm "raid1" partition "primary" subvolume "/home" mountpoint]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if _, err := seed001Original().Nix(); err == nil {
		t.Error("Nix accepted the layout with duplicate mountpoints")
	}
	if _, _, err := seed001().Render(); err != nil {
		t.Errorf("corrected layout: %v", err)
	}
}
