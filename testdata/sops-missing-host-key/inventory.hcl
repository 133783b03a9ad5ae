fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}

k3s_cluster "main" {
  server_address = "10.0.0.1"
  token_secret   = "k3s_token"
}

host "node1" {
  hardware_configuration = "hardware/node1.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMMhT579atBgP8kgmFBs9VYbc2ProIxp067hapEriIYL root@node1"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
}

# The token reaches node2 through the cluster's group file, which cannot
# be encrypted for a host without a key.
host "node2" {
  hardware_configuration = "hardware/node2.nix"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "agent"
  }
}
