// Package nixgen turns an inventory of NixOS hosts into the Nix files of a
// fleet: flake.nix with one nixosConfigurations entry per host, and per host
// a default.nix, a disko.nix disk layout and a network.nix with
// systemd-networkd and firewall settings.
//
// An inventory is written in HCL or in the equivalent JSON form (HCL's JSON
// syntax), or built in Go. [Load] reads one, [Inventory.Validate] checks it
// and returns diagnostics that carry file:line:col, [Render] returns the
// generated files in memory, and [WriteTree] writes them safely.
package nixgen

import (
	"github.com/hashicorp/hcl/v2"
)

// Inventory is a fleet of NixOS hosts.
type Inventory struct {
	// Fleet holds the flake inputs and the defaults every host inherits.
	Fleet *Fleet `hcl:"fleet,block"`
	// Profiles are settings that several hosts share, referenced by name
	// from a host's use list.
	Profiles []Machine `hcl:"profile,block"`
	// Hosts are the machines of the fleet, one nixosConfigurations entry
	// each.
	Hosts []Machine `hcl:"host,block"`
	// K3sClusters are the k3s clusters that hosts join with a k3s block.
	K3sClusters []K3sCluster `hcl:"k3s_cluster,block"`
	// Admins edit the sops secrets files, which are all encrypted for
	// them; SecretGroups are hosts that share a secrets file. See
	// [Secret].
	Admins       []Admin       `hcl:"admin,block"`
	SecretGroups []SecretGroup `hcl:"secret_group,block"`

	// Source is the path of the inventory file, relative to the output
	// tree where possible. It names the inventory in the header of every
	// generated file; it is not read from the file.
	Source string

	// src is the text the inventory was parsed from, srcName the name
	// its ranges carry and srcJSON whether it is in JSON syntax; they
	// let diagnostics about one element of a list point at that element
	// (see narrowToElements). src is nil for an inventory built in Go.
	src     []byte
	srcName string
	srcJSON bool
}

// Fleet holds what the whole fleet shares.
type Fleet struct {
	// Nixpkgs is the flake URL of nixpkgs, for example
	// "github:NixOS/nixpkgs/nixos-25.05". Every other input follows it, so
	// that the whole fleet is built from one pin.
	Nixpkgs string `hcl:"nixpkgs,optional"`
	// Disko is the flake URL of disko; empty means
	// "github:nix-community/disko".
	Disko string `hcl:"disko,optional"`
	// SopsNix is the flake URL of sops-nix; empty means
	// "github:Mic92/sops-nix".
	SopsNix string `hcl:"sops_nix,optional"`
	// Inputs are extra flake inputs.
	Inputs []Input `hcl:"input,block"`
	// SecretsDir is the directory of the sops secrets files, relative
	// to the flake root; "secrets" when unset. See [Secret].
	SecretsDir      *string   `hcl:"secrets_dir,optional"`
	SecretsDirRange hcl.Range `hcl:"secrets_dir,attr_value_range"`

	// The settings below are defaults that every host inherits, unless a
	// profile it uses or the host itself sets them. See [Machine] for
	// their meaning.
	System          *string  `hcl:"system,optional"`
	BootLoader      *string  `hcl:"boot_loader,optional"`
	StateVersion    *string  `hcl:"state_version,optional"`
	TimeZone        *string  `hcl:"time_zone,optional"`
	Nameservers     []string `hcl:"nameservers,optional"`
	AuthorizedKeys  []string `hcl:"authorized_keys,optional"`
	FirewallBackend *string  `hcl:"firewall_backend,optional"`

	DefRange             hcl.Range `hcl:",def_range"`
	NixpkgsRange         hcl.Range `hcl:"nixpkgs,attr_value_range"`
	SystemRange          hcl.Range `hcl:"system,attr_value_range"`
	BootLoaderRange      hcl.Range `hcl:"boot_loader,attr_value_range"`
	StateVersionRange    hcl.Range `hcl:"state_version,attr_value_range"`
	NameserversRange     hcl.Range `hcl:"nameservers,attr_value_range"`
	AuthorizedKeysRange  hcl.Range `hcl:"authorized_keys,attr_value_range"`
	FirewallBackendRange hcl.Range `hcl:"firewall_backend,attr_value_range"`
}

