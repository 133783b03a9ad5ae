# BIOS boot partition, ESP and ext4 root for GRUB in BIOS or UEFI mode.
{
  disko.devices.disk.sda = {
    type = "disk";
    device = "/dev/sda";
    content = {
      type = "gpt";
      partitions = {
        MBR = {
          type = "EF02";
          priority = 0;
          size = "1M";
        };
        ESP = {
          type = "EF00";
          priority = 1;
          size = "500M";
          content = {
            type = "filesystem";
            format = "vfat";
            mountpoint = "/boot";
          };
        };
        root = {
          priority = 2;
          size = "100%";
          content = {
            type = "filesystem";
            format = "ext4";
            mountpoint = "/";
          };
        };
      };
    };
  };
}
