// Package benchinv generates the inventories that nixgen's benchmarks
// load, validate, render and write: fleets of identical dedicated
// servers that differ only in names, disk ids and addresses.
package benchinv

import (
	"fmt"
	"strings"
)

// Inventory returns an HCL inventory of n hosts, each a typical
// dedicated server: two disks with an ESP and a member partition of an
// mdadm RAID1 that holds btrfs subvolumes, two interfaces with static IPv4
// and IPv6 addresses and gateways, and a firewall of five rules, open
// ports and allow rules restricted to sources. Every host is valid and
// distinct, so the inventory renders without diagnostics.
func Inventory(n int) []byte {
	var b strings.Builder
	b.WriteString(`fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
  boot_loader   = "systemd-boot"
  nameservers   = ["9.9.9.9", "2620:fe::fe"]
  authorized_keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 admin@example.com",
  ]
}
`)
	for i := range n {
		// Host i owns the i+10th address of each subnet, which keeps it
		// clear of the gateways at .1.
		h := i + 10
		fmt.Fprintf(&b, `
host "srv%05d" {
  region = "eu-%d"
  zone   = "rack-%d"

  disk "a" {
    device = "/dev/disk/by-id/ata-BENCH_SSD_1TB_%05dA"
    media  = "ssd"
    gpt {
      partition "ESP" {
        size = "1G"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "raid" {
        size   = "100%%"
        mdraid = "root"
      }
    }
  }

  disk "b" {
    device = "/dev/disk/by-id/ata-BENCH_SSD_1TB_%05dB"
    media  = "ssd"
    gpt {
      partition "ESP" {
        size = "1G"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot-fallback"
          mount_options = ["umask=0077"]
        }
      }
      partition "raid" {
        size   = "100%%"
        mdraid = "root"
      }
    }
  }

  mdadm "root" {
    level = 1
    btrfs {
      extra_args = ["-f"]
      subvolume "/root" {
        mountpoint    = "/"
        mount_options = ["compress=zstd", "noatime"]
      }
      subvolume "/home" {
        mountpoint    = "/home"
        mount_options = ["compress=zstd", "noatime"]
      }
      subvolume "/nix" {
        mountpoint    = "/nix"
        mount_options = ["compress=zstd", "noatime"]
      }
      subvolume "/log" {
        mountpoint    = "/var/log"
        mount_options = ["compress=zstd", "noatime"]
      }
    }
  }

  interface "eth0" {
    addresses = ["100.%d.%d.%d/10", "2001:db8::%x/64"]
    gateway   = "100.64.0.1"
    gateway6  = "fe80::1"
  }

  interface "eth1" {
    addresses = ["10.0.%d.%d/16", "fd00::%x/64"]
    route {
      destination = "10.0.0.0/8"
      gateway     = "10.0.0.1"
    }
    route {
      destination = "fd00::/8"
      gateway     = "fd00::1"
    }
  }

  firewall {
    tcp        = [80, 443]
    udp_ranges = ["60000-61000"]
    allow "ssh-admin" {
      tcp  = [22]
      from = ["198.51.100.0/24", "2001:db8:ffff::/48"]
    }
    allow "node-exporter" {
      tcp  = [9100]
      from = ["10.0.0.5", "fd00::5"]
    }
    allow "postgres" {
      tcp       = [5432]
      from      = ["10.0.0.0/16"]
      interface = "eth1"
    }
  }
}
`, i, i%3, i%40, i, i,
			64+h>>16, h>>8&255, h&255, h,
			h>>8&255, h&255, h)
	}
	return []byte(b.String())
}
