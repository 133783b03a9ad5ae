package nixgen

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixgen/nixgen/internal/benchinv"
)

// allFields makes cmp compare unexported fields too.
var allFields = cmp.Exporter(func(reflect.Type) bool { return true })

// compareDecoders decodes src with fastDecode and, when it succeeds, checks
// that the full path (hclsyntax and the tree decoder) accepts src without
// an error and yields the same inventory, ranges included. It returns the
// offset at which fastDecode gave up, or -1.
func compareDecoders(t *testing.T, name string, src []byte) int {
	t.Helper()
	fast := &Inventory{}
	stop := fastDecodeStop(name, src, fast)
	if stop >= 0 {
		return stop
	}
	slow, diags := parseTree(name, src, false)
	if len(diags) > 0 {
		t.Fatalf("fastDecode accepted %s, on which the full path reports %v\n%s", name, diags, src)
	}
	if diff := cmp.Diff(slow, fast, allFields); diff != "" {
		t.Fatalf("fastDecode and the tree decoder disagree on %s (-tree +fast):\n%s\n%s", name, diff, src)
	}
	return -1
}

// lineOf returns the line of src at offset i, for messages.
func lineOf(src []byte, i int) string {
	start := strings.LastIndexByte(string(src[:i]), '\n') + 1
	end := strings.IndexByte(string(src[i:]), '\n')
	if end < 0 {
		end = len(src) - i
	}
	return string(src[start : i+end])
}

// TestFastDecodeAgrees decodes every HCL inventory of the repository both
// ways. The inventories of the examples and of valid test cases are in the
// plain subset, so fastDecode must accept them, unless the case is known to
// use syntax outside it.
func TestFastDecodeAgrees(t *testing.T) {
	var paths []string
	for _, pattern := range []string{"../testdata/*/inventory.hcl", "../examples/*/inventory.hcl"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 50 {
		t.Fatalf("found only %d inventories", len(paths))
	}
	accepted := 0
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		stop := compareDecoders(t, path, src)
		if stop < 0 {
			accepted++
			continue
		}
		// Every example is in the subset; a test case may leave it
		// only when the full path finds an error there.
		if _, diags := parseTree(path, src, false); !diags.HasErrors() {
			t.Errorf("%s: fastDecode gave up at byte %d, in %q", path, stop, lineOf(src, stop))
		}
	}
	t.Logf("fastDecode accepted %d of %d inventories", accepted, len(paths))
}

