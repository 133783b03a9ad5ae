# A k3s cluster on cloud VMs installed with nixos-anywhere: three control
# planes with embedded etcd on SSDs, one satellite agent on an HDD, flannel
# over WireGuard, round-robin DNS over the control planes, and every
# Kubernetes port open only to the cluster's nodes and the admin.

fleet {
  nixpkgs          = "github:NixOS/nixpkgs/nixos-unstable"
  system           = "x86_64-linux"
  state_version    = "25.11"
  nameservers      = ["8.8.8.8", "8.8.4.4"]
  firewall_backend = "iptables"
}

# Every machine is a cloud VM with one disk, booted by GRUB from either
# BIOS or UEFI, depending on the provider.
profile "cloud-vm" {
  boot_loader = "grub-efi-removable"

  firewall {
    allow_ping = true
    tcp        = [22]
  }

  disk "sda" {
    device = "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi0-0-0-0"
    media  = "ssd"
    gpt {
      partition "MBR" {
        size     = "1M"
        type     = "EF02"
        priority = 0
      }
      partition "ESP" {
        size     = "500M"
        type     = "EF00"
        priority = 1
        filesystem {
          format     = "vfat"
          mountpoint = "/boot"
        }
      }
      partition "root" {
        size     = "100%"
        priority = 2
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }
}

# The control planes: the domain points at all three, so they also serve
# HTTP, HTTPS and DNS to everyone.
profile "control-plane" {
  use = ["cloud-vm"]

  firewall {
    tcp = [22, 80, 443]
    udp = [53]
  }

  k3s {
    cluster = "main"
    role    = "server"
  }
}

k3s_cluster "main" {
  # Round-robin DNS over the control planes: a joining node registers
  # with whichever answers.
  server_address  = "k8s.example.org"
  token_secret    = "k3s_token"
  flannel_backend = "wireguard-native"
  # The admin's own addresses may reach the API server, besides the nodes.
  admin_sources = ["198.51.100.7", "2001:db8:7::/48"]
}

host "instance-1" {
  use    = ["control-plane"]
  region = "france"
  zone   = "france-paris"

  interface "eth0" {
    addresses = ["203.0.113.10/24"]
    gateway   = "203.0.113.1"
  }

  # The first control plane creates the cluster; the others join it.
  k3s {
    role = "init"
  }
}

host "instance-2" {
  use    = ["control-plane"]
  region = "france"
  zone   = "france-paris"

  interface "eth0" {
    addresses = ["203.0.113.11/24"]
    gateway   = "203.0.113.1"
  }
}

host "instance-3" {
  use    = ["control-plane"]
  region = "france"
  zone   = "france-roubaix"

  interface "eth0" {
    addresses = ["203.0.113.12/24"]
    gateway   = "203.0.113.1"
  }
}

# The satellite only stores replicas: one core, 2 GB of RAM and an old
# hard disk, which is fine for an agent, which runs no etcd.
host "satellite" {
  use    = ["cloud-vm"]
  region = "france"
  zone   = "france-roubaix"

  interface "eth0" {
    addresses = ["192.0.2.40/24"]
    gateway   = "192.0.2.1"
  }

  disk "sda" {
    media = "hdd"
  }

  k3s {
    cluster = "main"
    role    = "agent"
  }
}
