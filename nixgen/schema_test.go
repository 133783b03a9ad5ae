package nixgen_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nixgen/nixgen/internal/golden"
	"github.com/nixgen/nixgen/nixgen"
)

// schemaGolden is the committed copy of the schema, for tools that read it
// from the repository; `nixgen schema` prints the same bytes.
const schemaGolden = "testdata/inventory.schema.json"

func TestSchemaGolden(t *testing.T) {
	data, err := nixgen.Schema()
	if err != nil {
		t.Fatal(err)
	}
	golden.CompareFile(t, schemaGolden, data)
}

// compileSchema compiles the inventory schema with a JSON Schema validator
// independent of the library that generates it.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := nixgen.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(nixgen.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(nixgen.SchemaID)
	if err != nil {
		t.Fatalf("compiling the schema: %v", err)
	}
	return s
}

// schemaAccepts reports whether src is JSON that the schema accepts, and
// why not.
func schemaAccepts(s *jsonschema.Schema, src []byte) (bool, string) {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		return false, "not JSON: " + err.Error()
	}
	if err := s.Validate(inst); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// loaderAccepts reports whether nixgen reads src, a JSON inventory,
// without errors (before validation, which checks meaning rather than
// form), and why not.
func loaderAccepts(name string, src []byte) (bool, string) {
	inv, diags := nixgen.Parse(name, src)
	if diags.HasErrors() || inv == nil {
		return false, diags.Error()
	}
	return true, ""
}

// TestSchemaJSONInventories checks every JSON inventory of the golden
// cases and the examples against the schema: the schema must accept
// exactly those that nixgen loads without errors, so that an editor using
// it neither flags a valid inventory nor passes one that does not load.
// Cases whose inventory is rejected on purpose (a syntax error, an unknown
// property) are rejected by both.
func TestSchemaJSONInventories(t *testing.T) {
	s := compileSchema(t)
	var paths []string
	for _, pattern := range []string{"../testdata/*/inventory.json", "../examples/*/inventory.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Fatal("no JSON inventories found")
	}
	loaded := 0
	for _, p := range paths {
		t.Run(filepath.Base(filepath.Dir(p)), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			schemaOK, why := schemaAccepts(s, src)
			loadOK, loadWhy := loaderAccepts("inventory.json", src)
			switch {
			case schemaOK && !loadOK:
				t.Errorf("the schema accepts %s, but it does not load:\n%s", p, loadWhy)
			case !schemaOK && loadOK:
				t.Errorf("%s loads, but the schema rejects it:\n%s", p, why)
			case loadOK:
				loaded++
			}
		})
	}
	if loaded == 0 {
		t.Error("no JSON inventory loads: nothing shows that the schema accepts a valid one")
	}
}

