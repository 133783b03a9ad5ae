package disko

// Layout is the disk layout of one host: its disks and the devices built on
// them. Elements of each collection are identified by name; the order of
// the slices does not matter, and the generated Nix is the same whatever
// order they are given in.
type Layout struct {
	// Disks are the physical (or virtual) block devices of the host.
	Disks []Disk
	// Arrays are the mdadm software RAID arrays, disko's mdadm devices.
	Arrays []MDADM
	// Pools are the ZFS pools, disko's zpool devices.
	Pools []ZPool
	// VolumeGroups are the LVM volume groups, disko's lvm_vg devices.
	VolumeGroups []VolumeGroup
	// Nodev are filesystems without a block device, such as tmpfs.
	Nodev []Nodev
}

// Media is the kind of storage behind a disk. It is not written to Nix; it
// lets checks outside this package (for example, a warning about a
// latency-sensitive database on a rotational disk) reason about the
// hardware. See [Layout.MediaAt].
type Media uint8

// The kinds of storage media.
const (
	// MediaUnknown means the kind of disk is not known.
	MediaUnknown Media = iota
	// MediaHDD is a rotational hard disk.
	MediaHDD
	// MediaSSD is a solid-state disk on SATA or SAS.
	MediaSSD
	// MediaNVMe is a solid-state disk on NVMe.
	MediaNVMe
)

// String returns "unknown", "hdd", "ssd" or "nvme".
func (m Media) String() string {
	switch m {
	case MediaUnknown:
		return "unknown"
	case MediaHDD:
		return "hdd"
	case MediaSSD:
		return "ssd"
	case MediaNVMe:
		return "nvme"
	}
	return "Media(" + itoa(int(m)) + ")"
}

// Disk is a whole block device, disko's disk type.
type Disk struct {
	// Name is the attribute name of the disk under disko.devices.disk. It
	// is part of the default partition labels ("disk-NAME-PARTITION"), so
	// renaming a disk renames its partition labels. It must not contain a
	// slash.
	Name string
	// Device is the absolute path of the block device. Prefer a stable
	// /dev/disk/by-id/… path: kernel names such as /dev/sda or
	// /dev/nvme0n1 can change between boots.
	Device string
	// Media is the kind of storage; it is not written to Nix.
	Media Media
	// Content is what the disk holds, usually a *GPT; nil leaves the disk
	// without content.
	Content DeviceContent
}

// Partition type codes for [Partition.Type]: sgdisk's four-digit codes.
// disko also accepts a full partition type GUID.
const (
	// TypeESP is the EFI system partition.
	TypeESP = "EF00"
	// TypeBIOSBoot is the BIOS boot partition that GRUB needs on a GPT disk
	// booted in legacy BIOS mode.
	TypeBIOSBoot = "EF02"
	// TypeLinux is a Linux filesystem, disko's default.
	TypeLinux = "8300"
	// TypeSwap is Linux swap, disko's default for swap content.
	TypeSwap = "8200"
	// TypeLinuxRAID is Linux software RAID.
	TypeLinuxRAID = "FD00"
	// TypeLVM is Linux LVM.
	TypeLVM = "8E00"
)

// GPT is a GUID partition table, disko's gpt type.
type GPT struct {
	// Partitions are the partitions of the table. disko creates them in
	// order of priority, then name (see [Partition.Priority]), and the
	// generated Nix lists them in that order.
	Partitions []Partition
}

// Partition is one partition of a [GPT] table.
type Partition struct {
	// Name is the attribute name of the partition; it is part of the
	// default label. It must not contain a slash.
	Name string
	// Type is the partition type: an sgdisk code such as [TypeESP] or
	// [TypeBIOSBoot], or a type GUID. Empty means 8300, or 8200 for swap
	// content. Four-digit codes are written in upper case, the form disko
	// compares EF02 against.
	Type string
	// Size is the size of the partition: digits with an optional K, M, G,
	// T or P suffix ("512M", "1G"), or "100%" for the rest of the disk.
	// Fractions and suffixes such as "MiB" are not accepted by disko.
	Size string
	// Start is the start in sgdisk format; empty means the next free
	// sector ("0").
	Start string
	// End is the end in sgdisk format, for example "-1G" for one gigabyte
	// before the end of the disk; empty means derived from Size.
	End string
	// Priority orders the creation of partitions, and so their numbers:
	// smaller first. nil means disko's default: 100 for a BIOS boot
	// partition, 9001 for a "100%" partition, 1000 otherwise.
	Priority *int
	// Label is the GPT partition name; empty means disko's default,
	// computed by [PartitionLabel]. At most 36 characters.
	Label string
	// UUID is the partition GUID (not the filesystem UUID); empty lets
	// sgdisk pick one. When set, disko refers to the partition by
	// /dev/disk/by-partuuid instead of by its label.
	UUID string
	// Attributes are GPT attribute bits to set: 0 required, 1 hidden from
	// EFI, 2 legacy BIOS bootable, 60 read-only, 62 hidden, 63 no
	// automount.
	Attributes []int
	// Content is what the partition holds; nil leaves it unformatted. A
	// partition cannot hold another partition table.
	Content Content
}

