// Package golden compares test output with golden files kept under testdata
// and rewrites those files when the tests run with the -update flag.
//
// A golden test produces its output in memory and hands it to [CompareTree]
// (a set of files) or [CompareFile] (a single file). Without -update, every
// difference is reported as a test error with a diff in "(-want +got)" form,
// followed by the command that accepts the new output. With -update, the
// golden files are brought in line with the output: files whose bytes
// changed are rewritten, new files are created, files the output no longer
// produces are removed, and the changed paths are reported with t.Log
// (visible with -v).
//
// A typical case-driven test:
//
//	func TestGenerate(t *testing.T) {
//		for _, name := range golden.Cases(t, "testdata/generate") {
//			t.Run(name, func(t *testing.T) {
//				dir := filepath.Join("testdata/generate", name)
//				in := golden.ReadTree(t, filepath.Join(dir, "input"))
//				out := generate(in)
//				golden.CompareTree(t, filepath.Join(dir, "output"), out)
//			})
//		}
//	}
//
// Hidden files and directories (names starting with "."), editor backup
// files (names ending in "~") and Emacs auto-save files ("#name#") are
// ignored on disk: they are neither compared nor removed. A tree whose
// output includes hidden files of its own, such as a ".sops.yaml", names
// them to [CompareTreeHidden], which compares them like any other file.
//
// The package registers the -update test flag on the default flag set, so it
// must only be imported from tests, and a test binary that imports it must
// not define its own -update flag.
package golden

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// update is the -update test flag. Test flags conventionally live at package
// level so that they are registered before testing.Main parses the command
// line.
var update = flag.Bool("update", false, "rewrite golden files with the current test output")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// CompareTree compares the files below dir with got, whose keys are
// slash-separated paths relative to dir. A file present on one side only is a
// mismatch. A missing dir counts as an empty tree. A key that is not a clean
// relative path (see [fs.ValidPath]) or that has an element golden files
// ignore fails the test, since such a file could never match.
//
// With -update, CompareTree rewrites the files whose contents differ, creates
// the missing ones (and their directories), removes the ones got lacks, and
// logs what it changed.
func CompareTree(t testing.TB, dir string, got map[string][]byte) {
	t.Helper()
	compareTree(t, dir, got, nil, *update)
}

// CompareTreeHidden is [CompareTree] for an output that holds hidden
// files: a file (not a directory) whose base name is one of hidden, such
// as ".sops.yaml", is compared, created and removed like any other file,
// at any depth. Other hidden names, such as ".git" or ".nixgen-manifest",
// stay ignored.
func CompareTreeHidden(t testing.TB, dir string, got map[string][]byte, hidden ...string) {
	t.Helper()
	compareTree(t, dir, got, hidden, *update)
}

// CompareFile compares the file at path with got. A missing file is a
// mismatch. With -update, CompareFile writes got to path if it differs,
// creating parent directories as needed.
func CompareFile(t testing.TB, path string, got []byte) {
	t.Helper()
	compareFile(t, path, got, *update)
}

// Cases returns the names of the immediate subdirectories of root, sorted,
// skipping ignored names. Each subdirectory is one test case. Cases fails
// the test if root cannot be read or holds no case, so that a misplaced
// testdata directory does not pass unnoticed.
func Cases(t testing.TB, root string) []string {
	t.Helper()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("golden: reading cases: %v", err)
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !ignored(e.Name()) {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatalf("golden: no test cases in %s", root)
	}
	return names
}

// ReadTree returns the files below dir keyed by slash-separated path relative
// to dir, skipping ignored names, in the form [CompareTree] accepts. It is
// meant for reading the input half of a test case.
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files, err := readTree(dir, nil)
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	return files
}

// ignored reports whether a file or directory name is skipped on disk.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") ||
		strings.HasSuffix(name, "~") ||
		(len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"))
}

