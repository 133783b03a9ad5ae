package diag

import "testing"

func TestWhere(t *testing.T) {
	base := Where{}.Child("disk", "sda")
	a := base.Child("partition", "ESP").At("size")
	b := base.Index("vdev", 2)
	if got := a.String(); got != `disk "sda" partition "ESP" size` {
		t.Errorf("a = %s", got)
	}
	if got := b.String(); got != `disk "sda" vdev[2]` {
		t.Errorf("b = %s, want siblings not to share steps", got)
	}
	d := Diagnostic{Severity: SeverityWarning, Where: a, Summary: "too small"}
	if got := d.String(); got != `warning: disk "sda" partition "ESP" size: too small` {
		t.Errorf("d = %s", got)
	}
	if got := (Diagnostic{Summary: "no admins"}).String(); got != "error: no admins" {
		t.Errorf("whole-model diagnostic = %s", got)
	}
}

func TestErrors(t *testing.T) {
	warn := Diagnostic{Severity: SeverityWarning, Summary: "w"}
	e1 := Diagnostic{Severity: SeverityError, Summary: "e1"}
	e2 := Diagnostic{Severity: SeverityError, Summary: "e2"}
	if HasErrors([]Diagnostic{warn}) || HasErrors(nil) {
		t.Error("HasErrors is true without an error")
	}
	if !HasErrors([]Diagnostic{warn, e1}) {
		t.Error("HasErrors is false with an error")
	}
	got := Errors([]Diagnostic{e1, warn, e2})
	if len(got) != 2 || got[0].Summary != "e1" || got[1].Summary != "e2" {
		t.Errorf("Errors = %v, want e1 and e2 in order", got)
	}
	if Errors([]Diagnostic{warn}) != nil {
		t.Error("Errors of warnings only is not nil")
	}
}
