// Package disko models the disk layout of one NixOS host and writes it as a
// disko module, a Nix file of the form
//
//	{
//	  disko.devices = {
//	    disk = { … };
//	    mdadm = { … };
//	    zpool = { … };
//	    lvm_vg = { … };
//	    nodev = { … };
//	  };
//	}
//
// for the disko NixOS module (github.com/nix-community/disko), which
// partitions, formats and mounts the disks and derives fileSystems,
// swapDevices and the related boot settings from the same description.
//
// A [Layout] holds the disks of a host and the devices built on top of them:
// mdadm arrays, ZFS pools, LVM volume groups and filesystems without a
// device (tmpfs). What goes on a block device is a [Content]: a GPT
// partition table, a filesystem, swap, btrfs, LUKS, or the membership of an
// mdadm array, a ZFS pool or an LVM volume group. The zero value of every
// optional field means the disko default, and such fields are left out of
// the generated Nix.
//
// [Layout.Validate] checks the layout before Nix sees it and reports
// problems that disko either rejects only at evaluation time with a less
// precise message, or does not reject at all and that fail at install time
// or at boot: duplicate mountpoints, malformed sizes, several partitions
// that take the rest of the disk, arrays and pools with too few members,
// members of arrays or pools that do not exist, device names that move
// between boots, an EFI system partition that is not FAT, inline secrets.
// Every [Diagnostic] names the element it is about with a [Where].
//
// [Layout.Nix] and [Layout.File] build the module with package
// github.com/nixgen/nixgen/nixgen/nix. The output is canonical: disks,
// arrays, pools, volume groups, partitions, subvolumes, datasets, logical
// volumes and option maps are written in a fixed order that does not depend
// on the order in which the layout was built, so the same layout always
// gives the same bytes. Lists that are lists in Nix as well (mount options,
// extra arguments, vdevs and their members) keep the order they are given
// in.
package disko