// readTree reads the regular files below dir, skipping ignored names
// except the files named in keep. A missing dir is an error satisfying
// errors.Is(err, fs.ErrNotExist).
func readTree(dir string, keep []string) (map[string][]byte, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	files := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if ignored(d.Name()) && (d.IsDir() || !slices.Contains(keep, d.Name())) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// checkKey reports why name cannot be a key of an output tree, or "".
// The base name may be one of keep.
func checkKey(name string, keep []string) string {
	if name == "." || !fs.ValidPath(name) {
		return "not a clean relative slash-separated path"
	}
	base := path.Base(name)
	for elem := range strings.SplitSeq(name, "/") {
		if ignored(elem) && (elem != base || !slices.Contains(keep, elem)) {
			return fmt.Sprintf("element %q is a name golden files ignore", elem)
		}
	}
	return ""
}

func compareTree(t testing.TB, dir string, got map[string][]byte, keep []string, update bool) {
	t.Helper()
	bad := false
	for _, name := range sortedKeys(got) {
		if why := checkKey(name, keep); why != "" {
			t.Errorf("golden: output file %q: %s", name, why)
			bad = true
		}
	}
	if bad {
		t.FailNow()
		return
	}
	want, err := readTree(dir, keep)
	if errors.Is(err, fs.ErrNotExist) {
		want, err = map[string][]byte{}, nil
	}
	if err != nil {
		t.Fatalf("golden: %v", err)
		return
	}
	if update {
		updateTree(t, dir, want, got)
		return
	}

	names := sortedKeys(got)
	for name := range want {
		if _, ok := got[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	failed := false
	for _, name := range names {
		w, inWant := want[name]
		g, inGot := got[name]
		switch {
		case !inGot:
			t.Errorf("golden: %s: golden file exists, but the output has no such file", filepath.Join(dir, filepath.FromSlash(name)))
			failed = true
		case !inWant:
			t.Errorf("golden: %s: golden file does not exist; the output has:\n%s",
				filepath.Join(dir, filepath.FromSlash(name)), quoteBlock(g))
			failed = true
		case !bytes.Equal(w, g):
			t.Errorf("golden: %s: mismatch (-want +got):\n%s",
				filepath.Join(dir, filepath.FromSlash(name)), diff(w, g))
			failed = true
		}
	}
	if failed {
		t.Logf("golden: to accept the new output, run: %s", rerunCommand(t.Name()))
	}
}

// updateTree makes the golden files below dir match got. Removals come first
// so that a file can take the place of a directory that disappears, and the
// reverse.
func updateTree(t testing.TB, dir string, want, got map[string][]byte) {
	t.Helper()
	changes := map[string]string{}
	for _, name := range sortedKeys(want) {
		if _, ok := got[name]; ok {
			continue
		}
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.Remove(file); err != nil {
			t.Fatalf("golden: %v", err)
			return
		}
		removeEmptyParents(dir, filepath.Dir(file))
		changes[name] = "removed"
	}
	for _, name := range sortedKeys(got) {
		w, ok := want[name]
		if ok && bytes.Equal(w, got[name]) {
			continue
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), got[name]); err != nil {
			t.Fatalf("golden: %v", err)
			return
		}
		if ok {
			changes[name] = "updated"
		} else {
			changes[name] = "created"
		}
	}
	if len(changes) == 0 {
		return
	}
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(changes)) {
		lines = append(lines, changes[name]+" "+name)
	}
	t.Logf("golden: %d file(s) changed in %s:\n\t%s", len(changes), dir, strings.Join(lines, "\n\t"))
}

func compareFile(t testing.TB, file string, got []byte, update bool) {
	t.Helper()
	want, err := os.ReadFile(file)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		t.Fatalf("golden: %v", err)
		return
	}
	if !missing && bytes.Equal(want, got) {
		return
	}
	if update {
		if err := writeFile(file, got); err != nil {
			t.Fatalf("golden: %v", err)
			return
		}
		verb := "updated"
		if missing {
			verb = "created"
		}
		t.Logf("golden: %s %s", verb, file)
		return
	}
	if missing {
		t.Errorf("golden: %s: golden file does not exist; the output has:\n%s", file, quoteBlock(got))
	} else {
		t.Errorf("golden: %s: mismatch (-want +got):\n%s", file, diff(want, got))
	}
	t.Logf("golden: to accept the new output, run: %s", rerunCommand(t.Name()))
}

// diff returns the line diff of want and got in "(-want +got)" form.
func diff(want, got []byte) string {
	return cmp.Diff(string(want), string(got))
}

// quoteBlock returns data indented for display in a test log.
func quoteBlock(data []byte) string {
	if len(data) == 0 {
		return "\t(empty)"
	}
	text := strings.TrimSuffix(string(data), "\n")
	if !utf8.ValidString(text) {
		return fmt.Sprintf("\t%q", data)
	}
	return "\t" + strings.ReplaceAll(text, "\n", "\n\t")
}

func writeFile(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o644)
}

// removeEmptyParents removes dir and its parents up to, but not including,
// root as long as they are empty.
func removeEmptyParents(root, dir string) {
	root = filepath.Clean(root)
	for dir = filepath.Clean(dir); dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil { // fails unless empty
			return
		}
	}
}

func sortedKeys(m map[string][]byte) []string {
	return slices.Sorted(maps.Keys(m))
}

// rerunCommand returns the go test command that reruns the test named name
// (as reported by testing.TB.Name) with -update. The package is given
// relative to the module root when the root can be found from the working
// directory, which go test sets to the package directory.
func rerunCommand(name string) string {
	var run []string
	for elem := range strings.SplitSeq(name, "/") {
		run = append(run, "^"+regexp.QuoteMeta(elem)+"$")
	}
	pkg := "."
	where := " (in the package directory)"
	if wd, err := os.Getwd(); err == nil {
		if root, ok := moduleRoot(wd); ok {
			if rel, err := filepath.Rel(root, wd); err == nil {
				where = " (in the module root)"
				if rel != "." {
					pkg = "./" + filepath.ToSlash(rel)
				}
			}
		}
	}
	return fmt.Sprintf("go test %s -run %s -update%s", pkg, shellQuote(strings.Join(run, "/")), where)
}

// moduleRoot returns the nearest directory at or above dir holding go.mod.
func moduleRoot(dir string) (string, bool) {
	for {
		if fi, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !fi.IsDir() {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
