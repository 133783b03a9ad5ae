package disko_test

import (
	"fmt"

	"github.com/nixgen/nixgen/disko"
)

// The layouts below are test fixtures: the disk layouts of real setups
// (seeds 000 to 002) and one layout for each remaining feature. Each
// builder returns a fresh layout so that tests may change it.

// seed000 is a Hetzner AX41: ext4 /boot and the ESP on the NVMe SSD, the
// rest of the SSD as ZFS log device (SLOG), three 2 TB HDDs in one raidz1
// pool holding root.
func seed000() *disko.Layout {
	zfsPart := func() disko.DeviceContent {
		return &disko.GPT{Partitions: []disko.Partition{
			{Name: "zfs", Size: "100%", Content: &disko.ZFS{Pool: "rpool"}},
		}}
	}
	legacy := map[string]string{"mountpoint": "legacy"}
	return &disko.Layout{
		Disks: []disko.Disk{
			{
				Name:   "nvme",
				Device: "/dev/disk/by-id/nvme-SAMSUNG_MZVLB512HAJQ-00000_S3W8NX0M000001",
				Media:  disko.MediaNVMe,
				Content: &disko.GPT{Partitions: []disko.Partition{
					{Name: "ESP", Type: disko.TypeESP, Size: "1G", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot/efi"}},
					{Name: "boot", Size: "2G", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/boot"}},
					{Name: "slog", Size: "100%", Content: &disko.ZFS{Pool: "rpool"}},
				}},
			},
			{Name: "hdd1", Device: "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000001", Media: disko.MediaHDD, Content: zfsPart()},
			{Name: "hdd2", Device: "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000002", Media: disko.MediaHDD, Content: zfsPart()},
			{Name: "hdd3", Device: "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000003", Media: disko.MediaHDD, Content: zfsPart()},
		},
		Pools: []disko.ZPool{{
			Name: "rpool",
			Topology: &disko.Topology{
				Vdevs: []disko.Vdev{{Mode: disko.ZFSRaidz1, Members: []string{"hdd1", "hdd2", "hdd3"}}},
				Log:   []disko.Vdev{{Members: []string{"nvme/slog"}}},
			},
			Options: map[string]string{"ashift": "12"},
			RootFSOptions: map[string]string{
				"compression": "zstd",
				"mountpoint":  "none",
				"acltype":     "posixacl",
				"xattr":       "sa",
			},
			Datasets: []disko.Dataset{
				{Name: "root", Mountpoint: "/", Options: legacy},
				{Name: "nix", Mountpoint: "/nix", Options: legacy},
				{Name: "home", Mountpoint: "/home", Options: legacy},
			},
		}},
	}
}

// seed001Original is the layout as published: an ESP on the first disk,
// mdadm RAID 1 over a partition of each of two disks, btrfs on the array
// with subvolumes. It mounts the top-level btrfs volume at / as well as
// subvolume "/", and subvolume "/persist" at /home, where "/home" already
// is.
func seed001Original() *disko.Layout {
	l := seed001()
	b := btrfsOf(l)
	b.Mountpoint = "/"
	for i := range b.Subvolumes {
		if b.Subvolumes[i].Name == "/persist" {
			b.Subvolumes[i].Mountpoint = "/home"
		}
	}
	return l
}

// btrfsOf returns the btrfs content of the array of seed001.
func btrfsOf(l *disko.Layout) *disko.Btrfs {
	return l.Arrays[0].Content.(*disko.GPT).Partitions[0].Content.(*disko.Btrfs)
}

// seed001 is seed001Original corrected: the top-level volume is not
// mounted and "/persist" is mounted at /persist.
func seed001() *disko.Layout {
	raidPart := disko.Partition{Name: "mdadm", Size: "100%", Content: &disko.MDRaid{Array: "raid1"}}
	zstd := []string{"compress=zstd", "noatime"}
	return &disko.Layout{
		Disks: []disko.Disk{
			{
				Name:   "disk1",
				Device: "/dev/disk/by-id/ata-HGST_HUS724020ALA640_PN5312G5I0X1AS",
				Media:  disko.MediaHDD,
				Content: &disko.GPT{Partitions: []disko.Partition{
					{Name: "ESP", Type: disko.TypeESP, Size: "500M", Content: &disko.Filesystem{
						Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"},
					}},
					raidPart,
				}},
			},
			{
				Name:    "disk2",
				Device:  "/dev/disk/by-id/ata-HGST_HUS724020ALA640_AB5312P6H0U5LN",
				Media:   disko.MediaHDD,
				Content: &disko.GPT{Partitions: []disko.Partition{raidPart}},
			},
		},
		Arrays: []disko.MDADM{{
			Name:  "raid1",
			Level: disko.RAID1,
			Content: &disko.GPT{Partitions: []disko.Partition{{
				Name: "primary",
				Size: "100%",
				Content: &disko.Btrfs{
					ExtraArgs:    []string{"-f"},
					MountOptions: []string{"noatime"},
					Subvolumes: []disko.Subvolume{
						{Name: "/", Mountpoint: "/", MountOptions: []string{"noatime"}},
						{Name: "/home", Mountpoint: "/home", MountOptions: zstd},
						{Name: "/persist", Mountpoint: "/persist", MountOptions: zstd},
						{Name: "/nix", Mountpoint: "/nix", MountOptions: []string{"noatime"}},
					},
				},
			}}},
		}},
	}
}

// seed002 is a cloud VM booted by GRUB in BIOS or UEFI mode: a BIOS boot
// partition, an ESP and an ext4 root, created in the order given by
// explicit priorities.
func seed002() *disko.Layout {
	return &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "sda",
			Device: "/dev/sda",
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "MBR", Priority: new(0), Size: "1M", Type: disko.TypeBIOSBoot},
				{Name: "ESP", Priority: new(1), Size: "500M", Type: disko.TypeESP, Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot"}},
				{Name: "root", Priority: new(2), Size: "100%", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
			}},
		}},
	}
}

