fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"

  firewall {
    udp_ranges = ["60000:61000"]
    allow "mosh" {
      udp_ranges = ["61000-60000"]
      from       = ["192.0.2.0/24"]
    }
  }
}
