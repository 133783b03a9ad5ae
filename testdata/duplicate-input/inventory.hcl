fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"

  input "home-manager" {
    url = "github:nix-community/home-manager/release-25.05"
  }
  input "impermanence" {
    url            = "github:nix-community/impermanence"
    follow_nixpkgs = false
  }
  input "home-manager" {
    url = "github:nix-community/home-manager"
  }
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
