# A dedicated server with two 2 TB HDDs: an ESP on the first, mdadm RAID1
# over both, btrfs subvolumes on the array, and the provider's /32 IPv4
# address whose gateway lies outside the address's subnet.

fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
  nameservers   = ["8.8.8.8", "8.8.4.4"]
}

host "srv6" {
  boot_loader = "systemd-boot"

  interface "eno3" {
    addresses = ["144.217.181.222/32", "2607:5300:203:bde::/64"]
    # Neither gateway is inside the interface's subnets: nixgen marks both
    # routes GatewayOnLink so that networkd can install them.
    gateway  = "144.217.181.254"
    gateway6 = "2607:5300:203:bff:ff:ff:ff:fd"
  }

  firewall {
    tcp = [22]
  }

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
          subvolume "/root" {
            mountpoint    = "/"
            mount_options = ["compress=zstd", "noatime"]
          }
          subvolume "/home" {
            mountpoint    = "/home"
            mount_options = ["compress=zstd", "noatime"]
          }
          # The original write-up mounts this subvolume at /home as well;
          # nixgen reports that as a duplicate mountpoint.
          subvolume "/persist" {
            mountpoint    = "/persist"
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
