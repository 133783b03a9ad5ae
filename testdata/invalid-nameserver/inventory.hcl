fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
  nameservers   = ["9.9.9.9", "dns.quad9.net"]
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
}
