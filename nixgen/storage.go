package nixgen

// Placeholder: replaced by the storage layer.

// Disk is a disk of a host.
type Disk struct{}

// Array is an mdadm array.
type Array struct{}

// Pool is a ZFS pool.
type Pool struct{}

// VolumeGroup is an LVM volume group.
type VolumeGroup struct{}

// Nodev is a filesystem without a device.
type Nodev struct{}
