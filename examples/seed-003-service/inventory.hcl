# The write-up's Elixir app, kv, deployed the way it ran before
# Kubernetes: a hardened systemd unit that needs PostgreSQL and a oneshot
# that migrates the database first. The same VPS runs a one-node k3s
# cluster, whose first objects are auto-deploying manifests written in
# the inventory instead of in YAML.

fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"

  # The app's own flake, which builds the kv package.
  input "kv" {
    url = "git+https://git.example.org/kv"
  }
}

k3s_cluster "main" {
  # The node creates the cluster; the token file is put on the VPS at
  # installation and never enters the Nix store.
  token_file = "/var/lib/secrets/k3s-token"
  # kubectl runs on the admin's laptop.
  admin_sources = ["198.51.100.7"]
}

host "vps" {
  hardware_configuration = "hardware/vps.nix"
  # Adds pkgs.kv, from the kv input, with an overlay.
  imports = ["modules/kv-overlay.nix"]

  interface "eth0" {
    addresses = ["203.0.113.10/24", "2001:db8:10::10/64"]
    gateway   = "203.0.113.1"
    gateway6  = "fe80::1"
  }

  firewall {
    tcp = [22, 80, 443]
  }

  # The database kv owns and reaches as the system user kv over the
  # local socket.
  postgresql {
    databases = ["kv"]
    users     = ["kv"]
  }

  service "kv-migrations" {
    description       = "kv database migrations"
    requires          = ["postgresql.service"]
    after             = ["postgresql.service"]
    type              = "oneshot"
    remain_after_exit = true
    packages          = ["kv"]
    script            = "exec kv-server eval 'Kv.Release.migrate()'"
    user              = "kv"
  }

  service "kv" {
    description         = "kv"
    strict_shell_checks = true
    wanted_by           = ["multi-user.target"]
    # Ordered after PostgreSQL through kv-migrations.
    after    = ["kv-migrations.service"]
    requires = ["postgresql.service", "kv-migrations.service"]
    packages = ["kv"]
    script   = <<-EOT
      export KV_STORAGE_ROOT="$STATE_DIRECTORY"
      exec kv-server start
    EOT
    environment = { KV_PORT = "4000" }
    user                 = "kv"
    protect_system       = "strict"
    private_tmp          = true
    umask                = "0007"
    restart              = "on-failure"
    restart_sec          = "10s"
    state_directory      = "kv"
    state_directory_mode = "0750"
  }

  k3s {
    role = "init"

    manifest "playground-namespace" {
      content = {
        apiVersion = "v1"
        kind       = "Namespace"
        metadata   = { name = "playground" }
      }
    }

    # A Deployment and its Service in one file, a v1 List.
    manifest "whoami" {
      content = [
        {
          apiVersion = "apps/v1"
          kind       = "Deployment"
          metadata   = { name = "whoami", namespace = "playground" }
          spec = {
            replicas = 2
            selector = { matchLabels = { "app.kubernetes.io/name" = "whoami" } }
            template = {
              metadata = { labels = { "app.kubernetes.io/name" = "whoami" } }
              spec = {
                containers = [{
                  name  = "whoami"
                  image = "traefik/whoami:v1.10"
                  ports = [{ containerPort = 80 }]
                }]
              }
            }
          }
        },
        {
          apiVersion = "v1"
          kind       = "Service"
          metadata   = { name = "whoami", namespace = "playground" }
          spec = {
            selector = { "app.kubernetes.io/name" = "whoami" }
            ports    = [{ port = 80, targetPort = 80 }]
          }
        },
      ]
    }
  }
}
