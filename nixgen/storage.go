package nixgen

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/disko"
)

// This file holds the disk layout of a host: the HCL blocks disk, mdadm,
// zpool, lvm_vg and nodev, their conversion to a [disko.Layout], the
// mapping of disko's diagnostics back to source ranges, and the merging of
// a host's layout over its profiles'.
//
// A host's layout in HCL:
//
//	disk "nvme" {
//	  device = "/dev/disk/by-id/nvme-…"
//	  media  = "nvme"                    # "hdd", "ssd" or "nvme"
//	  gpt {
//	    partition "ESP" {
//	      size = "512M"
//	      type = "EF00"
//	      filesystem {
//	        format        = "vfat"
//	        mountpoint    = "/boot"
//	        mount_options = ["umask=0077"]
//	      }
//	    }
//	    partition "slog" {
//	      size = "16G"
//	      zfs  = "rpool"                 # member of zpool "rpool"
//	    }
//	  }
//	}
//
//	mdadm "raid1" {
//	  level    = 1
//	  metadata = "1.0"
//	  filesystem { format = "ext4", mountpoint = "/srv" }
//	}
//
//	zpool "rpool" {
//	  options         = { ashift = "12" }
//	  root_fs_options = { compression = "zstd", mountpoint = "none" }
//	  topology {
//	    vdev { mode = "raidz1", members = ["hdd0", "hdd1", "hdd2"] }
//	    log  { members = ["nvme/slog"] }
//	  }
//	  dataset "root" {
//	    mountpoint = "/"
//	    options    = { mountpoint = "legacy" }
//	  }
//	  volume "swap" {
//	    size = "8G"
//	    swap {}
//	  }
//	}
//
//	lvm_vg "vg" {
//	  lv "root" {
//	    size = "100%FREE"
//	    filesystem { format = "xfs", mountpoint = "/var" }
//	  }
//	}
//
//	nodev "/tmp" {
//	  fs_type       = "tmpfs"
//	  mount_options = ["size=2G"]
//	}
//
// A disk, a partition, an mdadm array, a LUKS container, a ZFS volume and an
// LVM logical volume hold at most one content: a gpt block (disks, arrays
// and LUKS containers only), a filesystem, swap, btrfs or luks block, or
// one of the attributes mdraid, zfs and lvm_pv, which make the device a
// member of the named array, pool or volume group.

// Disk is a whole block device of a host, `disk "NAME" { … }`: usually a
// gpt block with partitions, or any other content directly.
type Disk struct {
	// Name is the disk's name in disko.devices.disk; it is part of the
	// default partition labels.
	Name string `hcl:"name,label"`
	// Device is the path of the block device, preferably
	// /dev/disk/by-id/….
	Device *string `hcl:"device,optional"`
	// Media is "hdd", "ssd" or "nvme"; nil means unknown. It is not
	// written to Nix; checks of the rest of the host use it.
	Media *string `hcl:"media,optional"`

	// GPT is the partition table of the disk.
	GPT *GPT `hcl:"gpt,block"`
	// Filesystem, Swap, Btrfs and LUKS are the other contents a disk can
	// hold directly.
	Filesystem *Filesystem `hcl:"filesystem,block"`
	Swap       *Swap       `hcl:"swap,block"`
	Btrfs      *Btrfs      `hcl:"btrfs,block"`
	LUKS       *LUKS       `hcl:"luks,block"`
	// MDRaid, ZFS and LVMPV make the whole disk a member of the named
	// mdadm array, ZFS pool or LVM volume group.
	MDRaid *string `hcl:"mdraid,optional"`
	ZFS    *string `hcl:"zfs,optional"`
	LVMPV  *string `hcl:"lvm_pv,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange   hcl.Range `hcl:"name,label_range"`
	DefRange    hcl.Range `hcl:",def_range"`
	DeviceRange hcl.Range `hcl:"device,attr_value_range"`
	MediaRange  hcl.Range `hcl:"media,attr_value_range"`
	MDRaidRange hcl.Range `hcl:"mdraid,attr_value_range"`
	ZFSRange    hcl.Range `hcl:"zfs,attr_value_range"`
	LVMPVRange  hcl.Range `hcl:"lvm_pv,attr_value_range"`
}

// GPT is a GUID partition table, `gpt { partition "NAME" { … } … }`.
type GPT struct {
	// Partitions are the partitions of the table.
	Partitions []Partition `hcl:"partition,block"`

	// DefRange is the range of the block, for diagnostics.
	DefRange hcl.Range `hcl:",def_range"`
}

// Partition is a partition of a [GPT], `partition "NAME" { … }`.
type Partition struct {
	// Name is the partition's name; it is part of its default label.
	Name string `hcl:"name,label"`
	// Size is the size, such as "512M", or "100%" for the rest of the
	// disk.
	Size *string `hcl:"size,optional"`
	// Start and End are sgdisk bounds, such as "1M" or "-1G".
	Start *string `hcl:"start,optional"`
	End   *string `hcl:"end,optional"`
	// Type is an sgdisk type code such as "EF00" (EFI system), "EF02"
	// (BIOS boot) or "8300", or a type GUID.
	Type *string `hcl:"type,optional"`
	// Priority orders the creation of the partitions, smaller first.
	Priority *int `hcl:"priority,optional"`
	// Label is the GPT partition name; nil means disko's default.
	Label *string `hcl:"label,optional"`
	// UUID is the partition GUID.
	UUID *string `hcl:"uuid,optional"`
	// Attributes are GPT attribute bits to set.
	Attributes []int `hcl:"attributes,optional"`

	// Filesystem, Swap, Btrfs and LUKS are the contents a partition can
	// hold.
	Filesystem *Filesystem `hcl:"filesystem,block"`
	Swap       *Swap       `hcl:"swap,block"`
	Btrfs      *Btrfs      `hcl:"btrfs,block"`
	LUKS       *LUKS       `hcl:"luks,block"`
	// MDRaid, ZFS and LVMPV make the partition a member of the named
	// mdadm array, ZFS pool or LVM volume group.
	MDRaid *string `hcl:"mdraid,optional"`
	ZFS    *string `hcl:"zfs,optional"`
	LVMPV  *string `hcl:"lvm_pv,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange       hcl.Range `hcl:"name,label_range"`
	DefRange        hcl.Range `hcl:",def_range"`
	SizeRange       hcl.Range `hcl:"size,attr_value_range"`
	StartRange      hcl.Range `hcl:"start,attr_value_range"`
	EndRange        hcl.Range `hcl:"end,attr_value_range"`
	TypeRange       hcl.Range `hcl:"type,attr_value_range"`
	PriorityRange   hcl.Range `hcl:"priority,attr_value_range"`
	LabelRange      hcl.Range `hcl:"label,attr_value_range"`
	UUIDRange       hcl.Range `hcl:"uuid,attr_value_range"`
	AttributesRange hcl.Range `hcl:"attributes,attr_value_range"`
	MDRaidRange     hcl.Range `hcl:"mdraid,attr_value_range"`
	ZFSRange        hcl.Range `hcl:"zfs,attr_value_range"`
	LVMPVRange      hcl.Range `hcl:"lvm_pv,attr_value_range"`
}

// Filesystem is a filesystem made with mkfs, `filesystem { … }`. Like every
// content block it is replaced as a whole when a host sets a content over
// a profile's, so its fields are plain values.
type Filesystem struct {
	// Format is the filesystem type, such as "ext4", "xfs" or "vfat".
	Format string `hcl:"format"`
	// Mountpoint is where it is mounted; empty leaves it unmounted.
	Mountpoint string `hcl:"mountpoint,optional"`
	// MountOptions are the mount options; nil means ["defaults"].
	MountOptions []string `hcl:"mount_options,optional"`
	// ExtraArgs are extra arguments for mkfs.
	ExtraArgs []string `hcl:"extra_args,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange          hcl.Range `hcl:",def_range"`
	FormatRange       hcl.Range `hcl:"format,attr_value_range"`
	MountpointRange   hcl.Range `hcl:"mountpoint,attr_value_range"`
	MountOptionsRange hcl.Range `hcl:"mount_options,attr_value_range"`
	ExtraArgsRange    hcl.Range `hcl:"extra_args,attr_value_range"`
}

// Swap is a swap device, `swap { … }`.
type Swap struct {
	// RandomEncryption encrypts the swap with a random key at each boot.
	RandomEncryption bool `hcl:"random_encryption,optional"`
	// ResumeDevice makes the device the hibernation resume device.
	ResumeDevice bool `hcl:"resume_device,optional"`
	// Priority is the swap priority, 0 to 32767; nil lets the kernel
	// choose.
	Priority *int `hcl:"priority,optional"`
	// DiscardPolicy is "once", "pages" or "both"; empty leaves discard
	// off.
	DiscardPolicy string `hcl:"discard_policy,optional"`
	// MountOptions are the swap options; nil means ["defaults"].
	MountOptions []string `hcl:"mount_options,optional"`
	// ExtraArgs are extra arguments for mkswap.
	ExtraArgs []string `hcl:"extra_args,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange              hcl.Range `hcl:",def_range"`
	RandomEncryptionRange hcl.Range `hcl:"random_encryption,attr_value_range"`
	ResumeDeviceRange     hcl.Range `hcl:"resume_device,attr_value_range"`
	PriorityRange         hcl.Range `hcl:"priority,attr_value_range"`
	DiscardPolicyRange    hcl.Range `hcl:"discard_policy,attr_value_range"`
	MountOptionsRange     hcl.Range `hcl:"mount_options,attr_value_range"`
	ExtraArgsRange        hcl.Range `hcl:"extra_args,attr_value_range"`
}

