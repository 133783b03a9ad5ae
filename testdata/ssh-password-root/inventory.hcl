fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}

# Root may log in, and so may passwords: an error unless
# allow_password_with_root says it is meant.
host "web1" {
  hardware_configuration = "hardware/web1.nix"
  ssh {
    permit_root_login       = "yes"
    password_authentication = true
  }
}

# Root may log in with keys only, and other users with passwords: fine.
host "web2" {
  hardware_configuration = "hardware/web2.nix"
  ssh {
    permit_root_login       = "prohibit-password"
    password_authentication = true
  }
}

# Root may log in, without passwords: fine.
host "web3" {
  hardware_configuration = "hardware/web3.nix"
  ssh {
    permit_root_login       = "yes"
    password_authentication = false
  }
}