// MDADM is an mdadm software RAID array, disko's mdadm type. Its members are
// the [MDRaid] contents that name it.
type MDADM struct {
	// Name is the array name; the array appears as /dev/md/NAME.
	Name string
	// Level is the RAID level; the zero value is disko's default, RAID 1.
	Level RAIDLevel
	// Metadata is the superblock format: "1", "1.0", "1.1", "1.2",
	// "default", "ddf" or "imsm"; empty means "default" (1.2). An array
	// holding an EFI system partition needs "1.0", which keeps the
	// superblock at the end of the members so that firmware sees a plain
	// FAT filesystem.
	Metadata string
	// ExtraArgs are extra arguments for mdadm --create, such as
	// "--assume-clean".
	ExtraArgs []string
	// Content is what the array holds.
	Content DeviceContent
}

// RAIDLevel is an mdadm RAID level. It is a string type so that a plain
// number cannot be mistaken for it; the zero value means disko's default
// level, 1.
type RAIDLevel string

// The RAID levels disko can create.
const (
	// RAIDDefault is disko's default, RAID 1.
	RAIDDefault RAIDLevel = ""
	// RAID0 stripes without redundancy.
	RAID0 RAIDLevel = "raid0"
	// RAID1 mirrors.
	RAID1 RAIDLevel = "raid1"
	// RAID4 stripes with a dedicated parity member.
	RAID4 RAIDLevel = "raid4"
	// RAID5 stripes with distributed parity.
	RAID5 RAIDLevel = "raid5"
	// RAID6 stripes with double distributed parity.
	RAID6 RAIDLevel = "raid6"
	// RAID10 mirrors and stripes.
	RAID10 RAIDLevel = "raid10"
)

// raidInfo returns the md level number of l, the fewest members an array
// of that level needs, and whether the level is known. The minimums are
// those at which each level gives what its name promises, from the level
// descriptions in md(4): striping (0) and mirroring (1, 10) need two
// members, single parity (4, 5) two data members and one parity, double
// parity (6) two data members and two parity. mdadm itself accepts some
// smaller arrays (a two-member RAID 5 is a mirror), and disko passes --force,
// which also creates a one-member RAID 1; neither checks the count.
func raidInfo(l RAIDLevel) (number, minMembers int, ok bool) {
	switch l {
	case RAID0:
		return 0, 2, true
	case RAIDDefault, RAID1:
		return 1, 2, true
	case RAID4:
		return 4, 3, true
	case RAID5:
		return 5, 3, true
	case RAID6:
		return 6, 4, true
	case RAID10:
		return 10, 2, true
	}
	return 0, 0, false
}

// Number returns the md level number (1 for [RAIDDefault]) and whether the
// level is known.
func (l RAIDLevel) Number() (int, bool) {
	n, _, ok := raidInfo(l)
	return n, ok
}

// MinMembers returns the fewest members an array of level l needs, and
// whether the level is known. The table, from md(4):
//
//	level   members
//	0       2
//	1       2
//	4       3
//	5       3
//	6       4
//	10      2
func (l RAIDLevel) MinMembers() (int, bool) {
	_, m, ok := raidInfo(l)
	return m, ok
}

// VolumeGroup is an LVM volume group, disko's lvm_vg type. Its physical
// volumes are the [LVMPV] contents that name it.
type VolumeGroup struct {
	// Name is the volume group name; logical volumes appear as
	// /dev/NAME/LV.
	Name string
	// LVs are the logical volumes.
	LVs []LogicalVolume
}

// LVMType is the segment type of a logical volume.
type LVMType string

// The logical volume types disko accepts.
const (
	// LVLinear is a plain linear volume, the default.
	LVLinear LVMType = ""
	// LVMirror is a mirror.
	LVMirror LVMType = "mirror"
	// LVRAID0 is a RAID 0 volume.
	LVRAID0 LVMType = "raid0"
	// LVRAID1 is a RAID 1 volume.
	LVRAID1 LVMType = "raid1"
	// LVRAID4 is a RAID 4 volume.
	LVRAID4 LVMType = "raid4"
	// LVRAID5 is a RAID 5 volume.
	LVRAID5 LVMType = "raid5"
	// LVRAID6 is a RAID 6 volume.
	LVRAID6 LVMType = "raid6"
	// LVThinPool is a thin pool that thin volumes allocate from.
	LVThinPool LVMType = "thin-pool"
	// LVThin is a thin volume in a thin pool; see [LogicalVolume.Pool].
	LVThin LVMType = "thinlv"
)

// LogicalVolume is one LVM logical volume.
type LogicalVolume struct {
	// Name is the volume name.
	Name string
	// Size is passed to lvcreate: an absolute size such as "10G" (-L), or
	// a percentage such as "100%FREE" or "50%VG" (-l); a bare trailing "%"
	// means "%FREE". Required.
	Size string
	// Type is the segment type; the zero value is a linear volume.
	Type LVMType
	// Pool names the thin pool of a thin volume ([LVThin]).
	Pool string
	// Priority orders creation, smaller first; nil means disko's default,
	// which puts thin pools first and volumes sized with "100%" last.
	Priority *int
	// ExtraArgs are extra arguments for lvcreate.
	ExtraArgs []string
	// Content is what the volume holds.
	Content Content
}

// Nodev is a filesystem without a block device, such as tmpfs, disko's
// nodev type.
type Nodev struct {
	// Mountpoint is where the filesystem is mounted; it is also its
	// attribute name.
	Mountpoint string
	// FSType is the filesystem type, for example "tmpfs". Required.
	FSType string
	// Device is the source device; empty means disko's default, "none", or
	// the fsType for proc, sysfs, tmpfs, ramfs, devtmpfs and devpts.
	Device string
	// MountOptions are the mount options, for example "size=2G" and
	// "mode=755"; nil means ["defaults"].
	MountOptions []string
}
