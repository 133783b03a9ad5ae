package golden

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeTB records what a helper reports. It embeds a nil testing.TB, so any
// method the helpers call but fakeTB does not implement panics.
type fakeTB struct {
	testing.TB
	name   string
	errors []string
	logs   []string
	failed bool
	fatal  bool
}

func (f *fakeTB) Helper()      {}
func (f *fakeTB) Name() string { return f.name }

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
	f.failed = true
}

func (f *fakeTB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.FailNow()
}

func (f *fakeTB) FailNow() {
	f.failed = true
	f.fatal = true
	runtime.Goexit()
}

// run calls fn with a fresh fakeTB on its own goroutine, so that FailNow can
// stop it the way it stops a real test.
func run(name string, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{name: name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func bytesMap(m map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out
}

func stringsMap(m map[string][]byte) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func joined(lines []string) string { return strings.Join(lines, "\n") }

func TestCompareTreeMatch(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"flake.nix":         "{ }\n",
		"hosts/a/disko.nix": "{ disko = { }; }\n",
	}
	writeTree(t, dir, files)
	// Ignored names on disk do not take part.
	writeTree(t, dir, map[string]string{
		".gitkeep":           "",
		"flake.nix~":         "old",
		"#flake.nix#":        "autosave",
		".hidden/x.nix":      "x",
		"hosts/a/.disko.swp": "swap",
	})
	f := run("TestMatch", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(files), nil, false)
	})
	if f.failed || len(f.logs) != 0 {
		t.Fatalf("matching tree reported errors %q, logs %q", f.errors, f.logs)
	}
}

func TestCompareTreeMismatch(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"same.nix":    "same\n",
		"changed.nix": "{\n  a = 1;\n}\n",
		"stale.nix":   "stale\n",
	})
	got := bytesMap(map[string]string{
		"same.nix":    "same\n",
		"changed.nix": "{\n  a = 2;\n}\n",
		"new/new.nix": "new\n",
	})
	f := run("TestGen/basic_case", func(tb testing.TB) {
		compareTree(tb, dir, got, nil, false)
	})
	if !f.failed || f.fatal {
		t.Fatalf("failed=%v fatal=%v, want a non-fatal failure", f.failed, f.fatal)
	}
	if len(f.errors) != 3 {
		t.Fatalf("got %d errors, want 3:\n%s", len(f.errors), joined(f.errors))
	}
	// Errors come in path order.
	for i, want := range []string{
		filepath.Join(dir, "changed.nix") + ": mismatch (-want +got)",
		filepath.Join(dir, "new", "new.nix") + ": golden file does not exist",
		filepath.Join(dir, "stale.nix") + ": golden file exists, but the output has no such file",
	} {
		if !strings.Contains(f.errors[i], want) {
			t.Errorf("error %d = %q, want it to contain %q", i, f.errors[i], want)
		}
	}
	if !strings.Contains(f.errors[0], "a = 1") || !strings.Contains(f.errors[0], "a = 2") {
		t.Errorf("mismatch error lacks the diff:\n%s", f.errors[0])
	}
	if strings.Contains(joined(f.errors), "same.nix") {
		t.Errorf("unchanged file reported:\n%s", joined(f.errors))
	}
	if len(f.logs) != 1 || !strings.Contains(f.logs[0], `go test ./internal/golden -run '^TestGen$/^basic_case$' -update`) {
		t.Errorf("logs = %q, want the rerun command", f.logs)
	}
	// Nothing on disk changed.
	disk, err := readTree(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(disk) != 3 || string(disk["changed.nix"]) != "{\n  a = 1;\n}\n" {
		t.Errorf("compare without -update modified the golden files: %q", stringsMap(disk))
	}
}

func TestCompareTreeMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "absent")
	f := run("TestMissing", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(map[string]string{"a.nix": "a\n"}), nil, false)
	})
	if !f.failed || f.fatal || len(f.errors) != 1 || !strings.Contains(f.errors[0], "golden file does not exist") {
		t.Errorf("failed=%v fatal=%v errors=%q", f.failed, f.fatal, f.errors)
	}
	f = run("TestMissingEmpty", func(tb testing.TB) {
		compareTree(tb, dir, nil, nil, false)
	})
	if f.failed {
		t.Errorf("empty output against a missing dir failed: %q", f.errors)
	}
}

func TestCompareTreeBadKeys(t *testing.T) {
	for _, key := range []string{"", ".", "/abs.nix", "../up.nix", "a/../b.nix", "a//b.nix", ".hidden.nix", "dir/file~", `back\slash/../x`} {
		f := run("TestBadKeys", func(tb testing.TB) {
			compareTree(tb, t.TempDir(), map[string][]byte{key: nil}, nil, true)
		})
		if !f.fatal {
			t.Errorf("key %q accepted", key)
		}
	}
}

