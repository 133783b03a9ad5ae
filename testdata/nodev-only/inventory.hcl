# A host whose only disko entry is a tmpfs root, its disks left to a
# hand-written hardware configuration. disko refuses a layout without a
# disk, so nixgen reports it instead of writing a disko.nix that fails.
fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "kiosk" {
  hardware_configuration = "hardware/kiosk.nix"

  nodev "/" {
    fs_type       = "tmpfs"
    mount_options = ["size=2G", "mode=755"]
  }
}
