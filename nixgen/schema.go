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
// labels is an object, and a labelled block is an object keyed by its
// label, for example {"host": {"web1": {"system": "x86_64-linux"}}}. As
// HCL allows, any block may also be written as an array of such objects,
// and the value under a label as an array of bodies, one block each; a
// property named "//" in a block body is a comment and is ignored. The
// document itself may be an array of objects, whose contents are read
// together.
//
// Scalars convert as in HCL: a string attribute also takes a number or a
// boolean (level = 1 is the string "1"), a number attribute a string of
// digits, and a boolean attribute the strings "true", "false", "1" and
// "0".
//
// The schema is derived from the hcl struct tags of the inventory types,
// so it cannot drift from what the loader accepts.
func Schema() ([]byte, error) {
	g := &schemaGen{defs: jsonschema.Definitions{}}
	inv := g.ref(reflect.TypeFor[Inventory]())
	// HCL also reads a document that is an array of bodies, as the
	// contents of all of them together.
	root := &jsonschema.Schema{
		Version:     jsonschema.Version,
		ID:          SchemaID,
		Title:       "nixgen inventory",
		OneOf:       []*jsonschema.Schema{inv, {Type: "array", Items: inv}},
		Definitions: g.defs,
	}
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
			p = g.valueSchema(f.typ)
			if f.kind == "attr" {
				s.Required = append(s.Required, f.name)
			}
		}
		s.Properties.Set(f.name, p)
	}
	s.Properties.Set("//", &jsonschema.Schema{Description: "A comment: HCL's JSON syntax ignores this property."})
	return s
}

// block returns the schema of a block field: a pointer to a struct, for a
// block that may appear once, or a slice of structs, for one that may
// repeat; the struct may have a label.
//
// A block is written as its body, an object, or as an array of bodies, one
// block each. A labelled block is written as an object whose keys are the
// labels and whose values are written as an unlabelled block is, or as an
// array of such objects. A block that may appear once is held to one
// body, and one label.
func (g *schemaGen) block(t reflect.Type) *jsonschema.Schema {
	repeated := t.Kind() == reflect.Slice
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	_, labels := hclFields(t)
	body := g.ref(t)
	var one *uint64
	if !repeated {
		one = uintPtr(1)
	}
	instances := &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		body,
		{Type: "array", Items: body, MaxItems: one},
	}}
	if labels == 0 {
		return instances
	}
	// HCL refuses a labelled block written with no label at all, such as
	// {} or [].
	byLabel := &jsonschema.Schema{Type: "object", MinProperties: uintPtr(1), MaxProperties: one, AdditionalProperties: instances}
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{
		byLabel,
		{Type: "array", Items: byLabel, MinItems: uintPtr(1), MaxItems: one},
	}}
}

func uintPtr(n uint64) *uint64 { return &n }

// valueSchema returns the schema of an attribute of Go type t. Scalars
// refer to shared definitions that accept what HCL converts to their
// type: see [Schema].
func (g *schemaGen) valueSchema(t reflect.Type) *jsonschema.Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return g.scalar("string", &jsonschema.Schema{
			Description: "A string; a number or a boolean is taken as its text.",
			Extras:      map[string]any{"type": []string{"string", "number", "boolean"}},
		})
	case reflect.Bool:
		return g.scalar("boolean", &jsonschema.Schema{
			Description: `A boolean, or one of the strings "true", "false", "1" and "0".`,
			AnyOf:       []*jsonschema.Schema{{Type: "boolean"}, {Enum: []any{"true", "false", "1", "0"}}},
		})
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return g.scalar("integer", &jsonschema.Schema{
			Description: "A whole number, or a string of decimal digits.",
			AnyOf:       []*jsonschema.Schema{{Type: "integer"}, {Type: "string", Pattern: `^[+-]?[0-9]+$`}},
		})
	case reflect.Slice:
		return &jsonschema.Schema{Type: "array", Items: g.valueSchema(t.Elem())}
	case reflect.Map:
		return &jsonschema.Schema{Type: "object", AdditionalProperties: g.valueSchema(t.Elem())}
	}
	return &jsonschema.Schema{}
}

// scalar returns a reference to the definition name, which it adds as s
// if it is not defined yet.
func (g *schemaGen) scalar(name string, s *jsonschema.Schema) *jsonschema.Schema {
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = s
	}
	return &jsonschema.Schema{Ref: "#/$defs/" + name}
}