// defaults returns the fleet defaults as a machine layer.
func (f *Fleet) defaults() *Machine {
	return &Machine{
		System: f.System, BootLoader: f.BootLoader, StateVersion: f.StateVersion, TimeZone: f.TimeZone,
		Nameservers: f.Nameservers, AuthorizedKeys: f.AuthorizedKeys, FirewallBackend: f.FirewallBackend,
		SystemRange: f.SystemRange, BootLoaderRange: f.BootLoaderRange, StateVersionRange: f.StateVersionRange,
		NameserversRange: f.NameserversRange, AuthorizedKeysRange: f.AuthorizedKeysRange, FirewallBackendRange: f.FirewallBackendRange,
	}
}

// Input is an extra flake input.
type Input struct {
	// Name is the input name, the attribute under inputs.
	Name string `hcl:"name,label"`
	// URL is the flake reference.
	URL string `hcl:"url"`
	// FollowNixpkgs makes the input follow the fleet's nixpkgs
	// (inputs.nixpkgs.follows = "nixpkgs"); nil means true.
	FollowNixpkgs *bool `hcl:"follow_nixpkgs,optional"`

	NameRange hcl.Range `hcl:"name,label_range"`
	DefRange  hcl.Range `hcl:",def_range"`
}

// Machine is a host, a profile, or the fleet defaults: the same settings
// serve all three. A host is the result of its own settings over its
// profiles' (in the order of Use, later ones winning) over the fleet
// defaults, field by field; see [Inventory.Resolve].
type Machine struct {
	// Name is the host or profile name. A host name is its
	// networking.hostName and the name of its nixosConfigurations entry.
	Name string `hcl:"name,label"`
	// Use names the profiles this machine inherits from, in order.
	Use []string `hcl:"use,optional"`

	// System is the Nix system, "x86_64-linux" or "aarch64-linux".
	System *string `hcl:"system,optional"`
	// Region and Zone are topology labels, for example a data centre and
	// a room. A k3s node gets them as the labels
	// topology.kubernetes.io/region and topology.kubernetes.io/zone.
	Region *string `hcl:"region,optional"`
	Zone   *string `hcl:"zone,optional"`
	// BootLoader is "systemd-boot", "grub-efi", "grub-efi-removable" or
	// "grub-bios".
	BootLoader *string `hcl:"boot_loader,optional"`
	// StateVersion is system.stateVersion, for example "25.05".
	StateVersion *string `hcl:"state_version,optional"`
	// TimeZone is time.timeZone, for example "Europe/Paris".
	TimeZone *string `hcl:"time_zone,optional"`
	// Nameservers are networking.nameservers; they must be IP addresses.
	Nameservers []string `hcl:"nameservers,optional"`
	// AuthorizedKeys are SSH public keys allowed to log in as root.
	AuthorizedKeys []string `hcl:"authorized_keys,optional"`
	// FirewallBackend is "iptables" or "nftables".
	FirewallBackend *string `hcl:"firewall_backend,optional"`
	// Imports are paths of hand-written NixOS modules the host imports,
	// relative to the inventory file.
	Imports []string `hcl:"imports,optional"`
	// HardwareConfiguration is the path of the host's
	// hardware-configuration.nix, relative to the inventory file.
	HardwareConfiguration *string `hcl:"hardware_configuration,optional"`

	// Interfaces are the host's network interfaces.
	Interfaces []Interface `hcl:"interface,block"`
	// Firewall holds the firewall rules.
	Firewall *Firewall `hcl:"firewall,block"`
	// K3s makes the host a node of a k3s cluster.
	K3s *K3sNode `hcl:"k3s,block"`

	// SSHHostKey is the host's public SSH host key, the line of
	// /etc/ssh/ssh_host_ed25519_key.pub: sops-nix decrypts the host's
	// secrets with the age key derived from it. Secrets are the sops-nix
	// secrets the host receives from its own secrets file, and
	// SecretsUsed names the secrets that the modules of Imports read, so
	// that they are checked to be declared. See [Secret].
	SSHHostKey       *string   `hcl:"ssh_host_key,optional"`
	Secrets          []Secret  `hcl:"secret,block"`
	SecretsUsed      []string  `hcl:"secrets_used,optional"`
	SSHHostKeyRange  hcl.Range `hcl:"ssh_host_key,attr_value_range"`
	SecretsUsedRange hcl.Range `hcl:"secrets_used,attr_value_range"`

	// SSH, Fail2ban, AutoUpgrade, Kernel, Headless and Longhorn are
	// host services, emitted as services.nix; see services.go.
	SSH         *SSH         `hcl:"ssh,block"`
	Fail2ban    *Fail2ban    `hcl:"fail2ban,block"`
	AutoUpgrade *AutoUpgrade `hcl:"auto_upgrade,block"`
	Kernel      *Kernel      `hcl:"kernel,block"`
	// Headless imports NixOS's profiles/headless.nix: no display, no
	// getty on the consoles, a reboot on kernel panic.
	Headless *bool `hcl:"headless,optional"`
	// Longhorn sets up what Longhorn needs on a Kubernetes node: iSCSI,
	// the NFS client, dm_crypt and cryptsetup, and the FHS paths it
	// calls tools by.
	Longhorn *bool `hcl:"longhorn,optional"`

	// Services are systemd service units and PostgreSQL a PostgreSQL
	// server, emitted as units.nix; see [SystemdService]. Containers are
	// NixOS containers, emitted as containers.nix; see [Container].
	Services   []SystemdService `hcl:"service,block"`
	PostgreSQL *PostgreSQL      `hcl:"postgresql,block"`
	Containers []Container      `hcl:"container,block"`

	// Disks, Arrays, Pools, VolumeGroups and Nodev describe the disk
	// layout, emitted as disko.nix.
	Disks        []Disk        `hcl:"disk,block"`
	Arrays       []Array       `hcl:"mdadm,block"`
	Pools        []Pool        `hcl:"zpool,block"`
	VolumeGroups []VolumeGroup `hcl:"lvm_vg,block"`
	Nodev        []Nodev       `hcl:"nodev,block"`

	// Ranges of the fields, for diagnostics.
	NameRange                  hcl.Range `hcl:"name,label_range"`
	DefRange                   hcl.Range `hcl:",def_range"`
	UseRange                   hcl.Range `hcl:"use,attr_value_range"`
	SystemRange                hcl.Range `hcl:"system,attr_value_range"`
	BootLoaderRange            hcl.Range `hcl:"boot_loader,attr_value_range"`
	StateVersionRange          hcl.Range `hcl:"state_version,attr_value_range"`
	TimeZoneRange              hcl.Range `hcl:"time_zone,attr_value_range"`
	NameserversRange           hcl.Range `hcl:"nameservers,attr_value_range"`
	AuthorizedKeysRange        hcl.Range `hcl:"authorized_keys,attr_value_range"`
	FirewallBackendRange       hcl.Range `hcl:"firewall_backend,attr_value_range"`
	ImportsRange               hcl.Range `hcl:"imports,attr_value_range"`
	HardwareConfigurationRange hcl.Range `hcl:"hardware_configuration,attr_value_range"`
	RegionRange                hcl.Range `hcl:"region,attr_value_range"`
	ZoneRange                  hcl.Range `hcl:"zone,attr_value_range"`
	HeadlessRange              hcl.Range `hcl:"headless,attr_value_range"`
	LonghornRange              hcl.Range `hcl:"longhorn,attr_value_range"`
}