// TestSchemaAgreesWithLoader checks the forms of HCL's JSON syntax, and the
// conversions of values, that the loader accepts or rejects, one at a
// time: the schema must give the same verdict.
func TestSchemaAgreesWithLoader(t *testing.T) {
	s := compileSchema(t)
	const fleet = `"fleet": {"nixpkgs": "github:NixOS/nixpkgs/nixos-25.05"}`
	// host wraps the body of host "a".
	host := func(body string) string {
		return `{` + fleet + `, "host": {"a": {` + body + `}}}`
	}
	cases := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"minimal", `{` + fleet + `}`, true},
		{"empty document", `{}`, true},
		{"not an object", `"fleet"`, false},
		{"array of bodies", `[{` + fleet + `}, {"host": {"a": {}}}, {"host": {"b": {}}}]`, true},
		{"array of non-objects", `[1]`, false},
		{"unknown property", `{` + fleet + `, "hosts": {"a": {}}}`, false},
		{"unknown property in a block", host(`"sytem": "x86_64-linux"`), false},
		{"comment at the top", `{"//": "the fleet of example.com", ` + fleet + `}`, true},
		{"comment in a block", host(`"//": ["any", {"value": 1}], "system": "x86_64-linux"`), true},

		// Blocks written as arrays.
		{"single block as an array", `{"fleet": [{"nixpkgs": "github:NixOS/nixpkgs/nixos-25.05"}]}`, true},
		{"single block twice", `{"fleet": [{"nixpkgs": "a"}, {"nixpkgs": "b"}]}`, false},
		{"single block as an empty array", `{"fleet": []}`, true},
		{"labelled blocks as an array", `{` + fleet + `, "host": [{"a": {}}, {"b": {}}]}`, true},
		{"label with an array of bodies", `{` + fleet + `, "host": {"a": [{"system": "x86_64-linux"}]}}`, true},
		{"labelled block without label", `{` + fleet + `, "host": {}}`, false},
		{"labelled blocks as an empty array", `{` + fleet + `, "host": []}`, false},
		{"labelled block not an object", `{` + fleet + `, "host": "a"}`, false},
		{"nested block as an array", host(`"disk": {"d": {"gpt": [{"partition": {"p": {"size": "1M"}}}]}}`), true},
		{"single labelled block with two labels", host(`"disk": {"d": {"luks": {"a": {}, "b": {}}}}`), false},
		{"single labelled block", host(`"disk": {"d": {"luks": {"crypted": {"key_file": "/run/key"}}}}`), true},
		{"repeated unlabelled blocks", host(`"zpool": {"p": {"topology": {"vdev": [{"mode": "mirror"}, {"mode": "mirror"}]}}}`), true},
		{"block body not an object", host(`"firewall": 1`), false},

		// Values.
		{"number for a string", host(`"mdadm": {"md0": {"level": 1}}`), true},
		{"boolean for a string", host(`"time_zone": true`), true},
		{"digits for a number", host(`"disk": {"d": {"gpt": {"partition": {"p": {"priority": "100"}}}}}`), true},
		{"word for a number", host(`"firewall": {"tcp": ["ssh"]}`), false},
		{"fraction for a number", host(`"firewall": {"tcp": [22.5]}`), false},
		{"string for a boolean", host(`"firewall": {"allow_ping": "false"}`), true},
		{"other string for a boolean", host(`"firewall": {"allow_ping": "no"}`), false},
		{"string for a list", host(`"nameservers": "9.9.9.9"`), false},
		{"object for a string", host(`"system": {"arch": "x86_64"}`), false},
		{"map of numbers", host(`"zpool": {"p": {"options": {"ashift": 12}}}`), true},
		{"map of lists", host(`"zpool": {"p": {"options": {"ashift": [12]}}}`), false},
		{"required attribute", `{"fleet": {"nixpkgs": "a", "input": {"x": {"follow_nixpkgs": false}}}}`, false},
		{"required attribute set", `{"fleet": {"nixpkgs": "a", "input": {"x": {"url": "github:a/b", "follow_nixpkgs": "0"}}}}`, true},
	}
	// JSON Schema cannot say that the bodies of an array document must not
	// both hold a block that may appear once: the schema accepts what the
	// loader then rejects as a duplicate block.
	known := []string{
		`[{` + fleet + `}, {` + fleet + `}]`,
	}
	for _, doc := range known {
		schemaOK, _ := schemaAccepts(s, []byte(doc))
		loadOK, _ := loaderAccepts("inventory.json", []byte(doc))
		if !schemaOK || loadOK {
			t.Errorf("known disagreement changed: schema accepts = %v, loader accepts = %v, for %s", schemaOK, loadOK, doc)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !json.Valid([]byte(c.doc)) {
				t.Fatalf("the test document is not JSON: %s", c.doc)
			}
			schemaOK, why := schemaAccepts(s, []byte(c.doc))
			loadOK, loadWhy := loaderAccepts("inventory.json", []byte(c.doc))
			if loadOK != c.ok {
				t.Errorf("loader accepts = %v, want %v (%s)\n%s", loadOK, c.ok, loadWhy, c.doc)
			}
			if schemaOK != c.ok {
				t.Errorf("schema accepts = %v, want %v (%s)\n%s", schemaOK, c.ok, why, c.doc)
			}
		})
	}
}
