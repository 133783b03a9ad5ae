fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  token_file = "/run/keys/k3s_token"
}

# A control plane on a cheap hard disk: etcd's data sits on the root file
# system, so nixgen warns.
host "cp1" {
  boot_loader = "systemd-boot"

  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }

  k3s {
    role = "init"
  }

  disk "main" {
    device = "/dev/disk/by-id/ata-ST1000DM010-2EP102_Z9A00001"
    media  = "hdd"
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
