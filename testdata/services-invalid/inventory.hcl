fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"

  ssh {
    permit_root_login = "without-password"
    log_level         = "verbose"
    users = {
      ben = [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 ben@laptop",
        "AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 ben@desk",
      ]
      root = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 root@laptop"]
    }
  }

  fail2ban {
    max_retry = 0
    ignore    = ["198.51.100.7", "admin.example.org"]
  }

  auto_upgrade {
    flake            = "github:example/infra#web1"
    randomized_delay = "three hours"
    allow_reboot     = true
    reboot_window    = { lower = "1:00", upper = "05:00" }
  }

  kernel {
    modules = ["kvm-intel", "dm_crypt.ko"]
    params  = ["console=ttyS0,115200n8 reboot=acpi"]
  }
}
