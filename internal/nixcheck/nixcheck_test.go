package nixcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// fakeTB records what the helpers report while passing everything else
// (TempDir, Context, Cleanup, ...) to the real test.
type fakeTB struct {
	*testing.T
	errors  []string
	skipped bool
	fatal   bool
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
	runtime.Goexit()
}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
	f.skipped = true
	runtime.Goexit()
}

// runFake calls fn with a fakeTB on its own goroutine, so that Fatalf and Skipf
// can stop it the way they stop a real test.
func runFake(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{T: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f
}

func TestRequireMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())

	t.Setenv(RequireEnv, "")
	f := runFake(t, func(tb testing.TB) { Require(tb) })
	if !f.skipped || f.fatal {
		t.Errorf("without %s: skipped=%v fatal=%v, want a skip", RequireEnv, f.skipped, f.fatal)
	}

	t.Setenv(RequireEnv, "1")
	f = runFake(t, func(tb testing.TB) { Require(tb) })
	if !f.fatal || f.skipped {
		t.Errorf("with %s=1: skipped=%v fatal=%v, want a failure", RequireEnv, f.skipped, f.fatal)
	}
	if len(f.errors) != 1 || !strings.Contains(f.errors[0], "nix-instantiate not found") || !strings.Contains(f.errors[0], RequireEnv+"=1") {
		t.Errorf("failure message = %q", f.errors)
	}

	// The other helpers go through Require.
	f = runFake(t, func(tb testing.TB) { Parse(tb, "x.nix", []byte("{ }")) })
	if !f.fatal {
		t.Errorf("Parse without nix-instantiate did not fail")
	}
}

func TestRequireFound(t *testing.T) {
	path := Require(t)
	if !filepath.IsAbs(path) {
		t.Errorf("Require = %q, want an absolute path", path)
	}
}

func TestParseValid(t *testing.T) {
	Require(t)
	for name, src := range map[string]string{
		"empty-set.nix": "{ }\n",
		"flake.nix": `{
  description = "fleet";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs =
    { self, nixpkgs, ... }@inputs:
    {
      nixosConfigurations.web = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ ./hosts/web/configuration.nix ];
      };
    };
}
`,
		"strings.nix": `{
  a = "x\${y}";
  b = ''
    line ''${not} interpolated
  '';
  c = <nixpkgs>;
}
`,
	} {
		t.Run(name, func(t *testing.T) {
			f := runFake(t, func(tb testing.TB) { Parse(tb, name, []byte(src)) })
			if len(f.errors) != 0 || f.fatal {
				t.Errorf("valid source rejected: %s", strings.Join(f.errors, "\n"))
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	Require(t)
	src := "{\n  a = 1;\n  b = ;\n}\n"
	f := runFake(t, func(tb testing.TB) { Parse(tb, "broken.nix", []byte(src)) })
	if f.fatal || f.skipped {
		t.Fatalf("Parse ended the test: %q", f.errors)
	}
	if len(f.errors) != 1 {
		t.Fatalf("got %d errors, want 1: %q", len(f.errors), f.errors)
	}
	msg := f.errors[0]
	for _, want := range []string{
		"broken.nix does not parse",
		"syntax error",
		"broken.nix:3:", // Nix's location, with the temporary path replaced
		"1 | {\n",
		"3 |   b = ;\n",
		"4 | }\n",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, os.TempDir()) {
		t.Errorf("error mentions the temporary file:\n%s", msg)
	}
}

func TestEvalJSON(t *testing.T) {
	src := `
let
  y = "why";
in
{
  a = "x\${y}";
  b = "x${y}";
  c = ''
    ''${y} and ${y}
  '';
  n = 1 + 2;
  l = [ true null 1.5 ];
  s.t.u = "nested";
  p = builtins.toString ./some-file.nix;
}
`
	var got map[string]any
	EvalJSON(t, []byte(src), &got)
	p, _ := got["p"].(string)
	if !strings.HasSuffix(p, "/some-file.nix") {
		t.Errorf("p = %q, want a path ending in /some-file.nix", p)
	}
	delete(got, "p")
	want := map[string]any{
		"a": "x${y}",
		"b": "xwhy",
		"c": "${y} and why\n",
		"n": 3.0,
		"l": []any{true, nil, 1.5},
		"s": map[string]any{"t": map[string]any{"u": "nested"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EvalJSON = %#v, want %#v", got, want)
	}
}

func TestEvalJSONStorePaths(t *testing.T) {
	// Store paths evaluate without a writable store or a daemon.
	var got []string
	EvalJSON(t, []byte(`[
  "${builtins.toFile "x" "y"}"
  (derivation { name = "d"; system = "x86_64-linux"; builder = "/bin/sh"; }).drvPath
]`), &got)
	if len(got) != 2 || !strings.HasPrefix(got[0], "/nix/store/") || !strings.HasSuffix(got[1], "-d.drv") {
		t.Errorf("EvalJSON = %q, want two store paths", got)
	}
}

func TestEvalJSONError(t *testing.T) {
	Require(t)
	f := runFake(t, func(tb testing.TB) {
		var v any
		EvalJSON(tb, []byte("{\n  a = builtins.throw \"no such host\";\n}\n"), &v)
	})
	if !f.fatal || len(f.errors) != 1 {
		t.Fatalf("fatal=%v errors=%q, want one fatal error", f.fatal, f.errors)
	}
	for _, want := range []string{"no such host", "2 |   a = builtins.throw"} {
		if !strings.Contains(f.errors[0], want) {
			t.Errorf("error lacks %q:\n%s", want, f.errors[0])
		}
	}
}

func TestEvalJSONHermetic(t *testing.T) {
	Require(t)
	t.Setenv("NIX_PATH", "nixpkgs="+t.TempDir())
	f := runFake(t, func(tb testing.TB) {
		var v any
		EvalJSON(tb, []byte("<nixpkgs>"), &v)
	})
	if !f.fatal || len(f.errors) != 1 || !strings.Contains(f.errors[0], "nixpkgs") {
		t.Errorf("search path lookup succeeded or failed oddly: fatal=%v errors=%q", f.fatal, f.errors)
	}
}

func TestEvalExprJSON(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"default.nix":       "{ hosts = import ./hosts; }\n",
		"hosts/default.nix": "{ web = import ./web.nix; }\n",
		"hosts/web.nix":     "{ ip = \"10.0.0.2\"; port = 443; }\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got struct {
		IP   string `json:"ip"`
		Port int    `json:"port"`
	}
	EvalExprJSON(t, dir, "(import ./.).hosts.web", &got)
	if got.IP != "10.0.0.2" || got.Port != 443 {
		t.Errorf("EvalExprJSON = %+v", got)
	}
}

func TestDecodeError(t *testing.T) {
	Require(t)
	f := runFake(t, func(tb testing.TB) {
		var n int
		EvalJSON(tb, []byte(`"not a number"`), &n)
	})
	if !f.fatal || len(f.errors) != 1 || !strings.Contains(f.errors[0], "decoding") {
		t.Errorf("fatal=%v errors=%q", f.fatal, f.errors)
	}
}

func TestNumbered(t *testing.T) {
	src := strings.Repeat("x\n", 9) + "last"
	got := numbered([]byte(src))
	if !strings.HasPrefix(got, " 1 | x\n") || !strings.HasSuffix(got, "10 | last\n") {
		t.Errorf("numbered = %q", got)
	}
	if got := numbered([]byte("a\n")); got != "1 | a\n" {
		t.Errorf("numbered(%q) = %q", "a\n", got)
	}
}
