package nixgen

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// The decoder records the range of a list attribute's value as a whole,
// not of its elements. A check that finds a bad element reports the
// range of the list and marks the diagnostic with [atElement]; once all
// checks have run, [Inventory.narrowToElements] re-reads the list from
// the source and moves the diagnostic to the element itself, so that
// FILE:LINE:COL points at the offending value even in a list that spans
// several lines.

// listElement is the Extra of a diagnostic, set by [atElement], whose
// Subject is the range of a list and which is about the element at
// index (from 0).
type listElement struct {
	index int
}

// atElement marks d as being about element i, from 0, of the list that
// is its Subject, and returns d. A diagnostic that already carries an
// Extra is left as it is.
func atElement(d *hcl.Diagnostic, i int) *hcl.Diagnostic {
	if d != nil && d.Extra == nil {
		d.Extra = listElement{index: i}
	}
	return d
}

// narrowToElements replaces the Subject of every diagnostic marked by
// [atElement] with the range of its element, and clears the mark. The
// Subject stays as it is when the inventory was not parsed from source,
// or when the Subject is not a list of the source with that element (an
// enclosing block, used when the list has no range).
func (inv *Inventory) narrowToElements(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d == nil {
			continue
		}
		el, ok := d.Extra.(listElement)
		if !ok {
			continue
		}
		d.Extra = nil
		if r, ok := inv.elementRange(d.Subject, el.index); ok {
			d.Subject = &r
		}
	}
}

// elementRange returns the range of element i of the list expression
// that list covers in the inventory's source.
func (inv *Inventory) elementRange(list *hcl.Range, i int) (hcl.Range, bool) {
	if list == nil {
		return hcl.Range{}, false
	}
	expr, ok := inv.sourceExpr(*list)
	if !ok {
		return hcl.Range{}, false
	}
	elems, diags := hcl.ExprList(expr)
	if diags.HasErrors() || i < 0 || i >= len(elems) {
		return hcl.Range{}, false
	}
	return elems[i].Range(), true
}

// sourceExpr parses again the expression that r covers in the
// inventory's source, with its positions in the file. It reports false
// when the inventory was not parsed from source, r is not a range of it,
// or the text does not parse.
func (inv *Inventory) sourceExpr(r hcl.Range) (hcl.Expression, bool) {
	if inv.src == nil || r.Filename != inv.srcName ||
		r.Start.Byte < 0 || r.Start.Byte >= r.End.Byte || r.End.Byte > len(inv.src) {
		return nil, false
	}
	text := inv.src[r.Start.Byte:r.End.Byte]
	var expr hcl.Expression
	var diags hcl.Diagnostics
	if inv.srcJSON {
		expr, diags = hcljson.ParseExpressionWithStartPos(text, r.Filename, r.Start)
	} else {
		expr, diags = hclsyntax.ParseExpression(text, r.Filename, r.Start)
	}
	if diags.HasErrors() || expr == nil {
		return nil, false
	}
	return expr, true
}
