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

# The admin who edits the secrets files with sops. Every secrets file is
# encrypted for the admin, and each for the hosts that read it. This is the
# published test key of ssh-to-age: put your own age recipient here
# (age-keygen -y KEYFILE, or ssh-to-age < ~/.ssh/id_ed25519.pub).
admin "ben" {
  age_recipient = "age17044m9wgakla6pzftf4srtl3h5mcsr85jysgt5fg23zpnta8sfdqhzn452"
}

# Every machine is a cloud VM with one disk, booted by GRUB from either
# BIOS or UEFI, depending on the provider.
profile "cloud-vm" {
  boot_loader = "grub-efi-removable"

  firewall {
    allow_ping = true
    tcp        = [22]
  }

  # SSH with keys only and no root login: ben logs in with his key.
  ssh {
    permit_root_login              = "no"
    password_authentication        = false
    kbd_interactive_authentication = false
    log_level                      = "VERBOSE"
    x11_forwarding                 = false
    users = {
      ben = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 ben@laptop"]
    }
  }

  # fail2ban bans longer each time, and never bans the nodes themselves
  # (added by nixgen) nor the admin.
  fail2ban {
    incremental = true
    ignore      = ["198.51.100.7", "2001:db8:7::/48"]
  }

  # Every machine upgrades itself from the repository once a week, in the
  # evening, and may reboot between 22:00 and 23:59 when the kernel
  # changed. The satellite keeps Sunday; each control plane sets a day of
  # its own, since nixgen refuses servers of one cluster that would reboot
  # together.
  auto_upgrade {
    flake              = "github:example/infra"
    schedule           = "Sun 22:00"
    randomized_delay   = "1h"
    fixed_random_delay = true
    allow_reboot       = true
    reboot_window      = { lower = "22:00", upper = "23:59" }
  }

  # No display, and the serial console for the provider's web console.
  headless = true
  kernel {
    params = ["console=ttyS0,115200n8", "console=tty0", "reboot=acpi"]
  }

  # Every node stores Longhorn replicas.
  longhorn = true

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
  # The token is a sops-nix secret in secrets/k3s-main.yaml, which is
  # encrypted for the admin and every node of the cluster.
  token_secret    = "k3s_token"
  flannel_backend = "wireguard-native"
  # The admin's own addresses may reach the API server, besides the nodes.
  admin_sources = ["198.51.100.7", "2001:db8:7::/48"]
}

host "instance-1" {
  use    = ["control-plane"]
  region = "france"
  zone   = "france-paris"

  # The host's /etc/ssh/ssh_host_ed25519_key.pub, from which its age
  # recipient is derived (ssh-keyscan -t ed25519 HOST prints it).
  ssh_host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEMMrwDyZc+tlta3mseqnzfQ1C2I60fiXAYdi5xuL2I4 root@instance-1"

  interface "eth0" {
    addresses = ["203.0.113.10/24"]
    gateway   = "203.0.113.1"
  }

  auto_upgrade {
    schedule = "Mon 22:00"
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

  ssh_host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJDjii+zD6h92bsB/kPbg/+V5n+MxDdNz7il7rMgB3Fj root@instance-2"

  interface "eth0" {
    addresses = ["203.0.113.11/24"]
    gateway   = "203.0.113.1"
  }

  auto_upgrade {
    schedule = "Tue 22:00"
  }
}

host "instance-3" {
  use    = ["control-plane"]
  region = "france"
  zone   = "france-roubaix"

  ssh_host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDsWTAuUCcf5hUxjvOtU2TlIx8qPcnKmyFU1j1CLj5JP root@instance-3"

  interface "eth0" {
    addresses = ["203.0.113.12/24"]
    gateway   = "203.0.113.1"
  }

  auto_upgrade {
    schedule = "Wed 22:00"
  }
}

# The satellite only stores replicas: one core, 2 GB of RAM and an old
# hard disk, which is fine for an agent, which runs no etcd.
host "satellite" {
  use    = ["cloud-vm"]
  region = "france"
  zone   = "france-roubaix"

  ssh_host_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIcXCYa7jXUv4UM1SCdkpGIrO028EY/dsENEfXvaFeOh root@satellite"

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
