# ESP and ext4 /boot on the NVMe SSD, the rest of it as ZFS log; three HDDs in raidz1.
{
  disko.devices = {
    disk = {
      hdd1 = {
        type = "disk";
        device = "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000001";
        content = {
          type = "gpt";
          partitions.zfs = {
            size = "100%";
            content = {
              type = "zfs";
              pool = "rpool";
            };
          };
        };
      };
      hdd2 = {
        type = "disk";
        device = "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000002";
        content = {
          type = "gpt";
          partitions.zfs = {
            size = "100%";
            content = {
              type = "zfs";
              pool = "rpool";
            };
          };
        };
      };
      hdd3 = {
        type = "disk";
        device = "/dev/disk/by-id/ata-HGST_HUS726T2TALA6L0_V0000003";
        content = {
          type = "gpt";
          partitions.zfs = {
            size = "100%";
            content = {
              type = "zfs";
              pool = "rpool";
            };
          };
        };
      };
      nvme = {
        type = "disk";
        device = "/dev/disk/by-id/nvme-SAMSUNG_MZVLB512HAJQ-00000_S3W8NX0M000001";
        content = {
          type = "gpt";
          partitions = {
            ESP = {
              type = "EF00";
              size = "1G";
              content = {
                type = "filesystem";
                format = "vfat";
                mountpoint = "/boot/efi";
              };
            };
            boot = {
              size = "2G";
              content = {
                type = "filesystem";
                format = "ext4";
                mountpoint = "/boot";
              };
            };
            slog = {
              size = "100%";
              content = {
                type = "zfs";
                pool = "rpool";
              };
            };
          };
        };
      };
    };
    zpool.rpool = {
      type = "zpool";
      mode.topology = {
        type = "topology";
        vdev = [
          {
            mode = "raidz1";
            members = [
              "/dev/disk/by-partlabel/disk-hdd1-zfs"
              "/dev/disk/by-partlabel/disk-hdd2-zfs"
              "/dev/disk/by-partlabel/disk-hdd3-zfs"
            ];
          }
        ];
        log = [ { members = [ "/dev/disk/by-partlabel/disk-nvme-slog" ]; } ];
      };
      options.ashift = "12";
      rootFsOptions = {
        acltype = "posixacl";
        compression = "zstd";
        mountpoint = "none";
        xattr = "sa";
      };
      datasets = {
        home = {
          type = "zfs_fs";
          mountpoint = "/home";
          options.mountpoint = "legacy";
        };
        nix = {
          type = "zfs_fs";
          mountpoint = "/nix";
          options.mountpoint = "legacy";
        };
        root = {
          type = "zfs_fs";
          mountpoint = "/";
          options.mountpoint = "legacy";
        };
      };
    };
  };
}
