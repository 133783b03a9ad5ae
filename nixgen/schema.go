package nixgen

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

// SchemaID is the $id of the inventory's JSON Schema.
const SchemaID = "https://nixgen.dev/schema/inventory.json"

// Schema returns the JSON Schema of the JSON form of an inventory. The JSON
// form is HCL's JSON syntax: an attribute is a property, a block without
// labels is an object (or a list of objects where the block may repeat),
// and a labelled block is an object keyed by its label, for example
// {"host": {"web1": {"system": "x86_64-linux"}}}.
//
// The schema is derived from the hcl struct tags of the inventory types,
// so it cannot drift from what the loader accepts.
func Schema() ([]byte, error) {
	g := &schemaGen{defs: jsonschema.Definitions{}}
	root := g.body(reflect.TypeFor[Inventory]())
	root.Version = jsonschema.Version
	root.ID = SchemaID
	root.Title = "nixgen inventory"
	root.Definitions = g.defs
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

type schemaGen struct {
	defs jsonschema.Definitions
}

type hclField struct {
	name, kind string
	typ        reflect.Type
}

// fields lists the hcl-tagged fields of t, skipping ranges and labels.
func hclFields(t reflect.Type) (fields []hclField, labels int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("hcl")
		if !ok {
			continue
		}
		name, kind, _ := strings.Cut(tag, ",")
		if kind == "" {
			kind = "attr"
		}
		switch kind {
		case "label":
			labels++
		case "attr", "optional", "block":
			fields = append(fields, hclField{name, kind, f.Type})
		}
	}
	return fields, labels
}

// ref returns a reference to the definition of the block body of type t.
func (g *schemaGen) ref(t reflect.Type) *jsonschema.Schema {
	name := t.Name()
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = nil // reserve against recursion
		g.defs[name] = g.body(t)
	}
	return &jsonschema.Schema{Ref: "#/$defs/" + name}
}

func (g *schemaGen) body(t reflect.Type) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: jsonschema.NewProperties(), AdditionalProperties: jsonschema.FalseSchema}
	fields, _ := hclFields(t)
	for _, f := range fields {
		var p *jsonschema.Schema
		if f.kind == "block" {
			p = g.block(f.typ)
		} else {
			p = valueSchema(f.typ)
			if f.kind == "attr" {
				s.Required = append(s.Required, f.name)
			}
		}
		s.Properties.Set(f.name, p)
	}
	return s
}

// block returns the schema of a block field: a pointer or slice of
// structs, the latter possibly labelled.
func (g *schemaGen) block(t reflect.Type) *jsonschema.Schema {
	repeated := t.Kind() == reflect.Slice
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	_, labels := hclFields(t)
	body := g.ref(t)
	if labels > 0 {
		byLabel := &jsonschema.Schema{Type: "object", AdditionalProperties: body}
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{byLabel, {Type: "array", Items: byLabel}}}
	}
	if repeated {
		return &jsonschema.Schema{OneOf: []*jsonschema.Schema{body, {Type: "array", Items: body}}}
	}
	return body
}

func valueSchema(t reflect.Type) *jsonschema.Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return &jsonschema.Schema{Type: "string"}
	case reflect.Bool:
		return &jsonschema.Schema{Type: "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return &jsonschema.Schema{Type: "integer"}
	case reflect.Float64:
		return &jsonschema.Schema{Type: "number"}
	case reflect.Slice:
		return &jsonschema.Schema{Type: "array", Items: valueSchema(t.Elem())}
	case reflect.Map:
		return &jsonschema.Schema{Type: "object", AdditionalProperties: valueSchema(t.Elem())}
	}
	return &jsonschema.Schema{}
}
