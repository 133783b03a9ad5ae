package disko_test

import (
	"os"
	"testing"
)

func TestDumpOutputs(t *testing.T) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		t.Skip()
	}
	out, _, err := host64().Render("host64")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir+"/host64.nix", out, 0o644)
}
