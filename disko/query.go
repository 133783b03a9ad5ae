package disko

import (
	"slices"
	"strings"
)

// The methods below answer questions that the configuration of the rest of
// the host depends on, such as the choice of boot loader. They look at the
// layout as it is, valid or not.

// BootFacts is what the choice of boot loader depends on, found in one
// pass over the layout; see [Layout.Boot].
type BootFacts struct {
	// ESP is [Layout.HasESP].
	ESP bool
	// BIOSBoot is [Layout.HasBIOSBoot].
	BIOSBoot bool
	// ESPOnRAID is [Layout.ESPOnRAID].
	ESPOnRAID bool
}

// Boot returns the facts of [Layout.HasESP], [Layout.HasBIOSBoot] and
// [Layout.ESPOnRAID] at once, analysing the layout once instead of three
// times.
func (l *Layout) Boot() BootFacts {
	a := analyze(l)
	return BootFacts{ESP: a.hasESP, BIOSBoot: a.hasBIOS, ESPOnRAID: a.espOnRaid}
}

// HasESP reports whether the layout has an EFI system partition (type
// EF00), which UEFI boot loaders need.
func (l *Layout) HasESP() bool { return analyze(l).hasESP }

// HasBIOSBoot reports whether the layout has a BIOS boot partition (type
// EF02). Only GRUB uses one, to boot a GPT disk in legacy BIOS mode; for
// each table with one, disko adds the table's device to
// boot.loader.grub.devices, so a host with a BIOS boot partition must use
// GRUB (see [Layout.BIOSBootDevices]).
func (l *Layout) HasBIOSBoot() bool { return analyze(l).hasBIOS }

// BIOSBootDevices returns, sorted, the devices whose partition table has a
// BIOS boot partition: the devices disko puts in boot.loader.grub.devices.
func (l *Layout) BIOSBootDevices() []string {
	devs := slices.Clone(analyze(l).biosDevices)
	slices.Sort(devs)
	return slices.Compact(devs)
}

// ESPOnRAID reports whether an EFI system partition is a member of an
// mdadm array. systemd-boot cannot be installed on such an ESP (disko issue
// #753), so the host must boot with GRUB.
func (l *Layout) ESPOnRAID() bool { return analyze(l).espOnRaid }

// HasZFS reports whether the layout has a ZFS pool; NixOS then needs
// networking.hostId (see [HostID]) and ZFS support in the initrd.
func (l *Layout) HasZFS() bool { return len(l.Pools) > 0 }

// Mountpoints returns the paths at which the layout mounts filesystems,
// sorted: those of filesystems, btrfs volumes and subvolumes, ZFS datasets
// and nodev entries, but not swap.
func (l *Layout) Mountpoints() []string {
	a := analyze(l)
	out := make([]string, 0, len(a.mountList))
	for _, m := range a.mountList {
		out = append(out, m.path)
	}
	slices.Sort(out)
	return out
}

// MediaAt returns the kinds of media of the disks that hold path: the disks
// under the filesystem mounted at path or at the closest mountpoint above
// it, followed through LUKS, mdadm arrays, ZFS pools and LVM volume groups.
// The result is sorted and without repeats; it is nil when no filesystem of
// the layout holds path or the filesystem has no disk (tmpfs). For example,
// MediaAt("/var/lib/etcd") on a host whose root pool is a raidz of hard
// disks returns [MediaHDD].
func (l *Layout) MediaAt(path string) []Media {
	return analyze(l).mediaAt(path)
}

// mediaAt is [Layout.MediaAt] on the analysed layout.
func (a *analysis) mediaAt(path string) []Media {
	l := a.l
	best := -1
	for i, m := range a.mountList {
		if !under(path, m.path) {
			continue
		}
		if best < 0 || len(m.path) > len(a.mountList[best].path) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	disks := make(map[string]bool)
	a.disksOf(a.mountList[best].src, make(map[ckey]bool), disks)
	var out []Media
	for i := range l.Disks {
		if disks[l.Disks[i].Name] {
			out = append(out, l.Disks[i].Media)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// under reports whether path is mountpoint or lies below it.
func under(path, mountpoint string) bool {
	if mountpoint == "/" {
		return strings.HasPrefix(path, "/")
	}
	return path == mountpoint || strings.HasPrefix(path, mountpoint+"/")
}

// disksOf adds to out the names of the disks that src is built on.
func (a *analysis) disksOf(src source, seen map[ckey]bool, out map[string]bool) {
	if !src.inContainer {
		if src.disk != "" {
			out[src.disk] = true
		}
		return
	}
	if seen[src.container] {
		return
	}
	seen[src.container] = true
	for _, m := range a.members[src.container] {
		a.disksOf(m.src, seen, out)
	}
}
