package main

import (
	"strings"
	"testing"
)

func TestLayoutIsValid(t *testing.T) {
	out, diags, err := layout().Render()
	if err != nil || len(diags) != 0 {
		t.Fatalf("Render: %v %v", err, diags)
	}
	for _, want := range []string{`"/persist" = {`, `mountpoint = "/persist";`, `type = "mdraid";`, `level = 1;`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}
