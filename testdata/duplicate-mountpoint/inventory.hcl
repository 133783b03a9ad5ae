fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "srv6" {
  boot_loader = "systemd-boot"

  disk "disk1" {
    device = "/dev/disk/by-id/ata-HGST_HUS724020ALA640_PN5312G5I0X1AS"
    media  = "hdd"
    gpt {
      partition "ESP" {
        size = "500M"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "mdadm" {
        size   = "100%"
        mdraid = "raid1"
      }
    }
  }

  disk "disk2" {
    device = "/dev/disk/by-id/ata-HGST_HUS724020ALA640_AB5312P6H0U5LN"
    media  = "hdd"
    gpt {
      partition "mdadm" {
        size   = "100%"
        mdraid = "raid1"
      }
    }
  }

  mdadm "raid1" {
    level = 1
    gpt {
      partition "primary" {
        size = "100%"
        btrfs {
          extra_args = ["-f"]
          # The /persist subvolume below is mounted at /home, like the /home
          # subvolume before it.
          subvolume "/root" {
            mountpoint    = "/"
            mount_options = ["compress=zstd", "noatime"]
          }
          subvolume "/home" {
            mountpoint    = "/home"
            mount_options = ["compress=zstd", "noatime"]
          }
          subvolume "/persist" {
            mountpoint    = "/home"
            mount_options = ["compress=zstd", "noatime"]
          }
          subvolume "/nix" {
            mountpoint    = "/nix"
            mount_options = ["compress=zstd", "noatime"]
          }
        }
      }
    }
  }
}
