package nix

import (
	"os"
	"testing"
)

func TestDumpOutputs(t *testing.T) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		t.Skip()
	}
	out, err := Print(benchFleet(100, 100))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir+"/fleet.nix", out, 0o644)
}
