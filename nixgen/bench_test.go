package nixgen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nixgen/nixgen/nixgen"
)

// benchInventory returns an HCL inventory of n hosts, each a typical
// dedicated server: two disks with an ESP and a member partition of an
// mdadm RAID1 that holds btrfs subvolumes, two interfaces with static IPv4
// and IPv6 addresses and gateways, and a firewall of five rules, open
// ports and allow rules restricted to sources. Every host is valid and
// distinct, so the inventory renders without diagnostics.
func benchInventory(n int) []byte {
	var b strings.Builder
	b.WriteString(`fleet {
  nixpkgs       = "github:NixOS/nixpkgs/nixos-25.05"
  system        = "x86_64-linux"
  state_version = "25.05"
  boot_loader   = "systemd-boot"
  nameservers   = ["9.9.9.9", "2620:fe::fe"]
  authorized_keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPg9gYKVglnO2HQodSJt4z4mNrUSUiyJQ7b+J798bwD9 admin@example.com",
  ]
}
`)
	for i := range n {
		// Host i owns the i+10th address of each subnet, which keeps it
		// clear of the gateways at .1.
		h := i + 10
		fmt.Fprintf(&b, `
host "srv%05d" {
  region = "eu-%d"
  zone   = "rack-%d"

  disk "a" {
    device = "/dev/disk/by-id/ata-BENCH_SSD_1TB_%05dA"
    media  = "ssd"
    gpt {
      partition "ESP" {
        size = "1G"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "raid" {
        size   = "100%%"
        mdraid = "root"
      }
    }
  }

  disk "b" {
    device = "/dev/disk/by-id/ata-BENCH_SSD_1TB_%05dB"
    media  = "ssd"
    gpt {
      partition "ESP" {
        size = "1G"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot-fallback"
          mount_options = ["umask=0077"]
        }
      }
      partition "raid" {
        size   = "100%%"
        mdraid = "root"
      }
    }
  }

  mdadm "root" {
    level = 1
    btrfs {
      extra_args = ["-f"]
      subvolume "/root" {
        mountpoint    = "/"
        mount_options = ["compress=zstd", "noatime"]
      }
      subvolume "/home" {
        mountpoint    = "/home"
        mount_options = ["compress=zstd", "noatime"]
      }
      subvolume "/nix" {
        mountpoint    = "/nix"
        mount_options = ["compress=zstd", "noatime"]
      }
      subvolume "/log" {
        mountpoint    = "/var/log"
        mount_options = ["compress=zstd", "noatime"]
      }
    }
  }

  interface "eth0" {
    addresses = ["100.%d.%d.%d/10", "2001:db8::%x/64"]
    gateway   = "100.64.0.1"
    gateway6  = "fe80::1"
  }

  interface "eth1" {
    addresses = ["10.0.%d.%d/16", "fd00::%x/64"]
    route {
      destination = "10.0.0.0/8"
      gateway     = "10.0.0.1"
    }
    route {
      destination = "fd00::/8"
      gateway     = "fd00::1"
    }
  }

  firewall {
    tcp        = [80, 443]
    udp_ranges = ["60000-61000"]
    allow "ssh-admin" {
      tcp  = [22]
      from = ["198.51.100.0/24", "2001:db8:ffff::/48"]
    }
    allow "node-exporter" {
      tcp  = [9100]
      from = ["10.0.0.5", "fd00::5"]
    }
    allow "postgres" {
      tcp       = [5432]
      from      = ["10.0.0.0/16"]
      interface = "eth1"
    }
  }
}
`, i, i%3, i%40, i, i,
			64+h>>16, h>>8&255, h&255, h,
			h>>8&255, h&255, h)
	}
	return []byte(b.String())
}

// TestBenchInventory checks that the benchmarks measure what they claim:
// the generated inventory is valid, renders without any diagnostic, and
// yields flake.nix and three files per host.
func TestBenchInventory(t *testing.T) {
	const n = 50
	inv, diags := nixgen.Parse("inventory.hcl", benchInventory(n))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	files, diags := nixgen.Render(inv)
	if len(diags) > 0 {
		t.Fatalf("want no diagnostics, got %v", diags)
	}
	if len(files) != 1+3*n {
		t.Fatalf("got %d files, want %d", len(files), 1+3*n)
	}
	network := string(files[3].Data)
	if files[3].Path != "hosts/srv00000/network.nix" ||
		!strings.Contains(network, `"100.64.0.10/10"`) || !strings.Contains(network, "-s 198.51.100.0/24") {
		t.Errorf("unexpected %s:\n%s", files[3].Path, network)
	}
}

// renderBench parses and renders src, failing b on any diagnostic.
func renderBench(b *testing.B, src []byte) []nixgen.GeneratedFile {
	inv, diags := nixgen.Parse("inventory.hcl", src)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	files, diags := nixgen.Render(inv)
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	return files
}

// BenchmarkInMemory1000 parses and renders an inventory of 1000 hosts,
// without writing anything.
func BenchmarkInMemory1000(b *testing.B) {
	benchInMemory(b, 1000)
}

// BenchmarkInMemory shows how parsing and rendering grow with the number
// of hosts.
func BenchmarkInMemory(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run("hosts="+strconv.Itoa(n), func(b *testing.B) { benchInMemory(b, n) })
	}
}

func benchInMemory(b *testing.B, n int) {
	src := benchInventory(n)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		renderBench(b, src)
	}
}

// BenchmarkEndToEnd1000 parses and renders an inventory of 1000 hosts and
// writes the tree, 3001 files and the manifest, into a new directory each
// time, as `nixgen render` does on a first run.
func BenchmarkEndToEnd1000(b *testing.B) {
	src := benchInventory(1000)
	root := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		dir := filepath.Join(root, strconv.Itoa(i))
		i++
		files := renderBench(b, src)
		res, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Written) != len(files)+1 {
			b.Fatalf("wrote %d files, want %d", len(res.Written), len(files)+1)
		}
		// Keep the disk use of a long run bounded.
		b.StopTimer()
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkRender1000 renders an inventory of 1000 hosts parsed once, to
// measure validation and rendering without parsing.
func BenchmarkRender1000(b *testing.B) {
	inv, diags := nixgen.Parse("inventory.hcl", benchInventory(1000))
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := nixgen.Render(inv); len(diags) > 0 {
			b.Fatal(diags)
		}
	}
}

// BenchmarkWriteTree1000 writes the rendered tree of an inventory of 1000
// hosts, 3001 files and the manifest, into a new directory each time. The
// inventory is rendered once, outside the timed loop.
func BenchmarkWriteTree1000(b *testing.B) {
	files := renderBench(b, benchInventory(1000))
	root := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		dir := filepath.Join(root, strconv.Itoa(i))
		i++
		res, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Written) != len(files)+1 {
			b.Fatalf("wrote %d files, want %d", len(res.Written), len(files)+1)
		}
		// Keep the disk use of a long run bounded.
		b.StopTimer()
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkWriteTreeUnchanged1000 writes the rendered tree of an inventory
// of 1000 hosts over an identical tree, as a rerun of `nixgen render` with
// an unchanged inventory does: every file is read and compared, and none
// is written.
func BenchmarkWriteTreeUnchanged1000(b *testing.B) {
	files := renderBench(b, benchInventory(1000))
	dir := b.TempDir()
	if _, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := nixgen.WriteTree(dir, files, nixgen.WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Changed() || len(res.Unchanged) != len(files)+1 {
			b.Fatalf("rewrite changed the tree: wrote %d files, removed %d, left %d unchanged",
				len(res.Written), len(res.Removed), len(res.Unchanged))
		}
	}
}
