package disko_test

import (
	"strings"
	"testing"

	"github.com/nixgen/nixgen/disko"
)

// base is a small valid layout: one disk with an ESP and an ext4 root.
func base() *disko.Layout {
	return &disko.Layout{Disks: []disko.Disk{baseDisk("main", "/dev/disk/by-id/nvme-TEST_0001")}}
}

func baseDisk(name, device string) disko.Disk {
	return disko.Disk{
		Name:   name,
		Device: device,
		Content: &disko.GPT{Partitions: []disko.Partition{
			{Name: "ESP", Type: disko.TypeESP, Size: "512M", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot"}},
			{Name: "root", Size: "100%", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
		}},
	}
}

// dataDisk is a disk whose single partition holds c.
func dataDisk(name string, c disko.Content) disko.Disk {
	return disko.Disk{
		Name:    name,
		Device:  "/dev/disk/by-id/ata-TEST_" + name,
		Content: &disko.GPT{Partitions: []disko.Partition{{Name: "data", Size: "100%", Content: c}}},
	}
}

// parts returns the partitions of the first disk.
func parts(l *disko.Layout) []disko.Partition {
	return l.Disks[0].Content.(*disko.GPT).Partitions
}

// withPart returns base with partition p added to its disk.
func withPart(p disko.Partition) *disko.Layout {
	l := base()
	g := l.Disks[0].Content.(*disko.GPT)
	g.Partitions = append(g.Partitions, p)
	return l
}

// withDisks returns base with disks added.
func withDisks(ds ...disko.Disk) *disko.Layout {
	l := base()
	l.Disks = append(l.Disks, ds...)
	return l
}

// zfsLayout returns base plus n disks in pool "tank" with the given mode.
func zfsLayout(mode disko.ZFSMode, n int) *disko.Layout {
	l := base()
	for i := range n {
		l.Disks = append(l.Disks, dataDisk("z"+string(rune('a'+i)), &disko.ZFS{Pool: "tank"}))
	}
	l.Pools = []disko.ZPool{{Name: "tank", Mode: mode}}
	return l
}

// mdLayout returns base plus n disks in array "md" with the given level.
func mdLayout(level disko.RAIDLevel, n int) *disko.Layout {
	l := base()
	for i := range n {
		l.Disks = append(l.Disks, dataDisk("m"+string(rune('a'+i)), &disko.MDRaid{Array: "md"}))
	}
	l.Arrays = []disko.MDADM{{Name: "md", Level: level, Content: &disko.Filesystem{Format: "xfs", Mountpoint: "/srv"}}}
	return l
}

// topoLayout returns base plus disks za, zb (partition "data") and zc
// (partitions "a" and "b") in pool "tank" with topology t.
func topoLayout(t *disko.Topology) *disko.Layout {
	l := withDisks(
		dataDisk("za", &disko.ZFS{Pool: "tank"}),
		dataDisk("zb", &disko.ZFS{Pool: "tank"}),
		disko.Disk{Name: "zc", Device: "/dev/disk/by-id/ata-TEST_zc", Content: &disko.GPT{Partitions: []disko.Partition{
			{Name: "a", Size: "10G", Content: &disko.ZFS{Pool: "tank"}},
			{Name: "b", Size: "10G", Content: &disko.ZFS{Pool: "tank"}},
		}}},
	)
	l.Pools = []disko.ZPool{{Name: "tank", Topology: t}}
	return l
}

// goodTopology places every member of topoLayout.
func goodTopology() *disko.Topology {
	return &disko.Topology{
		Vdevs: []disko.Vdev{{Mode: disko.ZFSMirror, Members: []string{"za", "/dev/disk/by-partlabel/disk-zb-data"}}},
		Log:   []disko.Vdev{{Members: []string{"zc/a"}}},
		Cache: []string{"zc/b"},
	}
}

// espArray returns base with the ESP replaced by an array of two ESPs.
func espArray(metadata string) *disko.Layout {
	l := base()
	l.Disks[0].Content.(*disko.GPT).Partitions[0].Content = &disko.MDRaid{Array: "esp"}
	d := baseDisk("second", "/dev/disk/by-id/nvme-TEST_0002")
	g := d.Content.(*disko.GPT)
	g.Partitions = g.Partitions[:1]
	g.Partitions[0].Content = &disko.MDRaid{Array: "esp"}
	l.Disks = append(l.Disks, d)
	l.Arrays = []disko.MDADM{{Name: "esp", Metadata: metadata, Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot"}}}
	return l
}

// btrfsLayout returns base with a btrfs partition holding subvolume s.
func btrfsLayout(s disko.Subvolume) *disko.Layout {
	return withPart(disko.Partition{Name: "btrfs", Size: "10G", Content: &disko.Btrfs{Subvolumes: []disko.Subvolume{s}}})
}

// lvmLayout returns base with a volume group "vg" on a second disk.
func lvmLayout(lvs ...disko.LogicalVolume) *disko.Layout {
	l := withDisks(dataDisk("pv", &disko.LVMPV{VG: "vg"}))
	l.VolumeGroups = []disko.VolumeGroup{{Name: "vg", LVs: lvs}}
	return l
}

func mutate(f func(l *disko.Layout)) func() *disko.Layout {
	return func() *disko.Layout {
		l := base()
		f(l)
		return l
	}
}

func TestValidateRules(t *testing.T) {
	type rule struct {
		name     string
		code     string
		severity disko.Severity
		// where is the expected location of the diagnostic.
		where    string
		trigger  func() *disko.Layout
		nearMiss func() *disko.Layout
	}
	rules := []rule{
		{
			name: "no disks", code: disko.CodeNoDisks, where: "",
			trigger: func() *disko.Layout {
				return &disko.Layout{Nodev: []disko.Nodev{{Mountpoint: "/", FSType: "tmpfs"}}}
			},
			nearMiss: base,
		},
		{
			name: "disk name with slash", code: disko.CodeName, where: `disk "a/b" name`,
			trigger:  func() *disko.Layout { return withDisks(dataDisk("a/b", nil)) },
			nearMiss: func() *disko.Layout { return withDisks(dataDisk("a-b", nil)) },
		},
		{
			name: "partition name outside ASCII", code: disko.CodeName, where: `disk "main" partition "données" name`,
			trigger:  func() *disko.Layout { return withPart(disko.Partition{Name: "données", Size: "1G"}) },
			nearMiss: func() *disko.Layout { return withPart(disko.Partition{Name: "donnees", Size: "1G"}) },
		},
		{
			name: "duplicate disk name", code: disko.CodeDuplicateName, where: `disk "x" name`,
			trigger:  func() *disko.Layout { return withDisks(dataDisk("x", nil), dataDisk("x", nil)) },
			nearMiss: func() *disko.Layout { return withDisks(dataDisk("x", nil), dataDisk("y", nil)) },
		},
		{
			name: "duplicate partition name", code: disko.CodeDuplicateName, where: `disk "main" partition "root" name`,
			trigger:  func() *disko.Layout { return withPart(disko.Partition{Name: "root", Size: "1G"}) },
			nearMiss: func() *disko.Layout { return withPart(disko.Partition{Name: "root2", Size: "1G"}) },
		},
		{
			name: "relative device", code: disko.CodeDevice, where: `disk "main" device`,
			trigger:  mutate(func(l *disko.Layout) { l.Disks[0].Device = "sda" }),
			nearMiss: mutate(func(l *disko.Layout) { l.Disks[0].Device = "/dev/disk/by-id/ata-X" }),
		},
		{
			name: "duplicate device", code: disko.CodeDuplicateDevice, where: `disk "second" device`,
			trigger: func() *disko.Layout {
				return withDisks(disko.Disk{Name: "second", Device: "/dev/disk/by-id/nvme-TEST_0001"})
			},
			nearMiss: func() *disko.Layout {
				return withDisks(disko.Disk{Name: "second", Device: "/dev/disk/by-id/nvme-TEST_0002"})
			},
		},
		{
			name: "sdX device", code: disko.CodeUnstableDevice, severity: disko.SeverityWarning, where: `disk "main" device`,
			trigger:  mutate(func(l *disko.Layout) { l.Disks[0].Device = "/dev/sda" }),
			nearMiss: mutate(func(l *disko.Layout) { l.Disks[0].Device = "/dev/vda" }),
		},
		{
			name: "nvmeXnY device", code: disko.CodeUnstableDevice, severity: disko.SeverityWarning, where: `disk "main" device`,
			trigger:  mutate(func(l *disko.Layout) { l.Disks[0].Device = "/dev/nvme0n1" }),
			nearMiss: mutate(func(l *disko.Layout) { l.Disks[0].Device = "/dev/disk/by-id/nvme-eui.0025388b71b2e4c1" }),
		},
		{
			name: "relative mountpoint", code: disko.CodeMountpoint, where: `disk "main" partition "data" mountpoint`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "data", Size: "1G", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "srv"}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "data", Size: "1G", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/srv"}})
			},
		},
		{
			name: "unclean mountpoint", code: disko.CodeMountpoint, where: `nodev "/tmp/" mountpoint`,
			trigger:  mutate(func(l *disko.Layout) { l.Nodev = []disko.Nodev{{Mountpoint: "/tmp/", FSType: "tmpfs"}} }),
			nearMiss: mutate(func(l *disko.Layout) { l.Nodev = []disko.Nodev{{Mountpoint: "/tmp", FSType: "tmpfs"}} }),
		},
		{
			name: "duplicate mountpoint across devices", code: disko.CodeDuplicateMountpoint, where: `nodev "/home" mountpoint`,
			trigger: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				l.Nodev = []disko.Nodev{{Mountpoint: "/home", FSType: "tmpfs"}}
				l.Pools[0].Datasets = []disko.Dataset{{Name: "home", Mountpoint: "/home"}}
				return l
			},
			nearMiss: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				l.Nodev = []disko.Nodev{{Mountpoint: "/home", FSType: "tmpfs"}}
				l.Pools[0].Datasets = []disko.Dataset{{Name: "home", Mountpoint: "/home", Options: map[string]string{"canmount": "off"}}}
				return l
			},
		},
		{
			name: "duplicate mountpoint with ZFS automount", code: disko.CodeDuplicateMountpoint, where: `nodev "/srv" mountpoint`,
			trigger: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				l.Pools[0].Datasets = []disko.Dataset{{Name: "srv", Options: map[string]string{"mountpoint": "/srv"}}}
				l.Nodev = []disko.Nodev{{Mountpoint: "/srv", FSType: "tmpfs"}}
				return l
			},
			nearMiss: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				l.Pools[0].Datasets = []disko.Dataset{{Name: "srv", Options: map[string]string{"mountpoint": "legacy"}}}
				l.Nodev = []disko.Nodev{{Mountpoint: "/srv", FSType: "tmpfs"}}
				return l
			},
		},
		{
			name: "no root", code: disko.CodeNoRoot, where: "",
			trigger: mutate(func(l *disko.Layout) {
				parts(l)[1].Content.(*disko.Filesystem).Mountpoint = "/data"
			}),
			nearMiss: mutate(func(l *disko.Layout) {
				parts(l)[1].Content.(*disko.Filesystem).Mountpoint = "/data"
				l.Nodev = []disko.Nodev{{Mountpoint: "/", FSType: "tmpfs"}}
			}),
		},
		{
			name: "root mounted only by ZFS", code: disko.CodeNoRoot, where: "",
			trigger: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				parts(l)[1].Content.(*disko.Filesystem).Mountpoint = "/data"
				l.Pools[0].Datasets = []disko.Dataset{{Name: "root", Options: map[string]string{"mountpoint": "/"}}}
				return l
			},
			nearMiss: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				parts(l)[1].Content.(*disko.Filesystem).Mountpoint = "/data"
				l.Pools[0].Datasets = []disko.Dataset{{Name: "root", Mountpoint: "/", Options: map[string]string{"mountpoint": "legacy"}}}
				return l
			},
		},
		{
			name: "size in MiB", code: disko.CodeSize, where: `disk "main" partition "ESP" size`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[0].Size = "512MiB" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[0].Size = "512M" }),
		},
		{
			name: "fractional size", code: disko.CodeSize, where: `disk "main" partition "ESP" size`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[0].Size = "1.5G" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[0].Size = "1536M" }),
		},
		{
			name: "no size", code: disko.CodeSize, where: `disk "main" partition "ESP" size`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[0].Size = "" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[0].Size, parts(l)[0].Start, parts(l)[0].End = "", "1M", "128M" }),
		},
		{
			name: "end as percentage", code: disko.CodeSize, where: `disk "main" partition "root" end`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[1].Size, parts(l)[1].End = "", "100%" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[1].Size, parts(l)[1].End = "", "-0" }),
		},
		{
			name: "swap file size without unit", code: disko.CodeSize, where: `disk "main" partition "btrfs" subvolume "swap" swapfile "swapfile" size`,
			trigger: func() *disko.Layout {
				return btrfsLayout(disko.Subvolume{Name: "swap", Mountpoint: "/swap", SwapFiles: []disko.SwapFile{{Path: "swapfile", Size: "8192"}}})
			},
			nearMiss: func() *disko.Layout {
				return btrfsLayout(disko.Subvolume{Name: "swap", Mountpoint: "/swap", SwapFiles: []disko.SwapFile{{Path: "swapfile", Size: "8G"}}})
			},
		},
		{
			name: "two 100% partitions", code: disko.CodeMultipleFill, where: `disk "main" partition "swap" size`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "swap", Size: "100%", Content: &disko.Swap{}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{}})
			},
		},
		{
			name: "100% partition not last", code: disko.CodeFillNotLast, where: `disk "main" partition "root" priority`,
			trigger: func() *disko.Layout {
				l := withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{}})
				parts(l)[1].Priority = new(500)
				return l
			},
			nearMiss: func() *disko.Layout {
				l := withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{}})
				parts(l)[1].Priority = new(5000)
				return l
			},
		},
		{
			name: "invalid partition type", code: disko.CodePartitionType, where: `disk "main" partition "ESP" type`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[0].Type = "EFI" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[0].Type = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" }),
		},
		{
			name: "BIOS boot partition with content", code: disko.CodeBIOSBootContent, where: `disk "main" partition "bios" content`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "bios", Type: disko.TypeBIOSBoot, Size: "1M", Content: &disko.Filesystem{Format: "ext2"}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "bios", Type: disko.TypeBIOSBoot, Size: "1M"})
			},
		},
		{
			name: "invalid partition UUID", code: disko.CodeUUID, where: `disk "main" partition "root" uuid`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[1].UUID = "f0f0f0f0" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[1].UUID = "f0f0f0f0-f0f0-f0f0-f0f0-f0f0f0f0f0f0" }),
		},
		{
			name: "label too long", code: disko.CodeLabel, where: `disk "main" partition "root" label`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[1].Label = strings.Repeat("x", 37) }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[1].Label = strings.Repeat("x", 36) }),
		},
		{
			name: "duplicate label", code: disko.CodeDuplicateLabel, where: `disk "other" partition "data" label`,
			trigger: func() *disko.Layout {
				d := dataDisk("other", nil)
				d.Content.(*disko.GPT).Partitions[0].Label = "disk-main-root"
				return withDisks(d)
			},
			nearMiss: func() *disko.Layout {
				d := dataDisk("other", nil)
				d.Content.(*disko.GPT).Partitions[0].Label = "disk-other-root"
				return withDisks(d)
			},
		},
		{
			name: "unknown RAID level", code: disko.CodeRAIDLevel, where: `mdadm "md" level`,
			trigger:  func() *disko.Layout { return mdLayout("raid7", 3) },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID6, 4) },
		},
		{
			name: "invalid metadata", code: disko.CodeMetadata, where: `mdadm "md" metadata`,
			trigger: func() *disko.Layout {
				l := mdLayout(disko.RAID1, 2)
				l.Arrays[0].Metadata = "0.90"
				return l
			},
			nearMiss: func() *disko.Layout {
				l := mdLayout(disko.RAID1, 2)
				l.Arrays[0].Metadata = "1.2"
				return l
			},
		},
		{
			name: "array without members", code: disko.CodeNoMembers, where: `mdadm "md"`,
			trigger:  func() *disko.Layout { return mdLayout(disko.RAID1, 0) },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID1, 2) },
		},
		{
			name: "RAID 1 with one member", code: disko.CodeTooFewMembers, where: `mdadm "md"`,
			trigger:  func() *disko.Layout { return mdLayout(disko.RAIDDefault, 1) },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAIDDefault, 2) },
		},
		{
			name: "RAID 5 with two members", code: disko.CodeTooFewMembers, where: `mdadm "md"`,
			trigger:  func() *disko.Layout { return mdLayout(disko.RAID5, 2) },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID5, 3) },
		},
		{
			name: "RAID 6 with three members", code: disko.CodeTooFewMembers, where: `mdadm "md"`,
			trigger:  func() *disko.Layout { return mdLayout(disko.RAID6, 3) },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID6, 4) },
		},
		{
			name: "member of a missing array", code: disko.CodeUnknownContainer, where: `disk "mx" partition "data" name`,
			trigger:  func() *disko.Layout { return withDisks(dataDisk("mx", &disko.MDRaid{Array: "md"})) },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID1, 2) },
		},
		{
			name: "member of a missing pool", code: disko.CodeUnknownContainer, where: `disk "za" partition "data" pool`,
			trigger: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				l.Pools[0].Name = "rpool"
				return l
			},
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSMirror, 2) },
		},
		{
			name: "pool without members", code: disko.CodeNoMembers, where: `zpool "tank"`,
			trigger:  func() *disko.Layout { return zfsLayout(disko.ZFSStripe, 0) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSStripe, 1) },
		},
		{
			name: "mirror with one member", code: disko.CodeTooFewMembers, where: `zpool "tank"`,
			trigger:  func() *disko.Layout { return zfsLayout(disko.ZFSMirror, 1) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSMirror, 2) },
		},
		{
			name: "raidz1 with one member", code: disko.CodeTooFewMembers, where: `zpool "tank"`,
			trigger:  func() *disko.Layout { return zfsLayout(disko.ZFSRaidz1, 1) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSRaidz1, 2) },
		},
		{
			name: "raidz1 with two members", code: disko.CodeNarrowRaidz, severity: disko.SeverityWarning, where: `zpool "tank"`,
			trigger:  func() *disko.Layout { return zfsLayout(disko.ZFSRaidz, 2) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSRaidz, 3) },
		},
		{
			name: "raidz2 with two members", code: disko.CodeTooFewMembers, where: `zpool "tank"`,
			trigger:  func() *disko.Layout { return zfsLayout(disko.ZFSRaidz2, 2) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSRaidz2, 3) },
		},
		{
			name: "raidz3 with three members", code: disko.CodeTooFewMembers, where: `zpool "tank"`,
			trigger:  func() *disko.Layout { return zfsLayout(disko.ZFSRaidz3, 3) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSRaidz3, 4) },
		},
		{
			name: "topology vdev too small", code: disko.CodeTooFewMembers, where: `zpool "tank" vdev[0]`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Vdevs[0].Mode = disko.ZFSRaidz2
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout { return topoLayout(goodTopology()) },
		},
		{
			name: "invalid pool mode", code: disko.CodeZFSMode, where: `zpool "tank" mode`,
			trigger:  func() *disko.Layout { return zfsLayout("raidz4", 5) },
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSRaidz3, 5) },
		},
		{
			name: "mode and topology", code: disko.CodeZFSMode, where: `zpool "tank" mode`,
			trigger: func() *disko.Layout {
				l := topoLayout(goodTopology())
				l.Pools[0].Mode = disko.ZFSMirror
				return l
			},
			nearMiss: func() *disko.Layout { return topoLayout(goodTopology()) },
		},
		{
			name: "raidz log", code: disko.CodeZFSMode, where: `zpool "tank" log[0] mode`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Vdevs[0].Members = []string{"za"}
				t.Log = []disko.Vdev{{Mode: disko.ZFSRaidz1, Members: []string{"zb", "zc/a"}}}
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout {
				t := goodTopology()
				t.Vdevs[0].Members = []string{"za"}
				t.Log = []disko.Vdev{{Mode: disko.ZFSMirror, Members: []string{"zb", "zc/a"}}}
				return topoLayout(t)
			},
		},
		{
			name: "topology member not in pool", code: disko.CodeTopology, where: `zpool "tank" vdev[0] member[1]`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Vdevs[0].Members[1] = "/dev/disk/by-partlabel/zb"
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout {
				t := goodTopology()
				t.Vdevs[0].Members[1] = "zb/data"
				return topoLayout(t)
			},
		},
		{
			name: "topology member on unknown disk", code: disko.CodeTopology, where: `zpool "tank" log[0] member[0]`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Log[0].Members[0] = "zd/a"
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout { return topoLayout(goodTopology()) },
		},
		{
			name: "duplicate pool name", code: disko.CodeDuplicateName, where: `zpool "tank" name`,
			trigger: func() *disko.Layout {
				l := zfsLayout(disko.ZFSMirror, 2)
				l.Pools = append(l.Pools, disko.ZPool{Name: "tank"})
				return l
			},
			nearMiss: func() *disko.Layout { return zfsLayout(disko.ZFSMirror, 2) },
		},
		{
			name: "ambiguous topology member", code: disko.CodeTopology, where: `zpool "tank" log[0] member[0]`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Log[0].Members[0] = "zc"
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout { return topoLayout(goodTopology()) },
		},
		{
			name: "topology member placed twice", code: disko.CodeTopology, where: `zpool "tank" cache[1]`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Cache = append(t.Cache, "zc/b")
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout { return topoLayout(goodTopology()) },
		},
		{
			name: "pool member left out of topology", code: disko.CodeTopology, where: `disk "zc" partition "b"`,
			trigger: func() *disko.Layout {
				t := goodTopology()
				t.Cache = nil
				return topoLayout(t)
			},
			nearMiss: func() *disko.Layout { return topoLayout(goodTopology()) },
		},
		{
			name: "ESP not vfat", code: disko.CodeESPFormat, where: `disk "main" partition "ESP" content`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[0].Content.(*disko.Filesystem).Format = "ext4" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[0].Type = "" }),
		},
		{
			name: "ESP without content", code: disko.CodeESPFormat, where: `disk "main" partition "ESP" content`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[0].Content = nil }),
			nearMiss: base,
		},
		{
			name: "ESP on mdadm without metadata 1.0", code: disko.CodeESPMetadata, where: `mdadm "esp" metadata`,
			trigger:  func() *disko.Layout { return espArray("") },
			nearMiss: func() *disko.Layout { return espArray("1.0") },
		},
		{
			name: "ESP on mdadm", code: disko.CodeESPRaid, severity: disko.SeverityWarning, where: `mdadm "esp"`,
			trigger:  func() *disko.Layout { return espArray("1.0") },
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID1, 2) },
		},
		{
			name: "inline LUKS password", code: disko.CodeSecret, where: `disk "main" partition "crypt" luks "crypted" passwordFile`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "crypt", Size: "10G", Content: &disko.LUKS{Name: "crypted", PasswordFile: "correct horse battery staple"}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "crypt", Size: "10G", Content: &disko.LUKS{Name: "crypted", PasswordFile: "/tmp/secret.key"}})
			},
		},
		{
			name: "inline LUKS key", code: disko.CodeSecret, where: `disk "main" partition "crypt" luks "crypted" settings.keyFile`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "crypt", Size: "10G", Content: &disko.LUKS{Name: "crypted", Settings: disko.LUKSSettings{KeyFile: "hunter2"}}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "crypt", Size: "10G", Content: &disko.LUKS{Name: "crypted", Settings: disko.LUKSSettings{KeyFile: "/dev/disk/by-id/usb-KEY-part1"}}})
			},
		},
		{
			name: "duplicate LUKS name", code: disko.CodeDuplicateName, where: `disk "x2" partition "data" luks "crypted" name`,
			trigger: func() *disko.Layout {
				return withDisks(dataDisk("x1", &disko.LUKS{Name: "crypted"}), dataDisk("x2", &disko.LUKS{Name: "crypted"}))
			},
			nearMiss: func() *disko.Layout {
				return withDisks(dataDisk("x1", &disko.LUKS{Name: "crypted1"}), dataDisk("x2", &disko.LUKS{Name: "crypted2"}))
			},
		},
		{
			name: "ZFS as filesystem format", code: disko.CodeFilesystem, where: `disk "main" partition "root" format`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[1].Content.(*disko.Filesystem).Format = "zfs" }),
			nearMiss: mutate(func(l *disko.Layout) { parts(l)[1].Content.(*disko.Filesystem).Format = "xfs" }),
		},
		{
			name: "filesystem without format", code: disko.CodeFilesystem, where: `disk "main" partition "root" format`,
			trigger:  mutate(func(l *disko.Layout) { parts(l)[1].Content.(*disko.Filesystem).Format = "" }),
			nearMiss: base,
		},
		{
			name: "swap discard policy", code: disko.CodeSwap, where: `disk "main" partition "swap" discardPolicy`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{DiscardPolicy: "always"}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{DiscardPolicy: "once"}})
			},
		},
		{
			name: "swap priority", code: disko.CodeSwap, where: `disk "main" partition "swap" priority`,
			trigger: func() *disko.Layout {
				return withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{Priority: new(40000)}})
			},
			nearMiss: func() *disko.Layout {
				return withPart(disko.Partition{Name: "swap", Size: "8G", Content: &disko.Swap{Priority: new(0)}})
			},
		},
		{
			name: "swap file in unmounted subvolume", code: disko.CodeSwapFileMount, where: `disk "main" partition "btrfs" subvolume "swap" swapfile "swapfile"`,
			trigger: func() *disko.Layout {
				return btrfsLayout(disko.Subvolume{Name: "swap", SwapFiles: []disko.SwapFile{{Path: "swapfile", Size: "8G"}}})
			},
			nearMiss: func() *disko.Layout {
				return btrfsLayout(disko.Subvolume{Name: "swap", Mountpoint: "/.swap", SwapFiles: []disko.SwapFile{{Path: "swapfile", Size: "8G"}}})
			},
		},
		{
			name: "subvolume options without mountpoint", code: disko.CodeUnmountedOptions, severity: disko.SeverityWarning,
			where: `disk "main" partition "btrfs" subvolume "snapshots" mountOptions`,
			trigger: func() *disko.Layout {
				return btrfsLayout(disko.Subvolume{Name: "snapshots", MountOptions: []string{"noatime"}})
			},
			nearMiss: func() *disko.Layout {
				return btrfsLayout(disko.Subvolume{Name: "snapshots", MountOptions: []string{"defaults"}})
			},
		},
		{
			name: "thin volume without thin pool", code: disko.CodeLV, where: `lvm_vg "vg" lv "data" pool`,
			trigger: func() *disko.Layout {
				return lvmLayout(
					disko.LogicalVolume{Name: "pool", Size: "100G"},
					disko.LogicalVolume{Name: "data", Size: "500G", Type: disko.LVThin, Pool: "pool"},
				)
			},
			nearMiss: func() *disko.Layout {
				return lvmLayout(
					disko.LogicalVolume{Name: "pool", Size: "100G", Type: disko.LVThinPool},
					disko.LogicalVolume{Name: "data", Size: "500G", Type: disko.LVThin, Pool: "pool"},
				)
			},
		},
		{
			name: "logical volume size", code: disko.CodeSize, where: `lvm_vg "vg" lv "data" size`,
			trigger:  func() *disko.Layout { return lvmLayout(disko.LogicalVolume{Name: "data", Size: "all"}) },
			nearMiss: func() *disko.Layout { return lvmLayout(disko.LogicalVolume{Name: "data", Size: "100%FREE"}) },
		},
		{
			name: "volume group without physical volumes", code: disko.CodeNoMembers, where: `lvm_vg "vg"`,
			trigger: func() *disko.Layout {
				l := base()
				l.VolumeGroups = []disko.VolumeGroup{{Name: "vg"}}
				return l
			},
			nearMiss: func() *disko.Layout { return lvmLayout() },
		},
		{
			name: "nodev without fsType", code: disko.CodeNodev, where: `nodev "/tmp" fsType`,
			trigger:  mutate(func(l *disko.Layout) { l.Nodev = []disko.Nodev{{Mountpoint: "/tmp"}} }),
			nearMiss: mutate(func(l *disko.Layout) { l.Nodev = []disko.Nodev{{Mountpoint: "/tmp", FSType: "tmpfs"}} }),
		},
		{
			name: "cycle", code: disko.CodeCycle, where: `mdadm "md"`,
			trigger: func() *disko.Layout {
				l := mdLayout(disko.RAID1, 2)
				l.Arrays[0].Content = &disko.GPT{Partitions: []disko.Partition{
					{Name: "loop", Size: "100%", Content: &disko.MDRaid{Array: "md"}},
				}}
				return l
			},
			nearMiss: func() *disko.Layout { return mdLayout(disko.RAID1, 2) },
		},
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			var found *disko.Diagnostic
			diags := r.trigger().Validate()
			for i, d := range diags {
				if d.Code == r.code && d.Where.String() == r.where {
					found = &diags[i]
					break
				}
			}
			if found == nil {
				t.Fatalf("no %s at %q; got:\n%s", r.code, r.where, list(diags))
			}
			if found.Severity != r.severity {
				t.Errorf("severity %v, want %v", found.Severity, r.severity)
			}
			if found.Summary == "" || !strings.HasSuffix(found.Detail, ".") {
				t.Errorf("diagnostic needs a summary and a detail in sentences: %+v", *found)
			}
			for _, d := range r.nearMiss().Validate() {
				if d.Code == r.code {
					t.Errorf("near miss reports %s", d)
				}
			}
		})
	}
}

