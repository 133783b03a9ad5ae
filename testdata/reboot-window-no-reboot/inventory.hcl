fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

# A reboot window without allow_reboot: the upgrades never reboot, so the
# window has no effect (a warning).
host "web1" {
  hardware_configuration = "hardware/web1.nix"
  auto_upgrade {
    flake         = "github:example/infra"
    schedule      = "daily"
    reboot_window = { lower = "01:00", upper = "05:00" }
  }
}
