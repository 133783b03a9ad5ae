fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.11"
  system        = "x86_64-linux"
  state_version = "25.11"
}

host "host1" {
  hardware_configuration = "hardware/host1.nix"

  container "web_front" {
    imports = ["modules/web-front.nix"]
  }

  # Twelve characters: fine without a private network, too long for the
  # host's interface ve-NAME with one.
  container "meshcentral2" {
    private_network = true
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.60"
  }
}
