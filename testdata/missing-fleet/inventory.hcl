host "web1" {
  system                 = "x86_64-linux"
  state_version          = "25.05"
  hardware_configuration = "hardware/web1.nix"
}
