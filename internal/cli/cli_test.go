package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/nixgen"
)

// result is what a run of the command line produced.
type result struct {
	code           int
	stdout, stderr string
}

func run(args ...string) result {
	var stdout, stderr bytes.Buffer
	code := Run(args, strings.NewReader(""), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%sstderr:\n%s", r.code, r.stdout, r.stderr)
}

func TestNoArguments(t *testing.T) {
	r := run()
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "Usage:") || !strings.Contains(r.stderr, "render") {
		t.Errorf("nixgen with no arguments: want exit 2 and the usage on stderr, got\n%v", r)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		r := run(args...)
		if r.code != 0 || r.stderr != "" {
			t.Errorf("nixgen %s: want exit 0 and nothing on stderr, got\n%v", strings.Join(args, " "), r)
			continue
		}
		for _, name := range []string{"render", "validate", "schema", "version", "help"} {
			if !regexp.MustCompile(`(?m)^  ` + name + ` `).MatchString(r.stdout) {
				t.Errorf("nixgen %s: command %s not listed in\n%s", strings.Join(args, " "), name, r.stdout)
			}
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags []string // flags the usage must list
	}{
		{"render", []string{"--output", "--check", "--diagnostics"}},
		{"validate", []string{"--strict", "--diagnostics"}},
		{"schema", nil},
		{"version", nil},
		{"help", nil},
	} {
		for _, args := range [][]string{
			{tc.name, "--help"},
			{tc.name, "-h"},
			{"help", tc.name},
			{tc.name, "some-arg", "--help"}, // interspersed
		} {
			r := run(args...)
			cmdline := strings.Join(args, " ")
			if r.code != 0 || r.stderr != "" {
				t.Errorf("nixgen %s: want exit 0 and nothing on stderr, got\n%v", cmdline, r)
				continue
			}
			if !strings.HasPrefix(r.stdout, "Usage: nixgen "+tc.name+" ") {
				t.Errorf("nixgen %s: usage does not start with the synopsis:\n%s", cmdline, r.stdout)
			}
			for _, f := range append(tc.flags, "--help") {
				if !strings.Contains(r.stdout, f) {
					t.Errorf("nixgen %s: usage does not list %s:\n%s", cmdline, f, r.stdout)
				}
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // on stderr
	}{
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"-x", "render"}, "unknown shorthand flag"},
		{[]string{"render"}, "want one INVENTORY argument, got 0"},
		{[]string{"render", "a.hcl", "b.hcl"}, "want one INVENTORY argument, got 2"},
		{[]string{"render", "--bogus", "a.hcl"}, "unknown flag: --bogus"},
		{[]string{"render", "-o"}, "flag needs an argument"},
		{[]string{"render", "--diagnostics=xml", "a.hcl"}, `invalid --diagnostics "xml"`},
		{[]string{"render", "--check=maybe", "a.hcl"}, "invalid argument"},
		{[]string{"validate"}, "want at least one INVENTORY argument"},
		{[]string{"validate", "--diagnostics", "yaml", "a.hcl"}, `invalid --diagnostics "yaml"`},
		{[]string{"validate", "--strict=nope", "a.hcl"}, "invalid argument"},
		{[]string{"schema", "extra"}, "unexpected arguments"},
		{[]string{"schema", "--output", "x"}, "unknown flag: --output"},
		{[]string{"version", "extra"}, "unexpected arguments"},
		{[]string{"help", "bogus"}, `unknown command "bogus"`},
		{[]string{"help", "render", "validate"}, "want at most one COMMAND argument"},
	} {
		r := run(tc.args...)
		cmdline := strings.Join(tc.args, " ")
		if r.code != 2 || r.stdout != "" {
			t.Errorf("nixgen %s: want exit 2 and nothing on stdout, got\n%v", cmdline, r)
			continue
		}
		if !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "for usage.") {
			t.Errorf("nixgen %s: stderr does not hold %q and a pointer to the usage:\n%s", cmdline, tc.want, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run("version")
	if r.code != 0 || r.stderr != "" || !regexp.MustCompile(`^nixgen \S+\n$`).MatchString(r.stdout) {
		t.Errorf("nixgen version: want exit 0 and one line \"nixgen VERSION\", got\n%v", r)
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	for _, tc := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{&debug.BuildInfo{Main: debug.Module{Path: "github.com/nixgen/nixgen", Version: "v1.2.3"}}, true, "v1.2.3"},
		{&debug.BuildInfo{Main: debug.Module{Path: "github.com/nixgen/nixgen", Version: "(devel)"}}, true, "(devel)"},
		{&debug.BuildInfo{Main: debug.Module{Path: "github.com/nixgen/nixgen"}}, true, "(devel)"},
		{nil, false, "(devel)"},
	} {
		if got := version(tc.info, tc.ok); got != tc.want {
			t.Errorf("version(%+v, %v) = %q, want %q", tc.info, tc.ok, got, tc.want)
		}
	}
}

func TestValidateExit(t *testing.T) {
	warning := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "w"}
	failure := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "e"}
	for _, tc := range []struct {
		diags  hcl.Diagnostics
		strict bool
		want   int
	}{
		{nil, false, 0},
		{nil, true, 0},
		{hcl.Diagnostics{warning}, false, 0},
		{hcl.Diagnostics{warning}, true, 1},
		{hcl.Diagnostics{failure}, false, 1},
		{hcl.Diagnostics{warning, failure}, false, 1},
	} {
		if got := validateExit(tc.diags, tc.strict); got != tc.want {
			t.Errorf("validateExit(%v, strict=%v) = %d, want %d", tc.diags, tc.strict, got, tc.want)
		}
	}
}

func TestSourceName(t *testing.T) {
	for _, tc := range []struct{ inventory, dir, want string }{
		{"inventory.hcl", ".", "inventory.hcl"},
		{"inventory.hcl", "out", "../inventory.hcl"},
		{"fleet/inventory.hcl", ".", "fleet/inventory.hcl"},
		{"fleet/inventory.hcl", "fleet", "inventory.hcl"},
	} {
		if got := sourceName(tc.inventory, tc.dir); got != tc.want {
			t.Errorf("sourceName(%q, %q) = %q, want %q", tc.inventory, tc.dir, got, tc.want)
		}
	}
}

// The tests below run the library end to end. validInventory is a
// minimal valid inventory: one host with a disk layout; secondHost adds a
// host to it. The boot_loader of web1 is on line 4.

const validInventory = `fleet { nixpkgs = "github:NixOS/nixpkgs/nixos-25.05" }
host "web1" {
  system        = "x86_64-linux"
  boot_loader   = "systemd-boot"
  state_version = "25.05"

  disk "main" {
    device = "/dev/disk/by-id/nvme-EXAMPLE_1"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "EF00"
        filesystem {
          format     = "vfat"
          mountpoint = "/boot"
        }
      }
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }
}
`

const secondHost = `host "web2" {
  system        = "x86_64-linux"
  boot_loader   = "systemd-boot"
  state_version = "25.05"

  disk "main" {
    device = "/dev/disk/by-id/nvme-EXAMPLE_2"
    gpt {
      partition "ESP" {
        size = "512M"
        type = "EF00"
        filesystem {
          format     = "vfat"
          mountpoint = "/boot"
        }
      }
      partition "root" {
        size = "100%"
        filesystem {
          format     = "ext4"
          mountpoint = "/"
        }
      }
    }
  }
}
`

// writeInventory writes an inventory file into dir and returns its path.
func writeInventory(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// notImplemented reports whether diags is the answer of a library
// function that is not written yet.
func notImplemented(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Summary == "not implemented" {
			return true
		}
	}
	return false
}

// requireLibrary skips the test while nixgen.Load or nixgen.Render are
// still stubs that answer "not implemented".
func requireLibrary(t *testing.T) {
	t.Helper()
	p := writeInventory(t, t.TempDir(), "inventory.hcl", validInventory)
	inv, diags := nixgen.Load(p)
	if notImplemented(diags) {
		t.Skip("library not implemented")
	}
	if inv != nil && !diags.HasErrors() {
		if _, diags := nixgen.Render(inv); notImplemented(diags) {
			t.Skip("library not implemented")
		}
	}
}

// readTree returns the content of every file under dir by slash path;
// nil when dir does not exist.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		tree[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// lines returns the lines of s.
func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestValidateValid(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	p := writeInventory(t, dir, "inventory.hcl", validInventory)
	r := run("validate", p)
	if r.code != 0 || r.stdout != "" || strings.Contains(r.stderr, "error:") {
		t.Errorf("validate of a valid inventory: want exit 0, no errors, got\n%v", r)
	}
	r = run("validate", "--diagnostics=json", p)
	var diags []map[string]any
	if err := json.Unmarshal([]byte(r.stderr), &diags); err != nil || r.code != 0 {
		t.Errorf("validate --diagnostics=json: want exit 0 and a JSON array on stderr (%v), got\n%v", err, r)
	}
}

func TestValidateErrors(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	syntax := writeInventory(t, dir, "syntax.hcl", "host \"web1\" {\n  system = \"x86_64-linux\"\n")
	invalid := writeInventory(t, dir, "invalid.hcl", strings.Replace(validInventory, `"systemd-boot"`, `"lilo"`, 1))
	valid := writeInventory(t, dir, "inventory.hcl", validInventory)

	r := run("validate", valid, syntax, invalid)
	if r.code != 1 || r.stdout != "" {
		t.Fatalf("validate of invalid inventories: want exit 1 and nothing on stdout, got\n%v", r)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(syntax) + `:\d+:\d+: error: `),
		regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(invalid) + `:4:\d+: error: `), // the boot_loader line
	} {
		if !want.MatchString(r.stderr) {
			t.Errorf("validate: stderr does not match %s:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, valid+":") {
		t.Errorf("validate: diagnostics for the valid inventory:\n%s", r.stderr)
	}

	r = run("validate", "--diagnostics", "json", invalid)
	var diags []struct {
		Severity string
		Summary  string
		Filename *string
		Start    *struct{ Line, Column, Byte int }
	}
	dec := json.NewDecoder(strings.NewReader(r.stderr))
	if err := dec.Decode(&diags); err != nil || dec.More() || r.code != 1 {
		t.Fatalf("validate --diagnostics=json: want exit 1 and one JSON array on stderr (%v), got\n%v", err, r)
	}
	found := false
	for _, d := range diags {
		if d.Severity == "error" && d.Filename != nil && *d.Filename == invalid && d.Start != nil && d.Start.Line == 4 {
			found = true
		}
	}
	if !found {
		t.Errorf("validate --diagnostics=json: no error at %s line 4:\n%s", invalid, r.stderr)
	}
}

func TestRenderTwiceIdentical(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	inv := writeInventory(t, dir, "inventory.hcl", validInventory)
	out := filepath.Join(dir, "out")

	r := run("render", "-o", out, inv)
	if r.code != 0 {
		t.Fatalf("render: want exit 0, got\n%v", r)
	}
	first := readTree(t, out)
	if _, ok := first["flake.nix"]; !ok {
		t.Fatalf("render wrote no flake.nix; tree: %v", slices.Sorted(maps.Keys(first)))
	}
	var wrote []string
	for p, data := range first {
		wrote = append(wrote, "wrote "+filepath.Join(out, p))
		if !nixgen.IsGenerated([]byte(data)) {
			t.Errorf("%s lacks the generated header:\n%s", p, data)
		}
	}
	slices.Sort(wrote)
	if diff := cmp.Diff(wrote, lines(r.stdout)); diff != "" {
		t.Errorf("render summary (-want +got):\n%s", diff)
	}

	r = run("render", "-o", out, inv)
	if r.code != 0 || r.stdout != "" {
		t.Errorf("second render: want exit 0 and nothing written, got\n%v", r)
	}
	if diff := cmp.Diff(first, readTree(t, out)); diff != "" {
		t.Errorf("second render changed the tree (-first +second):\n%s", diff)
	}

	// A render into another directory at the same depth is identical too.
	out2 := filepath.Join(dir, "out2")
	if r := run("render", "--output="+out2, inv); r.code != 0 {
		t.Fatalf("render into a second directory: want exit 0, got\n%v", r)
	}
	if diff := cmp.Diff(first, readTree(t, out2)); diff != "" {
		t.Errorf("renders differ (-out +out2):\n%s", diff)
	}
}

func TestRenderDefaultOutputDir(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	writeInventory(t, dir, "inventory.hcl", validInventory)
	t.Chdir(dir)
	r := run("render", "inventory.hcl")
	if r.code != 0 || !slices.Contains(lines(r.stdout), "wrote flake.nix") {
		t.Fatalf("render: want exit 0 and flake.nix written, got\n%v", r)
	}
	data, err := os.ReadFile("flake.nix")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if want := "# Code generated by nixgen from inventory.hcl. DO NOT EDIT."; first != want {
		t.Errorf("flake.nix header = %q, want %q", first, want)
	}
}

func TestRenderCheck(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	inv := writeInventory(t, dir, "inventory.hcl", validInventory)
	out := filepath.Join(dir, "out")

	// Nothing rendered yet: everything would be written, nothing is.
	r := run("render", "--check", "-o", out, inv)
	if r.code != 1 || !slices.Contains(lines(r.stdout), "would write "+filepath.Join(out, "flake.nix")) {
		t.Errorf("render --check before any render: want exit 1 and flake.nix listed, got\n%v", r)
	}
	if _, err := os.Lstat(out); err == nil {
		t.Errorf("render --check created %s", out)
	}

	if r := run("render", "-o", out, inv); r.code != 0 {
		t.Fatalf("render: want exit 0, got\n%v", r)
	}
	r = run("render", "--check", "-o", out, inv)
	if r.code != 0 || r.stdout != "" || strings.Contains(r.stderr, "error:") {
		t.Errorf("render --check on a fresh tree: want exit 0 and nothing listed, got\n%v", r)
	}

	// A generated file edited (header kept): check reports it, fixes nothing.
	flake := filepath.Join(out, "flake.nix")
	data, err := os.ReadFile(flake)
	if err != nil {
		t.Fatal(err)
	}
	edited := string(data) + "# edited\n"
	if err := os.WriteFile(flake, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run("render", "--check", "-o", out, inv)
	if r.code != 1 || !slices.Equal(lines(r.stdout), []string{"would write " + flake}) {
		t.Errorf("render --check after an edit: want exit 1 and only flake.nix listed, got\n%v", r)
	}
	if got, _ := os.ReadFile(flake); string(got) != edited {
		t.Errorf("render --check rewrote %s", flake)
	}

	// The inventory changed: check reports the new host's files.
	if r := run("render", "-o", out, inv); r.code != 0 {
		t.Fatalf("render: want exit 0, got\n%v", r)
	}
	writeInventory(t, dir, "inventory.hcl", validInventory+secondHost)
	before := readTree(t, out)
	r = run("render", "--check", "-o", out, inv)
	if r.code != 1 || !strings.Contains(r.stdout, "would write ") {
		t.Errorf("render --check after an inventory change: want exit 1 and files listed, got\n%v", r)
	}
	if diff := cmp.Diff(before, readTree(t, out)); diff != "" {
		t.Errorf("render --check changed the tree (-before +after):\n%s", diff)
	}
}

func TestRenderRefusesHandWritten(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	inv := writeInventory(t, dir, "inventory.hcl", validInventory)
	out := filepath.Join(dir, "out")
	handWritten := "{ mine = true; }\n"
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "flake.nix"), []byte(handWritten), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"flake.nix": handWritten}
	for _, args := range [][]string{
		{"render", "-o", out, inv},
		{"render", "--check", "-o", out, inv},
	} {
		r := run(args...)
		if r.code != 1 || !strings.Contains(r.stderr, filepath.Join(out, "flake.nix")) {
			t.Errorf("nixgen %s: want exit 1 and an error naming flake.nix, got\n%v", strings.Join(args, " "), r)
		}
		if diff := cmp.Diff(want, readTree(t, out)); diff != "" {
			t.Errorf("nixgen %s changed the tree (-want +got):\n%s", strings.Join(args, " "), diff)
		}
	}
}

