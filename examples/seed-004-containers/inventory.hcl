# One dedicated server that runs every service as a NixOS container: ten
# systemd-nspawn containers on private networks, ephemeral so that each
# start is a fresh system and only bind-mounted directories keep data,
# all behind the web-front container, an nginx reverse proxy that adds
# TLS. Docker runs inside the containers that need it, and the
# Chaotic-AUR builders run systemd-nspawn inside their own container.

fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-23.11"
  system        = "x86_64-linux"
  state_version = "23.11"
}

host "dedi" {
  hardware_configuration = "hardware/dedi.nix"

  interface "eth0" {
    addresses = ["203.0.113.112/26", "2001:db8:30ac::2/64"]
    gateway   = "203.0.113.65"
    gateway6  = "fe80::1"
  }

  firewall {
    tcp = [22]
  }

  # Every container has its own address on a veth pair, 10.0.5.x, and the
  # host side of each pair is 10.0.5.1, the containers' gateway. nixgen
  # enables NAT on the ve-* interfaces out of eth0.

  # The reverse proxy: ports 80 and 443 of the host go to it.
  container "web-front" {
    auto_start      = true
    ephemeral       = true
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.10"
    forward_port {
      host_port = 80
    }
    forward_port {
      host_port = 443
    }
    forward_port {
      protocol  = "udp"
      host_port = 443
    }
    bind_mount "/var/lib/acme" {
      host_path = "/data/containers/web-front/acme"
      read_only = false
    }
    bind_mount "/var/log/nginx" {
      read_only = false
    }
    imports = ["containers/web-front.nix"]
  }

  # Chaotic-AUR's main repository, its garuda repository and its kde-git
  # repository are built in containers of their own. Their builds run
  # systemd-nspawn inside the container, which needs the host's cgroup
  # hierarchy and every capability.
  container "temeraire" {
    auto_start              = true
    ephemeral               = true
    private_network         = true
    host_address            = "10.0.5.1"
    local_address           = "10.0.5.20"
    additional_capabilities = ["all"]
    bind_mount "/sys/fs/cgroup" {
      read_only = false
    }
    bind_mount "/srv/http/repos" {
      host_path = "/data/chaotic-aur"
      read_only = false
    }
    imports = ["containers/temeraire.nix"]
  }

  container "repo" {
    auto_start              = true
    ephemeral               = true
    private_network         = true
    host_address            = "10.0.5.1"
    local_address           = "10.0.5.30"
    additional_capabilities = ["all"]
    bind_mount "/sys/fs/cgroup" {
      read_only = false
    }
    bind_mount "/srv/http/repos/garuda" {
      host_path = "/data/chaotic-aur/garuda"
      read_only = false
    }
    imports = ["containers/repo.nix"]
  }

  container "chaotic-kde" {
    auto_start              = true
    ephemeral               = true
    private_network         = true
    host_address            = "10.0.5.1"
    local_address           = "10.0.5.90"
    additional_capabilities = ["all"]
    bind_mount "/sys/fs/cgroup" {
      read_only = false
    }
    bind_mount "/srv/http/repos/chaotic-aur-kde" {
      host_path = "/data/chaotic-aur/chaotic-aur-kde"
      read_only = false
    }
    imports = ["containers/chaotic-kde.nix"]
  }

  # The containers that run Docker get every capability and keep Docker's
  # data on the host.
  container "iso-runner" {
    auto_start              = true
    ephemeral               = true
    private_network         = true
    host_address            = "10.0.5.1"
    local_address           = "10.0.5.40"
    additional_capabilities = ["all"]
    bind_mount "/var/lib/docker" {
      host_path = "/data/dockercache/iso-runner"
      read_only = false
    }
    imports = ["containers/iso-runner.nix"]
  }

  # Discourse runs in Docker and expects its installation in
  # /var/discourse.
  container "forum" {
    auto_start              = true
    ephemeral               = true
    private_network         = true
    host_address            = "10.0.5.1"
    local_address           = "10.0.5.70"
    additional_capabilities = ["all"]
    bind_mount "/var/discourse" {
      host_path = "/data/containers/forum"
      read_only = false
    }
    bind_mount "/var/lib/docker" {
      host_path = "/data/dockercache/forum"
      read_only = false
    }
    imports = ["containers/forum.nix"]
  }

  # Everything else that is Docker-based.
  container "docker" {
    auto_start              = true
    ephemeral               = true
    private_network         = true
    host_address            = "10.0.5.1"
    local_address           = "10.0.5.100"
    additional_capabilities = ["all"]
    bind_mount "/var/garuda/docker-compose-runner" {
      host_path = "/data/containers/docker"
      read_only = false
    }
    bind_mount "/var/lib/docker" {
      host_path = "/data/dockercache/docker"
      read_only = false
    }
    imports = ["containers/docker.nix"]
  }

  # The database of the other containers.
  container "postgres" {
    auto_start      = true
    ephemeral       = true
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.50"
    bind_mount "/var/lib/postgresql" {
      host_path = "/data/containers/postgres/data"
      read_only = false
    }
    bind_mount "/var/backup/postgresql" {
      host_path = "/data/containers/postgres/backup"
      read_only = false
    }
    imports = ["containers/postgres.nix"]
  }

  container "meshcentral" {
    auto_start      = true
    ephemeral       = true
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.60"
    bind_mount "/var/lib/meshcentral" {
      host_path = "/data/containers/meshcentral"
      read_only = false
    }
    imports = ["containers/meshcentral.nix"]
  }

  container "mastodon" {
    auto_start      = true
    ephemeral       = true
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.80"
    bind_mount "/var/lib/mastodon" {
      host_path = "/data/containers/mastodon/mastodon"
      read_only = false
    }
    bind_mount "/var/lib/redis-mastodon" {
      host_path = "/data/containers/mastodon/redis"
      read_only = false
    }
    imports = ["containers/mastodon.nix"]
  }
}
