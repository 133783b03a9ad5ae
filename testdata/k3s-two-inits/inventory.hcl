fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "k8s.example.org"
  token_file     = "/run/keys/k3s_token"
}

profile "server" {
  hardware_configuration = "hardware/server.nix"
  k3s {
    role = "server"
  }
}

host "cp1" {
  use = ["server"]
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
}

# Copied from cp1 and not changed back: a second cluster would be born.
host "cp2" {
  use = ["server"]
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "init"
  }
}

host "cp3" {
  use = ["server"]
  interface "eth0" {
    addresses = ["10.0.0.3/24"]
  }
}
