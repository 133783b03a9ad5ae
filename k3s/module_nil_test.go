package k3s

import "testing"

// TestModuleNil checks that missing arguments are errors, not panics.
func TestModuleNil(t *testing.T) {
	var c *Cluster
	if _, err := c.Module(&Node{Host: "a", Role: RoleInit}); err == nil {
		t.Error("Module on a nil cluster returned no error")
	}
	if _, err := (&Cluster{Name: "main"}).Module(nil); err == nil {
		t.Error("Module with a nil node returned no error")
	}
}
