fleet {
  nixpkgs = "github:NixOS/nixpkgs/nixos-25.05"
  system  = "x86_64-linux"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
