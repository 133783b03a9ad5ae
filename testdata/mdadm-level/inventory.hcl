fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "nas1" {
  boot_loader = "systemd-boot"

  disk "a" {
    device = "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0000001"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "raid" {
        size   = "100%"
        mdraid = "md0"
      }
    }
  }

  disk "b" {
    device = "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0000002"
    gpt {
      partition "raid" {
        size   = "100%"
        mdraid = "md0"
      }
    }
  }

  mdadm "md0" {
    level = 7
    btrfs {
      subvolume "/root" {
        mountpoint = "/"
      }
      subvolume "/nix" {
        mountpoint    = "/nix"
        mount_options = ["noatime"]
      }
    }
  }
}
