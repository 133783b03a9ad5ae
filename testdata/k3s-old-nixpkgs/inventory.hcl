fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-24.11"
  system        = "x86_64-linux"
  state_version = "24.11"
}

# The k3s module of NixOS 24.11 has no nodeIP or nodeLabel option: a
# warning, since nixgen cannot know which options a release has.
k3s_cluster "main" {
  token_file = "/run/keys/k3s_token"
}

host "cp1" {
  hardware_configuration = "hardware/cp1.nix"
  zone                   = "paris"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
  }
}
