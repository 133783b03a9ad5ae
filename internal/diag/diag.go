// Package diag holds the structured diagnostics that nixgen's model
// packages (disko, sops) report: a severity, a rule code, and a path
// through the model to the element concerned, which a caller that built
// the model from a file maps back to a position in that file.
package diag

import (
	"slices"
	"strconv"
	"strings"
)

// Severity tells whether a [Diagnostic] stops generation.
type Severity uint8

// The severities.
const (
	// SeverityError marks input that the tool downstream rejects or that
	// does not work; generators refuse to write it.
	SeverityError Severity = iota
	// SeverityWarning marks input that works but is fragile or probably
	// not what was meant.
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
// disk "sda", or with its position in a list, such as vdev[0].
type Step struct {
	// Kind is the element kind, such as "disk", "partition" or "host".
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

// Where locates an element of a model, and optionally one of its fields,
// for example disk "sda" partition "ESP" with Field "size".
type Where struct {
	// Steps lead from a top-level element to the element.
	Steps []Step
	// Field is the field of the element the diagnostic is about; empty
	// for the element as a whole.
	Field string
}

// String returns the steps separated by spaces, followed by the field, for
// example: disk "sda" partition "ESP" size.
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

// Child returns w extended by one named step. It never shares the backing
// array of w, so siblings do not overwrite each other.
func (w Where) Child(kind, name string) Where {
	steps := make([]Step, len(w.Steps), len(w.Steps)+1)
	copy(steps, w.Steps)
	return Where{Steps: append(steps, Step{Kind: kind, Name: name})}
}

// Index returns w extended by one list position.
func (w Where) Index(kind string, i int) Where {
	steps := make([]Step, len(w.Steps), len(w.Steps)+1)
	copy(steps, w.Steps)
	return Where{Steps: append(steps, Step{Kind: kind, Index: i, Indexed: true})}
}

// At returns w pointing at field f of its element.
func (w Where) At(f string) Where {
	return Where{Steps: w.Steps, Field: f}
}

// Diagnostic is one problem found in a model.
type Diagnostic struct {
	// Severity is error or warning.
	Severity Severity
	// Code identifies the rule, so that callers can recognise or silence
	// a particular check.
	Code string
	// Where is the element the problem is about.
	Where Where
	// Related are other elements involved, for example the first element
	// that uses a duplicated name.
	Related []Where
	// Summary is a terse statement of the problem, without location.
	Summary string
	// Detail explains the problem in full sentences, names the other
	// elements involved, and says what to do.
	Detail string
}

// String returns "SEVERITY: WHERE: SUMMARY", or "SEVERITY: SUMMARY" for a
// diagnostic about the model as a whole.
func (d Diagnostic) String() string {
	if w := d.Where.String(); w != "" {
		return d.Severity.String() + ": " + w + ": " + d.Summary
	}
	return d.Severity.String() + ": " + d.Summary
}

// HasErrors reports whether any of ds is an error.
func HasErrors(ds []Diagnostic) bool {
	return slices.ContainsFunc(ds, isError)
}

// Errors returns the errors of ds, in order, or nil when there are none.
func Errors(ds []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if isError(d) {
			out = append(out, d)
		}
	}
	return out
}

func isError(d Diagnostic) bool { return d.Severity == SeverityError }
