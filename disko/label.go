package disko

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// maxLabel is the longest GPT partition name: 72 bytes of UTF-16, 36
// characters. disko's gpt type uses the same limit for its default labels.
const maxLabel = 36

// PartitionLabel returns the GPT partition label that disko gives a
// partition whose label is not set: "PARENTTYPE-PARENTNAME-PARTITION", for
// example "disk-main-ESP" for partition ESP on disk main, or
// "mdadm-raid1-primary" for a partition of the partition table on array
// raid1. If that string is longer than 36 bytes, the label is instead the
// first 36 hexadecimal digits of its SHA-256 hash.
//
// This is the rule of disko's lib/types/gpt.nix (option label, checked at
// disko 878ec37d): limit = 36; label = "${config._parent.type}-
// ${config._parent.name}-${partition.config.name}"; if stringLength label >
// limit then substring 0 limit (hashString "sha256" label) else label. The
// parent name of a disk is its attribute name with "/" replaced by "_".
func PartitionLabel(parentType, parentName, partition string) string {
	label := parentType + "-" + strings.ReplaceAll(parentName, "/", "_") + "-" + partition
	if len(label) <= maxLabel {
		return label
	}
	sum := sha256.Sum256([]byte(label))
	return hex.EncodeToString(sum[:])[:maxLabel]
}

// PartLabelPath returns /dev/disk/by-partlabel/LABEL, the path udev creates
// for a partition labelled label, with the characters udev does not allow
// in a link name escaped as disko's hexEscapeUdevSymlink escapes them
// (lib/default.nix): every byte outside [0-9A-Za-z#+,-.:=@_/] becomes \x
// and its value in upper-case hexadecimal without leading zeros (a space is
// \x20, a tab \x9).
func PartLabelPath(label string) string {
	clean := true
	for i := 0; i < len(label) && clean; i++ {
		clean = udevAllowed(label[i])
	}
	if clean {
		return "/dev/disk/by-partlabel/" + label
	}
	var b strings.Builder
	b.Grow(len("/dev/disk/by-partlabel/") + len(label))
	b.WriteString("/dev/disk/by-partlabel/")
	for i := 0; i < len(label); i++ {
		c := label[i]
		if udevAllowed(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteString(`\x`)
		b.WriteString(strings.ToUpper(strconv.FormatUint(uint64(c), 16)))
	}
	return b.String()
}

// udevAllowed reports whether disko leaves c unescaped in a udev link name.
// Its pattern is [0-9A-Za-z#+-.:=@_/], in which +-. is the range from '+'
// to '.', so ',' is allowed too.
func udevAllowed(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return true
	case c >= '+' && c <= '.':
		return true
	}
	switch c {
	case '#', ':', '=', '@', '_', '/':
		return true
	}
	return false
}

// HostID returns a value for networking.hostId derived from the host name:
// the first 8 hexadecimal digits of the SHA-256 hash of hostname. NixOS
// requires a hostId (8 hexadecimal digits) on hosts with ZFS, and ZFS
// refuses to import a pool last used by a different host ID without
// forcing; deriving it from the name keeps it stable across reinstalls and
// different between hosts, without storing it anywhere. Two host names
// collide with a probability of about one in four billion.
func HostID(hostname string) string {
	sum := sha256.Sum256([]byte(hostname))
	return hex.EncodeToString(sum[:4])
}

// itoa formats n in decimal.
func itoa(n int) string { return strconv.Itoa(n) }
