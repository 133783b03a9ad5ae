fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

host "host1" {
  hardware_configuration = "hardware/host1.nix"

  interface "eth0" {
    addresses = ["203.0.113.10/24", "10.0.5.1/24"]
    gateway   = "203.0.113.1"
  }

  # The containers share the host side's address, 10.0.5.1, which is
  # fine; forum and mastodon share their own, and repo takes the host's.
  container "forum" {
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.70"
  }

  container "mastodon" {
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.70"
  }

  container "repo" {
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "203.0.113.10"
  }
}
