package nixgen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/nixgen/nixgen/disko"
)

// storageTestFile is the part of an inventory the storage tests decode:
// profiles and hosts, each a Machine.
type storageTestFile struct {
	Profiles []Machine `hcl:"profile,block"`
	Hosts    []Machine `hcl:"host,block"`
}

// decodeMachines parses src as HCL, or as JSON when name ends in .json,
// and decodes it; it fails the test on any diagnostic.
func decodeMachines(t *testing.T, name, src string) storageTestFile {
	t.Helper()
	var (
		file  *hcl.File
		diags hcl.Diagnostics
	)
	if strings.HasSuffix(name, ".json") {
		file, diags = hcljson.Parse([]byte(src), name)
	} else {
		file, diags = hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
	}
	if diags.HasErrors() {
		t.Fatalf("parsing %s: %v", name, diags)
	}
	var out storageTestFile
	if diags := gohcl.DecodeBody(file.Body, nil, &out); len(diags) > 0 {
		t.Fatalf("decoding %s: %v", name, diags)
	}
	return out
}

// decodeHost decodes src and returns its only host.
func decodeHost(t *testing.T, name, src string) *Machine {
	t.Helper()
	f := decodeMachines(t, name, src)
	if len(f.Hosts) != 1 {
		t.Fatalf("%s: %d hosts, want 1", name, len(f.Hosts))
	}
	return &f.Hosts[0]
}

// convert converts the layout of m and fails the test on conversion
// diagnostics.
func convert(t *testing.T, m *Machine) (*disko.Layout, *storageIndex) {
	t.Helper()
	l, idx, diags := m.storageLayout()
	if len(diags) > 0 {
		t.Fatalf("storageLayout: %v", diags)
	}
	return l, idx
}

