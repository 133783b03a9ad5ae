fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# The agent has nowhere to register.
k3s_cluster "main" {
  token_file = "/run/keys/k3s_token"
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

host "worker1" {
  hardware_configuration = "hardware/worker1.nix"
  interface "eth0" {
    addresses = ["10.0.0.11/24"]
  }
  k3s {
    role = "agent"
  }
}
