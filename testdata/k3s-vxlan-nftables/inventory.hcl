fleet {
  nixpkgs          = "github:NixOS/nixpkgs/nixos-unstable"
  system           = "x86_64-linux"
  state_version    = "25.11"
  firewall_backend = "nftables"
}

# Dual stack with the default VXLAN backend, an agent token, and the
# firewall written as nftables rules. The agent's own allow rule named
# k3s-kubelet replaces the derived one.
k3s_cluster "lab" {
  server_address     = "2001:db8::1"
  token_file         = "/run/keys/k3s-token"
  agent_token_file   = "/run/keys/k3s-agent-token"
  cluster_cidr       = "10.42.0.0/16,2001:db8:42::/56"
  service_cidr       = "10.43.0.0/16,2001:db8:43::/112"
  disable            = ["traefik"]
  secrets_encryption = true
  extra_flags        = ["--disable-network-policy"]
  admin_sources      = ["198.51.100.0/24"]
}

host "cp1" {
  hardware_configuration = "hardware/cp1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24", "2001:db8::1/64"]
  }
  k3s {
    role = "init"
  }
}

host "worker1" {
  hardware_configuration = "hardware/worker1.nix"
  interface "eth0" {
    addresses = ["10.0.0.11/24", "2001:db8::11/64"]
  }
  firewall {
    allow "k3s-kubelet" {
      tcp  = [10250]
      from = ["10.0.0.1"]
    }
  }
  k3s {
    role   = "agent"
    labels = { "example.org/pool" = "batch" }
    taints = ["dedicated=batch:NoSchedule"]
  }
}
