# A dedicated server with one NVMe SSD and three 2 TB HDDs: ZFS raidz1 over
# the HDDs with the rest of the SSD as the pool's log device, ext4 /boot on
# the SSD, and static IPv6 with the provider's link-local gateway.

fleet {
  # One pin for the whole fleet: the ZFS module that imports the pool comes
  # from the same nixpkgs that created it.
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.05"
  nameservers   = ["2a01:4ff:ff00::add:1", "2a01:4ff:ff00::add:2"]
}

host "lufta" {
  boot_loader     = "systemd-boot"
  authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 cadey@shachi"]

  interface "eth0" {
    dhcp      = "ipv4"
    addresses = ["2a01:4f9:3a:1a1c::/64"]
    gateway6  = "fe80::1"
  }

  firewall {
    tcp = [22, 80, 443]
  }

  disk "nvme" {
    device = "/dev/disk/by-id/nvme-SAMSUNG_MZVLB512HAJQ-00000_S3W8NX0M000001"
    media  = "nvme"
    gpt {
      partition "ESP" {
        size = "1G"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot/efi"
          mount_options = ["umask=0077"]
        }
      }
      partition "boot" {
        size = "2G"
        filesystem {
          format     = "ext4"
          mountpoint = "/boot"
        }
      }
      partition "slog" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }

  disk "hdd1" {
    device = "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000001"
    media  = "hdd"
    gpt {
      partition "zfs" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }
  disk "hdd2" {
    device = "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000002"
    media  = "hdd"
    gpt {
      partition "zfs" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }
  disk "hdd3" {
    device = "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000003"
    media  = "hdd"
    gpt {
      partition "zfs" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }

  zpool "rpool" {
    options         = { ashift = "12" }
    root_fs_options = { compression = "zstd", mountpoint = "none", acltype = "posixacl", xattr = "sa" }
    topology {
      vdev {
        mode    = "raidz1"
        members = ["hdd1/zfs", "hdd2/zfs", "hdd3/zfs"]
      }
      log {
        members = ["nvme/slog"]
      }
    }
    dataset "root" {
      mountpoint = "/"
      options    = { mountpoint = "legacy" }
    }
    dataset "nix" {
      mountpoint = "/nix"
      options    = { mountpoint = "legacy" }
    }
    dataset "home" {
      mountpoint = "/home"
      options    = { mountpoint = "legacy" }
    }
  }
}
