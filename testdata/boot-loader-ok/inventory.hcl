fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

# Near misses of the boot loader checks: GRUB in BIOS mode with a BIOS boot
# partition and no ESP, and GRUB for EFI with the ESP mirrored by mdadm
# (metadata 1.0, so that the firmware sees each member as a plain FAT
# partition), installed to the removable-media path so that no NVRAM entry
# has to name one member.

host "legacy" {
  boot_loader = "grub-bios"

  disk "main" {
    device = "/dev/disk/by-id/ata-WDC_WD10EZEX-00BN5A0_WD-WCC3F0000001"
    gpt {
      partition "MBR" {
        size     = "1M"
        type     = "EF02"
        priority = 1
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

host "mirror" {
  boot_loader = "grub-efi-removable"

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
