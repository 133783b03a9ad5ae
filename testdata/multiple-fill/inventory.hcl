fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

# disko creates partitions of equal priority in the order of their names, so
# "home" is created first and takes the rest of the disk, and "root" finds
# no space left.
host "web1" {
  boot_loader = "systemd-boot"

  disk "main" {
    device = "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T000001"
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
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
      partition "home" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/home"
        }
      }
    }
  }
}
