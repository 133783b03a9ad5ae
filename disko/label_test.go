package disko_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/disko"
	"github.com/nixgen/nixgen/internal/nixcheck"
)

func TestPartitionLabel(t *testing.T) {
	tests := []struct {
		parentType, parentName, partition string
		want                              string
	}{
		{"disk", "main", "ESP", "disk-main-ESP"},
		{"disk", "nvme", "slog", "disk-nvme-slog"},
		{"mdadm", "raid1", "primary", "mdadm-raid1-primary"},
		// Exactly 36 characters: kept.
		{"disk", strings.Repeat("d", 26), "abcd", "disk-" + strings.Repeat("d", 26) + "-abcd"},
		// disko issue #913: a disk named by its by-id string. The
		// label was reproduced by evaluating disko's gpt type.
		{"disk", "ata-ST18000NE000-3G6101_ZVTCXVEB", "zfs", "2f23181189349e543aad5449e89b4f960819"},
		// "/" in a disk name becomes "_", as in disko's disk name.
		{"disk", "a/b", "p", "disk-a_b-p"},
	}
	for _, tt := range tests {
		got := disko.PartitionLabel(tt.parentType, tt.parentName, tt.partition)
		if got != tt.want {
			t.Errorf("PartitionLabel(%q, %q, %q) = %q, want %q", tt.parentType, tt.parentName, tt.partition, got, tt.want)
		}
	}
}

// TestPartitionLabelMatchesNix computes disko's label rule with the Nix
// evaluator, whose builtins.hashString is an independent SHA-256, for
// labels around the 36-character limit.
func TestPartitionLabelMatchesNix(t *testing.T) {
	names := []string{
		"main", "nvme",
		strings.Repeat("d", 25), strings.Repeat("d", 26), strings.Repeat("d", 27),
		"ata-ST18000NE000-3G6101_ZVTCXVEB", "nvme-Samsung_SSD_980_PRO_2TB_S6B0NL0T000000X",
	}
	var expr strings.Builder
	expr.WriteString("let label = t: n: p: let l = \"${t}-${n}-${p}\"; in if builtins.stringLength l > 36 then builtins.substring 0 36 (builtins.hashString \"sha256\" l) else l; in [")
	var want []string
	for _, n := range names {
		for _, p := range []string{"zfs", "ESP", "primary"} {
			expr.WriteString(" (label \"disk\" " + strconv.Quote(n) + " " + strconv.Quote(p) + ")")
			want = append(want, disko.PartitionLabel("disk", n, p))
		}
	}
	expr.WriteString(" ]")
	var got []string
	nixcheck.EvalExprJSON(t, t.TempDir(), expr.String(), &got)
	if diff := cmp.Diff(got, want); diff != "" {
		t.Errorf("labels (-nix +go):\n%s", diff)
	}
}

