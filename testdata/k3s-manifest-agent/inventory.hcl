fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "10.0.0.1"
  token_file     = "/run/keys/k3s"
}

# Every node gets the namespace manifest from the profile, but only the
# server deploys it: the agent is warned about and gets none.
profile "node" {
  k3s {
    manifest "kv-namespace" {
      content = {
        apiVersion = "v1"
        kind       = "Namespace"
        metadata   = { name = "kv" }
      }
    }
  }
}

host "server1" {
  use                    = ["node"]
  hardware_configuration = "hardware/server1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
}

host "agent1" {
  use                    = ["node"]
  hardware_configuration = "hardware/agent1.nix"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "agent"
  }
}