// Btrfs is a btrfs filesystem with subvolumes, `btrfs { … }`.
type Btrfs struct {
	// ExtraArgs are extra arguments for mkfs.btrfs, such as "-f".
	ExtraArgs []string `hcl:"extra_args,optional"`
	// Mountpoint is where the top-level volume is mounted; empty leaves
	// it unmounted.
	Mountpoint string `hcl:"mountpoint,optional"`
	// MountOptions are the mount options of the top-level volume.
	MountOptions []string `hcl:"mount_options,optional"`
	// Subvolumes are the subvolumes, `subvolume "PATH" { … }`.
	Subvolumes []Subvolume `hcl:"subvolume,block"`
	// SwapFiles are swap files in the top-level volume.
	SwapFiles []SwapFile `hcl:"swapfile,block"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange          hcl.Range `hcl:",def_range"`
	ExtraArgsRange    hcl.Range `hcl:"extra_args,attr_value_range"`
	MountpointRange   hcl.Range `hcl:"mountpoint,attr_value_range"`
	MountOptionsRange hcl.Range `hcl:"mount_options,attr_value_range"`
}

// Subvolume is a btrfs subvolume, `subvolume "PATH" { … }`.
type Subvolume struct {
	// Name is the path of the subvolume inside the filesystem, such as
	// "/home" or "root".
	Name string `hcl:"name,label"`
	// Mountpoint is where the subvolume is mounted; empty leaves it
	// unmounted.
	Mountpoint string `hcl:"mountpoint,optional"`
	// MountOptions are the mount options; disko adds subvol=NAME itself.
	MountOptions []string `hcl:"mount_options,optional"`
	// ExtraArgs are extra arguments for btrfs subvolume create.
	ExtraArgs []string `hcl:"extra_args,optional"`
	// SwapFiles are swap files in the subvolume.
	SwapFiles []SwapFile `hcl:"swapfile,block"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange         hcl.Range `hcl:"name,label_range"`
	DefRange          hcl.Range `hcl:",def_range"`
	MountpointRange   hcl.Range `hcl:"mountpoint,attr_value_range"`
	MountOptionsRange hcl.Range `hcl:"mount_options,attr_value_range"`
	ExtraArgsRange    hcl.Range `hcl:"extra_args,attr_value_range"`
}

// SwapFile is a btrfs swap file, `swapfile "PATH" { size = "8G" }`.
type SwapFile struct {
	// Path is the path of the file relative to the mountpoint of its
	// volume.
	Path string `hcl:"path,label"`
	// Size is the size with a unit, such as "8G".
	Size string `hcl:"size"`
	// Priority is the swap priority; nil lets the kernel choose.
	Priority *int `hcl:"priority,optional"`
	// Options are the swap options; nil means ["defaults"].
	Options []string `hcl:"options,optional"`

	// Ranges of the block and its fields, for diagnostics.
	PathRange     hcl.Range `hcl:"path,label_range"`
	DefRange      hcl.Range `hcl:",def_range"`
	SizeRange     hcl.Range `hcl:"size,attr_value_range"`
	PriorityRange hcl.Range `hcl:"priority,attr_value_range"`
	OptionsRange  hcl.Range `hcl:"options,attr_value_range"`
}

// LUKS is a LUKS encrypted container, `luks "NAME" { … }`, opened as
// /dev/mapper/NAME. It holds one content itself, which may be a gpt block.
// Secrets are never written inline: PasswordFile and KeyFile are paths.
type LUKS struct {
	// Name is the name of the opened device under /dev/mapper.
	Name string `hcl:"name,label"`
	// PasswordFile is the absolute path of a file holding the password
	// used when the container is created.
	PasswordFile string `hcl:"password_file,optional"`
	// KeyFile is the absolute path of a key file used to format and to
	// unlock the container.
	KeyFile string `hcl:"key_file,optional"`
	// KeyFileSize is the number of bytes read from KeyFile; 0 reads all.
	KeyFileSize int `hcl:"key_file_size,optional"`
	// KeyFileOffset is the offset at which KeyFile is read.
	KeyFileOffset int `hcl:"key_file_offset,optional"`
	// AllowDiscards passes TRIM through to the device.
	AllowDiscards bool `hcl:"allow_discards,optional"`
	// BypassWorkqueues disables the dm-crypt work queues.
	BypassWorkqueues bool `hcl:"bypass_workqueues,optional"`
	// AdditionalKeyFiles are absolute paths of key files added to further
	// key slots.
	AdditionalKeyFiles []string `hcl:"additional_key_files,optional"`
	// InitrdUnlock tells whether the initrd unlocks the container; nil
	// means true.
	InitrdUnlock *bool `hcl:"initrd_unlock,optional"`
	// ExtraFormatArgs are extra arguments for cryptsetup luksFormat.
	ExtraFormatArgs []string `hcl:"extra_format_args,optional"`
	// ExtraOpenArgs are extra arguments for cryptsetup open.
	ExtraOpenArgs []string `hcl:"extra_open_args,optional"`

	// GPT, Filesystem, Swap, Btrfs and LUKS are the contents the opened
	// container can hold.
	GPT        *GPT        `hcl:"gpt,block"`
	Filesystem *Filesystem `hcl:"filesystem,block"`
	Swap       *Swap       `hcl:"swap,block"`
	Btrfs      *Btrfs      `hcl:"btrfs,block"`
	LUKS       *LUKS       `hcl:"luks,block"`
	// MDRaid, ZFS and LVMPV make the opened container a member of the
	// named mdadm array, ZFS pool or LVM volume group.
	MDRaid *string `hcl:"mdraid,optional"`
	ZFS    *string `hcl:"zfs,optional"`
	LVMPV  *string `hcl:"lvm_pv,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange               hcl.Range `hcl:"name,label_range"`
	DefRange                hcl.Range `hcl:",def_range"`
	PasswordFileRange       hcl.Range `hcl:"password_file,attr_value_range"`
	KeyFileRange            hcl.Range `hcl:"key_file,attr_value_range"`
	AdditionalKeyFilesRange hcl.Range `hcl:"additional_key_files,attr_value_range"`
	MDRaidRange             hcl.Range `hcl:"mdraid,attr_value_range"`
	ZFSRange                hcl.Range `hcl:"zfs,attr_value_range"`
	LVMPVRange              hcl.Range `hcl:"lvm_pv,attr_value_range"`
}

// Array is an mdadm software RAID array, `mdadm "NAME" { … }`. Its members
// are the devices whose content is `mdraid = "NAME"`.
type Array struct {
	// Name is the array name; the array appears as /dev/md/NAME.
	Name string `hcl:"name,label"`
	// Level is the RAID level: a number (level = 1) or a name
	// (level = "raid1"); nil means RAID 1.
	Level *string `hcl:"level,optional"`
	// Metadata is the superblock format, such as "1.0". Write it as a
	// string: the number 1.0 would be read as "1".
	Metadata *string `hcl:"metadata,optional"`
	// ExtraArgs are extra arguments for mdadm --create.
	ExtraArgs []string `hcl:"extra_args,optional"`

	// GPT, Filesystem, Swap, Btrfs and LUKS are the contents the array
	// can hold.
	GPT        *GPT        `hcl:"gpt,block"`
	Filesystem *Filesystem `hcl:"filesystem,block"`
	Swap       *Swap       `hcl:"swap,block"`
	Btrfs      *Btrfs      `hcl:"btrfs,block"`
	LUKS       *LUKS       `hcl:"luks,block"`
	// MDRaid, ZFS and LVMPV make the array a member of the named mdadm
	// array, ZFS pool or LVM volume group.
	MDRaid *string `hcl:"mdraid,optional"`
	ZFS    *string `hcl:"zfs,optional"`
	LVMPV  *string `hcl:"lvm_pv,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange      hcl.Range `hcl:"name,label_range"`
	DefRange       hcl.Range `hcl:",def_range"`
	LevelRange     hcl.Range `hcl:"level,attr_value_range"`
	MetadataRange  hcl.Range `hcl:"metadata,attr_value_range"`
	ExtraArgsRange hcl.Range `hcl:"extra_args,attr_value_range"`
	MDRaidRange    hcl.Range `hcl:"mdraid,attr_value_range"`
	ZFSRange       hcl.Range `hcl:"zfs,attr_value_range"`
	LVMPVRange     hcl.Range `hcl:"lvm_pv,attr_value_range"`
}

