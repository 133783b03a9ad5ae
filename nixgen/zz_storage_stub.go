package nixgen

// Placeholder so the package builds until storage.go defines mergeStorage,
// storageLayout and storageDiagnostics: delete this file then.

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/disko"
)

type storageIndex struct{}

func mergeStorage(dst, layer *Machine) {}

func (m *Machine) storageLayout() (*disko.Layout, *storageIndex, hcl.Diagnostics) {
	return &disko.Layout{}, &storageIndex{}, nil
}

func storageDiagnostics(ds disko.Diagnostics, idx *storageIndex) hcl.Diagnostics { return nil }