// posAfter returns "name:LINE:COL" of the last of path in src, where each
// string of path is searched after the end of the previous one.
func posAfter(t *testing.T, name, src string, path ...string) string {
	t.Helper()
	off, end := 0, 0
	for _, p := range path {
		n := strings.Index(src[end:], p)
		if n < 0 {
			t.Fatalf("%q not found after %v", p, path)
		}
		off = end + n
		end = off + len(p)
	}
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

// at returns "FILE:LINE:COL" of the start of r, or "none".
func at(r *hcl.Range) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// errorCount counts the errors among ds.
func errorCount(ds disko.Diagnostics) int {
	return len(ds.Errors())
}

func intp(n int) *int { return &n }

// seed000HCL is the layout of a dedicated server with a 512 GB NVMe disk
// and three 2 TB hard disks: the hard disks form a raidz1 pool that holds
// the root filesystem, and the NVMe disk holds the EFI system partition,
// an ext4 /boot and the pool's log device.
const seed000HCL = `
host "lufta" {
  disk "nvme" {
    device = "/dev/disk/by-id/nvme-SAMSUNG_MZVLB512HAJQ-00000_S3W8NX0M512345"
    media  = "nvme"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot/efi"
          mount_options = ["umask=0077"]
        }
      }
      partition "boot" {
        size = "1G"
        filesystem {
          format     = "ext4"
          mountpoint = "/boot"
        }
      }
      partition "slog" {
        size = "16G"
        zfs  = "rpool"
      }
    }
  }

  disk "hdd0" {
    device = "/dev/disk/by-id/ata-ST2000NM0055-1V4104_ZC20A001"
    media  = "hdd"
    gpt {
      partition "zfs" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }
  disk "hdd1" {
    device = "/dev/disk/by-id/ata-ST2000NM0055-1V4104_ZC20A002"
    media  = "hdd"
    gpt {
      partition "zfs" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }
  disk "hdd2" {
    device = "/dev/disk/by-id/ata-ST2000NM0055-1V4104_ZC20A003"
    media  = "hdd"
    gpt {
      partition "zfs" {
        size = "100%"
        zfs  = "rpool"
      }
    }
  }

  zpool "rpool" {
    options         = { ashift = "12" }
    root_fs_options = { compression = "zstd", mountpoint = "none", xattr = "sa" }
    topology {
      vdev {
        mode    = "raidz1"
        members = ["hdd0", "hdd1", "hdd2"]
      }
      log {
        members = ["nvme/slog"]
      }
    }
    dataset "root" {
      mountpoint = "/"
      options    = { mountpoint = "legacy" }
    }
    dataset "nix" {
      mountpoint = "/nix"
      options    = { mountpoint = "legacy", atime = "off" }
    }
    dataset "srv" {
      mountpoint = "/srv"
      options    = { mountpoint = "legacy" }
    }
  }
}
`

// seed000JSON is seed000HCL in HCL's JSON syntax.
const seed000JSON = `{
  "host": {
    "lufta": {
      "disk": {
        "nvme": {
          "device": "/dev/disk/by-id/nvme-SAMSUNG_MZVLB512HAJQ-00000_S3W8NX0M512345",
          "media": "nvme",
          "gpt": {
            "partition": {
              "ESP": {
                "size": "512M",
                "type": "EF00",
                "filesystem": {"format": "vfat", "mountpoint": "/boot/efi", "mount_options": ["umask=0077"]}
              },
              "boot": {
                "size": "1G",
                "filesystem": {"format": "ext4", "mountpoint": "/boot"}
              },
              "slog": {"size": "16G", "zfs": "rpool"}
            }
          }
        },
        "hdd0": {
          "device": "/dev/disk/by-id/ata-ST2000NM0055-1V4104_ZC20A001",
          "media": "hdd",
          "gpt": {"partition": {"zfs": {"size": "100%", "zfs": "rpool"}}}
        },
        "hdd1": {
          "device": "/dev/disk/by-id/ata-ST2000NM0055-1V4104_ZC20A002",
          "media": "hdd",
          "gpt": {"partition": {"zfs": {"size": "100%", "zfs": "rpool"}}}
        },
        "hdd2": {
          "device": "/dev/disk/by-id/ata-ST2000NM0055-1V4104_ZC20A003",
          "media": "hdd",
          "gpt": {"partition": {"zfs": {"size": "100%", "zfs": "rpool"}}}
        }
      },
      "zpool": {
        "rpool": {
          "options": {"ashift": "12"},
          "root_fs_options": {"compression": "zstd", "mountpoint": "none", "xattr": "sa"},
          "topology": {
            "vdev": [{"mode": "raidz1", "members": ["hdd0", "hdd1", "hdd2"]}],
            "log": [{"members": ["nvme/slog"]}]
          },
          "dataset": {
            "root": {"mountpoint": "/", "options": {"mountpoint": "legacy"}},
            "nix": {"mountpoint": "/nix", "options": {"mountpoint": "legacy", "atime": "off"}},
            "srv": {"mountpoint": "/srv", "options": {"mountpoint": "legacy"}}
          }
        }
      }
    }
  }
}`

func seed000Want() *disko.Layout {
	hdd := func(name, serial string) disko.Disk {
		return disko.Disk{
			Name:   name,
			Device: "/dev/disk/by-id/ata-ST2000NM0055-1V4104_" + serial,
			Media:  disko.MediaHDD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "zfs", Size: "100%", Content: &disko.ZFS{Pool: "rpool"}},
			}},
		}
	}
	return &disko.Layout{
		Disks: []disko.Disk{
			{
				Name:   "nvme",
				Device: "/dev/disk/by-id/nvme-SAMSUNG_MZVLB512HAJQ-00000_S3W8NX0M512345",
				Media:  disko.MediaNVMe,
				Content: &disko.GPT{Partitions: []disko.Partition{
					{Name: "ESP", Size: "512M", Type: "EF00", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot/efi", MountOptions: []string{"umask=0077"}}},
					{Name: "boot", Size: "1G", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/boot"}},
					{Name: "slog", Size: "16G", Content: &disko.ZFS{Pool: "rpool"}},
				}},
			},
			hdd("hdd0", "ZC20A001"),
			hdd("hdd1", "ZC20A002"),
			hdd("hdd2", "ZC20A003"),
		},
		Pools: []disko.ZPool{{
			Name:          "rpool",
			Options:       map[string]string{"ashift": "12"},
			RootFSOptions: map[string]string{"compression": "zstd", "mountpoint": "none", "xattr": "sa"},
			Topology: &disko.Topology{
				Vdevs: []disko.Vdev{{Mode: disko.ZFSRaidz1, Members: []string{"hdd0", "hdd1", "hdd2"}}},
				Log:   []disko.Vdev{{Members: []string{"nvme/slog"}}},
			},
			Datasets: []disko.Dataset{
				{Name: "root", Mountpoint: "/", Options: map[string]string{"mountpoint": "legacy"}},
				{Name: "nix", Mountpoint: "/nix", Options: map[string]string{"mountpoint": "legacy", "atime": "off"}},
				{Name: "srv", Mountpoint: "/srv", Options: map[string]string{"mountpoint": "legacy"}},
			},
		}},
	}
}

// seed001HCL is the layout of a bare-metal Kubernetes worker with two hard
// disks: an ESP on the first, and on both a partition for an mdadm RAID 1
// array holding btrfs subvolumes. As in the original, subvolume /persist is
// also mounted at /home, and the top-level volume and subvolume "/" are
// both mounted at /.
const seed001HCL = `
host "srv6" {
  disk "disk1" {
    device = "/dev/disk/by-id/ata-HGST_HUS724020ALA640_PN5312G5I0X1AS"
    media  = "hdd"
    gpt {
      partition "ESP" {
        type = "EF00"
        size = "500M"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "mdadm" {
        size   = "100%"
        mdraid = "raid1"
      }
    }
  }
  disk "disk2" {
    device = "/dev/disk/by-id/ata-HGST_HUS724020ALA640_AB5312P6H0U5LN"
    media  = "hdd"
    gpt {
      partition "mdadm" {
        size   = "100%"
        mdraid = "raid1"
      }
    }
  }

  mdadm "raid1" {
    level = 1
    gpt {
      partition "primary" {
        size = "100%"
        btrfs {
          mountpoint    = "/"
          extra_args    = ["-f"]
          mount_options = ["noatime"]
          subvolume "/" {
            mount_options = ["noatime"]
            mountpoint    = "/"
          }
          subvolume "/home" {
            mount_options = ["compress=zstd", "noatime"]
            mountpoint    = "/home"
          }
          subvolume "/persist" {
            mount_options = ["compress=zstd", "noatime"]
            mountpoint    = "/home"
          }
          subvolume "/nix" {
            mount_options = ["noatime"]
            mountpoint    = "/nix"
          }
        }
      }
    }
  }
}
`

// seed001JSON is seed001HCL in HCL's JSON syntax.
const seed001JSON = `{
  "host": {
    "srv6": {
      "disk": {
        "disk1": {
          "device": "/dev/disk/by-id/ata-HGST_HUS724020ALA640_PN5312G5I0X1AS",
          "media": "hdd",
          "gpt": {
            "partition": {
              "ESP": {
                "type": "EF00",
                "size": "500M",
                "filesystem": {"format": "vfat", "mountpoint": "/boot", "mount_options": ["umask=0077"]}
              },
              "mdadm": {"size": "100%", "mdraid": "raid1"}
            }
          }
        },
        "disk2": {
          "device": "/dev/disk/by-id/ata-HGST_HUS724020ALA640_AB5312P6H0U5LN",
          "media": "hdd",
          "gpt": {"partition": {"mdadm": {"size": "100%", "mdraid": "raid1"}}}
        }
      },
      "mdadm": {
        "raid1": {
          "level": 1,
          "gpt": {
            "partition": {
              "primary": {
                "size": "100%",
                "btrfs": {
                  "mountpoint": "/",
                  "extra_args": ["-f"],
                  "mount_options": ["noatime"],
                  "subvolume": {
                    "/": {"mount_options": ["noatime"], "mountpoint": "/"},
                    "/home": {"mount_options": ["compress=zstd", "noatime"], "mountpoint": "/home"},
                    "/persist": {"mount_options": ["compress=zstd", "noatime"], "mountpoint": "/home"},
                    "/nix": {"mount_options": ["noatime"], "mountpoint": "/nix"}
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}`

func seed001Want() *disko.Layout {
	member := disko.Partition{Name: "mdadm", Size: "100%", Content: &disko.MDRaid{Array: "raid1"}}
	return &disko.Layout{
		Disks: []disko.Disk{
			{
				Name:   "disk1",
				Device: "/dev/disk/by-id/ata-HGST_HUS724020ALA640_PN5312G5I0X1AS",
				Media:  disko.MediaHDD,
				Content: &disko.GPT{Partitions: []disko.Partition{
					{Name: "ESP", Type: "EF00", Size: "500M", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"}}},
					member,
				}},
			},
			{
				Name:    "disk2",
				Device:  "/dev/disk/by-id/ata-HGST_HUS724020ALA640_AB5312P6H0U5LN",
				Media:   disko.MediaHDD,
				Content: &disko.GPT{Partitions: []disko.Partition{member}},
			},
		},
		Arrays: []disko.MDADM{{
			Name:  "raid1",
			Level: disko.RAID1,
			Content: &disko.GPT{Partitions: []disko.Partition{{
				Name: "primary",
				Size: "100%",
				Content: &disko.Btrfs{
					ExtraArgs:    []string{"-f"},
					Mountpoint:   "/",
					MountOptions: []string{"noatime"},
					Subvolumes: []disko.Subvolume{
						{Name: "/", Mountpoint: "/", MountOptions: []string{"noatime"}},
						{Name: "/home", Mountpoint: "/home", MountOptions: []string{"compress=zstd", "noatime"}},
						{Name: "/persist", Mountpoint: "/home", MountOptions: []string{"compress=zstd", "noatime"}},
						{Name: "/nix", Mountpoint: "/nix", MountOptions: []string{"noatime"}},
					},
				},
			}}},
		}},
	}
}

// seed002HCL is the layout of a cloud VM booted by GRUB: a BIOS boot
// partition, an ESP and an ext4 root.
const seed002HCL = `
host "instance-1" {
  disk "sda" {
    device = "/dev/sda"
    media  = "ssd"
    gpt {
      partition "MBR" {
        priority = 0
        size     = "1M"
        type     = "EF02"
      }
      partition "ESP" {
        priority = 1
        size     = "500M"
        type     = "EF00"
        filesystem {
          format     = "vfat"
          mountpoint = "/boot"
        }
      }
      partition "root" {
        priority = 2
        size     = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }
}
`

func seed002Want() *disko.Layout {
	return &disko.Layout{Disks: []disko.Disk{{
		Name:   "sda",
		Device: "/dev/sda",
		Media:  disko.MediaSSD,
		Content: &disko.GPT{Partitions: []disko.Partition{
			{Name: "MBR", Priority: intp(0), Size: "1M", Type: "EF02"},
			{Name: "ESP", Priority: intp(1), Size: "500M", Type: "EF00", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot"}},
			{Name: "root", Priority: intp(2), Size: "100%", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
		}},
	}}}
}

func TestStorageLayoutSeeds(t *testing.T) {
	for _, tc := range []struct {
		name, file, src string
		want            *disko.Layout
		errors          int
	}{
		{"000 zfs raidz1", "seed000.hcl", seed000HCL, seed000Want(), 0},
		{"000 zfs raidz1 json", "seed000.json", seed000JSON, seed000Want(), 0},
		{"001 mdadm btrfs", "seed001.hcl", seed001HCL, seed001Want(), 2},
		{"001 mdadm btrfs json", "seed001.json", seed001JSON, seed001Want(), 2},
		{"002 bios+esp", "seed002.hcl", seed002HCL, seed002Want(), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, _ := convert(t, decodeHost(t, tc.file, tc.src))
			if diff := cmp.Diff(tc.want, l); diff != "" {
				t.Errorf("layout (-want +got):\n%s", diff)
			}
			ds := l.Validate()
			if n := errorCount(ds); n != tc.errors {
				t.Errorf("Validate: %d errors, want %d: %v", n, tc.errors, ds)
			}
		})
	}
}

func TestStorageLayoutSeedQueries(t *testing.T) {
	l, _ := convert(t, decodeHost(t, "seed000.hcl", seed000HCL))
	if !l.HasZFS() || !l.HasESP() {
		t.Errorf("HasZFS = %v, HasESP = %v; want both", l.HasZFS(), l.HasESP())
	}
	if got := l.MediaAt("/var/lib"); !cmp.Equal(got, []disko.Media{disko.MediaHDD, disko.MediaNVMe}) {
		// The root pool lies on the hard disks and has its log on the
		// NVMe disk.
		t.Errorf("MediaAt(/var/lib) = %v", got)
	}
	if got := l.MediaAt("/boot"); !cmp.Equal(got, []disko.Media{disko.MediaNVMe}) {
		t.Errorf("MediaAt(/boot) = %v", got)
	}
	l, _ = convert(t, decodeHost(t, "seed002.hcl", seed002HCL))
	if got := l.BIOSBootDevices(); !cmp.Equal(got, []string{"/dev/sda"}) {
		t.Errorf("BIOSBootDevices = %v", got)
	}
}

// findDiag returns the diagnostic whose original has the given code and
// Where, failing the test if there is none.
func findDiag(t *testing.T, hds hcl.Diagnostics, code, where string) *hcl.Diagnostic {
	t.Helper()
	for _, d := range hds {
		if dd, ok := d.Extra.(disko.Diagnostic); ok && dd.Code == code && dd.Where.String() == where {
			return d
		}
	}
	var have []string
	for _, d := range hds {
		if dd, ok := d.Extra.(disko.Diagnostic); ok {
			have = append(have, dd.String())
		}
	}
	t.Fatalf("no %s diagnostic at %s; have:\n%s", code, where, strings.Join(have, "\n"))
	return nil
}

func TestStorageDiagnosticsDuplicateMountpoint(t *testing.T) {
	for _, tc := range []struct{ file, src, mount string }{
		{"seed001.hcl", seed001HCL, "mountpoint"},
		{"seed001.json", seed001JSON, `"mountpoint":`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			l, idx := convert(t, decodeHost(t, tc.file, tc.src))
			hds := storageDiagnostics(l.Validate(), idx)

			d := findDiag(t, hds, disko.CodeDuplicateMountpoint,
				`mdadm "raid1" partition "primary" subvolume "/persist" mountpoint`)
			if d.Severity != hcl.DiagError {
				t.Errorf("severity = %v, want error", d.Severity)
			}
			if d.Summary != "Mountpoint /home is used twice" {
				t.Errorf("summary = %q", d.Summary)
			}
			// The subject is the value of the mountpoint attribute of
			// subvolume /persist; the detail names the one of /home.
			sub := func(name string) []string {
				if strings.HasSuffix(tc.file, ".json") {
					return []string{`"` + name + `": {`, `"mountpoint": `}
				}
				return []string{`subvolume "` + name + `"`, "mountpoint "}
			}
			persist := posAfter(t, tc.file, tc.src, append(sub("/persist"), `"/home"`)...)
			if got := at(d.Subject); got != persist {
				t.Errorf("subject at %s, want %s", got, persist)
			}
			home := posAfter(t, tc.file, tc.src, append(sub("/home"), `"/home"`)...)
			if want := "The other definition is at " + home + "."; !strings.Contains(d.Detail, want) {
				t.Errorf("detail %q does not contain %q", d.Detail, want)
			}

			// Subvolume "/" clashes with the top-level volume, whose
			// mountpoint is a field of the btrfs content of partition
			// primary.
			d = findDiag(t, hds, disko.CodeDuplicateMountpoint,
				`mdadm "raid1" partition "primary" subvolume "/" mountpoint`)
			root := posAfter(t, tc.file, tc.src, append(sub("/"), `"/"`)...)
			if got := at(d.Subject); got != root {
				t.Errorf("subject at %s, want %s", got, root)
			}
			top := posAfter(t, tc.file, tc.src, "btrfs", "mountpoint", `"/"`)
			if want := "The other definition is at " + top + "."; !strings.Contains(d.Detail, want) {
				t.Errorf("detail %q does not contain %q", d.Detail, want)
			}
		})
	}
}

func TestStorageDiagnosticsFields(t *testing.T) {
	const src = `
host "h" {
  disk "main" {
    device = "/dev/disk/by-id/ata-X"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "EF00"
        filesystem {
          format     = "ext4"
          mountpoint = "/boot"
        }
      }
      partition "a/b" {
        size   = "1.5G"
        mdraid = "md0"
      }
      partition "swap" {
        size = "8G"
        swap {
          discard_policy = "always"
        }
      }
    }
  }
  lvm_vg "vg" {
    lv "thin" {
      size     = "10G"
      lvm_type = "thinlv"
    }
  }
}
`
	m := decodeHost(t, "f.hcl", src)
	l, idx := convert(t, m)
	hds := storageDiagnostics(l.Validate(), idx)
	for _, tc := range []struct {
		code, where, want string
	}{
		// A partition's own field.
		{disko.CodeSize, `disk "main" partition "a/b" size`, posAfter(t, "f.hcl", src, `"a/b"`, `"1.5G"`)},
		// The partition name is its label.
		{disko.CodeName, `disk "main" partition "a/b" name`, posAfter(t, "f.hcl", src, `"ESP"`, "partition ", `"a/b"`)},
		// "name" of an unknown array is the mdraid attribute, not the
		// partition name.
		{disko.CodeUnknownContainer, `disk "main" partition "a/b" name`, posAfter(t, "f.hcl", src, "mdraid", `"md0"`)},
		// A field of the swap content.
		{disko.CodeSwap, `disk "main" partition "swap" discardPolicy`, posAfter(t, "f.hcl", src, "discard_policy", `"always"`)},
		// The content as a whole.
		{disko.CodeESPFormat, `disk "main" partition "ESP" content`, posAfter(t, "f.hcl", src, `"ESP"`, "filesystem")},
		// A field that is not set: the element.
		{disko.CodeLV, `lvm_vg "vg" lv "thin" pool`, posAfter(t, "f.hcl", src, "lvm_vg", `lv "thin"`)},
		// A volume group without members.
		{disko.CodeNoMembers, `lvm_vg "vg"`, posAfter(t, "f.hcl", src, "", `lvm_vg "vg"`)},
		// The layout as a whole: the host.
		{disko.CodeNoRoot, ``, posAfter(t, "f.hcl", src, "", `host "h"`)},
	} {
		d := findDiag(t, hds, tc.code, tc.where)
		if got := at(d.Subject); got != tc.want {
			t.Errorf("%s at %s: subject at %s, want %s", tc.code, tc.where, got, tc.want)
		}
	}
}

func TestStorageDiagnosticsWithoutRanges(t *testing.T) {
	m := &Machine{Disks: []Disk{{Name: "sda", Device: ptrTo("/dev/sda")}}}
	l, idx := convert(t, m)
	hds := storageDiagnostics(l.Validate(), idx)
	d := findDiag(t, hds, disko.CodeUnstableDevice, `disk "sda" device`)
	if d.Subject != nil {
		t.Errorf("subject = %v, want none", d.Subject)
	}
	if d.Severity != hcl.DiagWarning {
		t.Errorf("severity = %v, want warning", d.Severity)
	}
	if !strings.HasPrefix(d.Detail, `In disk "sda" device: `) {
		t.Errorf("detail %q does not name the element", d.Detail)
	}
}

func TestStorageDiagnosticsDuplicateNames(t *testing.T) {
	const src = `
host "h" {
  disk "sda" {
    device = "/dev/disk/by-id/a"
  }
  disk "sda" {
    device = "/dev/disk/by-id/b"
  }
}
`
	l, idx := convert(t, decodeHost(t, "f.hcl", src))
	hds := storageDiagnostics(l.Validate(), idx)
	d := findDiag(t, hds, disko.CodeDuplicateName, `disk "sda" name`)
	second := posAfter(t, "f.hcl", src, "/dev/disk/by-id/a", `"sda"`)
	// The subject is the name of the second disk; the other definition
	// is the first disk block.
	first := posAfter(t, "f.hcl", src, `disk "sda"`)
	if got := at(d.Subject); got != second {
		t.Errorf("subject at %s, want the second disk at %s", got, second)
	}
	if want := "The other definition is at " + first + "."; !strings.Contains(d.Detail, want) {
		t.Errorf("detail %q does not contain %q", d.Detail, want)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestStorageTwoContents(t *testing.T) {
	for _, tc := range []struct{ file, src, first, second string }{
		{"f.hcl", `
host "h" {
  disk "sda" {
    device = "/dev/disk/by-id/x"
    gpt {
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
        zfs = "rpool"
      }
    }
  }
}
`, "filesystem", `"rpool"`},
		{"f.json", `{"host": {"h": {"disk": {"sda": {
  "device": "/dev/disk/by-id/x",
  "gpt": {"partition": {"root": {
    "size": "100%",
    "filesystem": {"format": "ext4", "mountpoint": "/"},
    "zfs": "rpool"
  }}}
}}}}}`, `"filesystem": {`, `"rpool"`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m := decodeHost(t, tc.file, tc.src)
			l, _, diags := m.storageLayout()
			if len(diags) != 1 || diags[0].Severity != hcl.DiagError {
				t.Fatalf("diagnostics = %v, want one error", diags)
			}
			d := diags[0]
			if want := posAfter(t, tc.file, tc.src, "", tc.second); at(d.Subject) != want {
				t.Errorf("subject at %s, want %s", at(d.Subject), want)
			}
			first := posAfter(t, tc.file, tc.src, "", tc.first)
			if strings.HasSuffix(tc.file, ".json") {
				// A JSON block is defined at its opening brace.
				first = posAfter(t, tc.file, tc.src, `"filesystem"`, "{")
			}
			if !strings.Contains(d.Detail, "a filesystem at "+first) || !strings.Contains(d.Detail, "ZFS pool membership") {
				t.Errorf("detail %q does not name the filesystem at %s and the zfs membership", d.Detail, first)
			}
			// The first content is kept.
			p := l.Disks[0].Content.(*disko.GPT).Partitions[0]
			if diff := cmp.Diff(&disko.Filesystem{Format: "ext4", Mountpoint: "/"}, p.Content); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStorageTwoContentBlocksOnDisk(t *testing.T) {
	const src = `
host "h" {
  disk "sda" {
    device = "/dev/disk/by-id/x"
    swap {}
    luks "crypt" {
      password_file = "/tmp/pw"
      filesystem {
        format     = "ext4"
        mountpoint = "/"
      }
    }
  }
}
`
	_, _, diags := decodeHost(t, "f.hcl", src).storageLayout()
	if len(diags) != 1 {
		t.Fatalf("diagnostics = %v, want one", diags)
	}
	if want := posAfter(t, "f.hcl", src, "", `luks "crypt"`); at(diags[0].Subject) != want {
		t.Errorf("subject at %s, want %s", at(diags[0].Subject), want)
	}
}

func TestStorageInvalidMedia(t *testing.T) {
	const src = `
host "h" {
  disk "sda" {
    device = "/dev/disk/by-id/x"
    media  = "floppy"
  }
}
`
	_, _, diags := decodeHost(t, "f.hcl", src).storageLayout()
	if len(diags) != 1 || diags[0].Summary != "Invalid media" {
		t.Fatalf("diagnostics = %v, want Invalid media", diags)
	}
	if want := posAfter(t, "f.hcl", src, "", `"floppy"`); at(diags[0].Subject) != want {
		t.Errorf("subject at %s, want %s", at(diags[0].Subject), want)
	}
}

func TestStorageConversionDetails(t *testing.T) {
	const src = `
host "h" {
  disk "nvme" {
    device = "/dev/disk/by-id/nvme-x"
    gpt {
      partition "crypt" {
        size = "100%"
        luks "cryptroot" {
          password_file  = "/tmp/secret.key"
          allow_discards = true
          initrd_unlock  = false
          lvm_pv         = "vg"
        }
      }
    }
  }
  mdadm "md" {
    level    = "raid5"
    metadata = "1.2"
    swap {
      priority       = 10
      discard_policy = "both"
    }
  }
  zpool "tank" {
    mode = "stripe"
    volume "vm" {
      size = "10G"
      filesystem {
        format = "xfs"
      }
    }
  }
  lvm_vg "vg" {
    lv "pool" {
      size     = "90%"
      lvm_type = "thin-pool"
    }
    lv "home" {
      size     = "50G"
      lvm_type = "thinlv"
      pool     = "pool"
      btrfs {
        mountpoint = "/home"
        swapfile "swap" {
          size = "4G"
        }
      }
    }
  }
  nodev "/" {
    fs_type       = "tmpfs"
    mount_options = ["size=2G", "mode=755"]
  }
}
`
	l, _ := convert(t, decodeHost(t, "f.hcl", src))
	want := &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "nvme",
			Device: "/dev/disk/by-id/nvme-x",
			Content: &disko.GPT{Partitions: []disko.Partition{{
				Name: "crypt",
				Size: "100%",
				Content: &disko.LUKS{
					Name:             "cryptroot",
					PasswordFile:     "/tmp/secret.key",
					Settings:         disko.LUKSSettings{AllowDiscards: true},
					SkipInitrdUnlock: true,
					Content:          &disko.LVMPV{VG: "vg"},
				},
			}}},
		}},
		Arrays: []disko.MDADM{{
			Name:     "md",
			Level:    disko.RAID5,
			Metadata: "1.2",
			Content:  &disko.Swap{Priority: intp(10), DiscardPolicy: "both"},
		}},
		Pools: []disko.ZPool{{
			Name:    "tank",
			Mode:    disko.ZFSStripe,
			Volumes: []disko.Volume{{Name: "vm", Size: "10G", Content: &disko.Filesystem{Format: "xfs"}}},
		}},
		VolumeGroups: []disko.VolumeGroup{{
			Name: "vg",
			LVs: []disko.LogicalVolume{
				{Name: "pool", Size: "90%", Type: disko.LVThinPool},
				{Name: "home", Size: "50G", Type: disko.LVThin, Pool: "pool", Content: &disko.Btrfs{
					Mountpoint: "/home",
					SwapFiles:  []disko.SwapFile{{Path: "swap", Size: "4G"}},
				}},
			},
		}},
		Nodev: []disko.Nodev{{Mountpoint: "/", FSType: "tmpfs", MountOptions: []string{"size=2G", "mode=755"}}},
	}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
}

func TestRAIDLevel(t *testing.T) {
	for in, want := range map[string]disko.RAIDLevel{
		"1": disko.RAID1, "10": disko.RAID10, "raid6": disko.RAID6, "RAID0": disko.RAID0, "raid7": "raid7",
	} {
		if got := raidLevel(&in); got != want {
			t.Errorf("raidLevel(%q) = %q, want %q", in, got, want)
		}
	}
	if got := raidLevel(nil); got != disko.RAIDDefault {
		t.Errorf("raidLevel(nil) = %q", got)
	}
}

const mergeProfilesHCL = `
profile "cloud-vm" {
  disk "sda" {
    device = "/dev/sda"
    media  = "ssd"
    gpt {
      partition "ESP" {
        size = "500M"
        type = "EF00"
        filesystem {
          format        = "vfat"
          mountpoint    = "/boot"
          mount_options = ["umask=0077"]
        }
      }
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }
  zpool "tank" {
    mode    = "mirror"
    options = { ashift = "12", autotrim = "on" }
    dataset "data" {
      mountpoint = "/data"
      options    = { mountpoint = "legacy" }
    }
  }
  nodev "/tmp" {
    fs_type       = "tmpfs"
    mount_options = ["size=1G"]
  }
}
`

const mergeHostsHCL = `
host "satellite" {
  disk "sda" {
    device = "/dev/disk/by-id/virtio-satellite"
  }
}

host "db" {
  disk "sda" {
    media = "hdd"
    gpt {
      partition "root" {
        size = "64G"
        filesystem {
          format     = "xfs"
          mountpoint = "/"
        }
      }
      partition "data" {
        size = "100%"
        zfs  = "tank"
      }
    }
  }
  zpool "tank" {
    mode    = "stripe"
    options = { ashift = "13" }
    dataset "data" {
      options = { recordsize = "16k" }
    }
    dataset "wal" {
      mountpoint = "/data/wal"
    }
  }
  nodev "/tmp" {
    mount_options = ["size=4G"]
  }
}
`

// storageParts are the storage fields of a machine, compared without the
// rest of it.
type storageParts struct {
	Disks        []Disk
	Arrays       []Array
	Pools        []Pool
	VolumeGroups []VolumeGroup
	Nodev        []Nodev
}

func storageOf(m *Machine) storageParts {
	return storageParts{m.Disks, m.Arrays, m.Pools, m.VolumeGroups, m.Nodev}
}

// resolveStorage merges the layers into a fresh machine, in order.
func resolveStorage(layers ...*Machine) *Machine {
	dst := &Machine{}
	for _, l := range layers {
		mergeStorage(dst, l)
	}
	return dst
}

func TestMergeStorageDeviceOnly(t *testing.T) {
	profile := &decodeMachines(t, "profiles.hcl", mergeProfilesHCL).Profiles[0]
	host := &decodeMachines(t, "hosts.hcl", mergeHostsHCL).Hosts[0]
	m := resolveStorage(profile, host)

	l, idx := convert(t, m)
	want := &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "sda",
			Device: "/dev/disk/by-id/virtio-satellite",
			Media:  disko.MediaSSD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Size: "500M", Type: "EF00", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"}}},
				{Name: "root", Size: "100%", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
			}},
		}},
		Pools: []disko.ZPool{{
			Name:     "tank",
			Mode:     disko.ZFSMirror,
			Options:  map[string]string{"ashift": "12", "autotrim": "on"},
			Datasets: []disko.Dataset{{Name: "data", Mountpoint: "/data", Options: map[string]string{"mountpoint": "legacy"}}},
		}},
		Nodev: []disko.Nodev{{Mountpoint: "/tmp", FSType: "tmpfs", MountOptions: []string{"size=1G"}}},
	}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}

	// Ranges follow the value that wins.
	d := m.Disks[0]
	if got, want := at(&d.DeviceRange), posAfter(t, "hosts.hcl", mergeHostsHCL, "", `"/dev/disk/by-id/virtio-satellite"`); got != want {
		t.Errorf("device range %s, want %s", got, want)
	}
	if got, want := at(&d.MediaRange), posAfter(t, "profiles.hcl", mergeProfilesHCL, "", `"ssd"`); got != want {
		t.Errorf("media range %s, want %s", got, want)
	}
	// A diagnostic about the profile's partitions points into the
	// profile: the pool has no members here.
	hds := storageDiagnostics(l.Validate(), idx)
	nd := findDiag(t, hds, disko.CodeNoMembers, `zpool "tank"`)
	if got := nd.Subject.Filename; got != "profiles.hcl" {
		t.Errorf("pool diagnostic in %s, want profiles.hcl", got)
	}
}

