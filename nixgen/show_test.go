package nixgen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/internal/golden"
	"github.com/nixgen/nixgen/nixgen/nix"
)

// TestShowExamples compares the overview of every example inventory with
// testdata/show/EXAMPLE.txt. The expected files live outside the example
// directories, whose golden test compares their whole content with what
// render writes there.
func TestShowExamples(t *testing.T) {
	const root = "../examples"
	seen := 0
	for _, name := range golden.Cases(t, root) {
		dir := filepath.Join(root, name)
		inv := showInventoryFile(dir)
		if inv == "" {
			continue // not an inventory, for example a Go example program
		}
		seen++
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, inv))
			if err != nil {
				t.Fatal(err)
			}
			parsed, diags := Parse(inv, src)
			if diags.HasErrors() {
				t.Fatalf("parse: %v", diags)
			}
			var out bytes.Buffer
			if diags := Show(&out, parsed, ""); diags.HasErrors() {
				t.Fatalf("Show: %v", diags)
			}
			golden.CompareFile(t, filepath.Join("testdata", "show", name+".txt"), out.Bytes())

			var again bytes.Buffer
			Show(&again, parsed, "")
			if !bytes.Equal(out.Bytes(), again.Bytes()) {
				t.Errorf("Show is not deterministic")
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if line != strings.TrimRight(line, " ") {
					t.Errorf("line with trailing spaces: %q", line)
				}
				for _, r := range line {
					if r > 0x7e || r < 0x20 {
						t.Errorf("line with a character outside printable ASCII: %q", line)
						break
					}
				}
			}
		})
	}
	if seen == 0 {
		t.Fatal("no example inventory found")
	}
}

func showInventoryFile(dir string) string {
	for _, n := range []string{"inventory.hcl", "inventory.json"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return n
		}
	}
	return ""
}

