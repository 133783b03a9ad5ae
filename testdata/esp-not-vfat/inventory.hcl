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
        size = "512M"
        type = "EF00"
        filesystem {
          format     = "ext4"
          mountpoint = "/boot"
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
}
