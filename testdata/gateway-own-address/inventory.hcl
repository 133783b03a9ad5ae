fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"

  interface "eth0" {
    addresses = ["203.0.113.10/24"]
    gateway   = "203.0.113.10"
  }
}