// Pool is a ZFS pool, `zpool "NAME" { … }`. Its members are the devices
// whose content is `zfs = "NAME"`. Their layout is either mode, for all
// members together, or a topology block.
type Pool struct {
	// Name is the pool name.
	Name string `hcl:"name,label"`
	// Mode is the vdev type of all members together: "mirror", "raidz",
	// "raidz1", "raidz2", "raidz3", or "stripe" (the same as "").
	Mode *string `hcl:"mode,optional"`
	// Options are pool properties (zpool create -o), such as ashift.
	Options map[string]string `hcl:"options,optional"`
	// RootFSOptions are properties of the root dataset (zpool create -O).
	RootFSOptions map[string]string `hcl:"root_fs_options,optional"`
	// Mountpoint is where the root dataset is mounted.
	Mountpoint *string `hcl:"mountpoint,optional"`
	// MountOptions are the mount options of the root dataset.
	MountOptions []string `hcl:"mount_options,optional"`
	// Topology places every member explicitly.
	Topology *Topology `hcl:"topology,block"`
	// Datasets are the filesystems of the pool.
	Datasets []Dataset `hcl:"dataset,block"`
	// Volumes are the block volumes (zvols) of the pool.
	Volumes []Volume `hcl:"volume,block"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange          hcl.Range `hcl:"name,label_range"`
	DefRange           hcl.Range `hcl:",def_range"`
	ModeRange          hcl.Range `hcl:"mode,attr_value_range"`
	OptionsRange       hcl.Range `hcl:"options,attr_value_range"`
	RootFSOptionsRange hcl.Range `hcl:"root_fs_options,attr_value_range"`
	MountpointRange    hcl.Range `hcl:"mountpoint,attr_value_range"`
	MountOptionsRange  hcl.Range `hcl:"mount_options,attr_value_range"`
}

// Topology is an explicit pool layout, `topology { vdev { … } … }`. A
// member is written "DISK" (the pool member on that disk), "DISK/PARTITION",
// or as an absolute device path.
type Topology struct {
	// Vdevs are the storage vdevs, `vdev { mode, members }`.
	Vdevs []Vdev `hcl:"vdev,block"`
	// Log are the intent log (SLOG) vdevs.
	Log []Vdev `hcl:"log,block"`
	// Special are the special allocation class vdevs.
	Special []Vdev `hcl:"special,block"`
	// Dedup are the deduplication table vdevs.
	Dedup []Vdev `hcl:"dedup,block"`
	// Cache are the L2ARC devices.
	Cache []string `hcl:"cache,optional"`
	// Spare are the hot spares.
	Spare []string `hcl:"spare,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange   hcl.Range `hcl:",def_range"`
	CacheRange hcl.Range `hcl:"cache,attr_value_range"`
	SpareRange hcl.Range `hcl:"spare,attr_value_range"`
}

// Vdev is one vdev of a [Topology].
type Vdev struct {
	// Mode is the vdev type: "mirror", "raidz1" and so on; empty or
	// "stripe" for a single device or stripe.
	Mode string `hcl:"mode,optional"`
	// Members are the member references.
	Members []string `hcl:"members,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange     hcl.Range `hcl:",def_range"`
	ModeRange    hcl.Range `hcl:"mode,attr_value_range"`
	MembersRange hcl.Range `hcl:"members,attr_value_range"`
}

// Dataset is a ZFS filesystem, `dataset "PATH" { … }`.
type Dataset struct {
	// Name is the dataset path below the pool, such as "root/nix".
	Name string `hcl:"name,label"`
	// Mountpoint is where disko mounts the dataset.
	Mountpoint *string `hcl:"mountpoint,optional"`
	// MountOptions are the mount options.
	MountOptions []string `hcl:"mount_options,optional"`
	// Options are dataset properties, such as mountpoint = "legacy".
	Options map[string]string `hcl:"options,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange         hcl.Range `hcl:"name,label_range"`
	DefRange          hcl.Range `hcl:",def_range"`
	MountpointRange   hcl.Range `hcl:"mountpoint,attr_value_range"`
	MountOptionsRange hcl.Range `hcl:"mount_options,attr_value_range"`
	OptionsRange      hcl.Range `hcl:"options,attr_value_range"`
}

// Volume is a ZFS volume (zvol), `volume "PATH" { size = "8G", … }`, with
// one content.
type Volume struct {
	// Name is the volume path below the pool.
	Name string `hcl:"name,label"`
	// Size is the volume size, such as "10G".
	Size *string `hcl:"size,optional"`
	// Options are volume properties, such as volblocksize.
	Options map[string]string `hcl:"options,optional"`
	// ExtraArgs are extra arguments for zfs create.
	ExtraArgs []string `hcl:"extra_args,optional"`

	// Filesystem, Swap, Btrfs and LUKS are the contents a volume can
	// hold.
	Filesystem *Filesystem `hcl:"filesystem,block"`
	Swap       *Swap       `hcl:"swap,block"`
	Btrfs      *Btrfs      `hcl:"btrfs,block"`
	LUKS       *LUKS       `hcl:"luks,block"`
	// MDRaid, ZFS and LVMPV make the volume a member of the named mdadm
	// array, ZFS pool or LVM volume group.
	MDRaid *string `hcl:"mdraid,optional"`
	ZFS    *string `hcl:"zfs,optional"`
	LVMPV  *string `hcl:"lvm_pv,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange      hcl.Range `hcl:"name,label_range"`
	DefRange       hcl.Range `hcl:",def_range"`
	SizeRange      hcl.Range `hcl:"size,attr_value_range"`
	OptionsRange   hcl.Range `hcl:"options,attr_value_range"`
	ExtraArgsRange hcl.Range `hcl:"extra_args,attr_value_range"`
	MDRaidRange    hcl.Range `hcl:"mdraid,attr_value_range"`
	ZFSRange       hcl.Range `hcl:"zfs,attr_value_range"`
	LVMPVRange     hcl.Range `hcl:"lvm_pv,attr_value_range"`
}

// VolumeGroup is an LVM volume group, `lvm_vg "NAME" { lv "NAME" { … } }`.
// Its physical volumes are the devices whose content is `lvm_pv = "NAME"`.
type VolumeGroup struct {
	// Name is the volume group name.
	Name string `hcl:"name,label"`
	// LVs are the logical volumes.
	LVs []LogicalVolume `hcl:"lv,block"`

	// Ranges of the block, for diagnostics.
	NameRange hcl.Range `hcl:"name,label_range"`
	DefRange  hcl.Range `hcl:",def_range"`
}

// LogicalVolume is an LVM logical volume, `lv "NAME" { … }`, with one
// content.
type LogicalVolume struct {
	// Name is the volume name.
	Name string `hcl:"name,label"`
	// Size is an lvcreate size: "20G", "100%FREE" or "50%VG".
	Size *string `hcl:"size,optional"`
	// LVMType is the segment type: "mirror", "raid0", "raid1", "raid4",
	// "raid5", "raid6", "thin-pool" or "thinlv"; nil is linear.
	LVMType *string `hcl:"lvm_type,optional"`
	// Pool names the thin pool of a thin volume.
	Pool *string `hcl:"pool,optional"`
	// Priority orders creation, smaller first.
	Priority *int `hcl:"priority,optional"`
	// ExtraArgs are extra arguments for lvcreate.
	ExtraArgs []string `hcl:"extra_args,optional"`

	// Filesystem, Swap, Btrfs and LUKS are the contents a logical volume
	// can hold.
	Filesystem *Filesystem `hcl:"filesystem,block"`
	Swap       *Swap       `hcl:"swap,block"`
	Btrfs      *Btrfs      `hcl:"btrfs,block"`
	LUKS       *LUKS       `hcl:"luks,block"`
	// MDRaid, ZFS and LVMPV make the logical volume a member of the named
	// mdadm array, ZFS pool or LVM volume group.
	MDRaid *string `hcl:"mdraid,optional"`
	ZFS    *string `hcl:"zfs,optional"`
	LVMPV  *string `hcl:"lvm_pv,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange      hcl.Range `hcl:"name,label_range"`
	DefRange       hcl.Range `hcl:",def_range"`
	SizeRange      hcl.Range `hcl:"size,attr_value_range"`
	LVMTypeRange   hcl.Range `hcl:"lvm_type,attr_value_range"`
	PoolRange      hcl.Range `hcl:"pool,attr_value_range"`
	PriorityRange  hcl.Range `hcl:"priority,attr_value_range"`
	ExtraArgsRange hcl.Range `hcl:"extra_args,attr_value_range"`
	MDRaidRange    hcl.Range `hcl:"mdraid,attr_value_range"`
	ZFSRange       hcl.Range `hcl:"zfs,attr_value_range"`
	LVMPVRange     hcl.Range `hcl:"lvm_pv,attr_value_range"`
}

// Nodev is a filesystem without a block device, such as tmpfs,
// `nodev "MOUNTPOINT" { fs_type = "tmpfs" }`.
type Nodev struct {
	// Mountpoint is where the filesystem is mounted; it is also its name.
	Mountpoint string `hcl:"mountpoint,label"`
	// FSType is the filesystem type, such as "tmpfs".
	FSType *string `hcl:"fs_type,optional"`
	// Device is the source device; nil means disko's default.
	Device *string `hcl:"device,optional"`
	// MountOptions are the mount options, such as "size=2G".
	MountOptions []string `hcl:"mount_options,optional"`

	// Ranges of the block and its fields, for diagnostics.
	MountpointRange   hcl.Range `hcl:"mountpoint,label_range"`
	DefRange          hcl.Range `hcl:",def_range"`
	FSTypeRange       hcl.Range `hcl:"fs_type,attr_value_range"`
	DeviceRange       hcl.Range `hcl:"device,attr_value_range"`
	MountOptionsRange hcl.Range `hcl:"mount_options,attr_value_range"`
}

// contentSlots gives uniform access to the content fields of a disk,
// partition, array, LUKS container, volume or logical volume. gpt is nil
// for containers that cannot hold a partition table.
type contentSlots struct {
	gpt        **GPT
	filesystem **Filesystem
	swap       **Swap
	btrfs      **Btrfs
	luks       **LUKS
	mdraid     **string
	zfs        **string
	lvmPV      **string
	mdraidR    *hcl.Range
	zfsR       *hcl.Range
	lvmPVR     *hcl.Range
}

func (d *Disk) slots() contentSlots {
	return contentSlots{&d.GPT, &d.Filesystem, &d.Swap, &d.Btrfs, &d.LUKS,
		&d.MDRaid, &d.ZFS, &d.LVMPV, &d.MDRaidRange, &d.ZFSRange, &d.LVMPVRange}
}

