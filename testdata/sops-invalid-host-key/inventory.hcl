fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

admin "alice" {
  age_recipient = "age1yk47j6gh7mhccyqw9hef70m6348dryqcgl42d987d7ywgt3j9v3sa9003x"
}

admin "joerg" {
  ssh_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOHz+U0YtjINc54dZiJNclfm joerg@turingmachine"
}

# sops-nix derives age keys from ed25519 host keys only.
host "web1" {
  hardware_configuration = "hardware/web1.nix"
  ssh_host_key           = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCQgfXQ23pyGUD5sOTzaP+4dC3ozmZpb+zoLLc630FFAY4QAat7u0iOYq+rQRXaU9z+9e3J4UOQ+Yfl715ABA24= root@web1"
}

host "web2" {
  hardware_configuration = "hardware/web2.nix"
  ssh_host_key           = "AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM"
}
