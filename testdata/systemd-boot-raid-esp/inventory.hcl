fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  boot_loader = "systemd-boot"

  disk "sda" {
    device = "/dev/disk/by-id/ata-Samsung_SSD_870_EVO_1TB_S6PTNZ0R000001"
    gpt {
      partition "ESP" {
        size   = "1G"
        type   = "EF00"
        mdraid = "boot"
      }
      partition "root" {
        size   = "100%"
        mdraid = "root"
      }
    }
  }

  disk "sdb" {
    device = "/dev/disk/by-id/ata-Samsung_SSD_870_EVO_1TB_S6PTNZ0R000002"
    gpt {
      partition "ESP" {
        size   = "1G"
        type   = "EF00"
        mdraid = "boot"
      }
      partition "root" {
        size   = "100%"
        mdraid = "root"
      }
    }
  }

  mdadm "boot" {
    level    = 1
    metadata = "1.0"
    filesystem {
      format        = "vfat"
      mountpoint    = "/boot"
      mount_options = ["umask=0077"]
    }
  }

  mdadm "root" {
    level = 1
    filesystem {
      format     = "ext4"
      mountpoint = "/"
    }
  }
}
