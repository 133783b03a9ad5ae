package nixgen

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/zclconf/go-cty/cty"
)

// decodeBody decodes body into the struct v points to, following the hcl
// struct tags exactly as [gohcl.DecodeBody] does, with two differences:
// the schema and the tags of each struct type are worked out once and
// kept, where gohcl reflects over the type again for every block (which
// made decoding a large inventory as slow as parsing it), and fields are
// decoded in the order they are declared, so that diagnostics come in the
// same order on every run (gohcl ranges over maps).
//
// Values are converted by [gohcl.DecodeExpression], so an attribute
// accepts what it accepts under gohcl. A struct type with a tag this
// decoder does not handle ("remain" or "body") is handed to gohcl whole.
func decodeBody(body hcl.Body, v any) hcl.Diagnostics {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("nixgen: decodeBody needs a pointer to a struct, not %T", v))
	}
	d := &decoder{infos: make(map[reflect.Type]*structInfo)}
	return d.decodeStruct(body, rv.Elem())
}

// decoder decodes one body. It keeps the decoding information of the
// struct types it meets, so that a thousand host blocks are described once.
type decoder struct {
	infos map[reflect.Type]*structInfo
}

// structInfo is what decoding needs to know about a struct type.
type structInfo struct {
	// gohcl is set when the type uses a tag this decoder leaves to gohcl.
	gohcl  bool
	schema *hcl.BodySchema
	attrs  []attrField  // in declaration order
	blocks []blockField // in declaration order
	labels []labelField // in declaration order
	// defRange and typeRange are field indexes, -1 when absent.
	defRange, typeRange int

	// For fastDecode: the indexes in attrs and blocks by name; whether an
	// attribute field holds an expression or an attribute; and the bits,
	// by index, of the required attributes and blocks.
	attrByName, blockByName       map[string]int
	special                       bool
	requiredAttrs, requiredBlocks uint64
}

type attrField struct {
	name  string
	index int
	// expr and attr tell that the field holds the expression or the
	// attribute itself rather than its value.
	expr, attr bool
	// Field indexes of the attribute's ranges, -1 when absent.
	rangeIdx, nameRangeIdx, valueRangeIdx int
}

type blockField struct {
	name       string
	index      int
	elem       reflect.Type // the struct type of one block
	slice, ptr bool
}

type labelField struct {
	name            string
	index, rangeIdx int
}

var (
	exprType = reflect.TypeFor[hcl.Expression]()
	attrType = reflect.TypeFor[*hcl.Attribute]()
)

// infoOf returns the decoding information of struct type t, computing it
// on first use.
func (d *decoder) infoOf(t reflect.Type) *structInfo {
	si, ok := d.infos[t]
	if !ok {
		si = newStructInfo(t)
		d.infos[t] = si
	}
	return si
}

func newStructInfo(t reflect.Type) *structInfo {
	si := &structInfo{defRange: -1, typeRange: -1}
	optional := map[string]bool{}
	rangeOf := map[string]map[string]int{"attr_range": {}, "attr_name_range": {}, "attr_value_range": {}, "label_range": {}}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("hcl")
		if tag == "" {
			continue
		}
		name, kind, ok := strings.Cut(tag, ",")
		if !ok {
			kind = "attr"
		}
		switch kind {
		case "attr", "optional":
			optional[name] = kind == "optional"
			si.attrs = append(si.attrs, attrField{name: name, index: i,
				expr: f.Type == exprType, attr: f.Type == attrType})
		case "block":
			bf := blockField{name: name, index: i, elem: f.Type}
			if bf.elem.Kind() == reflect.Slice {
				bf.slice, bf.elem = true, bf.elem.Elem()
			}
			if bf.elem.Kind() == reflect.Pointer {
				bf.ptr, bf.elem = true, bf.elem.Elem()
			}
			if bf.elem.Kind() != reflect.Struct {
				panic(fmt.Sprintf("nixgen: hcl block field %s.%s is not a struct", t, f.Name))
			}
			si.blocks = append(si.blocks, bf)
		case "label":
			si.labels = append(si.labels, labelField{name: name, index: i, rangeIdx: -1})
		case "def_range":
			si.defRange = i
		case "type_range":
			si.typeRange = i
		case "attr_range", "attr_name_range", "attr_value_range", "label_range":
			rangeOf[kind][name] = i
		case "remain", "body":
			si.gohcl = true
		default:
			panic(fmt.Sprintf("nixgen: invalid hcl field tag kind %q on %s.%s", kind, t, f.Name))
		}
	}
	index := func(kind, name string) int {
		if i, ok := rangeOf[kind][name]; ok {
			return i
		}
		return -1
	}
	for i := range si.attrs {
		a := &si.attrs[i]
		a.rangeIdx, a.nameRangeIdx, a.valueRangeIdx = index("attr_range", a.name), index("attr_name_range", a.name), index("attr_value_range", a.name)
	}
	for i := range si.labels {
		si.labels[i].rangeIdx = index("label_range", si.labels[i].name)
	}

	// The schema, as gohcl.ImpliedBodySchema builds it: attributes and
	// blocks sorted by name; an attribute is required unless it is
	// optional, a pointer or an expression.
	schema := &hcl.BodySchema{}
	for _, a := range si.attrs {
		ft := t.Field(a.index).Type
		required := !optional[a.name] && ft.Kind() != reflect.Pointer && !ft.AssignableTo(exprType)
		schema.Attributes = append(schema.Attributes, hcl.AttributeSchema{Name: a.name, Required: required})
	}
	for _, b := range si.blocks {
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: b.name, LabelNames: labelNames(b.elem)})
	}
	si.attrByName = make(map[string]int, len(si.attrs))
	for i, a := range si.attrs {
		si.attrByName[a.name] = i
		si.special = si.special || a.expr || a.attr
		if i < 64 && schema.Attributes[i].Required {
			si.requiredAttrs |= 1 << i
		}
	}
	si.blockByName = make(map[string]int, len(si.blocks))
	for i, b := range si.blocks {
		si.blockByName[b.name] = i
		if i < 64 && !b.slice && !b.ptr {
			si.requiredBlocks |= 1 << i
		}
	}
	slices.SortFunc(schema.Attributes, func(a, b hcl.AttributeSchema) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(schema.Blocks, func(a, b hcl.BlockHeaderSchema) int { return strings.Compare(a.Type, b.Type) })
	si.schema = schema
	return si
}

