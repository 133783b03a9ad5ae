fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  server_address = "k8s.example.org"
  token_file     = "/run/keys/k3s_token"
}

# Every server inherits the same weekly upgrade with reboots, so a kernel
# update would reboot all three in the same window.
profile "server" {
  hardware_configuration = "hardware/node.nix"
  auto_upgrade {
    flake         = "github:example/infra"
    schedule      = "Sun 04:00"
    allow_reboot  = true
    reboot_window = { lower = "04:00", upper = "06:00" }
  }
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

host "cp2" {
  use = ["server"]
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
}

host "cp3" {
  use = ["server"]
  interface "eth0" {
    addresses = ["10.0.0.3/24"]
  }
}

# The agent shares the schedule, which is fine: it runs no etcd.
host "worker1" {
  use = ["server"]
  interface "eth0" {
    addresses = ["10.0.0.11/24"]
  }
  k3s {
    role = "agent"
  }
}