func TestRenderRemovesStale(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	inv := writeInventory(t, dir, "inventory.hcl", validInventory+secondHost)
	out := filepath.Join(dir, "out")
	if r := run("render", "-o", out, inv); r.code != 0 {
		t.Fatalf("render: want exit 0, got\n%v", r)
	}
	var web2 []string
	for p := range readTree(t, out) {
		if strings.Contains(p, "web2") {
			web2 = append(web2, p)
		}
	}
	if len(web2) == 0 {
		t.Fatalf("no file of host web2 rendered")
	}
	slices.Sort(web2)
	// A hand-written file next to the files of web2 survives their removal.
	notes := filepath.Join(out, filepath.FromSlash(web2[0])+".notes")
	if err := os.WriteFile(notes, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	writeInventory(t, dir, "inventory.hcl", validInventory)
	r := run("render", "-o", out, inv)
	if r.code != 0 {
		t.Fatalf("render without web2: want exit 0, got\n%v", r)
	}
	var removed []string
	for _, l := range lines(r.stdout) {
		if p, ok := strings.CutPrefix(l, "removed "); ok {
			removed = append(removed, p)
		}
	}
	var wantRemoved []string
	for _, p := range web2 {
		wantRemoved = append(wantRemoved, filepath.Join(out, filepath.FromSlash(p)))
	}
	if diff := cmp.Diff(wantRemoved, removed); diff != "" {
		t.Errorf("removed files (-want +got):\n%s", diff)
	}
	after := readTree(t, out)
	for _, p := range web2 {
		if _, ok := after[p]; ok {
			t.Errorf("%s not removed", p)
		}
	}
	if _, err := os.Stat(notes); err != nil {
		t.Errorf("hand-written file removed: %v", err)
	}
}

func TestRenderInvalidWritesNothing(t *testing.T) {
	requireLibrary(t)
	dir := t.TempDir()
	inv := writeInventory(t, dir, "inventory.hcl", strings.Replace(validInventory, `"systemd-boot"`, `"lilo"`, 1))
	out := filepath.Join(dir, "out")
	r := run("render", "-o", out, inv)
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, inv+":4:") {
		t.Errorf("render of an invalid inventory: want exit 1 and an error at line 4, got\n%v", r)
	}
	if _, err := os.Lstat(out); err == nil {
		t.Errorf("render of an invalid inventory created %s", out)
	}
}

func TestSchema(t *testing.T) {
	if _, err := nixgen.Schema(); err != nil && err.Error() == "not implemented" {
		t.Skip("library not implemented")
	}
	r := run("schema")
	if r.code != 0 || r.stderr != "" || !json.Valid([]byte(r.stdout)) || !strings.HasSuffix(r.stdout, "\n") {
		t.Errorf("nixgen schema: want exit 0 and a JSON document on stdout, got\n%v", r)
	}
}
