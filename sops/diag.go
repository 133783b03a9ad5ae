package sops

import (
	"strconv"
	"strings"
)

// Severity tells whether a [Diagnostic] stops generation.
type Severity uint8

// The severities.
const (
	// SeverityError marks a fleet or a secrets file that sops or sops-nix
	// rejects, or that leaves a host unable to decrypt its secrets. The
	// generators refuse to write a fleet with errors.
	SeverityError Severity = iota
	// SeverityWarning marks a fleet that works but is probably not what
	// was meant.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return "Severity(" + strconv.Itoa(int(s)) + ")"
}

// Step is one step of a [Where]: an element kind with its name, such as
// host "web1", or with its position in a list, such as admin[0].
type Step struct {
	// Kind is the element kind: "admin", "host", "group", "member",
	// "secret", "restartUnit", "reference", "file" or "key".
	Kind string
	// Name is the name of a named element.
	Name string
	// Index is the position of an element in a list, when Indexed is set.
	Index int
	// Indexed tells that the step is a list position rather than a name.
	Indexed bool
}

// String returns kind "name", or kind[index].
func (s Step) String() string {
	if s.Indexed {
		return s.Kind + "[" + strconv.Itoa(s.Index) + "]"
	}
	return s.Kind + " " + strconv.Quote(s.Name)
}

// Where locates an element of a [Fleet], of a list of [Reference]s or of
// the files given to [Check], and optionally one of its fields, for
// example host "web1" secret "db_password" with Field "mode". A caller
// that built the input from a file maps it back to a position in that
// file.
//
// Elements of the fleet are named by their position in their list (admin,
// host, group, member and secret steps are indexed: host[1] secret[0]), so
// that a caller can find them even when two share a name or a name is
// empty. References are indexed too. Files and keys checked by [Check] are
// named by their path.
type Where struct {
	// Steps lead from a top-level element to the element.
	Steps []Step
	// Field is the field of the element the diagnostic is about, in the
	// spelling of the Go field ("SSHHostKey", "Mode", "File"…); empty for
	// the element as a whole.
	Field string
}

// String returns the steps separated by spaces, followed by the field, for
// example: host[0] secret[2] Mode.
func (w Where) String() string {
	var b strings.Builder
	for i, s := range w.Steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.String())
	}
	if w.Field != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.Field)
	}
	return b.String()
}

// index returns w extended by one list position. It never shares the
// backing array of w, so siblings do not overwrite each other.
func (w Where) index(kind string, i int) Where {
	steps := make([]Step, len(w.Steps), len(w.Steps)+1)
	copy(steps, w.Steps)
	return Where{Steps: append(steps, Step{Kind: kind, Index: i, Indexed: true})}
}

// child returns w extended by one named step.
func (w Where) child(kind, name string) Where {
	steps := make([]Step, len(w.Steps), len(w.Steps)+1)
	copy(steps, w.Steps)
	return Where{Steps: append(steps, Step{Kind: kind, Name: name})}
}

// field returns w pointing at field f of its element.
func (w Where) field(f string) Where {
	return Where{Steps: w.Steps, Field: f}
}

// Diagnostic is one problem found by [Fleet.Validate],
// [Fleet.CheckReferences] or [Check].
type Diagnostic struct {
	// Severity is error or warning.
	Severity Severity
	// Code identifies the rule, one of the Code constants, so that callers
	// can recognise or silence a particular check.
	Code string
	// Where is the element the problem is about.
	Where Where
	// Related are other elements involved, for example the first host
	// that has a duplicated name.
	Related []Where
	// Summary is a terse statement of the problem, without location.
	Summary string
	// Detail explains the problem in full sentences and says what to do.
	Detail string
}

// String returns "SEVERITY: WHERE: SUMMARY", or "SEVERITY: SUMMARY" for a
// diagnostic about the fleet as a whole.
func (d Diagnostic) String() string {
	if w := d.Where.String(); w != "" {
		return d.Severity.String() + ": " + w + ": " + d.Summary
	}
	return d.Severity.String() + ": " + d.Summary
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Errors returns the diagnostics that are errors.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == SeverityError {
			out = append(out, d)
		}
	}
	return out
}

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
