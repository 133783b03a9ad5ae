fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "nas1" {
  boot_loader = "systemd-boot"

  disk "nvme" {
    device = "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T000001"
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
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }

  disk "hdd1" {
    device = "/dev/disk/by-id/ata-ST8000VN004-2M2101_WSD00001"
    zfs    = "tnak"
  }

  disk "hdd2" {
    device = "/dev/disk/by-id/ata-ST8000VN004-2M2101_WSD00002"
    zfs    = "tnak"
  }

  zpool "tank" {
    mode            = "mirror"
    options         = { ashift = "12" }
    root_fs_options = { compression = "zstd", mountpoint = "none" }
    dataset "data" {
      mountpoint = "/srv/data"
      options    = { mountpoint = "legacy" }
    }
  }
}
