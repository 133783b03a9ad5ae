package disko

import (
	"path"
	"strings"
)

// The syntax checks are written by hand rather than with regular
// expressions: they run for every element of every layout, and a package
// has no place for compiled expressions without package-level variables.

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPartitionSize reports whether s matches disko's partition size type:
// "100%", or [0-9]+[KMGTP]?.
func isPartitionSize(s string) bool {
	return s == "100%" || isSizeWithUnit(s, false)
}

// isSizeWithUnit reports whether s is digits followed by one of K, M, G, T,
// P, the unit being optional unless required is set.
func isSizeWithUnit(s string, required bool) bool {
	if s == "" {
		return false
	}
	last := s[len(s)-1]
	if strings.IndexByte("KMGTP", last) >= 0 {
		return isDigits(s[:len(s)-1])
	}
	return !required && isDigits(s)
}

// isSgdiskBound reports whether s is a partition start or end that sgdisk
// understands: an optional + or -, digits, and an optional unit (K, M, G, T,
// P, or s for sectors). Percentages are not accepted, which catches the
// common end = "100%" (meant as size = "100%").
func isSgdiskBound(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if s == "" {
		return false
	}
	if strings.IndexByte("KMGTPkmgtps", s[len(s)-1]) >= 0 {
		s = s[:len(s)-1]
	}
	return isDigits(s)
}

// isDecimalSize reports whether s is a number with an optional fraction and
// an optional unit letter (b, s, k, m, g, t, p, e in either case) and an
// optional trailing B, as lvcreate -L and zfs create -V accept.
func isDecimalSize(s string) bool {
	if s == "" {
		return false
	}
	if len(s) > 1 && (s[len(s)-1] == 'B' || s[len(s)-1] == 'b') && strings.IndexByte("kKmMgGtTpPeE", s[len(s)-2]) >= 0 {
		s = s[:len(s)-1]
	}
	if strings.IndexByte("bBsSkKmMgGtTpPeE", s[len(s)-1]) >= 0 {
		s = s[:len(s)-1]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	return isDigits(whole) && (!hasFrac || isDigits(frac))
}

// isLVSize reports whether s is a size lvcreate accepts: an absolute size
// (see isDecimalSize) or a percentage, digits followed by %, %FREE, %VG,
// %PVS or %ORIGIN.
func isLVSize(s string) bool {
	if n, unit, ok := strings.Cut(s, "%"); ok {
		switch unit {
		case "", "FREE", "VG", "PVS", "ORIGIN":
			return isDigits(n)
		}
		return false
	}
	return isDecimalSize(s)
}

// isHex reports whether s is n hexadecimal digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// isGUID reports whether s is a GUID in 8-4-4-4-12 hexadecimal form.
func isGUID(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 5 {
		return false
	}
	for i, n := range [...]int{8, 4, 4, 4, 12} {
		if !isHex(parts[i], n) {
			return false
		}
	}
	return true
}

// normalizeType returns the partition type as it is written to Nix:
// four-digit codes in upper case, which is how disko compares them with
// EF02, GUIDs unchanged.
func normalizeType(t string) string {
	if isHex(t, 4) {
		return strings.ToUpper(t)
	}
	return t
}

// isCleanAbs reports whether p is an absolute path in clean form: no
// trailing slash, no empty, "." or ".." elements.
func isCleanAbs(p string) bool {
	return strings.HasPrefix(p, "/") && path.Clean(p) == p
}

// nameProblem returns why s cannot be the name of an element whose name
// disko uses in partition labels or device paths, or "" if it can.
func nameProblem(s string) string {
	if s == "" {
		return "the name is empty"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' {
			return "the name contains a slash"
		}
		if c < 0x20 || c > 0x7e {
			return "the name contains a character outside printable ASCII"
		}
	}
	return ""
}

// isPrintableASCII reports whether s holds only printable ASCII characters.
func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// isKernelDiskName reports whether dev is a kernel name for a SATA/SAS/USB
// or NVMe disk or partition (/dev/sda, /dev/sdb2, /dev/nvme0n1,
// /dev/nvme1n1p3), which the kernel hands out in probe order. Virtio names
// (/dev/vda) are left alone: a virtio disk without a serial number has no
// /dev/disk/by-id link to use instead.
func isKernelDiskName(dev string) bool {
	if rest, ok := strings.CutPrefix(dev, "/dev/sd"); ok {
		i := 0
		for i < len(rest) && rest[i] >= 'a' && rest[i] <= 'z' {
			i++
		}
		return i > 0 && (i == len(rest) || isDigits(rest[i:]))
	}
	if rest, ok := strings.CutPrefix(dev, "/dev/nvme"); ok {
		ctrl, rest, ok := strings.Cut(rest, "n")
		if !ok || !isDigits(ctrl) {
			return false
		}
		ns, part, hasPart := strings.Cut(rest, "p")
		return isDigits(ns) && (!hasPart || isDigits(part))
	}
	return false
}
