package sops

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

// Err returns nil when ds holds no error, and otherwise an error whose
// message lists the errors, one per line. Warnings are left out.
func (ds Diagnostics) Err() error {
	errs := ds.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &DiagnosticsError{Diagnostics: errs}
}

// DiagnosticsError is the error returned by the generators when the fleet
// has errors. It holds the error diagnostics, so that a caller can unwrap
// it with errors.As and report each with its location.
type DiagnosticsError struct {
	// Diagnostics are the errors, in the order Validate reports them.
	Diagnostics Diagnostics
}

// Error returns the diagnostics, one per line, prefixed with "sops: ".
func (e *DiagnosticsError) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("sops: ")
		b.WriteString(d.String())
	}
	return b.String()
}

// The codes of the rules of [Fleet.Validate], [Fleet.CheckReferences] and
// [Check].
const (
	// CodeName: an empty or invalid admin, host, group or secret name.
	CodeName = "invalid-name"
	// CodeDuplicateName: two admins, hosts or groups with one name, or two
	// secrets of one host with one name (sops.secrets.<name> would be
	// defined twice).
	CodeDuplicateName = "duplicate-name"
	// CodeRecipient: an admin recipient that is neither an age X25519
	// recipient (age1…) nor an ssh-ed25519 public key.
	CodeRecipient = "invalid-recipient"
	// CodeHostKey: an SSH host key that is not an ssh-ed25519 public key.
	CodeHostKey = "invalid-host-key"
	// CodeMissingHostKey: a host receives secrets but has no SSH host key,
	// so no secrets file can be encrypted for it.
	CodeMissingHostKey = "missing-host-key"
	// CodeDuplicateRecipient (warning): one recipient belongs to two
	// admins or hosts, for example two hosts cloned from one image.
	CodeDuplicateRecipient = "duplicate-recipient"
	// CodeNoAdmins (warning): the fleet has no admin, so nobody can edit
	// or re-key the secrets files after they are first written.
	CodeNoAdmins = "no-admins"
	// CodeFilePath: a secrets file path that is absolute, leaves the
	// repository (..), is not clean, or does not end in .yaml or .yml.
	CodeFilePath = "invalid-file-path"
	// CodeDuplicateFile: two hosts or groups with the same secrets file.
	CodeDuplicateFile = "duplicate-file"
	// CodeUnknownFile: a secret names a file that is neither a host's nor
	// a group's, so no creation rule covers it.
	CodeUnknownFile = "unknown-file"
	// CodeNotRecipient: a host receives a secret from a file that is not
	// encrypted for it (another host's file, or the file of a group it
	// is not a member of); sops-nix would fail on the host with "0
	// successful groups required".
	CodeNotRecipient = "not-recipient"
	// CodeUnknownMember: a group member that is not a host of the fleet.
	CodeUnknownMember = "unknown-member"
	// CodeEmptyGroup (warning): a group without members.
	CodeEmptyGroup = "empty-group"
	// CodeKey: an invalid key path inside a secrets file (an empty
	// element, as in "a//b").
	CodeKey = "invalid-key"
	// CodeMode: a mode that is not an octal permission such as "0440".
	CodeMode = "invalid-mode"
	// CodeOwner: an owner or group name with characters a user or group
	// name cannot have.
	CodeOwner = "invalid-owner"
	// CodePath: a secret path that is not absolute and clean.
	CodePath = "invalid-path"
	// CodeUnit: an empty or malformed restartUnits entry.
	CodeUnit = "invalid-unit"
	// CodeUndeclared: a reference to a secret that the host does not
	// receive.
	CodeUndeclared = "undeclared-secret"
	// CodeFileMissing: a secrets file that does not exist.
	CodeFileMissing = "file-missing"
	// CodeNotEncrypted: a secrets file that is not a sops-encrypted YAML
	// file: not YAML, no sops metadata, no MAC, no age recipient or
	// several key groups, or a plaintext value.
	CodeNotEncrypted = "not-encrypted"
	// CodeMissingKey: a key declared for a secret is not in the file.
	CodeMissingKey = "missing-key"
	// CodeNotString: a key whose value is not a string, which sops-nix
	// cannot write to a file, or whose parent is not a mapping.
	CodeNotString = "not-string"
	// CodePrint: a generated file that cannot be printed.
	CodePrint = "print"
	// CodeStaleRecipients: a secrets file encrypted for other recipients
	// than its creation rule lists; it needs "sops updatekeys".
	CodeStaleRecipients = "stale-recipients"
)