func TestCompareTreeUpdate(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"same.nix":            "same\n",
		"changed.nix":         "old\n",
		"gone/deep/stale.nix": "stale\n",
		"keep/.gitkeep":       "",
		"notes.txt~":          "backup",
	})
	// Make the unchanged file old, so that a rewrite would show in its
	// modification time.
	old := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "same.nix"), old, old); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"same.nix":          "same\n",
		"changed.nix":       "new\n",
		"hosts/b/disko.nix": "created\n",
	}
	f := run("TestUpdate", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), nil, true)
	})
	if f.failed {
		t.Fatalf("update failed: %q", f.errors)
	}
	wantLog := "golden: 3 file(s) changed in " + dir + ":\n\tupdated changed.nix\n\tremoved gone/deep/stale.nix\n\tcreated hosts/b/disko.nix"
	if len(f.logs) != 1 || f.logs[0] != wantLog {
		t.Errorf("logs = %q, want [%q]", f.logs, wantLog)
	}
	disk, err := readTree(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(stringsMap(disk), got) {
		t.Errorf("after update, tree = %q, want %q", stringsMap(disk), got)
	}
	fi, err := os.Stat(filepath.Join(dir, "same.nix"))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.ModTime().Equal(old) {
		t.Errorf("unchanged file was rewritten (mtime %v)", fi.ModTime())
	}
	if _, err := os.Stat(filepath.Join(dir, "gone")); !os.IsNotExist(err) {
		t.Errorf("emptied directory not removed: %v", err)
	}
	for _, name := range []string{"keep/.gitkeep", "notes.txt~"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Errorf("ignored file %s touched: %v", name, err)
		}
	}

	// A second update has nothing to do and logs nothing.
	f = run("TestUpdate", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), nil, true)
	})
	if f.failed || len(f.logs) != 0 {
		t.Errorf("second update: errors %q, logs %q", f.errors, f.logs)
	}
	// And a comparison now passes.
	f = run("TestUpdate", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), nil, false)
	})
	if f.failed {
		t.Errorf("compare after update: %q", f.errors)
	}
}

func TestCompareTreeUpdateFileReplacesDir(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a/b.nix": "b\n"})
	got := map[string]string{"a": "a\n"}
	f := run("TestSwap", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), nil, true)
	})
	if f.failed {
		t.Fatalf("update failed: %q", f.errors)
	}
	disk, err := readTree(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(stringsMap(disk), got) {
		t.Errorf("after update, tree = %q, want %q", stringsMap(disk), got)
	}
}

func TestCompareFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "case", "stderr.txt")

	f := run("TestFile", func(tb testing.TB) { compareFile(tb, file, []byte("boom\n"), false) })
	if !f.failed || len(f.errors) != 1 || !strings.HasSuffix(f.errors[0], "golden file does not exist; the output has:\n\tboom") {
		t.Errorf("missing file: errors %q", f.errors)
	}

	f = run("TestFile", func(tb testing.TB) { compareFile(tb, file, []byte("boom\n"), true) })
	if f.failed || len(f.logs) != 1 || f.logs[0] != "golden: created "+file {
		t.Errorf("create: errors %q, logs %q", f.errors, f.logs)
	}

	f = run("TestFile", func(tb testing.TB) { compareFile(tb, file, []byte("boom\n"), false) })
	if f.failed {
		t.Errorf("match: errors %q", f.errors)
	}

	f = run("TestFile", func(tb testing.TB) { compareFile(tb, file, []byte("bang\n"), false) })
	if !f.failed || len(f.errors) != 1 || !strings.Contains(f.errors[0], "mismatch (-want +got)") ||
		!strings.Contains(f.errors[0], "boom") || !strings.Contains(f.errors[0], "bang") {
		t.Errorf("mismatch: errors %q", f.errors)
	}
	if len(f.logs) != 1 || !strings.Contains(f.logs[0], "-run '^TestFile$' -update") {
		t.Errorf("mismatch: logs %q", f.logs)
	}

	f = run("TestFile", func(tb testing.TB) { compareFile(tb, file, []byte("bang\n"), true) })
	if f.failed || len(f.logs) != 1 || f.logs[0] != "golden: updated "+file {
		t.Errorf("update: errors %q, logs %q", f.errors, f.logs)
	}
	if data, err := os.ReadFile(file); err != nil || string(data) != "bang\n" {
		t.Errorf("after update: %q, %v", data, err)
	}

	f = run("TestFile", func(tb testing.TB) { compareFile(tb, file, []byte("bang\n"), true) })
	if f.failed || len(f.logs) != 0 {
		t.Errorf("no-op update: errors %q, logs %q", f.errors, f.logs)
	}
}

