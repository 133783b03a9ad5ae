# Arguments are separated by newlines, not commas as in JSON or Nix lists.
fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05",
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
