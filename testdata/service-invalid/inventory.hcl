fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

host "app1" {
  hardware_configuration = "hardware/app1.nix"

  service "kv.service" {
    wanted_by   = ["multi-user"]
    script      = "exec kv-server"
    exec_start  = "kv-server"
    restart     = "on-fail"
    restart_sec = "10 secs"
    hardening   = { PrivateTmp = "maybe", User = "kv" }
  }
}
