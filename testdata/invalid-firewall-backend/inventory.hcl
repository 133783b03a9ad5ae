fleet {
  nixpkgs          = "github:NixOS/nixpkgs/nixos-25.05"
  system           = "x86_64-linux"
  state_version    = "25.05"
  firewall_backend = "nftable"
}

# Both hosts inherit the backend; the error is reported once.
host "web1" {
  hardware_configuration = "hardware/web1.nix"
}

host "web2" {
  hardware_configuration = "hardware/web2.nix"
}
