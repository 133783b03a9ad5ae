fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  boot_loader = "systemd-boot"

  disk "main" {
    device = "/dev/sda"
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
    }
  }
}
