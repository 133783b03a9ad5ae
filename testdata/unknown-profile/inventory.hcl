fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

profile "base" {
  time_zone = "UTC"
}

profile "cloud-vm" {
  boot_loader = "grub-efi-removable"
}

host "web1" {
  use                    = ["base", "cloud-mv"]
  hardware_configuration = "hardware/web1.nix"
}
