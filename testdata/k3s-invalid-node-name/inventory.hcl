fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  token_file = "/run/keys/k3s_token"
}

# A fine NixOS host name, but not a Kubernetes node name: the kubelet
# would fail to register it.
host "instance_1" {
  hardware_configuration = "hardware/instance_1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
}
