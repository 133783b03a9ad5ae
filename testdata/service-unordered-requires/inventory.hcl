fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

host "app1" {
  hardware_configuration = "hardware/app1.nix"

  # kv requires PostgreSQL but is ordered after network.target only, so
  # systemd starts the two together: a warning.
  service "kv" {
    wanted_by  = ["multi-user.target"]
    requires   = ["postgresql.service"]
    after      = ["network.target"]
    exec_start = "/run/current-system/sw/bin/kv-server"
  }

  # kv-worker is ordered after PostgreSQL through kv-migrations: no
  # warning.
  service "kv-worker" {
    wanted_by  = ["multi-user.target"]
    requires   = ["postgresql.service", "kv-migrations.service"]
    after      = ["kv-migrations.service"]
    exec_start = "/run/current-system/sw/bin/kv-worker"
  }

  service "kv-migrations" {
    type              = "oneshot"
    remain_after_exit = true
    after             = ["postgresql.service"]
    exec_start        = "/run/current-system/sw/bin/kv-migrate"
  }

  postgresql {
    databases = ["kv"]
    users     = ["kv"]
  }
}