func TestCases(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"zeta/in.nix":  "",
		"alpha/in.nix": "",
		"mid/in.nix":   "",
		".git/config":  "",
		"README":       "",
	})
	f := run("TestCases", func(tb testing.TB) {
		got := Cases(tb, root)
		if want := []string{"alpha", "mid", "zeta"}; strings.Join(got, ",") != strings.Join(want, ",") {
			tb.Errorf("Cases = %q, want %q", got, want)
		}
	})
	if f.failed {
		t.Error(joined(f.errors))
	}

	empty := t.TempDir()
	f = run("TestCases", func(tb testing.TB) { Cases(tb, empty) })
	if !f.fatal {
		t.Errorf("Cases of an empty directory did not fail")
	}
	f = run("TestCases", func(tb testing.TB) { Cases(tb, filepath.Join(empty, "absent")) })
	if !f.fatal {
		t.Errorf("Cases of a missing directory did not fail")
	}
}

func TestRerunCommand(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"TestX", `go test ./internal/golden -run '^TestX$' -update (in the module root)`},
		{"TestX/a.b", `go test ./internal/golden -run '^TestX$/^a\.b$' -update (in the module root)`},
		{"TestX/it's", `go test ./internal/golden -run '^TestX$/^it'\''s$' -update (in the module root)`},
	} {
		if got := rerunCommand(tc.name); got != tc.want {
			t.Errorf("rerunCommand(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestQuoteBlock(t *testing.T) {
	for in, want := range map[string]string{
		"":         "\t(empty)",
		"a\n":      "\ta",
		"a\nb":     "\ta\n\tb",
		"a\n\nb\n": "\ta\n\t\n\tb",
		"\xff\n":   "\t\"\\xff\\n\"",
	} {
		if got := quoteBlock([]byte(in)); got != want {
			t.Errorf("quoteBlock(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"flake.nix":        false,
		"disko.nix":        false,
		"a#b":              false,
		"#":                false,
		".gitkeep":         true,
		".flake.nix.swp":   true,
		"flake.nix~":       true,
		"#flake.nix#":      true,
		".#flake.nix":      true,
		"stderr.txt":       false,
		"hardware~config":  false,
		"hosts":            false,
		".direnv":          true,
		"4913":             false,
		"flake.nix.orig":   false,
		"flake.lock":       false,
		"configuration.nx": false,
	} {
		if got := ignored(name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestCompareTreeHidden(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		".sops.yaml":          "old\n",
		"sub/.sops.yaml":      "stale\n",
		".nixgen-manifest":    "manifest\n",
		".sops.yaml.d/x.yaml": "in a hidden directory\n",
		"flake.nix":           "flake\n",
	})
	keep := []string{".sops.yaml"}
	got := map[string]string{".sops.yaml": "new\n", "flake.nix": "flake\n"}

	// Compared: the changed file and the stale one are reported, the
	// other hidden names are not.
	f := run("TestHidden", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), keep, false)
	})
	if len(f.errors) != 2 || !strings.Contains(f.errors[0], ".sops.yaml: mismatch") || !strings.Contains(f.errors[1], filepath.Join("sub", ".sops.yaml")+": golden file exists") {
		t.Errorf("errors = %q", f.errors)
	}

	// Updated like any other file.
	f = run("TestHidden", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), keep, true)
	})
	if f.failed {
		t.Fatalf("update failed: %q", f.errors)
	}
	disk, err := readTree(dir, keep)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(stringsMap(disk), got) {
		t.Errorf("after update, tree = %q, want %q", stringsMap(disk), got)
	}
	for _, name := range []string{".nixgen-manifest", ".sops.yaml.d/x.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Errorf("ignored file %s touched: %v", name, err)
		}
	}

	// Without the allow-list, the hidden file is ignored again, and an
	// output key with a hidden name is refused.
	f = run("TestHidden", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(map[string]string{"flake.nix": "flake\n"}), nil, false)
	})
	if f.failed {
		t.Errorf("plain compare: %q", f.errors)
	}
	f = run("TestHidden", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(got), nil, false)
	})
	if !f.fatal {
		t.Errorf("hidden output key accepted without the allow-list")
	}
	// Only a file may be allowed, not a directory of that name.
	f = run("TestHidden", func(tb testing.TB) {
		compareTree(tb, dir, bytesMap(map[string]string{".sops.yaml/x": ""}), keep, false)
	})
	if !f.fatal {
		t.Errorf("allowed name accepted as a directory")
	}
}
