// Package nixcheck runs the Nix evaluator, nix-instantiate, from tests to
// check that generated Nix parses and evaluates to the expected values.
//
// Tests that need Nix call [Require] first (the other functions call it
// too). When nix-instantiate is not on PATH the test is skipped, unless the
// environment sets NIXGEN_REQUIRE_NIX=1, in which case it fails: CI sets the
// variable so that a missing Nix cannot turn the checks into silent skips.
//
// Every nix-instantiate run is hermetic and needs neither a Nix daemon nor a
// writable /nix: it uses the dummy:// store in read-only mode, reads no
// nix.conf, and has an empty NIX_PATH, so that <nixpkgs> and other search
// path lookups fail instead of depending on the machine. Store paths still
// evaluate (to the paths Nix would use) but nothing is written or built.
package nixcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// RequireEnv is the environment variable that turns a missing
// nix-instantiate from a skip into a failure when set to 1.
const RequireEnv = "NIXGEN_REQUIRE_NIX"

// program is the evaluator looked up on PATH.
const program = "nix-instantiate"

// storeArgs are the arguments every run gets: evaluate against a store that
// holds nothing and accepts nothing, so that no daemon, database or /nix
// directory is needed, whoever the user is.
var storeArgs = []string{"--store", "dummy://", "--readonly-mode"}

// Require returns the path of nix-instantiate. If it is not on PATH, Require
// skips the test, or fails it when NIXGEN_REQUIRE_NIX=1.
func Require(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	if required() {
		t.Fatalf("nixcheck: %s not found on PATH, and %s=1 requires it (Debian: apt-get install nix-bin)", program, RequireEnv)
	} else {
		t.Skipf("nixcheck: %s not found on PATH; skipping (set %s=1 to fail instead)", program, RequireEnv)
	}
	return ""
}

func required() bool {
	v, err := strconv.ParseBool(os.Getenv(RequireEnv))
	return err == nil && v
}

// Parse checks that src is syntactically valid Nix by running
// nix-instantiate --parse on it. The source is written to a file called name
// (its base name is used) in a temporary directory. On failure Parse reports
// a test error with Nix's message and the numbered source, and the test goes
// on.
func Parse(t testing.TB, name string, src []byte) {
	t.Helper()
	nix := Require(t)
	file := writeSource(t, name, src)
	if _, stderr, err := run(t, nix, "", "--parse", file); err != nil {
		t.Errorf("nixcheck: %s does not parse: %v\n%s\nsource:\n%s",
			name, err, tidy(stderr, file, name), numbered(src))
	}
}

// EvalJSON evaluates the Nix source src with
// nix-instantiate --eval --strict --json and decodes the result into out
// with encoding/json. The source is written to default.nix in a temporary
// directory, so relative paths in it resolve there. A failing evaluation or
// decoding ends the test.
func EvalJSON(t testing.TB, src []byte, out any) {
	t.Helper()
	nix := Require(t)
	const name = "default.nix"
	file := writeSource(t, name, src)
	stdout, stderr, err := run(t, nix, "", "--eval", "--strict", "--json", file)
	if err != nil {
		t.Fatalf("nixcheck: evaluating %s: %v\n%s\nsource:\n%s",
			name, err, tidy(stderr, file, name), numbered(src))
		return
	}
	decode(t, stdout, out)
}

// EvalExprJSON evaluates the Nix expression expr with
// nix-instantiate --eval --strict --json --expr, running in dir so that
// relative paths such as ./flake.nix in expr refer to files in dir, and
// decodes the result into out with encoding/json. A failing evaluation or
// decoding ends the test.
func EvalExprJSON(t testing.TB, dir, expr string, out any) {
	t.Helper()
	nix := Require(t)
	stdout, stderr, err := run(t, nix, dir, "--eval", "--strict", "--json", "--expr", expr)
	if err != nil {
		t.Fatalf("nixcheck: evaluating expression in %s: %v\n%s\nexpression:\n%s",
			dir, err, stderr, numbered([]byte(expr)))
		return
	}
	decode(t, stdout, out)
}

func writeSource(t testing.TB, name string, src []byte) string {
	t.Helper()
	base := filepath.Base(name)
	if base == "." || base == string(filepath.Separator) {
		base = "default.nix"
	}
	file := filepath.Join(t.TempDir(), base)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatalf("nixcheck: %v", err)
	}
	return file
}

// run runs nix-instantiate with the hermetic settings and the given
// arguments in dir ("" for the current directory).
func run(t testing.TB, nix, dir string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	confDir := t.TempDir()
	cmd := exec.CommandContext(t.Context(), nix, append(append([]string(nil), storeArgs...), args...)...)
	cmd.Dir = dir
	cmd.Env = environ(confDir)
	var outBuf, errBuf bytes.Buffer
	cmd.Stdout = &outBuf
	cmd.Stderr = &errBuf
	err = cmd.Run()
	return outBuf.Bytes(), errBuf.Bytes(), err
}

// environ returns the process environment with the Nix settings that could
// make a run depend on the machine replaced: configuration comes from the
// empty confDir only, the search path is empty, and no remote store or
// extra configuration applies.
func environ(confDir string) []string {
	drop := map[string]bool{
		"NIX_CONF_DIR":        true,
		"NIX_USER_CONF_FILES": true,
		"NIX_CONFIG":          true,
		"NIX_PATH":            true,
		"NIX_REMOTE":          true,
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	return append(env,
		"NIX_CONF_DIR="+confDir,
		"NIX_USER_CONF_FILES=",
		"NIX_PATH=",
	)
}

func decode(t testing.TB, data []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("nixcheck: decoding the result of nix-instantiate: %v\noutput: %s", err, data)
	}
}

// tidy trims Nix's error output and replaces the temporary file path with the
// name the caller gave.
func tidy(stderr []byte, file, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(string(stderr), file, name))
}

// numbered returns src with a line number in front of every line.
func numbered(src []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	width := len(strconv.Itoa(len(lines)))
	var b strings.Builder
	for i, line := range lines {
		fmt.Fprintf(&b, "%*d | %s\n", width, i+1, line)
	}
	return b.String()
}
