fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

profile "cloud-vm" {
  time_zone = "UTC"
}

host "web1" {
  use                    = ["cloud-mv"]
  hardware_configuration = "hardware/web1.nix"
}