// luksLVM is LVM on LUKS on one NVMe disk, with a swap volume for
// hibernation.
func luksLVM() *disko.Layout {
	return &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "main",
			Device: "/dev/disk/by-id/nvme-WD_BLACK_SN850X_2000GB_23000000000001",
			Media:  disko.MediaNVMe,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Type: disko.TypeESP, Size: "512M", Content: &disko.Filesystem{
					Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"},
				}},
				{Name: "luks", Size: "100%", Content: &disko.LUKS{
					Name:         "crypted",
					PasswordFile: "/tmp/disk.key",
					Settings:     disko.LUKSSettings{AllowDiscards: true, BypassWorkqueues: true},
					Content:      &disko.LVMPV{VG: "pool"},
				}},
			}},
		}},
		VolumeGroups: []disko.VolumeGroup{{
			Name: "pool",
			LVs: []disko.LogicalVolume{
				{Name: "swap", Size: "32G", Content: &disko.Swap{ResumeDevice: true}},
				{Name: "root", Size: "100G", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
				{Name: "home", Size: "100%FREE", Content: &disko.Filesystem{
					Format: "xfs", Mountpoint: "/home", MountOptions: []string{"noatime"},
				}},
			},
		}},
	}
}

// zfsMirror is a ZFS mirror over two SSDs with an ESP on each, datasets
// with properties, and a zvol holding ext4.
func zfsMirror() *disko.Layout {
	disk := func(name, serial, esp string) disko.Disk {
		return disko.Disk{
			Name:   name,
			Device: "/dev/disk/by-id/ata-Samsung_SSD_870_EVO_1TB_" + serial,
			Media:  disko.MediaSSD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Type: disko.TypeESP, Size: "1G", Content: &disko.Filesystem{
					Format: "vfat", Mountpoint: esp, MountOptions: []string{"nofail", "umask=0077"},
				}},
				{Name: "zfs", Size: "100%", Content: &disko.ZFS{Pool: "zroot"}},
			}},
		}
	}
	return &disko.Layout{
		Disks: []disko.Disk{
			disk("ssd0", "S6PTNZ0R000001A", "/boot"),
			disk("ssd1", "S6PTNZ0R000002B", "/boot-fallback"),
		},
		Pools: []disko.ZPool{{
			Name:    "zroot",
			Mode:    disko.ZFSMirror,
			Options: map[string]string{"ashift": "12", "autotrim": "on"},
			RootFSOptions: map[string]string{
				"compression":           "lz4",
				"com.sun:auto-snapshot": "false",
				"mountpoint":            "none",
				"canmount":              "off",
			},
			Datasets: []disko.Dataset{
				{Name: "root", Mountpoint: "/", Options: map[string]string{"mountpoint": "legacy"}},
				{Name: "nix", Mountpoint: "/nix", Options: map[string]string{"mountpoint": "legacy", "atime": "off"}},
				{Name: "home", Mountpoint: "/home", Options: map[string]string{"mountpoint": "legacy", "com.sun:auto-snapshot": "true"}},
				{Name: "reserved", Options: map[string]string{"mountpoint": "none", "refreservation": "10G"}},
			},
			Volumes: []disko.Volume{{
				Name:    "db",
				Size:    "50G",
				Options: map[string]string{"volblocksize": "16k"},
				Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/var/lib/postgresql"},
			}},
		}},
	}
}

