fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "k8s.example.org"
  token_file     = "/run/keys/k3s_token"
}

k3s_cluster "lab" {
  server_address = "k8s.lab.example.org"
  token_file     = "/run/keys/k3s_lab_token"
}

host "cp1" {
  hardware_configuration = "hardware/cp1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    cluster = "mian"
    role    = "init"
  }
}

# With two clusters, the cluster cannot be left out.
host "cp2" {
  hardware_configuration = "hardware/cp2.nix"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "init"
  }
}
