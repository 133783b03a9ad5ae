package disko

import (
	"strings"

	"github.com/nixgen/nixgen/internal/diag"
)

// The diagnostics types are shared with the other model packages; see
// package internal/diag.
type (
	// Severity tells whether a [Diagnostic] stops generation.
	Severity = diag.Severity
	// Step is one step of a [Where]: an element kind with its name, or
	// with its position in a list.
	Step = diag.Step
	// Where locates an element of the model, and optionally one of its
	// fields. A caller that built the model from a file maps it back to a
	// position in that file.
	Where = diag.Where
	// Diagnostic is one problem found in the model.
	Diagnostic = diag.Diagnostic
)

// The severities.
const (
	// SeverityError marks input that is rejected downstream or does not
	// work; the generators refuse to write it.
	SeverityError = diag.SeverityError
	// SeverityWarning marks input that works but is probably not what was
	// meant.
	SeverityWarning = diag.SeverityWarning
)

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool { return diag.HasErrors(ds) }

// Errors returns the diagnostics that are errors.
func (ds Diagnostics) Errors() Diagnostics { return diag.Errors(ds) }

// Err returns a *ValidationError holding the errors of ds, or nil if there
// are none.
func (ds Diagnostics) Err() error {
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Diagnostics: errs}
}

// ValidationError is the error of a layout that does not validate.
type ValidationError struct {
	// Diagnostics are the errors, in the order Validate found them.
	Diagnostics Diagnostics
}

// Error lists the errors, one per line after the first.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("disko: invalid layout")
	if len(e.Diagnostics) == 1 {
		b.WriteString(": ")
		b.WriteString(locSummary(e.Diagnostics[0]))
		return b.String()
	}
	b.WriteString(" (")
	b.WriteString(itoa(len(e.Diagnostics)))
	b.WriteString(" errors):")
	for _, d := range e.Diagnostics {
		b.WriteString("\n\t")
		b.WriteString(locSummary(d))
	}
	return b.String()
}

// locSummary returns "WHERE: SUMMARY", or the summary alone.
func locSummary(d Diagnostic) string {
	if w := d.Where.String(); w != "" {
		return w + ": " + d.Summary
	}
	return d.Summary
}

// The codes of the rules of [Layout.Validate].
const (
	// CodeNoDisks: the layout has no disk (disko throws "No disks
	// defined").
	CodeNoDisks = "no-disks"
	// CodeName: an empty name, or one with a slash or a character outside
	// printable ASCII where disko builds labels or device paths from it.
	CodeName = "invalid-name"
	// CodeDuplicateName: two elements of one collection share a name.
	CodeDuplicateName = "duplicate-name"
	// CodeDevice: a disk device that is empty or not an absolute path.
	CodeDevice = "invalid-device"
	// CodeDuplicateDevice: two disks with the same device path.
	CodeDuplicateDevice = "duplicate-device"
	// CodeUnstableDevice (warning): a kernel device name such as /dev/sda
	// or /dev/nvme0n1, which can change between boots.
	CodeUnstableDevice = "unstable-device"
	// CodeMountpoint: a mountpoint that is not an absolute, clean path.
	CodeMountpoint = "invalid-mountpoint"
	// CodeDuplicateMountpoint: two filesystems mounted at the same path.
	CodeDuplicateMountpoint = "duplicate-mountpoint"
	// CodeNoRoot: nothing is mounted at /.
	CodeNoRoot = "no-root"
	// CodeSize: a missing or malformed size, start or end.
	CodeSize = "invalid-size"
	// CodeMultipleFill: more than one "100%" partition in a table.
	CodeMultipleFill = "multiple-fill"
	// CodeFillNotLast: a partition is created after the "100%" partition
	// of its table, in a space that is already taken.
	CodeFillNotLast = "fill-not-last"
	// CodePartitionType: a partition type that is neither a four-digit
	// sgdisk code nor a GUID.
	CodePartitionType = "invalid-partition-type"
	// CodeUUID: a partition UUID that is not a GUID.
	CodeUUID = "invalid-uuid"
	// CodeLabel: a partition label longer than 36 characters, or one
	// outside printable ASCII.
	CodeLabel = "invalid-label"
	// CodeDuplicateLabel: two partitions of the host with the same label.
	CodeDuplicateLabel = "duplicate-label"
	// CodeBIOSBootContent: a BIOS boot partition (EF02) with content.
	CodeBIOSBootContent = "bios-boot-content"
	// CodeRAIDLevel: an mdadm level other than 0, 1, 4, 5, 6 or 10.
	CodeRAIDLevel = "invalid-raid-level"
	// CodeMetadata: an mdadm metadata version disko does not accept.
	CodeMetadata = "invalid-metadata"
	// CodeNoMembers: an array, pool or volume group without members.
	CodeNoMembers = "no-members"
	// CodeTooFewMembers: an array or vdev with fewer members than its
	// level needs.
	CodeTooFewMembers = "too-few-members"
	// CodeNarrowRaidz (warning): a raidz1 vdev of two members.
	CodeNarrowRaidz = "narrow-raidz"
	// CodeUnknownContainer: a member names an array, pool or volume group
	// that does not exist.
	CodeUnknownContainer = "unknown-container"
	// CodeZFSMode: an invalid vdev mode, a pool with both a mode and a
	// topology, or a raidz log vdev.
	CodeZFSMode = "invalid-zfs-mode"
	// CodeTopology: a topology member that is not a member of the pool,
	// is placed twice, or a pool member the topology leaves out.
	CodeTopology = "invalid-topology"
	// CodeESPFormat: an EFI system partition (EF00) without a vfat
	// filesystem.
	CodeESPFormat = "esp-not-vfat"
	// CodeESPMetadata: an EFI system partition on an mdadm array whose
	// metadata is not "1.0".
	CodeESPMetadata = "esp-raid-metadata"
	// CodeESPRaid (warning): an EFI system partition on an mdadm array,
	// where systemd-boot cannot be installed.
	CodeESPRaid = "esp-on-raid"
	// CodeSecret: a LUKS password file or key file that is not an
	// absolute path, which is what an inline secret looks like.
	CodeSecret = "inline-secret"
	// CodeFilesystem: a filesystem without format, or with a format that
	// has its own content type (zfs, swap).
	CodeFilesystem = "invalid-filesystem"
	// CodeSwap: an invalid swap discard policy or priority.
	CodeSwap = "invalid-swap"
	// CodeSwapFileMount: a btrfs swap file in a volume that is not
	// mounted.
	CodeSwapFileMount = "swapfile-unmounted"
	// CodeUnmountedOptions (warning): a btrfs subvolume with mount options
	// but no mountpoint.
	CodeUnmountedOptions = "unmounted-options"
	// CodeLV: an invalid logical volume type or thin pool reference.
	CodeLV = "invalid-lv"
	// CodeNodev: a nodev filesystem without fsType.
	CodeNodev = "invalid-nodev"
	// CodeCycle: devices that are built on each other in a circle.
	CodeCycle = "cycle"
)
