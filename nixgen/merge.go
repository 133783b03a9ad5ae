package nixgen

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// The helpers below merge a profile or host layer over another, field by
// field: a value the layer sets wins, with the range it was written at.

// clonePtr returns a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// overPtr sets *dst (and its range) to a copy of src when src is set.
func overPtr[T any](dst **T, dstR *hcl.Range, src *T, srcR hcl.Range) {
	if src != nil {
		*dst, *dstR = clonePtr(src), srcR
	}
}

// overList sets *dst (and its range) to a copy of src when src is set.
func overList[T any](dst *[]T, dstR *hcl.Range, src []T, srcR hcl.Range) {
	if src != nil {
		*dst, *dstR = slices.Clone(src), srcR
	}
}