// labelNames returns the names of the label fields of struct type t. It
// does not go through infoOf, since a block type may contain itself (a
// LUKS container in a LUKS container).
func labelNames(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		if name, kind, _ := strings.Cut(t.Field(i).Tag.Get("hcl"), ","); kind == "label" {
			names = append(names, name)
		}
	}
	return names
}

// decodeStruct decodes body into the struct v.
func (d *decoder) decodeStruct(body hcl.Body, v reflect.Value) hcl.Diagnostics {
	si := d.infoOf(v.Type())
	if si.gohcl {
		return gohcl.DecodeBody(body, nil, v.Addr().Interface())
	}
	content, diags := body.Content(si.schema)
	if content == nil {
		return diags
	}
	for _, a := range si.attrs {
		fv := v.Field(a.index)
		attr := content.Attributes[a.name]
		if attr == nil {
			if a.expr {
				// As gohcl does: an expression that evaluates to null.
				fv.Set(reflect.ValueOf(hcl.StaticExpr(cty.NullVal(cty.DynamicPseudoType), body.MissingItemRange())))
			}
			continue
		}
		if a.rangeIdx >= 0 {
			v.Field(a.rangeIdx).Set(reflect.ValueOf(attr.Range))
		}
		if a.nameRangeIdx >= 0 {
			v.Field(a.nameRangeIdx).Set(reflect.ValueOf(attr.NameRange))
		}
		if a.valueRangeIdx >= 0 {
			v.Field(a.valueRangeIdx).Set(reflect.ValueOf(attr.Expr.Range()))
		}
		switch {
		case a.attr:
			fv.Set(reflect.ValueOf(attr))
		case a.expr:
			fv.Set(reflect.ValueOf(attr.Expr))
		default:
			diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, fv.Addr().Interface())...)
		}
	}
	if len(si.blocks) == 0 {
		return diags
	}
	byType := content.Blocks.ByType()
	for _, b := range si.blocks {
		blocks := byType[b.name]
		fv := v.Field(b.index)
		switch {
		case len(blocks) > 1 && !b.slice:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate %s block", b.name),
				Detail:   fmt.Sprintf("Only one %s block is allowed. Another was defined at %s.", b.name, blocks[0].DefRange.String()),
				Subject:  &blocks[1].DefRange,
			})
		case len(blocks) == 0:
			if !b.slice && !b.ptr {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  fmt.Sprintf("Missing %s block", b.name),
					Detail:   fmt.Sprintf("A %s block is required.", b.name),
					Subject:  body.MissingItemRange().Ptr(),
				})
			}
		case b.slice:
			s := reflect.MakeSlice(fv.Type(), len(blocks), len(blocks))
			for i, blk := range blocks {
				ev := s.Index(i)
				if b.ptr {
					p := reflect.New(b.elem)
					ev.Set(p)
					ev = p.Elem()
				}
				diags = append(diags, d.decodeBlock(blk, ev)...)
			}
			fv.Set(s)
		case b.ptr:
			p := reflect.New(b.elem)
			diags = append(diags, d.decodeBlock(blocks[0], p.Elem())...)
			fv.Set(p)
		default:
			diags = append(diags, d.decodeBlock(blocks[0], fv)...)
		}
	}
	return diags
}

// decodeBlock decodes block into the struct v: its body, then its labels
// and ranges.
func (d *decoder) decodeBlock(block *hcl.Block, v reflect.Value) hcl.Diagnostics {
	diags := d.decodeStruct(block.Body, v)
	si := d.infoOf(v.Type())
	for i, l := range block.Labels {
		if i >= len(si.labels) {
			break
		}
		v.Field(si.labels[i].index).SetString(l)
		if ri := si.labels[i].rangeIdx; ri >= 0 {
			v.Field(ri).Set(reflect.ValueOf(block.LabelRanges[i]))
		}
	}
	if si.typeRange >= 0 {
		v.Field(si.typeRange).Set(reflect.ValueOf(block.TypeRange))
	}
	if si.defRange >= 0 {
		v.Field(si.defRange).Set(reflect.ValueOf(block.DefRange))
	}
	return diags
}