// FuzzFastDecode checks that fastDecode never panics and that whatever it
// accepts, the full path accepts too and decodes to the same inventory.
func FuzzFastDecode(f *testing.F) {
	f.Add([]byte(fuzzSeedHCL))
	for _, pattern := range []string{"../testdata/*/inventory.hcl", "../examples/*/inventory.hcl"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range paths {
			src, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	for _, s := range []string{
		"a = 1\n",
		"fleet {\n  nixpkgs = \"x\" # c\n}\n",
		"host \"a\" {\n  tcp = [1,\n 2, # c\n ]\n}",
		"host a {\n}\n",
		"host \"é\" {\n  region = \"Zu\u0308rich\" # ü\n  imports = [\"東京\", \"e\u0301\"]\n}\n",
		"host \"a\" {\n  kernel {\n    params = [\"a=\\\"b\\\"\", \"\\\\\"]\n  }\n}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		compareDecoders(t, "fuzz.hcl", src)
		// Decoding in two parts, cut after the middle line, gives up or
		// agrees with the full path.
		i := bytes.IndexByte(src[len(src)/2:], '\n')
		if i < 0 || len(src)/2+i+1 >= len(src) {
			return
		}
		parts := &Inventory{}
		if !fastDecodeParts("fuzz.hcl", src, parts, []int{len(src)/2 + i + 1}) {
			return
		}
		want, diags := parseTree("fuzz.hcl", src, false)
		if len(diags) > 0 {
			t.Fatalf("decoding in parts accepted what the full path reports %v on:\n%s", diags, src)
		}
		if diff := cmp.Diff(want, parts, allFields); diff != "" {
			t.Fatalf("decoding in parts differs (-tree +parts):\n%s\n%s", diff, src)
		}
	})
}

// TestFastDecodeCases runs fastDecode on the corners of its subset: each
// case says whether fastDecode must accept it, and an accepted case must
// decode as the full path decodes it.
func TestFastDecodeCases(t *testing.T) {
	service := func(attrs string) string {
		return "host \"h\" {\n  service \"s\" {\n" + attrs + "\n  }\n}\n"
	}
	manifest := func(content string) string {
		return "host \"h\" {\n  k3s {\n    role = \"init\"\n    manifest \"m\" {\n      content = " + content + "\n    }\n  }\n}\n"
	}
	for _, c := range []struct {
		name, src string
		fast      bool
	}{
		{"comments", "# a\n// b\nhost \"h\" { # c\n  region = \"x\" // d\n} # e\n# f", true},
		{"tabs and blank lines", "\n\nhost\t\"h\"\t{\n\n\tregion\t=\t\"x\"\n\n}\n\n", true},
		{"no final newline", "host \"h\" {\n  region = \"x\"\n}", true},
		{"bare label", "host h {\n}\n", true},
		{"empty block", "host \"h\" {}\n", true},
		{"empty block with space", "host \"h\" { }\n", true},
		{"escapes", service(`description = "a\"b\\c\nd\te\rf"`), true},
		{"dollar and percent", service(`description = "100% $HOME $ % a$b"`), true},
		{"escaped interpolation", service(`description = "$${x}"`), false},
		{"escaped directive", service(`description = "%%{x}"`), false},
		{"interpolation", service(`description = "${x}"`), false},
		{"unicode escape", service(`description = "\u00e9"`), false},
		{"invalid escape", service(`description = "\q"`), false},
		{"non-ASCII", service(`description = "é"`), true},
		{"non-ASCII columns", "host \"h\" {\n  region = \"Zürich\" # é\n  imports = [\"東京\", \"👩‍👩‍👧\", \"🇨🇭\", \"x\"]\n}\n", true},
		{"decomposed", "host \"h\" {\n  region = \"Zu\u0308rich\"\n  imports = [\"e\u0301\", \"a\"]\n}\n", true},
		{"decomposed label", "host \"he\u0301\" {\n  region = \"x\"\n}\n", true},
		{"decomposed key", service("environment = { \"e\u0301\" = \"o\u0308\", B = \"x\" }"), true},
		{"combining mark first", service("description = \"\u0301a\""), true},
		{"Hangul jamo", service("description = \"\u1100\u1161\u11a8 x\""), true},
		{"manifest non-ASCII", manifest("{ name = \"Zu\u0308rich\", list = [\"東京\"] }"), true},
		{"non-ASCII with escape", service(`description = "é\n"`), false},
		{"non-ASCII with dollar", service(`description = "é $x"`), false},
		{"invalid UTF-8 string", service("description = \"\xff\""), false},
		{"non-ASCII heredoc", service("script = <<EOT\né\nEOT"), false},
		{"non-ASCII comment", "# Zürich ☃\nhost \"h\" { // 東京\n  region = \"x\" # é\n}\n", true},
		{"invalid UTF-8 comment", "# \xff\nhost \"h\" {\n}\n", false},
		{"non-ASCII name", "hôst \"h\" {\n}\n", false},
		{"byte order mark", "\ufeffhost \"h\" {\n}\n", false},
		{"NUL", "host \"h\" {\n}\n\x00", false},
		{"CRLF", "host \"h\" {\r\n}\r\n", false},
		{"number as string", service(`umask = 0007`), true},
		{"bool", service(`remain_after_exit = false`), true},
		{"bool as string", service(`description = true`), false},
		{"string as bool", service(`remain_after_exit = "true"`), false},
		{"fraction", service(`umask = 1.5`), false},
		{"negative", "host \"h\" {\n  firewall {\n    tcp = [-1]\n  }\n}\n", false},
		{"list layout", service("after = [\n    \"a\", # c\n    // d\n    \"b\",\n  ]"), true},
		{"empty list", service(`after = []`), true},
		{"list without comma", service(`after = ["a" "b"]`), false},
		{"list of numbers", "host \"h\" {\n  firewall {\n    tcp = [22, 80,\n      443]\n  }\n}\n", true},
		{"object", service(`environment = { A = "1", "B-C" = "2" }`), true},
		{"object lines", service("environment = {\n  A = \"1\"\n  B = 2 # c\n\n  C = \"3\",\n}"), true},
		{"empty object", service(`environment = {}`), true},
		{"object without separator", service(`environment = { A = "1" B = "2" }`), false},
		{"object duplicate key", service(`environment = { A = "1", A = "2" }`), false},
		{"object colon", service(`environment = { A: "1" }`), false},
		{"object keyword key", service(`environment = { null = "1" }`), false},
		{"heredoc", service("script = <<EOT\n  a\n    b\nEOT"), true},
		{"flush heredoc", service("script = <<-EOT\n      a $X\n\n        b\n    \n      c\n    EOT\n    user = \"u\""), true},
		{"flush heredoc with tabs", service("script = <<-EOT\n\t\ta\n\t b\n\tEOT"), true},
		{"empty heredoc", service("script = <<-EOT\nEOT"), true},
		{"heredoc marker with spaces", service("script = <<EOT\na\n  EOT  \n"), true},
		{"heredoc interpolation", service("script = <<EOT\n${a}\nEOT"), false},
		{"unterminated heredoc", service("script = <<EOT\na\n"), false},
		{"heredoc marker at end of file", "host \"h\" {\n  service \"s\" {\n    script = <<EOT\na\nEOT", false},
		{"manifest object", manifest("{\n        kind = \"Namespace\"\n        spec = { replicas = 2, on = true, list = [1, \"a\", []], empty = {} }\n      }"), true},
		{"manifest list", manifest("[{ a = 1 }, { b = \"c\" },\n      ]"), true},
		{"manifest null", manifest("{ a = null }"), false},
		{"unknown attribute", service(`descriptio = "x"`), false},
		{"repeated attribute", service("description = \"a\"\n    description = \"b\""), false},
		{"repeated single block", "host \"h\" {\n  firewall {\n  }\n  firewall {\n  }\n}\n", false},
		{"missing label", "host {\n}\n", false},
		{"extra label", "host \"a\" \"b\" {\n}\n", false},
		{"one-line block", "host \"h\" { region = \"x\" }\n", false},
		{"attribute then brace", "host \"h\" {\n  region = \"x\" }\n", false},
		{"block then text", "host \"h\" {\n} x\n", false},
		{"missing required", "fleet {\n  input \"x\" {\n  }\n}\n", false},
		{"unclosed", "host \"h\" {\n", false},
		{"stray brace", "}\n", false},
		{"traversal", service(`description = var.x`), false},
		{"operator", "host \"h\" {\n  firewall {\n    tcp = [1 + 2]\n  }\n}\n", false},
		{"block comment", "/* a */\nhost \"h\" {\n}\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			stop := compareDecoders(t, "case.hcl", src)
			if got := stop < 0; got != c.fast {
				if c.fast {
					t.Errorf("fastDecode gave up at byte %d, in %q", stop, lineOf(src, stop))
				} else {
					t.Errorf("fastDecode accepted what it should leave to the full path")
				}
			}
		})
	}
}

