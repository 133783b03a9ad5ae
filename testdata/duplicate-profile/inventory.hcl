fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

profile "base" {
  time_zone = "UTC"
}

profile "base" {
  time_zone = "Europe/Paris"
}

host "web1" {
  use                    = ["base"]
  hardware_configuration = "hardware/web1.nix"
}
