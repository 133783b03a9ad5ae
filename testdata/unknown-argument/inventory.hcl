fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  state_versoin = "25.05"
}
