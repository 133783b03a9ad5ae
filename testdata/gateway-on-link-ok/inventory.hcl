fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

# Near misses of the on-link check: a /32 address whose gateway lies outside
# it (GatewayOnLink is derived), a route that sets on_link itself, a gateway
# inside the subnet (no GatewayOnLink), and a link-local IPv6 gateway.
host "srv6" {
  hardware_configuration = "hardware/srv6.nix"

  interface "eno3" {
    addresses = ["144.217.181.222/32", "2607:5300:203:bde::1/64"]
    gateway   = "144.217.181.254"
    gateway6  = "fe80::1"
    route {
      destination = "198.51.100.0/24"
      gateway     = "144.217.181.253"
      on_link     = true
    }
  }

  interface "eno4" {
    addresses = ["10.20.0.5/16"]
    route {
      destination = "10.30.0.0/16"
      gateway     = "10.20.0.1"
    }
  }
}