func (p *Partition) slots() contentSlots {
	return contentSlots{nil, &p.Filesystem, &p.Swap, &p.Btrfs, &p.LUKS,
		&p.MDRaid, &p.ZFS, &p.LVMPV, &p.MDRaidRange, &p.ZFSRange, &p.LVMPVRange}
}

func (l *LUKS) slots() contentSlots {
	return contentSlots{&l.GPT, &l.Filesystem, &l.Swap, &l.Btrfs, &l.LUKS,
		&l.MDRaid, &l.ZFS, &l.LVMPV, &l.MDRaidRange, &l.ZFSRange, &l.LVMPVRange}
}

func (a *Array) slots() contentSlots {
	return contentSlots{&a.GPT, &a.Filesystem, &a.Swap, &a.Btrfs, &a.LUKS,
		&a.MDRaid, &a.ZFS, &a.LVMPV, &a.MDRaidRange, &a.ZFSRange, &a.LVMPVRange}
}

func (v *Volume) slots() contentSlots {
	return contentSlots{nil, &v.Filesystem, &v.Swap, &v.Btrfs, &v.LUKS,
		&v.MDRaid, &v.ZFS, &v.LVMPV, &v.MDRaidRange, &v.ZFSRange, &v.LVMPVRange}
}

func (lv *LogicalVolume) slots() contentSlots {
	return contentSlots{nil, &lv.Filesystem, &lv.Swap, &lv.Btrfs, &lv.LUKS,
		&lv.MDRaid, &lv.ZFS, &lv.LVMPV, &lv.MDRaidRange, &lv.ZFSRange, &lv.LVMPVRange}
}

// contentItem is one content set in a container.
type contentItem struct {
	kind string // "gpt", "filesystem", … as written in HCL
	rng  hcl.Range
}

// appendItems appends the contents set in s to out, in the order they
// appear in the source (declaration order for contents built without
// ranges).
func (s contentSlots) appendItems(out []contentItem) []contentItem {
	start := len(out)
	if s.gpt != nil && *s.gpt != nil {
		out = append(out, contentItem{"gpt", (*s.gpt).DefRange})
	}
	if *s.filesystem != nil {
		out = append(out, contentItem{"filesystem", (*s.filesystem).DefRange})
	}
	if *s.swap != nil {
		out = append(out, contentItem{"swap", (*s.swap).DefRange})
	}
	if *s.btrfs != nil {
		out = append(out, contentItem{"btrfs", (*s.btrfs).DefRange})
	}
	if *s.luks != nil {
		out = append(out, contentItem{"luks", (*s.luks).DefRange})
	}
	if *s.mdraid != nil {
		out = append(out, contentItem{"mdraid", *s.mdraidR})
	}
	if *s.zfs != nil {
		out = append(out, contentItem{"zfs", *s.zfsR})
	}
	if *s.lvmPV != nil {
		out = append(out, contentItem{"lvm_pv", *s.lvmPVR})
	}
	slices.SortStableFunc(out[start:], func(a, b contentItem) int {
		return cmp.Or(strings.Compare(a.rng.Filename, b.rng.Filename), cmp.Compare(a.rng.Start.Byte, b.rng.Start.Byte))
	})
	return out
}

// count returns the number of contents set in s.
func (s contentSlots) count() int {
	var buf [8]contentItem
	return len(s.appendItems(buf[:0]))
}

// any reports whether s holds a content.
func (s contentSlots) any() bool {
	return (s.gpt != nil && *s.gpt != nil) || *s.filesystem != nil || *s.swap != nil ||
		*s.btrfs != nil || *s.luks != nil || *s.mdraid != nil || *s.zfs != nil || *s.lvmPV != nil
}

// clear removes the content of s.
func (s contentSlots) clear() {
	if s.gpt != nil {
		*s.gpt = nil
	}
	*s.filesystem, *s.swap, *s.btrfs, *s.luks = nil, nil, nil, nil
	*s.mdraid, *s.zfs, *s.lvmPV = nil, nil, nil
	*s.mdraidR, *s.zfsR, *s.lvmPVR = hcl.Range{}, hcl.Range{}, hcl.Range{}
}

// copyFrom sets the content of s to a deep copy of the content of src.
func (s contentSlots) copyFrom(src contentSlots) {
	if s.gpt != nil {
		*s.gpt = nil
		if src.gpt != nil {
			*s.gpt = (*src.gpt).clone()
		}
	}
	*s.filesystem = (*src.filesystem).clone()
	*s.swap = (*src.swap).clone()
	*s.btrfs = (*src.btrfs).clone()
	*s.luks = (*src.luks).clone()
	*s.mdraid, *s.mdraidR = clonePtr(*src.mdraid), *src.mdraidR
	*s.zfs, *s.zfsR = clonePtr(*src.zfs), *src.zfsR
	*s.lvmPV, *s.lvmPVR = clonePtr(*src.lvmPV), *src.lvmPVR
}

// storageLayout converts the disk layout of m to a [disko.Layout]. The
// diagnostics hold the problems the conversion finds itself (an unknown
// media, a container with several contents); the layout is returned even
// then, with the first content of each container, so that the caller can
// still run [disko.Layout.Validate] for further problems. The index maps
// the elements of the layout back to the ranges they came from, for
// [storageDiagnostics].
func (m *Machine) storageLayout() (*disko.Layout, *storageIndex, hcl.Diagnostics) {
	return m.convertStorage(newStorageIndex(m.DefRange))
}

// storageLayoutOnly is storageLayout without the index, which only
// diagnostics about the layout need.
func (m *Machine) storageLayoutOnly() (*disko.Layout, hcl.Diagnostics) {
	l, _, diags := m.convertStorage(nil)
	return l, diags
}

// convertStorage converts the disk layout of m, recording its elements in
// idx unless idx is nil. The layout holds the lists and pointers of m
// rather than copies, since neither m nor the layout is changed once
// converted.
func (m *Machine) convertStorage(idx *storageIndex) (*disko.Layout, *storageIndex, hcl.Diagnostics) {
	c := &storageConverter{idx: idx}
	l := &disko.Layout{}
	if len(m.Disks) > 0 {
		l.Disks = make([]disko.Disk, 0, len(m.Disks))
	}
	for i := range m.Disks {
		l.Disks = append(l.Disks, c.disk(&m.Disks[i]))
	}
	for i := range m.Arrays {
		l.Arrays = append(l.Arrays, c.array(&m.Arrays[i]))
	}
	for i := range m.Pools {
		l.Pools = append(l.Pools, c.pool(&m.Pools[i]))
	}
	for i := range m.VolumeGroups {
		l.VolumeGroups = append(l.VolumeGroups, c.volumeGroup(&m.VolumeGroups[i]))
	}
	for i := range m.Nodev {
		l.Nodev = append(l.Nodev, c.nodev(&m.Nodev[i]))
	}
	return l, c.idx, c.diags
}

// storageIndex maps the elements of a converted layout, as a [disko.Where]
// names them, to the source ranges of the blocks and attributes they came
// from.
type storageIndex struct {
	// root is the range of the machine, for diagnostics about the layout
	// as a whole.
	root hcl.Range
	// entries holds, by element path, one entry per definition: more than
	// one when two elements share a name.
	entries map[string][]*indexEntry
}

// indexEntry holds the ranges of one element.
type indexEntry struct {
	rng hcl.Range
	// fields are the ranges of the element's own fields, by disko's
	// spelling ("size", "mountpoint", "lvm_type", "content"…).
	fields map[string]hcl.Range
	// content are the ranges of the fields of the element's content when
	// that content is not an element of its own (a filesystem, swap,
	// btrfs volume or membership): disko's Where names them as fields of
	// the element. The key "" is the range of the content itself.
	content map[string]hcl.Range
}

func newStorageIndex(root hcl.Range) *storageIndex {
	return &storageIndex{root: root, entries: make(map[string][]*indexEntry)}
}

// wherePathKey returns the map key of an element path.
func wherePathKey(steps []disko.Step) string {
	return disko.Where{Steps: steps}.String()
}

// add records an element defined at rng and returns its entry.
func (x *storageIndex) add(steps []disko.Step, rng hcl.Range) *indexEntry {
	if x == nil {
		return nil
	}
	e := &indexEntry{rng: rng, fields: make(map[string]hcl.Range), content: make(map[string]hcl.Range)}
	k := wherePathKey(steps)
	x.entries[k] = append(x.entries[k], e)
	return e
}

// entry returns the occ-th definition of the element at steps (the last
// one if there are fewer), or nil.
func (x *storageIndex) entry(steps []disko.Step, occ int) *indexEntry {
	es := x.entries[wherePathKey(steps)]
	if len(es) == 0 {
		return nil
	}
	return es[min(occ, len(es)-1)]
}

// field records the range of field f of the element, if known.
func (e *indexEntry) field(f string, r hcl.Range) {
	if e != nil && storageRangeSet(r) {
		e.fields[f] = r
	}
}

// contentField records the range of field f of the element's content, if
// known.
func (e *indexEntry) contentField(f string, r hcl.Range) {
	if e != nil && storageRangeSet(r) {
		e.content[f] = r
	}
}

// storageRangeSet reports whether r was set by the decoder.
func storageRangeSet(r hcl.Range) bool {
	return r != hcl.Range{}
}