// showOf parses the inventory src and returns what Show writes for host,
// failing the test on errors.
func showOf(t *testing.T, src, host string) string {
	t.Helper()
	inv, diags := Parse("inventory.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	var out bytes.Buffer
	if diags := Show(&out, inv, host); diags.HasErrors() {
		t.Fatalf("Show: %v", diags)
	}
	return out.String()
}

const showFleet = `
fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
}
`

func TestShowOneHost(t *testing.T) {
	src := showFleet + `
host "a" {
  hardware_configuration = "hw/a.nix"
  interface "eth0" { addresses = ["192.0.2.1/24"] }
}
host "b" {
  hardware_configuration = "hw/b.nix"
  interface "eth0" { addresses = ["192.0.2.2/24"] }
}
`
	got := showOf(t, src, "b")
	want := `fleet
HOST  ROLE  ADDRESSES          PORT    OPEN TO
b     -     eth0 192.0.2.2/24  ping    any
                               22/tcp  any, if services.openssh is enabled

host b
no disk layout; file systems from hw/b.nix
`
	if got != want {
		t.Errorf("Show(b):\n%s\nwant:\n%s", got, want)
	}
}

func TestShowUnknownHost(t *testing.T) {
	src := showFleet + `
host "web1" { hardware_configuration = "hw/web1.nix" }
host "web2" { hardware_configuration = "hw/web2.nix" }
`
	inv, diags := Parse("inventory.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var out bytes.Buffer
	diags = Show(&out, inv, "web3")
	if out.Len() != 0 {
		t.Errorf("Show wrote %q for an unknown host", out.String())
	}
	if len(diags) != 1 || diags[0].Severity != hcl.DiagError || diags[0].Summary != "Unknown host" {
		t.Fatalf("diagnostics: %v", diags)
	}
	const detail = `The inventory has no host named "web3". Did you mean "web1"? Its hosts are: web1, web2.`
	if diags[0].Detail != detail {
		t.Errorf("detail:\n%s\nwant:\n%s", diags[0].Detail, detail)
	}
}

func TestShowInvalid(t *testing.T) {
	inv, diags := Parse("inventory.hcl", []byte(showFleet+`host "a" { system = "riscv" }`))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var out bytes.Buffer
	diags = Show(&out, inv, "")
	if !diags.HasErrors() {
		t.Errorf("no error for an invalid system: %v", diags)
	}
	if out.Len() != 0 {
		t.Errorf("Show wrote %q for an invalid inventory", out.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestShowWriteError(t *testing.T) {
	inv, _ := Parse("inventory.hcl", []byte(showFleet+`host "a" { hardware_configuration = "hw/a.nix" }`))
	diags := Show(failingWriter{}, inv, "")
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "disk full") {
		t.Errorf("diagnostics for a failed write: %v", diags)
	}
}

// TestShowPorts covers the merging of rules in the port columns: sources
// of several rules on one port, an interface, a rule that opens a port to
// everyone, ranges, ping turned off and a derived rule that the inventory
// replaces.
func TestShowPorts(t *testing.T) {
	src := showFleet + `
host "a" {
  hardware_configuration = "hw/a.nix"
  interface "eth0" {
    addresses = ["192.0.2.1/24", "2001:db8::1/64"]
    dhcp      = "yes"
  }
  interface "eth1" { addresses = ["10.0.0.1/24"] }
  firewall {
    allow_ping = false
    tcp        = [443]
    udp_ranges = ["60000-61000"]
    allow "ssh" {
      tcp  = [22]
      from = ["10.0.0.0/8", "2001:db8::/32"]
    }
    allow "ssh-office" {
      tcp  = [22]
      from = ["10.1.2.3", "198.51.100.7"]
    }
    allow "lan" {
      tcp       = [9100, 22]
      interface = "eth1"
    }
    allow "web" { tcp = [80] }
  }
}
`
	got := showOf(t, src, "a")
	want := `fleet
HOST  ROLE  ADDRESSES            PORT             OPEN TO
a     -     eth0 192.0.2.1/24    22/tcp           10.0.0.0/8, 198.51.100.7/32, 2001:db8::/32
            eth0 2001:db8::1/64  22/tcp           any on eth1
            eth0 dhcp ipv4       80/tcp           any
            eth0 dhcp ipv6       443/tcp          any
            eth1 10.0.0.1/24     9100/tcp         any on eth1
                                 60000-61000/udp  any
`
	if !strings.HasPrefix(got, want) {
		t.Errorf("Show:\n%s\nwant it to start with:\n%s", got, want)
	}
}

// TestShowContainers covers the containers the examples do not have: one
// on a bridge with IPv6 and a port forwarded to another port, and one on
// the host's network; and a fleet of two hosts, one without containers.
func TestShowContainers(t *testing.T) {
	src := showFleet + `
host "a" {
  hardware_configuration = "hw/a.nix"
  container "web" {
    private_network = true
    host_bridge     = "br0"
    host_address    = "10.0.5.1"
    local_address   = "10.0.5.10/24"
    host_address6   = "fd00::1"
    local_address6  = "fd00::10/64"
    forward_port {
      host_port      = 8080
      container_port = 80
    }
    forward_port {
      protocol  = "udp"
      host_port = 53
    }
  }
  container "tool" {
  }
}
host "b" {
  hardware_configuration = "hw/b.nix"
}
`
	got := showOf(t, src, "")
	want := `
containers
HOST  CONTAINER  NETWORK     ADDRESSES     FORWARDED
a     tool       host        -             -
      web        bridge br0  10.0.5.10/24  8080/tcp -> 80
                             fd00::10/64   53/udp

host a
`
	if !strings.Contains(got, want) {
		t.Errorf("Show:\n%s\nwant it to contain:\n%s", got, want)
	}
	if got := showOf(t, src, "b"); strings.Contains(got, "containers") {
		t.Errorf("Show of a host without containers has a container table:\n%s", got)
	}
}

// TestShowStorage covers what the examples do not: LUKS, LVM, swap, a
// mode pool with a zvol, btrfs swap files, nodev and partition bounds.
func TestShowStorage(t *testing.T) {
	src := showFleet + `
host "a" {
  boot_loader = "systemd-boot"
  disk "d1" {
    device = "/dev/vda"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "ef00"
        filesystem {
          format     = "vfat"
          mountpoint = "/boot"
        }
      }
      partition "swap" {
        size = "4G"
        swap { random_encryption = true }
      }
      partition "crypt" {
        size = "100%"
        luks "cryptroot" {
          lvm_pv = "vg0"
        }
      }
    }
  }
  disk "d2" {
    device = "/dev/vdb"
    media  = "ssd"
    zfs    = "tank"
  }
  disk "d3" {
    device = "/dev/vdc"
    media  = "ssd"
    zfs    = "tank"
  }
  lvm_vg "vg0" {
    lv "root" {
      size = "100%FREE"
      btrfs {
        mountpoint = "/"
        swapfile "swapfile" { size = "2G" }
        subvolume "nix" { mountpoint = "/nix" }
      }
    }
  }
  zpool "tank" {
    mode = "mirror"
    dataset "data" { mountpoint = "/data" }
    volume "vol" {
      size = "10G"
      filesystem {
        format     = "ext4"
        mountpoint = "/srv"
      }
    }
  }
  nodev "/tmp" {
    fs_type       = "tmpfs"
    mount_options = ["size=1G", "mode=1777"]
  }
}
`
	got := showOf(t, src, "a")
	_, tree, ok := strings.Cut(got, "host a, booted by systemd-boot\n")
	if !ok {
		t.Fatalf("no section for host a in\n%s", got)
	}
	want := "" +
		"NAME           TYPE       SIZE      FSTYPE       MOUNTPOINT  DETAIL\n" +
		"d1             disk                                          /dev/vda\n" +
		"|-ESP          part EF00  512M      vfat         /boot       EFI system partition\n" +
		"|-swap         part 8200  4G        swap         [SWAP]      random encryption\n" +
		"`-crypt        part 8300  100%      crypto_LUKS\n" +
		"  `-cryptroot  crypt                LVM2_member              in vg0\n" +
		"d2             disk                 zfs_member               in tank, ssd, /dev/vdb\n" +
		"d3             disk                 zfs_member               in tank, ssd, /dev/vdc\n" +
		"tank           zpool\n" +
		"|-mirror       vdev\n" +
		"| |-d2\n" +
		"| `-d3\n" +
		"|-data         dataset                           /data\n" +
		"`-vol          zvol       10G       ext4         /srv\n" +
		"vg0            lvm_vg                                        members d1/crypt\n" +
		"`-root         lv         100%FREE  btrfs        /\n" +
		"  |-swapfile   swapfile   2G        swap         [SWAP]\n" +
		"  `-nix        subvol                            /nix\n" +
		"tmpfs          nodev                tmpfs        /tmp        -o size=1G,mode=1777\n"
	if tree != want {
		t.Errorf("tree:\n%s\nwant:\n%s", tree, want)
	}
}

// TestHostNetPlanMatchesNetworkNix checks that the firewall that Show
// reads is the one network.nix is written from: for every host of the
// examples, the firewall settings printed from hostNetPlan appear as they
// are in the host's network.nix.
func TestHostNetPlanMatchesNetworkNix(t *testing.T) {
	const root = "../examples"
	for _, name := range golden.Cases(t, root) {
		dir := filepath.Join(root, name)
		invName := showInventoryFile(dir)
		if invName == "" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, invName))
		if err != nil {
			t.Fatal(err)
		}
		inv, diags := Parse(invName, src)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		hosts, diags := inv.check()
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		for _, h := range hosts {
			plan, err := hostNetPlan(&h.Machine, h.k3s.firewall())
			if err != nil {
				t.Fatalf("%s/%s: %v", name, h.Name, err)
			}
			backend, err := firewallBackend(&h.Machine, "")
			if err != nil {
				t.Fatal(err)
			}
			items, err := plan.fw.bindings(new(nix.Arena), backend)
			if err != nil {
				t.Fatal(err)
			}
			data, err := nix.File{Expr: nix.Module(nil, nix.Set(items...))}.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			// Drop the first line, "{ ... }: {", and the last, "}".
			lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			body := strings.Join(lines[1:len(lines)-1], "\n") + "\n"
			networkNix, err := os.ReadFile(filepath.Join(dir, "hosts", h.Name, "network.nix"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(networkNix), body) {
				t.Errorf("%s/%s: network.nix does not hold the firewall of hostNetPlan:\n%s", name, h.Name, body)
			}
		}
	}
}

// TestShowRoles checks the role column: the k3s role, with the cluster
// when the inventory has several, and "-" for a host outside k3s.
func TestShowRoles(t *testing.T) {
	src := showFleet + `
k3s_cluster "blue" {
  server_address = "blue.example.org"
  token_file     = "/run/keys/blue_token"
}
k3s_cluster "green" {
  server_address = "green.example.org"
  token_file     = "/run/keys/green_token"
}
host "b1" {
  hardware_configuration = "hw/b1.nix"
  interface "eth0" { addresses = ["10.0.0.1/24"] }
  k3s {
    cluster = "blue"
    role    = "init"
  }
}
host "g1" {
  hardware_configuration = "hw/g1.nix"
  interface "eth0" { addresses = ["10.0.1.1/24"] }
  k3s {
    cluster = "green"
    role    = "init"
  }
}
host "plain" {
  hardware_configuration = "hw/plain.nix"
  interface "eth0" { addresses = ["10.0.2.1/24"] }
}
`
	got := showOf(t, src, "")
	for _, row := range []string{
		"\nb1     init (blue)   eth0 10.0.0.1/24  ",
		"\ng1     init (green)  eth0 10.0.1.1/24  ",
		"\nplain  -             eth0 10.0.2.1/24  ",
	} {
		if !strings.Contains(got, row) {
			t.Errorf("no row starting %q in\n%s", row[1:], got)
		}
	}
}

// TestTextTable checks the alignment of the table, the empty rows, the
// trimming of trailing spaces and the quoting of cells that would break
// a line.
func TestTextTable(t *testing.T) {
	var tab textTable
	tab.add("A", "BB", "C")
	tab.add("long", "", "x")
	tab.add()
	tab.add("a\nb", "é", "")
	var b strings.Builder
	tab.write(&b)
	want := "" +
		"A       BB  C\n" +
		"long        x\n" +
		"\n" +
		"\"a\\nb\"  é\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}
