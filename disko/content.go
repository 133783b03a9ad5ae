package disko

// Content is what a partition, a logical volume or a ZFS volume holds:
// *Filesystem, *Swap, *Btrfs, *LUKS, or membership of an array, a pool or
// a volume group (*MDRaid, *ZFS, *LVMPV). It is disko's partitionType. The
// set is sealed: only the types of this package implement it.
type Content interface {
	isContent()
}

// DeviceContent is what a whole device (a disk, an mdadm array or an opened
// LUKS container) holds: any [Content], or a partition table (*GPT). It is
// disko's deviceType. The set is sealed: only the types of this package
// implement it.
type DeviceContent interface {
	isDeviceContent()
}

func (*Filesystem) isContent() {}
func (*Swap) isContent()       {}
func (*Btrfs) isContent()      {}
func (*LUKS) isContent()       {}
func (*MDRaid) isContent()     {}
func (*ZFS) isContent()        {}
func (*LVMPV) isContent()      {}

func (*GPT) isDeviceContent()        {}
func (*Filesystem) isDeviceContent() {}
func (*Swap) isDeviceContent()       {}
func (*Btrfs) isDeviceContent()      {}
func (*LUKS) isDeviceContent()       {}
func (*MDRaid) isDeviceContent()     {}
func (*ZFS) isDeviceContent()        {}
func (*LVMPV) isDeviceContent()      {}

// Filesystem is a filesystem made with mkfs.FORMAT, disko's filesystem
// type.
type Filesystem struct {
	// Format is the filesystem type passed to mkfs and mount: "ext4",
	// "vfat", "xfs", "btrfs" and so on. Required. Use [Btrfs] for btrfs
	// with subvolumes, [ZFS] for ZFS and [Swap] for swap. disko only
	// formats a device that holds no filesystem yet, so changing Format
	// later does not reformat.
	Format string
	// ExtraArgs are extra arguments for mkfs.
	ExtraArgs []string
	// Mountpoint is the absolute path the filesystem is mounted at; empty
	// leaves it unmounted.
	Mountpoint string
	// MountOptions are the mount options; nil means ["defaults"].
	MountOptions []string
}

// Swap is a swap device, disko's swap type.
type Swap struct {
	// DiscardPolicy is "once", "pages" or "both"; empty leaves discard
	// off.
	DiscardPolicy string
	// Priority is the swap priority, 0 to 32767, higher first; nil lets
	// the kernel choose.
	Priority *int
	// RandomEncryption encrypts the swap with a random key at each boot.
	RandomEncryption bool
	// ResumeDevice makes this device the hibernation resume device
	// (boot.resumeDevice).
	ResumeDevice bool
	// ExtraArgs are extra arguments for mkswap.
	ExtraArgs []string
	// MountOptions are the swap options; nil means ["defaults"].
	MountOptions []string
}

// Btrfs is a btrfs filesystem with subvolumes, disko's btrfs type.
type Btrfs struct {
	// ExtraArgs are extra arguments for mkfs.btrfs, for example "-f".
	ExtraArgs []string
	// Mountpoint is where the top-level volume is mounted; empty leaves
	// it unmounted, which is usual when subvolumes are mounted instead.
	Mountpoint string
	// MountOptions are the mount options of the top-level volume; nil
	// means ["defaults"].
	MountOptions []string
	// Subvolumes are the subvolumes.
	Subvolumes []Subvolume
	// SwapFiles are swap files in the top-level volume, created with
	// btrfs filesystem mkswapfile; they need Mountpoint.
	SwapFiles []SwapFile
}

// Subvolume is a btrfs subvolume.
type Subvolume struct {
	// Name is the path of the subvolume inside the filesystem, for
	// example "/home", "root" or "SYSTEM/nix".
	Name string
	// ExtraArgs are extra arguments for btrfs subvolume create.
	ExtraArgs []string
	// Mountpoint is where the subvolume is mounted; empty leaves it
	// unmounted. disko adds "subvol=NAME" to the mount options itself.
	Mountpoint string
	// MountOptions are the mount options; nil means ["defaults"]. They are
	// ignored (and disko warns) when Mountpoint is empty.
	MountOptions []string
	// SwapFiles are swap files in this subvolume; they need Mountpoint.
	SwapFiles []SwapFile
}

// SwapFile is a btrfs swap file, an entry of disko's btrfs swap option.
type SwapFile struct {
	// Path is the path of the file relative to the mountpoint of its
	// subvolume, for example "swapfile"; it is also the attribute name.
	Path string
	// Size is the size, digits with a K, M, G, T or P suffix ("8G"): disko
	// requires the unit here.
	Size string
	// Priority is the swap priority, 0 to 32767; nil lets the kernel
	// choose.
	Priority *int
	// Options are the swap options; nil means ["defaults"].
	Options []string
}

// LUKS is a LUKS encrypted container, disko's luks type. It is opened as
// /dev/mapper/NAME.
//
// disko has no option that holds a password, and this type has none
// either: PasswordFile names a file that holds the password when disko
// formats the disk, and Settings.KeyFile a key file. Without either, disko
// asks for the password interactively.
type LUKS struct {
	// Name is the name of the opened device under /dev/mapper. Required.
	Name string
	// PasswordFile is the absolute path of a file holding the password,
	// read when the container is created (for example a file copied to
	// the installer). It is a path, never the password itself.
	PasswordFile string
	// Settings go to boot.initrd.luks.devices.NAME.
	Settings LUKSSettings
	// AdditionalKeyFiles are absolute paths of key files added to further
	// key slots at creation.
	AdditionalKeyFiles []string
	// SkipInitrdUnlock leaves the container out of
	// boot.initrd.luks.devices, so the initrd does not unlock it (disko's
	// initrdUnlock = false).
	SkipInitrdUnlock bool
	// ExtraFormatArgs are extra arguments for cryptsetup luksFormat.
	ExtraFormatArgs []string
	// ExtraOpenArgs are extra arguments for cryptsetup open.
	ExtraOpenArgs []string
	// Content is what the opened container holds.
	Content DeviceContent
}

// LUKSSettings are the entries of disko's luks settings, which are merged
// into boot.initrd.luks.devices.NAME.
type LUKSSettings struct {
	// KeyFile is the absolute path of a key file used to format and to
	// unlock the container.
	KeyFile string
	// KeyFileSize is the number of bytes read from KeyFile; 0 reads all.
	KeyFileSize int
	// KeyFileOffset is the offset at which KeyFile is read.
	KeyFileOffset int
	// AllowDiscards passes TRIM through to the device.
	AllowDiscards bool
	// BypassWorkqueues disables the dm-crypt read and write work queues,
	// which lowers latency on fast SSDs.
	BypassWorkqueues bool
}

// MDRaid makes a device a member of an mdadm array, disko's mdraid type.
type MDRaid struct {
	// Array is the name of the [MDADM] array (disko's name option).
	Array string
}

// ZFS makes a device a member of a ZFS pool, disko's zfs type.
type ZFS struct {
	// Pool is the name of the [ZPool].
	Pool string
}

// LVMPV makes a device an LVM physical volume, disko's lvm_pv type.
type LVMPV struct {
	// VG is the name of the [VolumeGroup].
	VG string
}
