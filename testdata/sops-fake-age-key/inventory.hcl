fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# The age keys of the write-up's .sops.yaml, which it says are fake: they
# hold letters that bech32, and so age, never uses.
admin "my_machine" {
  age_recipient = "age1irdq4jgq134vi2aasxayzgt4uc0fa6k0datbzmzb16pbqawxxy1bfrdz72"
}

admin "instance_1" {
  age_recipient = "age1y9gw4vsuwqcpeebta8eorvmqrpu1jorg4sd6zjqd20fr03mmdowrt9aos9"
}

# A real recipient with its last character changed: the checksum fails.
admin "typo" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003y"
}

# An SSH key where an age recipient belongs.
admin "ssh" {
  age_recipient = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOHz+U0YtjINc54dZiJNclfmEFifF7RXCFlNlTbuZBji joerg@turingmachine"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM root@web1"

  secret "db_password" {}
}
