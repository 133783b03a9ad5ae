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
