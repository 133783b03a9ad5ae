fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  boot_loader = "systemd-boot"

  disk "main" {
    device = "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T000001"
    gpt {
      partition "ESP" {
        size = "512MiB"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "swap" {
        size = "1.5G"
        swap {}
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
}