func TestPartLabelPath(t *testing.T) {
	tests := map[string]string{
		"disk-main-ESP":                       "/dev/disk/by-partlabel/disk-main-ESP",
		"Boot data partition":                 `/dev/disk/by-partlabel/Boot\x20data\x20partition`,
		"Even(crazier)par&titi^onName":        `/dev/disk/by-partlabel/Even\x28crazier\x29par\x26titi\x5EonName`,
		"all0these@char#acters+_are-allow.ed": "/dev/disk/by-partlabel/all0these@char#acters+_are-allow.ed",
		"a,b\tc~":                             `/dev/disk/by-partlabel/a,b\x9c\x7E`,
	}
	for label, want := range tests {
		if got := disko.PartLabelPath(label); got != want {
			t.Errorf("PartLabelPath(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestHostID(t *testing.T) {
	// sha256("lufta") starts with these 8 hex digits.
	if got := disko.HostID("lufta"); got != "a66d4377" {
		t.Errorf("HostID(lufta) = %q", got)
	}
	seen := map[string]string{}
	for _, h := range []string{"a", "b", "srv1", "srv2", "lufta", ""} {
		id := disko.HostID(h)
		if len(id) != 8 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Errorf("HostID(%q) = %q, not 8 hex digits", h, id)
		}
		if id != disko.HostID(h) {
			t.Errorf("HostID(%q) is not deterministic", h)
		}
		if prev, ok := seen[id]; ok {
			t.Errorf("HostID(%q) = HostID(%q)", h, prev)
		}
		seen[id] = h
	}
}

func TestPartitionOrder(t *testing.T) {
	// disko creates partitions by priority, then name; a "100%" partition
	// defaults to 9001 and an EF02 partition to 100.
	l := &disko.Layout{Disks: []disko.Disk{{
		Name:   "d",
		Device: "/dev/disk/by-id/x",
		Content: &disko.GPT{Partitions: []disko.Partition{
			{Name: "root", Size: "100%", Content: &disko.Filesystem{Format: "ext4", Mountpoint: "/"}},
			{Name: "swap", Size: "8G", Content: &disko.Swap{}},
			{Name: "ESP", Type: "ef00", Size: "1G", Content: &disko.Filesystem{Format: "vfat", Mountpoint: "/boot"}},
			{Name: "zz-bios", Type: "ef02", Size: "1M"},
			{Name: "first", Size: "1M", Priority: new(1)},
		}},
	}}}
	out, _, err := l.Render()
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSpace(line)
		for _, n := range []string{"root", "swap", "ESP", "zz-bios", "first"} {
			if line == n+" = {" || line == strconv.Quote(n)+" = {" {
				order = append(order, n)
			}
		}
	}
	if want := []string{"first", "zz-bios", "ESP", "swap", "root"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if !strings.Contains(string(out), `type = "EF02";`) || !strings.Contains(string(out), `type = "EF00";`) {
		t.Errorf("type codes not upper case:\n%s", out)
	}
	if !l.HasBIOSBoot() || !l.HasESP() || l.ESPOnRAID() || l.HasZFS() {
		t.Errorf("HasBIOSBoot %v HasESP %v ESPOnRAID %v HasZFS %v", l.HasBIOSBoot(), l.HasESP(), l.ESPOnRAID(), l.HasZFS())
	}
	if got := l.BIOSBootDevices(); !slices.Equal(got, []string{"/dev/disk/by-id/x"}) {
		t.Errorf("BIOSBootDevices = %v", got)
	}
}

func TestQueries(t *testing.T) {
	l := seed000()
	if !l.HasESP() || l.HasBIOSBoot() || !l.HasZFS() || l.ESPOnRAID() {
		t.Errorf("seed000: HasESP %v HasBIOSBoot %v HasZFS %v ESPOnRAID %v", l.HasESP(), l.HasBIOSBoot(), l.HasZFS(), l.ESPOnRAID())
	}
	if got, want := l.Mountpoints(), []string{"/", "/boot", "/boot/efi", "/home", "/nix"}; !slices.Equal(got, want) {
		t.Errorf("Mountpoints = %v, want %v", got, want)
	}
	media := map[string][]disko.Media{
		// The pool's members: three HDDs and the NVMe log device.
		"/var/lib/rancher/k3s/server/db": {disko.MediaHDD, disko.MediaNVMe},
		"/boot":                          {disko.MediaNVMe},
		"/boot/efi/EFI":                  {disko.MediaNVMe},
		"/bootx":                         {disko.MediaHDD, disko.MediaNVMe},
	}
	for p, want := range media {
		if got := l.MediaAt(p); !slices.Equal(got, want) {
			t.Errorf("MediaAt(%q) = %v, want %v", p, got, want)
		}
	}
	if got := tmpfsRoot().MediaAt("/var/lib/etcd"); got != nil {
		t.Errorf("MediaAt on tmpfs = %v", got)
	}
	if got := tmpfsRoot().MediaAt("/nix/store"); !slices.Equal(got, []disko.Media{disko.MediaSSD}) {
		t.Errorf("MediaAt(/nix/store) = %v", got)
	}
	if got := luksLVM().MediaAt("/home/u"); !slices.Equal(got, []disko.Media{disko.MediaNVMe}) {
		t.Errorf("MediaAt through LUKS and LVM = %v", got)
	}
	if got := seed001().MediaAt("/persist"); !slices.Equal(got, []disko.Media{disko.MediaHDD}) {
		t.Errorf("MediaAt through mdadm = %v", got)
	}
	if !host64().ESPOnRAID() || !seed002().HasBIOSBoot() {
		t.Error("ESPOnRAID(host64) or HasBIOSBoot(seed002) is false")
	}
	if got := disko.MediaHDD.String() + disko.MediaSSD.String() + disko.MediaNVMe.String() + disko.MediaUnknown.String(); got != "hddssdnvmeunknown" {
		t.Errorf("Media strings %q", got)
	}
}

func TestRAIDLevel(t *testing.T) {
	for _, tt := range []struct {
		level  disko.RAIDLevel
		n, min int
		ok     bool
	}{
		{disko.RAIDDefault, 1, 2, true},
		{disko.RAID0, 0, 2, true},
		{disko.RAID1, 1, 2, true},
		{disko.RAID4, 4, 3, true},
		{disko.RAID5, 5, 3, true},
		{disko.RAID6, 6, 4, true},
		{disko.RAID10, 10, 2, true},
		{"raid7", 0, 0, false},
	} {
		n, ok := tt.level.Number()
		m, ok2 := tt.level.MinMembers()
		if n != tt.n || m != tt.min || ok != tt.ok || ok2 != tt.ok {
			t.Errorf("%q: Number %d %v, MinMembers %d %v", tt.level, n, ok, m, ok2)
		}
	}
}

func TestWhereString(t *testing.T) {
	w := disko.Where{Steps: []disko.Step{{Kind: "zpool", Name: "rpool"}, {Kind: "vdev", Index: 1, Indexed: true}, {Kind: "member", Index: 0, Indexed: true}}}
	if got := w.String(); got != `zpool "rpool" vdev[1] member[0]` {
		t.Errorf("Where = %s", got)
	}
	w = disko.Where{Steps: []disko.Step{{Kind: "zpool", Name: "rpool"}, {Kind: "dataset", Name: "root"}}, Field: "mountpoint"}
	if got := w.String(); got != `zpool "rpool" dataset "root" mountpoint` {
		t.Errorf("Where = %s", got)
	}
	d := disko.Diagnostic{Severity: disko.SeverityWarning, Where: w, Summary: "s"}
	if got := d.String(); got != `warning: zpool "rpool" dataset "root" mountpoint: s` {
		t.Errorf("Diagnostic = %s", got)
	}
}
