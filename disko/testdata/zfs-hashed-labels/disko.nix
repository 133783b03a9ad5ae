# Disks named by their by-id strings: partition labels are hashed.
{
  disko.devices = {
    disk = {
      ata-ST18000NE000-3G6101_ZVTCXVEB = {
        type = "disk";
        device = "/dev/disk/by-id/ata-ST18000NE000-3G6101_ZVTCXVEB";
        content = {
          type = "gpt";
          partitions.zfs = {
            size = "100%";
            content = {
              type = "zfs";
              pool = "tank";
            };
          };
        };
      };
      ata-ST18000NE000-3G6101_ZVTCXVEC = {
        type = "disk";
        device = "/dev/disk/by-id/ata-ST18000NE000-3G6101_ZVTCXVEC";
        content = {
          type = "gpt";
          partitions.zfs = {
            size = "100%";
            content = {
              type = "zfs";
              pool = "tank";
            };
          };
        };
      };
      nvme = {
        type = "disk";
        device = "/dev/disk/by-id/nvme-INTEL_SSDPEKNW010T8_BTNH000000001T0";
        content = {
          type = "gpt";
          partitions = {
            ESP = {
              type = "EF00";
              size = "1G";
              content = {
                type = "filesystem";
                format = "vfat";
                mountpoint = "/boot";
              };
            };
            root = {
              size = "200G";
              content = {
                type = "filesystem";
                format = "ext4";
                mountpoint = "/";
              };
            };
            l2arc = {
              size = "100%";
              content = {
                type = "zfs";
                pool = "tank";
              };
            };
          };
        };
      };
    };
    zpool.tank = {
      type = "zpool";
      mode.topology = {
        type = "topology";
        vdev = [
          {
            mode = "mirror";
            members = [
              "/dev/disk/by-partlabel/2f23181189349e543aad5449e89b4f960819"
              "/dev/disk/by-partlabel/d205d8775aeb0b69a44d0ef59f4b42aa4a6d"
            ];
          }
        ];
        cache = [ "/dev/disk/by-partlabel/disk-nvme-l2arc" ];
      };
      rootFsOptions.mountpoint = "none";
      datasets.media = {
        type = "zfs_fs";
        mountpoint = "/srv/media";
        options.mountpoint = "legacy";
      };
    };
  };
}
