fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

# Neither disks nor a hardware configuration: the host's file systems are
# undefined, which is worth a warning but still renders.
host "web1" {
  time_zone = "Europe/Paris"
}