// btrfsSwap is btrfs on one disk with a subvolume that holds a swap file.
func btrfsSwap() *disko.Layout {
	return &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "main",
			Device: "/dev/disk/by-id/nvme-Micron_2450_MTFDKBA512TFK_000000000001",
			Media:  disko.MediaNVMe,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Type: disko.TypeESP, Size: "512M", Content: &disko.Filesystem{
					Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"},
				}},
				{Name: "root", Size: "100%", Content: &disko.Btrfs{
					ExtraArgs: []string{"-f"},
					Subvolumes: []disko.Subvolume{
						{Name: "/rootfs", Mountpoint: "/"},
						{Name: "/home", Mountpoint: "/home", MountOptions: []string{"compress=zstd"}},
						{Name: "/nix", Mountpoint: "/nix", MountOptions: []string{"compress=zstd", "noatime"}},
						{Name: "/swap", Mountpoint: "/.swapvol", SwapFiles: []disko.SwapFile{
							{Path: "swapfile", Size: "8G"},
						}},
					},
				}},
			}},
		}},
	}
}

// tmpfsRoot mounts a tmpfs at / and keeps /nix and /persist on disk.
func tmpfsRoot() *disko.Layout {
	return &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "main",
			Device: "/dev/disk/by-id/ata-KINGSTON_SA400S37240G_50026B7000000001",
			Media:  disko.MediaSSD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Type: disko.TypeESP, Size: "512M", Content: &disko.Filesystem{
					Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"},
				}},
				{Name: "swap", Size: "8G", Content: &disko.Swap{RandomEncryption: true, DiscardPolicy: "both"}},
				{Name: "nix", Size: "100%", Content: &disko.Btrfs{
					Subvolumes: []disko.Subvolume{
						{Name: "nix", Mountpoint: "/nix", MountOptions: []string{"noatime"}},
						{Name: "persist", Mountpoint: "/persist"},
					},
				}},
			}},
		}},
		Nodev: []disko.Nodev{
			{Mountpoint: "/", FSType: "tmpfs", MountOptions: []string{"size=2G", "mode=755"}},
		},
	}
}

