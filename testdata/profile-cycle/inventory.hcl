fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

profile "server" {
  use       = ["monitored"]
  time_zone = "UTC"
}

profile "monitored" {
  use     = ["server"]
  imports = ["modules/monitoring.nix"]
}

# Both hosts reach the cycle through "server"; it is reported once.
host "web1" {
  use                    = ["server"]
  hardware_configuration = "hardware/web1.nix"
}

host "web2" {
  use                    = ["server"]
  hardware_configuration = "hardware/web2.nix"
}
