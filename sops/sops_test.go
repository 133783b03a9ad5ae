package sops

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// requireSopsEnv is the environment variable that turns a missing sops
// binary from a skip into a failure when set to 1.
const requireSopsEnv = "NIXGEN_REQUIRE_SOPS"

// sopsInstall is the command that installs the sops version the tests
// are written against.
const sopsInstall = "GOFLAGS=-mod=mod go install github.com/getsops/sops/v3/cmd/sops@v3.13.3"

// requireSops returns the path of the sops binary on PATH. Without it the
// test is skipped, or fails when NIXGEN_REQUIRE_SOPS=1.
func requireSops(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("sops"); err == nil {
		return p
	}
	if v, _ := strconv.ParseBool(os.Getenv(requireSopsEnv)); v {
		t.Fatalf("sops not found on PATH, and %s=1 requires it (install: %s)", requireSopsEnv, sopsInstall)
	}
	t.Skipf("sops not found on PATH; skipping (install: %s; set %s=1 to fail instead)", sopsInstall, requireSopsEnv)
	return ""
}

// sopsRun runs sops in the repository dir with only the age identities in
// keyFile, and with a home directory of its own, so that no key or
// configuration of the machine takes part and nothing goes to the
// network.
func sopsRun(t testing.TB, sops, dir, keyFile string, args ...string) ([]byte, error) {
	t.Helper()
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SOPS_") || k == "HOME" || strings.HasPrefix(k, "XDG_") || strings.HasPrefix(k, "GNUPG") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"SOPS_DISABLE_VERSION_CHECK=1",
		"SOPS_AGE_KEY_FILE="+keyFile,
	)
	cmd := exec.CommandContext(t.Context(), sops, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), &sopsError{args: args, err: err, stderr: stderr.String()}
	}
	return stdout.Bytes(), nil
}

type sopsError struct {
	args   []string
	err    error
	stderr string
}

func (e *sopsError) Error() string {
	return "sops " + strings.Join(e.args, " ") + ": " + e.err.Error() + ": " + strings.TrimSpace(e.stderr)
}

// writeFile writes data to dir/rel, creating directories.
func writeFile(t testing.TB, dir, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
