fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

host "host1" {
  hardware_configuration = "hardware/host1.nix"

  container "forum" {
    private_network = true
    host_address    = "fc00::1"
    local_address   = "10.0.5.70"
    local_address6  = "10.0.5.71"
  }
}
