fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

k3s_cluster "main" {
  token_file = "/run/keys/k3s"
}

host "server1" {
  hardware_configuration = "hardware/server1.nix"
  interface "eth0" {
    addresses = ["10.0.0.1/24"]
  }
  k3s {
    role = "init"
    manifest "traefik" {
      source = "manifests/traefik.yaml"
    }
    manifest "app" {
      source  = "manifests/app.yaml"
      content = { apiVersion = "apps/v1", kind = "Deployment" }
    }
    manifest "config" {
      content = { apiVersion = "v1", metadata = { name = "config" } }
    }
    manifest "token" {
      content = { apiVersion = "v1", kind = "Secret", stringData = { token = "hunter2" } }
    }
  }
}
