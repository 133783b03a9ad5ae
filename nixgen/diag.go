package nixgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Diagnostic output formats of [WriteDiagnostics].
const (
	// DiagnosticsText is one "FILE:LINE:COL: SEVERITY: SUMMARY" line per
	// diagnostic, followed by its detail indented by two spaces.
	DiagnosticsText = "text"
	// DiagnosticsJSON is one JSON array with an object per diagnostic.
	DiagnosticsJSON = "json"
)

// WriteDiagnostics writes diags to w in the order given, in format
// [DiagnosticsText] or [DiagnosticsJSON].
//
// In text form, a diagnostic starts with the line
//
//	FILE:LINE:COL: error: SUMMARY
//
// ("warning:" for a warning), or "nixgen: error: SUMMARY" when it has no
// source range, followed by each line of its detail indented by two
// spaces. Nothing is written when diags is empty.
//
// In JSON form, the output is a single JSON array, "[]" when diags is
// empty, of objects with the fields, in this order, "severity" ("error" or
// "warning"), "summary", "detail", "filename", "start" and "end"; start and
// end are objects with "line", "column" (both from 1) and "byte" (from 0).
// filename, start and end are null when the diagnostic has no source
// range.
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, format string) error {
	switch format {
	case DiagnosticsText:
		return writeDiagnosticsText(w, diags)
	case DiagnosticsJSON:
		return writeDiagnosticsJSON(w, diags)
	default:
		return fmt.Errorf("unknown diagnostics format %q: want %q or %q", format, DiagnosticsText, DiagnosticsJSON)
	}
}

// severityName is the name of a severity in diagnostic output. A
// diagnostic of unknown severity counts as an error.
func severityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

func writeDiagnosticsText(w io.Writer, diags hcl.Diagnostics) error {
	bw := bufio.NewWriter(w)
	for _, d := range diags {
		if d == nil {
			continue
		}
		if d.Subject != nil && d.Subject.Filename != "" {
			fmt.Fprintf(bw, "%s:%d:%d: ", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		} else {
			bw.WriteString("nixgen: ")
		}
		fmt.Fprintf(bw, "%s: %s\n", severityName(d.Severity), d.Summary)
		if detail := strings.TrimRight(d.Detail, "\n"); detail != "" {
			for line := range strings.SplitSeq(detail, "\n") {
				line = strings.TrimRight(line, " \t\r")
				if line == "" {
					bw.WriteString("\n")
					continue
				}
				bw.WriteString("  " + line + "\n")
			}
		}
	}
	return bw.Flush()
}

// jsonDiagnostic is the JSON form of a diagnostic; the order of the fields
// is the order of the output.
type jsonDiagnostic struct {
	Severity string   `json:"severity"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail"`
	Filename *string  `json:"filename"`
	Start    *jsonPos `json:"start"`
	End      *jsonPos `json:"end"`
}

// jsonPos is the JSON form of an [hcl.Pos].
type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

func writeDiagnosticsJSON(w io.Writer, diags hcl.Diagnostics) error {
	out := make([]jsonDiagnostic, 0, len(diags))
	for _, d := range diags {
		if d == nil {
			continue
		}
		jd := jsonDiagnostic{
			Severity: severityName(d.Severity),
			Summary:  d.Summary,
			Detail:   d.Detail,
		}
		if r := d.Subject; r != nil && r.Filename != "" {
			filename := r.Filename
			jd.Filename = &filename
			jd.Start = &jsonPos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte}
			jd.End = &jsonPos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte}
		}
		out = append(out, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