// isContentCode reports whether the Field of a diagnostic with the given
// code names a field of the content of the element rather than of the
// element itself.
func isContentCode(code string) bool {
	switch code {
	case disko.CodeFilesystem, disko.CodeSwap, disko.CodeUnknownContainer:
		return true
	}
	return false
}

// isSharedField reports whether both an element and its content can have
// field f; for such a field, a diagnostic whose code is not a content code
// is never about the content's.
func isSharedField(f string) bool {
	switch f {
	case "name", "priority", "pool", "extraArgs", "mountOptions":
		return true
	}
	return false
}

// lookup returns the range of w for a diagnostic with the given code: the
// range of its field if known, else of its element, else of the nearest
// enclosing element, else of the machine. occ selects among definitions
// of elements that share a path.
func (x *storageIndex) lookup(w disko.Where, code string, occ int) (hcl.Range, bool) {
	if e := x.entry(w.Steps, occ); e != nil {
		if w.Field != "" {
			if r, ok := e.fieldRange(w.Field, code); ok {
				return r, true
			}
		}
		if storageRangeSet(e.rng) {
			return e.rng, true
		}
	}
	for n := len(w.Steps) - 1; n > 0; n-- {
		if e := x.entry(w.Steps[:n], 0); e != nil && storageRangeSet(e.rng) {
			return e.rng, true
		}
	}
	return x.root, storageRangeSet(x.root)
}

// fieldRange returns the range of field f of the element or its content.
func (e *indexEntry) fieldRange(f, code string) (hcl.Range, bool) {
	if isContentCode(code) {
		if r, ok := e.content[f]; ok {
			return r, true
		}
		if r, ok := e.content[""]; ok {
			return r, true
		}
	}
	if r, ok := e.fields[f]; ok {
		return r, true
	}
	if !isSharedField(f) {
		if r, ok := e.content[f]; ok {
			return r, true
		}
	}
	return hcl.Range{}, false
}

// storageDiagnostics turns the diagnostics of [disko.Layout.Validate] into
// HCL diagnostics whose Subject is the source range of the element or
// attribute concerned, and whose Detail gives the positions of the other
// elements involved. Extra holds the original [disko.Diagnostic].
func storageDiagnostics(ds disko.Diagnostics, idx *storageIndex) hcl.Diagnostics {
	if idx == nil {
		idx = newStorageIndex(hcl.Range{})
	}
	out := make(hcl.Diagnostics, 0, len(ds))
	// seen counts, per code and path, the diagnostics about elements that
	// share their path with a related element (two disks of one name):
	// the n-th such diagnostic is about the n+1-th definition.
	seen := make(map[string]int)
	for _, d := range ds {
		occ := 0
		key := wherePathKey(d.Where.Steps)
		for _, r := range d.Related {
			if wherePathKey(r.Steps) == key {
				seen[d.Code+"\x00"+key]++
				occ = seen[d.Code+"\x00"+key]
				break
			}
		}
		hd := &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  storageCapitalize(d.Summary),
			Detail:   d.Detail,
			Extra:    d,
		}
		if d.Severity == disko.SeverityWarning {
			hd.Severity = hcl.DiagWarning
		}
		if r, ok := idx.lookup(d.Where, d.Code, occ); ok {
			hd.Subject = r.Ptr()
		} else if s := d.Where.String(); s != "" {
			hd.Detail = "In " + s + ": " + hd.Detail
		}
		var at []string
		for _, rw := range d.Related {
			if r, ok := idx.lookup(rw, d.Code, 0); ok {
				at = append(at, storagePos(r))
			}
		}
		if len(at) > 0 {
			hd.Detail = strings.TrimSpace(hd.Detail + " " + storageRelatedSentence(d.Code, at))
		}
		out = append(out, hd)
	}
	return out
}

// storageRelatedSentence names the positions of the related elements of a
// diagnostic.
func storageRelatedSentence(code string, at []string) string {
	switch code {
	case disko.CodeDuplicateName, disko.CodeDuplicateDevice, disko.CodeDuplicateMountpoint, disko.CodeDuplicateLabel:
		if len(at) == 1 {
			return "The other definition is at " + at[0] + "."
		}
		return "The other definitions are at " + storageJoinAnd(at) + "."
	}
	return "See also " + storageJoinAnd(at) + "."
}

