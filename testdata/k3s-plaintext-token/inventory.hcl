fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# A token written in the inventory would land in the world-readable Nix
# store: nixgen refuses it and says where to keep it instead.
k3s_cluster "main" {
  server_address = "k8s.example.org"
  token          = "K10c0ffee::server:5ecret"
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