func list(diags disko.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("\t")
		b.WriteString(d.String())
		b.WriteString("\n")
	}
	return b.String()
}

// TestValidBaseLayouts checks that the helper layouts of the rule table are
// valid themselves, so that each trigger fails for its own reason.
func TestValidBaseLayouts(t *testing.T) {
	for name, l := range map[string]*disko.Layout{
		"base":     base(),
		"zfs":      zfsLayout(disko.ZFSRaidz2, 4),
		"md":       mdLayout(disko.RAID10, 4),
		"topology": topoLayout(goodTopology()),
		"lvm":      lvmLayout(disko.LogicalVolume{Name: "x", Size: "1G"}),
	} {
		if diags := l.Validate(); len(diags) != 0 {
			t.Errorf("%s: %s", name, list(diags))
		}
	}
}

func TestNixRefusesInvalidLayout(t *testing.T) {
	l := base()
	parts(l)[0].Size = "1.5G"
	parts(l)[1].Size = "lots"
	_, err := l.Nix()
	var verr *disko.ValidationError
	if !asValidationError(err, &verr) || len(verr.Diagnostics) != 2 {
		t.Fatalf("Nix: %v", err)
	}
	want := "disko: invalid layout (2 errors):\n" +
		"\tdisk \"main\" partition \"ESP\" size: invalid size \"1.5G\"\n" +
		"\tdisk \"main\" partition \"root\" size: invalid size \"lots\""
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
	if diags := l.Validate(); !diags.HasErrors() || len(diags.Errors()) != 2 || diags.Err() == nil {
		t.Errorf("Validate: %v", diags)
	}
	if _, err := l.File("x"); err == nil {
		t.Error("File accepted an invalid layout")
	}
	out, diags, err := l.Render()
	if err == nil || out != nil || len(diags) != 2 {
		t.Errorf("Render: %q, %v, %v", out, diags, err)
	}
}

func asValidationError(err error, target **disko.ValidationError) bool {
	v, ok := err.(*disko.ValidationError)
	*target = v
	return ok
}