// storageJoinAnd joins xs as "a, b and c".
func storageJoinAnd(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// storagePos returns FILE:LINE:COL of the start of r.
func storagePos(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// storageCapitalize upper-cases the first letter of s, the style of HCL
// summaries.
func storageCapitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// storageConverter converts the storage blocks of a machine, collecting
// diagnostics and the index.
type storageConverter struct {
	idx   *storageIndex
	diags hcl.Diagnostics
}

func (c *storageConverter) errorf(subject hcl.Range, summary, format string, args ...any) {
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
	}
	if storageRangeSet(subject) {
		d.Subject = subject.Ptr()
	}
	c.diags = append(c.diags, d)
}

// whereStep returns steps extended by a named step, without sharing the
// backing array of steps.
func whereStep(steps []disko.Step, kind, name string) []disko.Step {
	return append(slices.Clip(steps), disko.Step{Kind: kind, Name: name})
}

// whereIndex returns steps extended by a list position.
func whereIndex(steps []disko.Step, kind string, i int) []disko.Step {
	return append(slices.Clip(steps), disko.Step{Kind: kind, Index: i, Indexed: true})
}

// whereStep is the function whereStep when the converter records an
// index, which alone reads the steps, and nil otherwise.
func (c *storageConverter) whereStep(steps []disko.Step, kind, name string) []disko.Step {
	if c.idx == nil {
		return nil
	}
	return whereStep(steps, kind, name)
}

// whereIndex is the function whereIndex when the converter records an
// index, and nil otherwise.
func (c *storageConverter) whereIndex(steps []disko.Step, kind string, i int) []disko.Step {
	if c.idx == nil {
		return nil
	}
	return whereIndex(steps, kind, i)
}

func (c *storageConverter) disk(d *Disk) disko.Disk {
	steps := c.whereStep(nil, "disk", d.Name)
	e := c.idx.add(steps, d.DefRange)
	e.field("name", d.NameRange)
	e.field("device", d.DeviceRange)
	e.field("media", d.MediaRange)
	out := disko.Disk{Name: d.Name, Device: storageDeref(d.Device)}
	if d.Media != nil {
		switch *d.Media {
		case "hdd":
			out.Media = disko.MediaHDD
		case "ssd":
			out.Media = disko.MediaSSD
		case "nvme":
			out.Media = disko.MediaNVMe
		default:
			c.errorf(d.MediaRange, "Invalid media",
				"The media of disk %q must be \"hdd\" (a rotational disk), \"ssd\" (a solid-state disk on SATA or SAS) or \"nvme\"; %q is none of them. Leave it out if the kind of disk is not known.",
				d.Name, *d.Media)
		}
	}
	out.Content = c.content(d.slots(), steps, e, "disk", d.Name)
	return out
}

// content converts the content of a container whose element is at steps
// and recorded in e. The container is called kind name in messages, for
// example disk "sda".
func (c *storageConverter) content(s contentSlots, steps []disko.Step, e *indexEntry, kind, name string) disko.DeviceContent {
	var buf [8]contentItem
	items := s.appendItems(buf[:0])
	if len(items) == 0 {
		return nil
	}
	first := items[0]
	for _, extra := range items[1:] {
		what := kind + " " + strconv.Quote(name)
		where := ""
		if storageRangeSet(first.rng) {
			where = " at " + storagePos(first.rng)
		}
		c.errorf(extra.rng, "More than one content",
			"%s already holds %s%s, so it cannot also hold %s: a device holds exactly one content (a gpt, filesystem, swap, btrfs or luks block, or one of mdraid, zfs and lvm_pv). Remove one of them, or put the second one in a partition of its own.",
			storageCapitalize(what), storageContentNoun(first.kind), where, storageContentNoun(extra.kind))
	}
	e.field("content", first.rng)
	e.contentField("", first.rng)
	switch first.kind {
	case "gpt":
		return c.gpt(*s.gpt, steps)
	case "filesystem":
		return c.filesystem(*s.filesystem, e)
	case "swap":
		return c.swap(*s.swap, e)
	case "btrfs":
		return c.btrfs(*s.btrfs, steps, e)
	case "luks":
		return c.luks(*s.luks, steps)
	case "mdraid":
		e.contentField("name", *s.mdraidR)
		return &disko.MDRaid{Array: **s.mdraid}
	case "zfs":
		e.contentField("pool", *s.zfsR)
		return &disko.ZFS{Pool: **s.zfs}
	case "lvm_pv":
		e.contentField("vg", *s.lvmPVR)
		return &disko.LVMPV{VG: **s.lvmPV}
	}
	return nil
}

// storageContentNoun names a content kind in messages.
func storageContentNoun(kind string) string {
	switch kind {
	case "gpt":
		return "a gpt partition table"
	case "filesystem":
		return "a filesystem"
	case "swap":
		return "swap"
	case "btrfs":
		return "a btrfs filesystem"
	case "luks":
		return "a LUKS container"
	case "mdraid":
		return "an mdadm array membership (mdraid)"
	case "zfs":
		return "a ZFS pool membership (zfs)"
	case "lvm_pv":
		return "an LVM physical volume (lvm_pv)"
	}
	return kind
}

// asDiskoContent returns dc as a partition content; a container without gpt
// slot never yields a *disko.GPT.
func asDiskoContent(dc disko.DeviceContent) disko.Content {
	if x, ok := dc.(disko.Content); ok {
		return x
	}
	return nil
}

func (c *storageConverter) gpt(g *GPT, steps []disko.Step) disko.DeviceContent {
	out := &disko.GPT{}
	if len(g.Partitions) > 0 {
		out.Partitions = make([]disko.Partition, 0, len(g.Partitions))
	}
	for i := range g.Partitions {
		p := &g.Partitions[i]
		ps := c.whereStep(steps, "partition", p.Name)
		e := c.idx.add(ps, p.DefRange)
		e.field("name", p.NameRange)
		e.field("size", p.SizeRange)
		e.field("start", p.StartRange)
		e.field("end", p.EndRange)
		e.field("type", p.TypeRange)
		e.field("priority", p.PriorityRange)
		e.field("label", p.LabelRange)
		e.field("uuid", p.UUIDRange)
		e.field("attributes", p.AttributesRange)
		out.Partitions = append(out.Partitions, disko.Partition{
			Name:       p.Name,
			Type:       storageDeref(p.Type),
			Size:       storageDeref(p.Size),
			Start:      storageDeref(p.Start),
			End:        storageDeref(p.End),
			Priority:   p.Priority,
			Label:      storageDeref(p.Label),
			UUID:       storageDeref(p.UUID),
			Attributes: p.Attributes,
			Content:    asDiskoContent(c.content(p.slots(), ps, e, "partition", p.Name)),
		})
	}
	return out
}

func (c *storageConverter) filesystem(f *Filesystem, e *indexEntry) disko.DeviceContent {
	e.contentField("format", f.FormatRange)
	e.contentField("mountpoint", f.MountpointRange)
	e.contentField("mountOptions", f.MountOptionsRange)
	e.contentField("extraArgs", f.ExtraArgsRange)
	return &disko.Filesystem{
		Format:       f.Format,
		ExtraArgs:    f.ExtraArgs,
		Mountpoint:   f.Mountpoint,
		MountOptions: f.MountOptions,
	}
}

func (c *storageConverter) swap(s *Swap, e *indexEntry) disko.DeviceContent {
	e.contentField("randomEncryption", s.RandomEncryptionRange)
	e.contentField("resumeDevice", s.ResumeDeviceRange)
	e.contentField("priority", s.PriorityRange)
	e.contentField("discardPolicy", s.DiscardPolicyRange)
	e.contentField("mountOptions", s.MountOptionsRange)
	e.contentField("extraArgs", s.ExtraArgsRange)
	return &disko.Swap{
		DiscardPolicy:    s.DiscardPolicy,
		Priority:         s.Priority,
		RandomEncryption: s.RandomEncryption,
		ResumeDevice:     s.ResumeDevice,
		ExtraArgs:        s.ExtraArgs,
		MountOptions:     s.MountOptions,
	}
}

func (c *storageConverter) btrfs(b *Btrfs, steps []disko.Step, e *indexEntry) disko.DeviceContent {
	e.contentField("extraArgs", b.ExtraArgsRange)
	e.contentField("mountpoint", b.MountpointRange)
	e.contentField("mountOptions", b.MountOptionsRange)
	out := &disko.Btrfs{
		ExtraArgs:    b.ExtraArgs,
		Mountpoint:   b.Mountpoint,
		MountOptions: b.MountOptions,
		SwapFiles:    c.swapFiles(b.SwapFiles, steps),
	}
	if len(b.Subvolumes) > 0 {
		out.Subvolumes = make([]disko.Subvolume, 0, len(b.Subvolumes))
	}
	for i := range b.Subvolumes {
		s := &b.Subvolumes[i]
		ss := c.whereStep(steps, "subvolume", s.Name)
		se := c.idx.add(ss, s.DefRange)
		se.field("name", s.NameRange)
		se.field("mountpoint", s.MountpointRange)
		se.field("mountOptions", s.MountOptionsRange)
		se.field("extraArgs", s.ExtraArgsRange)
		out.Subvolumes = append(out.Subvolumes, disko.Subvolume{
			Name:         s.Name,
			ExtraArgs:    s.ExtraArgs,
			Mountpoint:   s.Mountpoint,
			MountOptions: s.MountOptions,
			SwapFiles:    c.swapFiles(s.SwapFiles, ss),
		})
	}
	return out
}

func (c *storageConverter) swapFiles(fs []SwapFile, steps []disko.Step) []disko.SwapFile {
	var out []disko.SwapFile
	for i := range fs {
		f := &fs[i]
		e := c.idx.add(c.whereStep(steps, "swapfile", f.Path), f.DefRange)
		e.field("path", f.PathRange)
		e.field("size", f.SizeRange)
		e.field("priority", f.PriorityRange)
		e.field("options", f.OptionsRange)
		out = append(out, disko.SwapFile{
			Path:     f.Path,
			Size:     f.Size,
			Priority: f.Priority,
			Options:  f.Options,
		})
	}
	return out
}

func (c *storageConverter) luks(l *LUKS, steps []disko.Step) disko.DeviceContent {
	ls := c.whereStep(steps, "luks", l.Name)
	e := c.idx.add(ls, l.DefRange)
	e.field("name", l.NameRange)
	e.field("passwordFile", l.PasswordFileRange)
	e.field("settings.keyFile", l.KeyFileRange)
	e.field("additionalKeyFiles", l.AdditionalKeyFilesRange)
	return &disko.LUKS{
		Name:         l.Name,
		PasswordFile: l.PasswordFile,
		Settings: disko.LUKSSettings{
			KeyFile:          l.KeyFile,
			KeyFileSize:      l.KeyFileSize,
			KeyFileOffset:    l.KeyFileOffset,
			AllowDiscards:    l.AllowDiscards,
			BypassWorkqueues: l.BypassWorkqueues,
		},
		AdditionalKeyFiles: l.AdditionalKeyFiles,
		SkipInitrdUnlock:   l.InitrdUnlock != nil && !*l.InitrdUnlock,
		ExtraFormatArgs:    l.ExtraFormatArgs,
		ExtraOpenArgs:      l.ExtraOpenArgs,
		Content:            c.content(l.slots(), ls, e, "LUKS container", l.Name),
	}
}

func (c *storageConverter) array(a *Array) disko.MDADM {
	steps := c.whereStep(nil, "mdadm", a.Name)
	e := c.idx.add(steps, a.DefRange)
	e.field("name", a.NameRange)
	e.field("level", a.LevelRange)
	e.field("metadata", a.MetadataRange)
	e.field("extraArgs", a.ExtraArgsRange)
	return disko.MDADM{
		Name:      a.Name,
		Level:     raidLevel(a.Level),
		Metadata:  storageDeref(a.Metadata),
		ExtraArgs: a.ExtraArgs,
		Content:   c.content(a.slots(), steps, e, "mdadm array", a.Name),
	}
}

// raidLevel returns the disko level of an HCL level: a number such as 1
// (read as the string "1") becomes "raid1"; names pass through in lower
// case, and disko's validation reports unknown ones.
func raidLevel(s *string) disko.RAIDLevel {
	if s == nil {
		return disko.RAIDDefault
	}
	v := strings.ToLower(strings.TrimSpace(*s))
	if v != "" && strings.Trim(v, "0123456789") == "" {
		return disko.RAIDLevel("raid" + v)
	}
	return disko.RAIDLevel(v)
}

// zfsMode returns the disko mode of an HCL mode; "stripe" is the empty
// mode.
func zfsMode(s string) disko.ZFSMode {
	if s == "stripe" {
		return disko.ZFSStripe
	}
	return disko.ZFSMode(s)
}

func (c *storageConverter) pool(p *Pool) disko.ZPool {
	steps := c.whereStep(nil, "zpool", p.Name)
	e := c.idx.add(steps, p.DefRange)
	e.field("name", p.NameRange)
	e.field("mode", p.ModeRange)
	e.field("options", p.OptionsRange)
	e.field("rootFsOptions", p.RootFSOptionsRange)
	e.field("mountpoint", p.MountpointRange)
	e.field("mountOptions", p.MountOptionsRange)
	out := disko.ZPool{
		Name:          p.Name,
		Mode:          zfsMode(storageDeref(p.Mode)),
		Options:       maps.Clone(p.Options),
		RootFSOptions: maps.Clone(p.RootFSOptions),
		Mountpoint:    storageDeref(p.Mountpoint),
		MountOptions:  p.MountOptions,
	}
	if t := p.Topology; t != nil {
		e.field("topology", t.DefRange)
		out.Topology = &disko.Topology{
			Vdevs:   c.vdevs("vdev", t.Vdevs, steps),
			Log:     c.vdevs("log", t.Log, steps),
			Special: c.vdevs("special", t.Special, steps),
			Dedup:   c.vdevs("dedup", t.Dedup, steps),
			Cache:   c.refs("cache", t.Cache, t.CacheRange, t.DefRange, steps),
			Spare:   c.refs("spare", t.Spare, t.SpareRange, t.DefRange, steps),
		}
	}
	for i := range p.Datasets {
		d := &p.Datasets[i]
		de := c.idx.add(c.whereStep(steps, "dataset", d.Name), d.DefRange)
		de.field("name", d.NameRange)
		de.field("mountpoint", d.MountpointRange)
		de.field("mountOptions", d.MountOptionsRange)
		de.field("options", d.OptionsRange)
		out.Datasets = append(out.Datasets, disko.Dataset{
			Name:         d.Name,
			Mountpoint:   storageDeref(d.Mountpoint),
			MountOptions: d.MountOptions,
			Options:      maps.Clone(d.Options),
		})
	}
	for i := range p.Volumes {
		v := &p.Volumes[i]
		vs := c.whereStep(steps, "volume", v.Name)
		ve := c.idx.add(vs, v.DefRange)
		ve.field("name", v.NameRange)
		ve.field("size", v.SizeRange)
		ve.field("options", v.OptionsRange)
		ve.field("extraArgs", v.ExtraArgsRange)
		out.Volumes = append(out.Volumes, disko.Volume{
			Name:      v.Name,
			Size:      storageDeref(v.Size),
			Options:   maps.Clone(v.Options),
			ExtraArgs: v.ExtraArgs,
			Content:   asDiskoContent(c.content(v.slots(), vs, ve, "ZFS volume", v.Name)),
		})
	}
	return out
}

// vdevs converts the vdevs of one kind of a topology; disko names them
// kind[i] and their members member[j]. A member has no range of its own:
// it maps to the members list.
func (c *storageConverter) vdevs(kind string, vs []Vdev, steps []disko.Step) []disko.Vdev {
	var out []disko.Vdev
	for i := range vs {
		v := &vs[i]
		vs := c.whereIndex(steps, kind, i)
		e := c.idx.add(vs, v.DefRange)
		e.field("mode", v.ModeRange)
		e.field("members", v.MembersRange)
		for j := range v.Members {
			c.idx.add(c.whereIndex(vs, "member", j), v.MembersRange)
		}
		out = append(out, disko.Vdev{Mode: zfsMode(v.Mode), Members: v.Members})
	}
	return out
}

// refs converts the cache or spare list of a topology, whose entries disko
// names kind[j].
func (c *storageConverter) refs(kind string, refs []string, rng, def hcl.Range, steps []disko.Step) []string {
	if !storageRangeSet(rng) {
		rng = def
	}
	for j := range refs {
		c.idx.add(c.whereIndex(steps, kind, j), rng)
	}
	return refs
}

func (c *storageConverter) volumeGroup(vg *VolumeGroup) disko.VolumeGroup {
	steps := c.whereStep(nil, "lvm_vg", vg.Name)
	e := c.idx.add(steps, vg.DefRange)
	e.field("name", vg.NameRange)
	out := disko.VolumeGroup{Name: vg.Name}
	for i := range vg.LVs {
		lv := &vg.LVs[i]
		ls := c.whereStep(steps, "lv", lv.Name)
		le := c.idx.add(ls, lv.DefRange)
		le.field("name", lv.NameRange)
		le.field("size", lv.SizeRange)
		le.field("lvm_type", lv.LVMTypeRange)
		le.field("pool", lv.PoolRange)
		le.field("priority", lv.PriorityRange)
		le.field("extraArgs", lv.ExtraArgsRange)
		out.LVs = append(out.LVs, disko.LogicalVolume{
			Name:      lv.Name,
			Size:      storageDeref(lv.Size),
			Type:      disko.LVMType(storageDeref(lv.LVMType)),
			Pool:      storageDeref(lv.Pool),
			Priority:  lv.Priority,
			ExtraArgs: lv.ExtraArgs,
			Content:   asDiskoContent(c.content(lv.slots(), ls, le, "logical volume", lv.Name)),
		})
	}
	return out
}

func (c *storageConverter) nodev(n *Nodev) disko.Nodev {
	e := c.idx.add(c.whereStep(nil, "nodev", n.Mountpoint), n.DefRange)
	e.field("mountpoint", n.MountpointRange)
	e.field("fsType", n.FSTypeRange)
	e.field("device", n.DeviceRange)
	e.field("mountOptions", n.MountOptionsRange)
	return disko.Nodev{
		Mountpoint:   n.Mountpoint,
		FSType:       storageDeref(n.FSType),
		Device:       storageDeref(n.Device),
		MountOptions: n.MountOptions,
	}
}

// mergeStorage merges the disk layout of layer over that of dst, field by
// field, layer winning: disks, arrays, pools, volume groups and nodev
// entries merge by name; within them, a field set in layer replaces the
// field of dst (with its range), option maps merge key by key, and
// partitions, datasets, ZFS volumes and logical volumes merge by name. A
// content set in layer replaces the content of dst as a whole, except that
// a gpt block over a gpt block merges the partitions; a topology block
// replaces the topology. Elements of layer that dst lacks are appended.
// The second and later elements of one name within layer are appended
// too, so that validation still reports the duplicate.
//
// dst owns the result: everything taken from layer, and dst's own layout,
// is deep-copied, so later changes to dst never reach layer or the
// values dst was copied from.
func mergeStorage(dst *Machine, layer *Machine) {
	dst.Disks = storageCloneAll(dst.Disks, (*Disk).clone)
	dst.Arrays = storageCloneAll(dst.Arrays, (*Array).clone)
	dst.Pools = storageCloneAll(dst.Pools, (*Pool).clone)
	dst.VolumeGroups = storageCloneAll(dst.VolumeGroups, (*VolumeGroup).clone)
	dst.Nodev = storageCloneAll(dst.Nodev, (*Nodev).clone)

	dst.Disks = storageMergeNamed(dst.Disks, layer.Disks, func(d *Disk) string { return d.Name }, (*Disk).merge, (*Disk).clone)
	dst.Arrays = storageMergeNamed(dst.Arrays, layer.Arrays, func(a *Array) string { return a.Name }, (*Array).merge, (*Array).clone)
	dst.Pools = storageMergeNamed(dst.Pools, layer.Pools, func(p *Pool) string { return p.Name }, (*Pool).merge, (*Pool).clone)
	dst.VolumeGroups = storageMergeNamed(dst.VolumeGroups, layer.VolumeGroups, func(v *VolumeGroup) string { return v.Name }, (*VolumeGroup).merge, (*VolumeGroup).clone)
	dst.Nodev = storageMergeNamed(dst.Nodev, layer.Nodev, func(n *Nodev) string { return n.Mountpoint }, (*Nodev).merge, (*Nodev).clone)
}

// storageMergeNamed merges layer into dst by name: the first element of layer
// with a name merges into the first element of dst with that name that was
// there before; the others are appended as copies.
func storageMergeNamed[T any](dst, layer []T, name func(*T) string, merge func(*T, *T), clone func(*T) T) []T {
	if len(layer) == 0 {
		return dst
	}
	n := len(dst)
	if n == 0 {
		// Every element of layer is appended.
		dst = make([]T, 0, len(layer))
	}
	taken := make(map[string]bool, len(layer))
	for i := range layer {
		l := &layer[i]
		k := name(l)
		if !taken[k] {
			taken[k] = true
			if j := slices.IndexFunc(dst[:n], func(d T) bool { return name(&d) == k }); j >= 0 {
				merge(&dst[j], l)
				continue
			}
		}
		dst = append(dst, clone(l))
	}
	return dst
}

// storageCloneAll returns deep copies of xs, nil for an empty slice.
func storageCloneAll[T any](xs []T, clone func(*T) T) []T {
	if len(xs) == 0 {
		return nil
	}
	out := make([]T, len(xs))
	for i := range xs {
		out[i] = clone(&xs[i])
	}
	return out
}

// storageDeref returns *p, or the zero value for nil.
func storageDeref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// storageOverMap merges src into *dst key by key when src is set; the range
// becomes that of src.
func storageOverMap(dst *map[string]string, dstR *hcl.Range, src map[string]string, srcR hcl.Range) {
	if src == nil {
		return
	}
	if *dst == nil {
		*dst = make(map[string]string, len(src))
	}
	maps.Copy(*dst, src)
	*dstR = srcR
}

// mergeContent merges the content of src over that of dst: a gpt over a
// gpt merges partitions; any other content set in src replaces dst's.
func mergeContent(dst, src contentSlots) {
	if !src.any() {
		return
	}
	if dst.gpt != nil && src.gpt != nil && *dst.gpt != nil && *src.gpt != nil && src.count() == 1 {
		(*dst.gpt).merge(*src.gpt)
		return
	}
	dst.clear()
	dst.copyFrom(src)
}

func (d *Disk) merge(l *Disk) {
	d.NameRange, d.DefRange = l.NameRange, l.DefRange
	overPtr(&d.Device, &d.DeviceRange, l.Device, l.DeviceRange)
	overPtr(&d.Media, &d.MediaRange, l.Media, l.MediaRange)
	mergeContent(d.slots(), l.slots())
}

func (d *Disk) clone() Disk {
	out := *d
	out.Device, out.Media = clonePtr(d.Device), clonePtr(d.Media)
	out.slots().copyFrom(d.slots())
	return out
}

func (g *GPT) merge(l *GPT) {
	g.DefRange = l.DefRange
	g.Partitions = storageMergeNamed(g.Partitions, l.Partitions, func(p *Partition) string { return p.Name }, (*Partition).merge, (*Partition).clone)
}

func (g *GPT) clone() *GPT {
	if g == nil {
		return nil
	}
	return &GPT{Partitions: storageCloneAll(g.Partitions, (*Partition).clone), DefRange: g.DefRange}
}

func (p *Partition) merge(l *Partition) {
	p.NameRange, p.DefRange = l.NameRange, l.DefRange
	overPtr(&p.Size, &p.SizeRange, l.Size, l.SizeRange)
	overPtr(&p.Start, &p.StartRange, l.Start, l.StartRange)
	overPtr(&p.End, &p.EndRange, l.End, l.EndRange)
	overPtr(&p.Type, &p.TypeRange, l.Type, l.TypeRange)
	overPtr(&p.Priority, &p.PriorityRange, l.Priority, l.PriorityRange)
	overPtr(&p.Label, &p.LabelRange, l.Label, l.LabelRange)
	overPtr(&p.UUID, &p.UUIDRange, l.UUID, l.UUIDRange)
	overList(&p.Attributes, &p.AttributesRange, l.Attributes, l.AttributesRange)
	mergeContent(p.slots(), l.slots())
}

func (p *Partition) clone() Partition {
	out := *p
	out.Size, out.Start, out.End = clonePtr(p.Size), clonePtr(p.Start), clonePtr(p.End)
	out.Type, out.Priority = clonePtr(p.Type), clonePtr(p.Priority)
	out.Label, out.UUID = clonePtr(p.Label), clonePtr(p.UUID)
	out.Attributes = slices.Clone(p.Attributes)
	out.slots().copyFrom(p.slots())
	return out
}

func (f *Filesystem) clone() *Filesystem {
	if f == nil {
		return nil
	}
	out := *f
	out.MountOptions, out.ExtraArgs = slices.Clone(f.MountOptions), slices.Clone(f.ExtraArgs)
	return &out
}

func (s *Swap) clone() *Swap {
	if s == nil {
		return nil
	}
	out := *s
	out.Priority = clonePtr(s.Priority)
	out.MountOptions, out.ExtraArgs = slices.Clone(s.MountOptions), slices.Clone(s.ExtraArgs)
	return &out
}

func (b *Btrfs) clone() *Btrfs {
	if b == nil {
		return nil
	}
	out := *b
	out.ExtraArgs, out.MountOptions = slices.Clone(b.ExtraArgs), slices.Clone(b.MountOptions)
	out.Subvolumes = storageCloneAll(b.Subvolumes, (*Subvolume).clone)
	out.SwapFiles = storageCloneAll(b.SwapFiles, (*SwapFile).clone)
	return &out
}

func (s *Subvolume) clone() Subvolume {
	out := *s
	out.MountOptions, out.ExtraArgs = slices.Clone(s.MountOptions), slices.Clone(s.ExtraArgs)
	out.SwapFiles = storageCloneAll(s.SwapFiles, (*SwapFile).clone)
	return out
}

func (f *SwapFile) clone() SwapFile {
	out := *f
	out.Priority = clonePtr(f.Priority)
	out.Options = slices.Clone(f.Options)
	return out
}

func (l *LUKS) clone() *LUKS {
	if l == nil {
		return nil
	}
	out := *l
	out.AdditionalKeyFiles = slices.Clone(l.AdditionalKeyFiles)
	out.InitrdUnlock = clonePtr(l.InitrdUnlock)
	out.ExtraFormatArgs, out.ExtraOpenArgs = slices.Clone(l.ExtraFormatArgs), slices.Clone(l.ExtraOpenArgs)
	out.slots().copyFrom(l.slots())
	return &out
}

func (a *Array) merge(l *Array) {
	a.NameRange, a.DefRange = l.NameRange, l.DefRange
	overPtr(&a.Level, &a.LevelRange, l.Level, l.LevelRange)
	overPtr(&a.Metadata, &a.MetadataRange, l.Metadata, l.MetadataRange)
	overList(&a.ExtraArgs, &a.ExtraArgsRange, l.ExtraArgs, l.ExtraArgsRange)
	mergeContent(a.slots(), l.slots())
}

func (a *Array) clone() Array {
	out := *a
	out.Level, out.Metadata = clonePtr(a.Level), clonePtr(a.Metadata)
	out.ExtraArgs = slices.Clone(a.ExtraArgs)
	out.slots().copyFrom(a.slots())
	return out
}

func (p *Pool) merge(l *Pool) {
	p.NameRange, p.DefRange = l.NameRange, l.DefRange
	overPtr(&p.Mode, &p.ModeRange, l.Mode, l.ModeRange)
	storageOverMap(&p.Options, &p.OptionsRange, l.Options, l.OptionsRange)
	storageOverMap(&p.RootFSOptions, &p.RootFSOptionsRange, l.RootFSOptions, l.RootFSOptionsRange)
	overPtr(&p.Mountpoint, &p.MountpointRange, l.Mountpoint, l.MountpointRange)
	overList(&p.MountOptions, &p.MountOptionsRange, l.MountOptions, l.MountOptionsRange)
	if l.Topology != nil {
		p.Topology = l.Topology.clone()
	}
	p.Datasets = storageMergeNamed(p.Datasets, l.Datasets, func(d *Dataset) string { return d.Name }, (*Dataset).merge, (*Dataset).clone)
	p.Volumes = storageMergeNamed(p.Volumes, l.Volumes, func(v *Volume) string { return v.Name }, (*Volume).merge, (*Volume).clone)
}

func (p *Pool) clone() Pool {
	out := *p
	out.Mode, out.Mountpoint = clonePtr(p.Mode), clonePtr(p.Mountpoint)
	out.Options, out.RootFSOptions = maps.Clone(p.Options), maps.Clone(p.RootFSOptions)
	out.MountOptions = slices.Clone(p.MountOptions)
	out.Topology = p.Topology.clone()
	out.Datasets = storageCloneAll(p.Datasets, (*Dataset).clone)
	out.Volumes = storageCloneAll(p.Volumes, (*Volume).clone)
	return out
}

func (t *Topology) clone() *Topology {
	if t == nil {
		return nil
	}
	out := *t
	out.Vdevs = storageCloneAll(t.Vdevs, (*Vdev).clone)
	out.Log = storageCloneAll(t.Log, (*Vdev).clone)
	out.Special = storageCloneAll(t.Special, (*Vdev).clone)
	out.Dedup = storageCloneAll(t.Dedup, (*Vdev).clone)
	out.Cache, out.Spare = slices.Clone(t.Cache), slices.Clone(t.Spare)
	return &out
}

func (v *Vdev) clone() Vdev {
	out := *v
	out.Members = slices.Clone(v.Members)
	return out
}

func (d *Dataset) merge(l *Dataset) {
	d.NameRange, d.DefRange = l.NameRange, l.DefRange
	overPtr(&d.Mountpoint, &d.MountpointRange, l.Mountpoint, l.MountpointRange)
	overList(&d.MountOptions, &d.MountOptionsRange, l.MountOptions, l.MountOptionsRange)
	storageOverMap(&d.Options, &d.OptionsRange, l.Options, l.OptionsRange)
}

func (d *Dataset) clone() Dataset {
	out := *d
	out.Mountpoint = clonePtr(d.Mountpoint)
	out.MountOptions = slices.Clone(d.MountOptions)
	out.Options = maps.Clone(d.Options)
	return out
}

func (v *Volume) merge(l *Volume) {
	v.NameRange, v.DefRange = l.NameRange, l.DefRange
	overPtr(&v.Size, &v.SizeRange, l.Size, l.SizeRange)
	storageOverMap(&v.Options, &v.OptionsRange, l.Options, l.OptionsRange)
	overList(&v.ExtraArgs, &v.ExtraArgsRange, l.ExtraArgs, l.ExtraArgsRange)
	mergeContent(v.slots(), l.slots())
}

func (v *Volume) clone() Volume {
	out := *v
	out.Size = clonePtr(v.Size)
	out.Options = maps.Clone(v.Options)
	out.ExtraArgs = slices.Clone(v.ExtraArgs)
	out.slots().copyFrom(v.slots())
	return out
}

func (vg *VolumeGroup) merge(l *VolumeGroup) {
	vg.NameRange, vg.DefRange = l.NameRange, l.DefRange
	vg.LVs = storageMergeNamed(vg.LVs, l.LVs, func(lv *LogicalVolume) string { return lv.Name }, (*LogicalVolume).merge, (*LogicalVolume).clone)
}

func (vg *VolumeGroup) clone() VolumeGroup {
	out := *vg
	out.LVs = storageCloneAll(vg.LVs, (*LogicalVolume).clone)
	return out
}

func (lv *LogicalVolume) merge(l *LogicalVolume) {
	lv.NameRange, lv.DefRange = l.NameRange, l.DefRange
	overPtr(&lv.Size, &lv.SizeRange, l.Size, l.SizeRange)
	overPtr(&lv.LVMType, &lv.LVMTypeRange, l.LVMType, l.LVMTypeRange)
	overPtr(&lv.Pool, &lv.PoolRange, l.Pool, l.PoolRange)
	overPtr(&lv.Priority, &lv.PriorityRange, l.Priority, l.PriorityRange)
	overList(&lv.ExtraArgs, &lv.ExtraArgsRange, l.ExtraArgs, l.ExtraArgsRange)
	mergeContent(lv.slots(), l.slots())
}

func (lv *LogicalVolume) clone() LogicalVolume {
	out := *lv
	out.Size, out.LVMType = clonePtr(lv.Size), clonePtr(lv.LVMType)
	out.Pool, out.Priority = clonePtr(lv.Pool), clonePtr(lv.Priority)
	out.ExtraArgs = slices.Clone(lv.ExtraArgs)
	out.slots().copyFrom(lv.slots())
	return out
}

func (n *Nodev) merge(l *Nodev) {
	n.MountpointRange, n.DefRange = l.MountpointRange, l.DefRange
	overPtr(&n.FSType, &n.FSTypeRange, l.FSType, l.FSTypeRange)
	overPtr(&n.Device, &n.DeviceRange, l.Device, l.DeviceRange)
	overList(&n.MountOptions, &n.MountOptionsRange, l.MountOptions, l.MountOptionsRange)
}

func (n *Nodev) clone() Nodev {
	out := *n
	out.FSType, out.Device = clonePtr(n.FSType), clonePtr(n.Device)
	out.MountOptions = slices.Clone(n.MountOptions)
	return out
}
