fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-unstable"
  system        = "x86_64-linux"
  state_version = "25.11"
}

# Two hosts cloned from one image share an SSH host key, and the admin's
# key is also a host's.
admin "joerg" {
  ssh_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOHz+U0YtjINc54dZiJNclfmEFifF7RXCFlNlTbuZBji joerg@turingmachine"
}

host "web1" {
  hardware_configuration = "hardware/web1.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM root@web1"
}

host "web2" {
  hardware_configuration = "hardware/web2.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM root@web1"
}

host "laptop" {
  hardware_configuration = "hardware/laptop.nix"
  ssh_host_key           = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOHz+U0YtjINc54dZiJNclfmEFifF7RXCFlNlTbuZBji joerg@turingmachine"
}
