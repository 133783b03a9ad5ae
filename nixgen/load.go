package nixgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// Load reads an inventory from an HCL (*.hcl) or JSON (*.json) file. The
// diagnostics carry file:line:col; when they hold an error the inventory is
// nil. Loading is strict: an unknown argument or block is an error that
// suggests the closest known name.
func Load(path string) (*Inventory, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read inventory",
			Detail:   fmt.Sprintf("Reading %s failed: %v.", path, err),
		}}
	}
	return Parse(path, src)
}

// Parse reads an inventory from src. The name is used in diagnostics and in
// the header of generated files; its extension selects the syntax: ".json"
// for JSON, anything else for HCL.
func Parse(name string, src []byte) (inv *Inventory, diags hcl.Diagnostics) {
	defer func() {
		// The HCL decoder panics only on programming errors in struct
		// tags; turn any panic into a diagnostic so that no input can
		// crash a caller.
		if r := recover(); r != nil {
			inv = nil
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Internal error while decoding the inventory",
				Detail:   fmt.Sprintf("%v", r),
			})
		}
	}()
	isJSON := strings.EqualFold(filepath.Ext(name), ".json")
	inv = &Inventory{}
	if isJSON || !fastDecode(name, src, inv) {
		inv, diags = parseTree(name, src, isJSON)
		if diags.HasErrors() {
			return nil, diags
		}
	}
	inv.Source = filepath.ToSlash(filepath.Base(name))
	inv.src, inv.srcName, inv.srcJSON = src, name, isJSON
	return inv, diags
}

// parseTree parses src with hclsyntax or, for JSON, with HCL's JSON
// parser, and decodes the syntax tree.
func parseTree(name string, src []byte, isJSON bool) (*Inventory, hcl.Diagnostics) {
	var file *hcl.File
	var diags hcl.Diagnostics
	if isJSON {
		file, diags = hcljson.Parse(src, name)
	} else {
		file, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	inv := &Inventory{}
	diags = append(diags, decodeBody(file.Body, inv)...)
	return inv, diags
}
