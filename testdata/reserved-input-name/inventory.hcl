fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"

  input "disko" {
    url = "github:nix-community/disko/v1.11.0"
  }
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
