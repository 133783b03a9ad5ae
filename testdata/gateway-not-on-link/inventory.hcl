fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "srv6" {
  hardware_configuration = "hardware/srv6.nix"

  interface "eno3" {
    addresses = ["144.217.181.222/32"]
    route {
      gateway = "144.217.181.254"
      on_link = false
    }
  }
}
