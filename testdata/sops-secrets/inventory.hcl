fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# Two admins, one by age recipient and one by SSH key, a secret from a
# profile with a host's own secret, a group file shared by two hosts, and
# a hand-written module whose secrets are declared.
admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}

admin "joerg" {
  ssh_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOHz+U0YtjINc54dZiJNclfmEFifF7RXCFlNlTbuZBji joerg@turingmachine"
}

profile "app" {
  secret "db_password" {
    owner         = "app"
    mode          = "0440"
    restart_units = ["app.service"]
  }
}

host "web1" {
  use                    = ["app"]
  hardware_configuration = "hardware/web1.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM root@web1"
  imports                = ["modules/app.nix"]
  secrets_used           = ["db_password", "api/token", "restic_password"]

  # Laid over the profile's: the owner stays, the mode changes.
  secret "db_password" {
    mode = "0400"
  }

  secret "api/token" {
    key  = "api/web1_token"
    path = "/var/lib/app/token"
  }
}

host "db1" {
  hardware_configuration = "hardware/db1.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIL2vjdqpppuCn7yPdF2muINriAG7zBWrsELKpPWkhn5 root@db1"
}

secret_group "backup" {
  members = ["web1", "db1"]

  secret "restic_password" {
    group = "restic"
    mode  = "0440"
  }
}
