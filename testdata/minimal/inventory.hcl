fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  boot_loader = "systemd-boot"
  disk "main" {
    device = "/dev/disk/by-id/nvme-Micron_2450_MTFDKBA512TFK_000000000001"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "EF00"
        filesystem {
          format     = "vfat"
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
