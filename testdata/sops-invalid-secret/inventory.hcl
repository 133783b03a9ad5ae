fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM root@web1"

  secret "db_password" {
    key           = "db//password"
    owner         = "web admin"
    mode          = "rw-r-----"
    restart_units = ["app.service", "postgresql"]
    path          = "relative/path"
  }

  secret "../escape" {}
}
