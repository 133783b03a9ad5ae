fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "k8s.example.org"
  token_file     = "/run/keys/k3s_token"
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

# Only a server can create the cluster.
host "worker1" {
  hardware_configuration = "hardware/worker1.nix"
  interface "eth0" {
    addresses = ["10.0.0.11/24"]
  }
  k3s {
    role = "agent"
    extra_flags = [
      "--kubelet-arg=max-pods=50",
      "--cluster-init",
    ]
  }
}
