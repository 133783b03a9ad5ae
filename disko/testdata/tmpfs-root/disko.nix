# tmpfs on /, with /nix and /persist on btrfs.
{
  disko.devices = {
    disk.main = {
      type = "disk";
      device = "/dev/disk/by-id/ata-KINGSTON_SA400S37240G_50026B7000000001";
      content = {
        type = "gpt";
        partitions = {
          ESP = {
            type = "EF00";
            size = "512M";
            content = {
              type = "filesystem";
              format = "vfat";
              mountpoint = "/boot";
              mountOptions = [ "umask=0077" ];
            };
          };
          swap = {
            size = "8G";
            content = {
              type = "swap";
              discardPolicy = "both";
              randomEncryption = true;
            };
          };
          nix = {
            size = "100%";
            content = {
              type = "btrfs";
              subvolumes = {
                nix = {
                  mountpoint = "/nix";
                  mountOptions = [ "noatime" ];
                };
                persist.mountpoint = "/persist";
              };
            };
          };
        };
      };
    };
    nodev."/" = {
      type = "nodev";
      fsType = "tmpfs";
      mountOptions = [
        "size=2G"
        "mode=755"
      ];
    };
  };
}
