fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "k8s.example.org"
  token_file     = "/run/keys/k3s_token"
}

# The kubelet refuses to set a node-role label on its own node; the error
# points here, in the profile that sets it.
profile "worker" {
  hardware_configuration = "hardware/worker.nix"
  k3s {
    role   = "agent"
    labels = { "node-role.kubernetes.io/worker" = "true" }
    taints = ["dedicated=batch:NoSchedule"]
  }
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
  use = ["worker"]
  interface "eth0" {
    addresses = ["10.0.0.11/24"]
  }
}
