fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# Two servers tolerate no more failures than one: a warning, and the
# files are written all the same.
k3s_cluster "main" {
  server_address = "10.0.0.1"
  token_file     = "/run/keys/k3s-token"
}

host "cp1" {
  hardware_configuration = "hardware/cp1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
}

host "cp2" {
  hardware_configuration = "hardware/cp2.nix"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "server"
  }
}