func TestMergeStorageFieldByField(t *testing.T) {
	profile := &decodeMachines(t, "profiles.hcl", mergeProfilesHCL).Profiles[0]
	host := &decodeMachines(t, "hosts.hcl", mergeHostsHCL).Hosts[1]
	m := resolveStorage(profile, host)

	l, _ := convert(t, m)
	want := &disko.Layout{
		Disks: []disko.Disk{{
			Name:   "sda",
			Device: "/dev/sda",
			Media:  disko.MediaHDD,
			Content: &disko.GPT{Partitions: []disko.Partition{
				{Name: "ESP", Size: "500M", Type: "EF00", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot", MountOptions: []string{"umask=0077"}}},
				// The size is overridden and the content replaced.
				{Name: "root", Size: "64G", Content: &disko.Filesystem{Format: "xfs", Mountpoint: "/"}},
				{Name: "data", Size: "100%", Content: &disko.ZFS{Pool: "tank"}},
			}},
		}},
		Pools: []disko.ZPool{{
			Name:    "tank",
			Mode:    disko.ZFSStripe,
			Options: map[string]string{"ashift": "13", "autotrim": "on"},
			Datasets: []disko.Dataset{
				{Name: "data", Mountpoint: "/data", Options: map[string]string{"mountpoint": "legacy", "recordsize": "16k"}},
				{Name: "wal", Mountpoint: "/data/wal"},
			},
		}},
		Nodev: []disko.Nodev{{Mountpoint: "/tmp", FSType: "tmpfs", MountOptions: []string{"size=4G"}}},
	}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	if ds := l.Validate(); ds.HasErrors() {
		t.Errorf("Validate: %v", ds.Errors())
	}

	root := m.Disks[0].GPT.Partitions[1]
	if got, want := at(&root.SizeRange), posAfter(t, "hosts.hcl", mergeHostsHCL, `partition "root"`, `"64G"`); got != want {
		t.Errorf("size range %s, want %s", got, want)
	}
	if got := root.Filesystem.FormatRange.Filename; got != "hosts.hcl" {
		t.Errorf("filesystem from %s, want hosts.hcl", got)
	}
	esp := m.Disks[0].GPT.Partitions[0]
	if got := esp.DefRange.Filename; got != "profiles.hcl" {
		t.Errorf("ESP from %s, want profiles.hcl", got)
	}
}

func TestMergeStorageDoesNotAlias(t *testing.T) {
	pf := decodeMachines(t, "profiles.hcl", mergeProfilesHCL)
	pristine := decodeMachines(t, "profiles.hcl", mergeProfilesHCL)
	hosts := decodeMachines(t, "hosts.hcl", mergeHostsHCL)

	m := resolveStorage(&pf.Profiles[0], &hosts.Hosts[0])
	// Change everything reachable from the result.
	d := &m.Disks[0]
	*d.Media = "nvme"
	p := &d.GPT.Partitions[0]
	*p.Size = "1G"
	p.Filesystem.MountOptions[0] = "changed"
	p.Filesystem.Mountpoint = "/efi"
	d.GPT.Partitions = append(d.GPT.Partitions, Partition{Name: "extra"})
	m.Pools[0].Options["ashift"] = "9"
	m.Pools[0].Datasets[0].Options["mountpoint"] = "/x"
	m.Nodev[0].MountOptions[0] = "size=9G"
	m.Disks = append(m.Disks, Disk{Name: "sdb"})

	if diff := cmp.Diff(storageOf(&pristine.Profiles[0]), storageOf(&pf.Profiles[0])); diff != "" {
		t.Errorf("merging changed the profile (-before +after):\n%s", diff)
	}

	// A later merge into the result leaves the result's earlier sources
	// alone too, and a shallow copy of a resolved machine is safe to
	// merge into.
	before := resolveStorage(&pf.Profiles[0])
	snapshot := resolveStorage(before)
	shallow := *before
	mergeStorage(&shallow, &hosts.Hosts[1])
	if diff := cmp.Diff(storageOf(snapshot), storageOf(before)); diff != "" {
		t.Errorf("merging into a shallow copy changed the original (-before +after):\n%s", diff)
	}
}

func TestMergeStorageKeepsDuplicates(t *testing.T) {
	const src = `
host "h" {
  disk "sda" {
    device = "/dev/disk/by-id/a"
  }
  disk "sda" {
    device = "/dev/disk/by-id/b"
  }
}
`
	m := resolveStorage(decodeHost(t, "f.hcl", src))
	if len(m.Disks) != 2 {
		t.Fatalf("%d disks, want both definitions", len(m.Disks))
	}
	l, idx := convert(t, m)
	findDiag(t, storageDiagnostics(l.Validate(), idx), disko.CodeDuplicateName, `disk "sda" name`)
}

func TestMergeStorageContentKindChange(t *testing.T) {
	const profile = `
profile "p" {
  disk "sda" {
    device = "/dev/disk/by-id/a"
    gpt {
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }
}
`
	const host = `
host "h" {
  disk "sda" {
    luks "crypt" {
      key_file = "/run/keys/crypt"
      btrfs {
        subvolume "root" {
          mountpoint = "/"
        }
      }
    }
  }
}
`
	m := resolveStorage(&decodeMachines(t, "p.hcl", profile).Profiles[0], decodeHost(t, "h.hcl", host))
	if m.Disks[0].GPT != nil {
		t.Errorf("gpt kept next to the host's luks content")
	}
	l, _ := convert(t, m)
	want := &disko.Layout{Disks: []disko.Disk{{
		Name:   "sda",
		Device: "/dev/disk/by-id/a",
		Content: &disko.LUKS{
			Name:     "crypt",
			Settings: disko.LUKSSettings{KeyFile: "/run/keys/crypt"},
			Content:  &disko.Btrfs{Subvolumes: []disko.Subvolume{{Name: "root", Mountpoint: "/"}}},
		},
	}}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
}

func TestMergeStorageJSONEquivalent(t *testing.T) {
	const profileJSON = `{"profile": {"cloud-vm": {
  "disk": {"sda": {
    "device": "/dev/sda",
    "media": "ssd",
    "gpt": {"partition": {
      "ESP": {"size": "500M", "type": "EF00", "filesystem": {"format": "vfat", "mountpoint": "/boot", "mount_options": ["umask=0077"]}},
      "root": {"size": "100%", "filesystem": {"format": "ext4", "mountpoint": "/"}}
    }}
  }},
  "zpool": {"tank": {
    "mode": "mirror",
    "options": {"ashift": "12", "autotrim": "on"},
    "dataset": {"data": {"mountpoint": "/data", "options": {"mountpoint": "legacy"}}}
  }},
  "nodev": {"/tmp": {"fs_type": "tmpfs", "mount_options": ["size=1G"]}}
}}}`
	const hostJSON = `{"host": {"db": {
  "disk": {"sda": {
    "media": "hdd",
    "gpt": {"partition": {
      "root": {"size": "64G", "filesystem": {"format": "xfs", "mountpoint": "/"}},
      "data": {"size": "100%", "zfs": "tank"}
    }}
  }},
  "zpool": {"tank": {
    "mode": "stripe",
    "options": {"ashift": "13"},
    "dataset": {
      "data": {"options": {"recordsize": "16k"}},
      "wal": {"mountpoint": "/data/wal"}
    }
  }},
  "nodev": {"/tmp": {"mount_options": ["size=4G"]}}
}}}`
	fromHCL, _ := convert(t, resolveStorage(
		&decodeMachines(t, "profiles.hcl", mergeProfilesHCL).Profiles[0],
		&decodeMachines(t, "hosts.hcl", mergeHostsHCL).Hosts[1]))
	fromJSON, _ := convert(t, resolveStorage(
		&decodeMachines(t, "profiles.json", profileJSON).Profiles[0],
		&decodeMachines(t, "hosts.json", hostJSON).Hosts[0]))
	if diff := cmp.Diff(fromHCL, fromJSON); diff != "" {
		t.Errorf("HCL and JSON differ (-hcl +json):\n%s", diff)
	}
}
