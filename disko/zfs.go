package disko

// ZPool is a ZFS pool, disko's zpool type. Its members are the [ZFS]
// contents that name it.
//
// The layout of the members is either Mode, which applies to all members
// together, or Topology, which places each member in a vdev explicitly.
// A host with ZFS also needs networking.hostId; see [HostID].
type ZPool struct {
	// Name is the pool name.
	Name string
	// Mode is the vdev type of all members together: "" (a stripe),
	// [ZFSMirror], [ZFSRaidz1], [ZFSRaidz2] or [ZFSRaidz3]. It must be
	// empty when Topology is set.
	Mode ZFSMode
	// Topology, when not nil, places every member of the pool explicitly,
	// and allows log, cache, special, dedup and spare devices.
	Topology *Topology
	// Options are pool properties (zpool create -o), for example
	// "ashift": "12".
	Options map[string]string
	// RootFSOptions are properties of the root dataset (zpool create -O),
	// for example "compression": "zstd", "mountpoint": "none".
	RootFSOptions map[string]string
	// Mountpoint is where the root dataset is mounted; empty leaves it
	// unmounted.
	Mountpoint string
	// MountOptions are the mount options of the root dataset; nil means
	// ["defaults"].
	MountOptions []string
	// Datasets are the filesystems of the pool (disko's zfs_fs).
	Datasets []Dataset
	// Volumes are the block volumes of the pool (disko's zfs_volume). They
	// share the name space of Datasets.
	Volumes []Volume
}

// ZFSMode is a vdev type.
type ZFSMode string

// The vdev types disko accepts.
const (
	// ZFSStripe is a plain device or stripe, no redundancy.
	ZFSStripe ZFSMode = ""
	// ZFSMirror mirrors its members.
	ZFSMirror ZFSMode = "mirror"
	// ZFSRaidz is single-parity raidz, the same as [ZFSRaidz1].
	ZFSRaidz ZFSMode = "raidz"
	// ZFSRaidz1 is single-parity raidz.
	ZFSRaidz1 ZFSMode = "raidz1"
	// ZFSRaidz2 is double-parity raidz.
	ZFSRaidz2 ZFSMode = "raidz2"
	// ZFSRaidz3 is triple-parity raidz.
	ZFSRaidz3 ZFSMode = "raidz3"
)

// zfsModeInfo returns the fewest members a vdev of mode m needs, the
// fewest below which it draws a warning, and whether the mode is one disko
// accepts. A mirror needs two members and raidzN needs N+1 (zpoolconcepts(7):
// "a raidz group with N disks of size X with P parity disks can hold
// approximately (N-P)*X bytes"); a two-disk raidz1 works but is a mirror
// with more overhead, so it is only warned about.
func zfsModeInfo(m ZFSMode) (minMembers, warnBelow int, ok bool) {
	switch m {
	case ZFSStripe:
		return 1, 1, true
	case ZFSMirror:
		return 2, 2, true
	case ZFSRaidz, ZFSRaidz1:
		return 2, 3, true
	case ZFSRaidz2:
		return 3, 3, true
	case ZFSRaidz3:
		return 4, 4, true
	}
	return 0, 0, false
}

// Topology is an explicit pool layout, disko's topology mode.
//
// A member is written as one of:
//   - "DISK": the ZFS member on disk DISK, either the disk itself (its
//     content, possibly inside LUKS, is a [ZFS] member) or its only
//     partition that is a member of this pool;
//   - "DISK/PARTITION": the ZFS member in partition PARTITION of disk DISK;
//   - an absolute path, which must be the device of a member of this pool
//     exactly as disko computes it.
//
// The generated Nix always holds the full device path, such as
// /dev/disk/by-partlabel/disk-nvme-slog: disko's own short form, a bare
// disk name, stands for /dev/disk/by-partlabel/disk-DISK-zfs and breaks
// when the label is hashed because it is longer than 36 characters (see
// [PartitionLabel]). Every member of the pool must appear exactly once.
type Topology struct {
	// Vdevs are the storage vdevs.
	Vdevs []Vdev
	// Log are the ZFS intent log (SLOG) vdevs: single devices or mirrors.
	Log []Vdev
	// Special are the special allocation class vdevs.
	Special []Vdev
	// Dedup are the deduplication table vdevs.
	Dedup []Vdev
	// Cache are L2ARC cache devices.
	Cache []string
	// Spare are hot spares.
	Spare []string
}

// Vdev is one vdev of a [Topology].
type Vdev struct {
	// Mode is the vdev type; the zero value is a single device or stripe.
	Mode ZFSMode
	// Members are the member references, see [Topology].
	Members []string
}

// Dataset is a ZFS filesystem, disko's zfs_fs type.
type Dataset struct {
	// Name is the dataset path below the pool, for example "root" or
	// "root/nix".
	Name string
	// Mountpoint is where disko mounts the dataset and the path of its
	// fileSystems entry; empty leaves it to ZFS. With the property
	// "mountpoint": "legacy" in Options, the dataset is mounted only
	// through fileSystems, the usual NixOS setup.
	Mountpoint string
	// MountOptions are the mount options; nil means ["defaults"].
	MountOptions []string
	// Options are dataset properties, for example "mountpoint": "legacy"
	// or "com.sun:auto-snapshot": "true".
	Options map[string]string
}

// Volume is a ZFS volume (zvol), disko's zfs_volume type. It appears as
// /dev/zvol/POOL/NAME.
type Volume struct {
	// Name is the volume path below the pool.
	Name string
	// Size is the volume size, such as "10G". Required.
	Size string
	// Options are volume properties, for example "volblocksize": "16k".
	Options map[string]string
	// ExtraArgs are extra arguments for zfs create.
	ExtraArgs []string
	// Content is what the volume holds.
	Content Content
}