// host64 is a storage host with 64 disks: two SSDs with an ESP and /boot
// each on mdadm RAID 1 mirrors and the rest of each SSD as a ZFS mirror for
// the system, and 62 HDDs in six raidz2 vdevs of ten disks plus two hot
// spares.
func host64() *disko.Layout {
	l := &disko.Layout{}
	for i := range 2 {
		l.Disks = append(l.Disks, disko.Disk{
			Name:   fmt.Sprintf("ssd%d", i),
			Device: fmt.Sprintf("/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R%06d", i),
			Media:  disko.MediaNVMe,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Type: disko.TypeESP, Size: "1G", Content: &disko.MDRaid{Array: "esp"}},
				{Name: "boot", Size: "4G", Content: &disko.MDRaid{Array: "boot"}},
				{Name: "system", Size: "100%", Content: &disko.ZFS{Pool: "system"}},
			}},
		})
	}
	topo := &disko.Topology{}
	var vdev disko.Vdev
	for i := range 62 {
		name := fmt.Sprintf("hdd%02d", i)
		l.Disks = append(l.Disks, disko.Disk{
			Name:   name,
			Device: fmt.Sprintf("/dev/disk/by-id/ata-ST18000NM000J-2TV103_ZR5%05d", i),
			Media:  disko.MediaHDD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "zfs", Size: "100%", Content: &disko.ZFS{Pool: "tank"}},
			}},
		})
		if i >= 60 {
			topo.Spare = append(topo.Spare, name)
			continue
		}
		vdev.Mode = disko.ZFSRaidz2
		vdev.Members = append(vdev.Members, name)
		if len(vdev.Members) == 10 {
			topo.Vdevs = append(topo.Vdevs, vdev)
			vdev = disko.Vdev{}
		}
	}
	l.Arrays = []disko.MDADM{
		{Name: "esp", Level: disko.RAID1, Metadata: "1.0", Content: &disko.Filesystem{
			Format: "vfat", Mountpoint: "/boot/efi", MountOptions: []string{"umask=0077"},
		}},
		{Name: "boot", Level: disko.RAID1, Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/boot"}},
	}
	legacy := map[string]string{"mountpoint": "legacy"}
	l.Pools = []disko.ZPool{
		{
			Name:          "system",
			Mode:          disko.ZFSMirror,
			Options:       map[string]string{"ashift": "12"},
			RootFSOptions: map[string]string{"mountpoint": "none", "compression": "zstd"},
			Datasets: []disko.Dataset{
				{Name: "root", Mountpoint: "/", Options: legacy},
				{Name: "nix", Mountpoint: "/nix", Options: legacy},
				{Name: "var", Mountpoint: "/var", Options: legacy},
			},
		},
		{
			Name:          "tank",
			Topology:      topo,
			Options:       map[string]string{"ashift": "12"},
			RootFSOptions: map[string]string{"mountpoint": "none", "compression": "zstd", "recordsize": "1M"},
			Datasets: []disko.Dataset{
				{Name: "data", Mountpoint: "/srv/data", Options: legacy},
				{Name: "backup", Mountpoint: "/srv/backup", Options: legacy},
			},
		},
	}
	return l
}

// zfsLongNames names its disks by their by-id strings, so the default
// partition labels are longer than 36 characters and disko hashes them
// (disko issue #913); the topology still refers to the disks by name.
func zfsLongNames() *disko.Layout {
	hdd := func(serial string) disko.Disk {
		return disko.Disk{
			Name:   "ata-ST18000NE000-3G6101_" + serial,
			Device: "/dev/disk/by-id/ata-ST18000NE000-3G6101_" + serial,
			Media:  disko.MediaHDD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "zfs", Size: "100%", Content: &disko.ZFS{Pool: "tank"}},
			}},
		}
	}
	return &disko.Layout{
		Disks: []disko.Disk{
			hdd("ZVTCXVEB"),
			hdd("ZVTCXVEC"),
			{
				Name:   "nvme",
				Device: "/dev/disk/by-id/nvme-INTEL_SSDPEKNW010T8_BTNH000000001T0",
				Media:  disko.MediaNVMe,
				Content: &disko.GPT{Partitions: []disko.Partition{
					{Name: "ESP", Type: disko.TypeESP, Size: "1G", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot"}},
					{Name: "root", Size: "200G", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
					{Name: "l2arc", Size: "100%", Content: &disko.ZFS{Pool: "tank"}},
				}},
			},
		},
		Pools: []disko.ZPool{{
			Name: "tank",
			Topology: &disko.Topology{
				Vdevs: []disko.Vdev{{Mode: disko.ZFSMirror, Members: []string{
					"ata-ST18000NE000-3G6101_ZVTCXVEB",
					"ata-ST18000NE000-3G6101_ZVTCXVEC/zfs",
				}}},
				Cache: []string{"nvme/l2arc"},
			},
			RootFSOptions: map[string]string{"mountpoint": "none"},
			Datasets: []disko.Dataset{
				{Name: "media", Mountpoint: "/srv/media", Options: map[string]string{"mountpoint": "legacy"}},
			},
		}},
	}
}
