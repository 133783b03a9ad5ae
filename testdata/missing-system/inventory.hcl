fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  state_version = "25.05"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
