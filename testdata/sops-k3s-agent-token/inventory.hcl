fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# With an agent token, agents hold only the agent token: the servers'
# token, which lets a node join as a server, stays in a file that only
# the servers can decrypt. A secret_group named after the cluster adds a
# secret to the file of all its nodes.
admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}

k3s_cluster "main" {
  server_address     = "10.0.0.1"
  token_secret       = "k3s_token"
  agent_token_secret = "k3s_agent_token"
}

secret_group "k3s-main" {
  secret "longhorn_passphrase" {
    key = "longhorn/crypto_key_value"
  }
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

host "node2" {
  hardware_configuration = "hardware/node2.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILhGBLIh5tRwVDHuQa1bMyJJaMXc5jEOsTJeNIGGG8V5 root@node2"
  interface "eth0" {
    addresses = ["10.0.0.2/24"]
  }
  k3s {
    role = "agent"
  }
}