// TestFastDecodeParts cuts an inventory at many lines, among them lines
// inside a heredoc that look like the end of a block, and checks that
// decoding in parts either gives up or gives what the full path gives.
func TestFastDecodeParts(t *testing.T) {
	src := append(benchinv.Inventory(6), `
host "tricky" {
  service "s" {
    script = <<EOT
}
host "fake" {
}
EOT
  }
}
`...)
	want, diags := parseTree("inventory.hcl", src, false)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	whole := &Inventory{}
	if stop := fastDecodeStop("inventory.hcl", src, whole); stop >= 0 {
		t.Fatalf("fastDecode gave up at byte %d, in %q", stop, lineOf(src, stop))
	}
	if diff := cmp.Diff(want, whole, allFields); diff != "" {
		t.Fatalf("(-tree +fast):\n%s", diff)
	}
	decoded, gaveUp := 0, 0
	for i, c := range src {
		if c != '\n' || i+1 == len(src) {
			continue
		}
		for _, cuts := range [][]int{{i + 1}, append(topLevelCuts(src[:i+1], 2), i+1)} {
			got := &Inventory{}
			if !fastDecodeParts("inventory.hcl", src, got, cuts) {
				gaveUp++
				continue
			}
			decoded++
			if diff := cmp.Diff(want, got, allFields); diff != "" {
				t.Fatalf("decoding in parts cut at %v differs (-tree +parts):\n%s", cuts, diff)
			}
		}
	}
	// Every top-level block but the first ends at a possible cut, and
	// the cuts inside the heredoc, among others, must be refused.
	t.Logf("decoded %d cut inventories and gave up on %d", decoded, gaveUp)
	if decoded < 6 || gaveUp == 0 {
		t.Errorf("decoded %d cut inventories and gave up on %d", decoded, gaveUp)
	}
	if cuts := topLevelCuts(src, 4); len(cuts) != 3 || !fastDecodeParts("inventory.hcl", src, &Inventory{}, cuts) {
		t.Errorf("cutting in 4 parts at %v failed", cuts)
	}
}

// TestFastDecodePartsRepeated checks that parts which each give the fleet
// block once are not put together into an inventory with one fleet.
func TestFastDecodePartsRepeated(t *testing.T) {
	src := []byte("fleet {\n}\nfleet {\n}\n")
	if fastDecodeParts("inventory.hcl", src, &Inventory{}, []int{10}) {
		t.Error("two fleet blocks in two parts were put together")
	}
	if _, diags := parseTree("inventory.hcl", src, false); !diags.HasErrors() {
		t.Error("the full path accepts two fleet blocks")
	}
}

// BenchmarkParseTree1000 loads the 1000-host benchmark inventory the full
// way, through hclsyntax and the tree decoder, for comparison with
// BenchmarkParse1000.
func BenchmarkParseTree1000(b *testing.B) {
	src := benchinv.Inventory(1000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := parseTree("inventory.hcl", src, false); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// FuzzFastDecodeString puts one string, as it is, into a label, a value,
// a list and an object of an inventory, where the direct decoder must
// agree with the full path on its value and on the columns after it.
func FuzzFastDecodeString(f *testing.F) {
	for _, s := range []string{"x", "Zürich", "Zu\u0308rich", "東京", "👩‍👩‍👧", "🇨🇭🇩🇪", "\u0301a", "\u1100\u1161\u11a8", "a\u200db", "é\\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := `"` + s + `"`
		src := "host " + q + " {\n  region = " + q + " # c\n  imports = [" + q + ", " + q + "]\n" +
			"  service \"s\" {\n    environment = { " + q + " = " + q + ", b = " + q + " }\n  }\n}\n"
		compareDecoders(t, "fuzz.hcl", []byte(src))
	})
}
