package disko

import "testing"

func TestSyntax(t *testing.T) {
	checks := []struct {
		name string
		f    func(string) bool
		ok   []string
		bad  []string
	}{
		{"partition size", isPartitionSize,
			[]string{"100%", "0", "1M", "512M", "2G", "10T", "1P", "4096"},
			[]string{"", "50%", "512MiB", "1.5G", "1g", "M", "-1G", "+1G", " 1G"}},
		{"sgdisk bound", isSgdiskBound,
			[]string{"0", "-0", "+1G", "-1G", "1M", "2048s", "128m"},
			[]string{"", "+", "100%", "1.5G", "1GiB", "end"}},
		{"LV size", isLVSize,
			[]string{"10G", "1.5T", "100%FREE", "50%VG", "100%", "20%PVS", "512m", "10GB"},
			[]string{"", "all", "%FREE", "100%FOO", "1.G", "G"}},
		{"decimal size", isDecimalSize,
			[]string{"50G", "1.5T", "16k", "100M", "8GB"},
			[]string{"", "x", "1..5G", "GB"}},
		{"GUID", isGUID,
			[]string{"f0f0f0f0-f0f0-f0f0-f0f0-f0f0f0f0f0f0", "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"},
			[]string{"", "f0f0f0f0", "f0f0f0f0-f0f0-f0f0-f0f0-f0f0f0f0f0fg", "f0f0f0f0f0f0-f0f0-f0f0-f0f0f0f0f0f0"}},
		{"clean absolute path", isCleanAbs,
			[]string{"/", "/home", "/boot/efi", "/.swapvol"},
			[]string{"", "home", "/home/", "//home", "/a/../b", "/a/./b"}},
		{"kernel disk name", isKernelDiskName,
			[]string{"/dev/sda", "/dev/sdab", "/dev/sda1", "/dev/nvme0n1", "/dev/nvme10n2p3"},
			[]string{"/dev/sd", "/dev/vda", "/dev/disk/by-id/nvme-x", "/dev/nvme0", "/dev/nvmen1", "/dev/sda1x", "/dev/md127", "/dev/mapper/x"}},
	}
	for _, c := range checks {
		for _, s := range c.ok {
			if !c.f(s) {
				t.Errorf("%s: %q rejected", c.name, s)
			}
		}
		for _, s := range c.bad {
			if c.f(s) {
				t.Errorf("%s: %q accepted", c.name, s)
			}
		}
	}
	if got := normalizeType("ef00"); got != "EF00" {
		t.Errorf("normalizeType(ef00) = %q", got)
	}
	if got := normalizeType("c12a7328-f81f-11d2-ba4b-00a0c93ec93b"); got != "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" {
		t.Errorf("normalizeType(GUID) = %q", got)
	}
}
