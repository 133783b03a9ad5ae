package disko_test

import "testing"

// BenchmarkHost64 builds, validates and prints the layout of a 64-disk
// host: ZFS raidz2 vdevs with spares, a ZFS system mirror and mdadm boot
// mirrors.
func BenchmarkHost64(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		l := host64()
		out, diags, err := l.Render("host64")
		if err != nil || len(out) == 0 || len(diags) != 1 {
			b.Fatalf("Render: %v, %d bytes, %v", err, len(out), diags)
		}
	}
}

// BenchmarkHost64Nix is BenchmarkHost64 without printing: building,
// validating and building the Nix expression of the 64-disk host.
func BenchmarkHost64Nix(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := host64().Nix(); err != nil {
			b.Fatal(err)
		}
	}
}
