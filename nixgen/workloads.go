package nixgen

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// This file ties what runs on a host to the rest of nixgen: the systemd
// services of units.go, the containers of containers.go and the k3s
// manifests of manifests.go are checked once every host is resolved and
// its k3s role known, and give the host the files units.nix and
// containers.nix.

// mergeWorkloads lays the services, the postgresql block and the
// containers of layer over dst.
func mergeWorkloads(dst, layer *Machine) {
	mergeUnits(dst, layer)
	mergeContainers(dst, layer)
}

// checkWorkloads checks the services, containers and k3s manifests of
// every host, and records in each host what its files are written from.
// It runs after the k3s checks, which tell servers from agents.
func (inv *Inventory) checkWorkloads(hosts []checkedHost) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i := range hosts {
		h := &hosts[i]
		units, udiags := inv.compileUnits(&h.Machine)
		containers, cdiags := compileContainers(&h.Machine)
		diags = append(append(diags, udiags...), cdiags...)
		h.units, h.containers = units, containers
		diags = append(diags, checkManifests(h)...)
	}
	return diags
}

// workloadFile is a file of a host that checkWorkloads plans.
type workloadFile struct {
	name string // relative to the host's directory
	expr nix.Expr
}

// workloadFiles returns the host's units.nix and containers.nix, those
// it has, in the order its default.nix imports them.
func (h *checkedHost) workloadFiles() []workloadFile {
	var files []workloadFile
	if h.units != nil {
		files = append(files, workloadFile{"units.nix", h.units.module()})
	}
	if h.containers != nil {
		files = append(files, workloadFile{"containers.nix", h.containers.module()})
	}
	return files
}

// workloadImports returns the imports of the host's default.nix for its
// units.nix and containers.nix.
func (h *checkedHost) workloadImports() []nix.Expr {
	var imports []nix.Expr
	if h.units != nil {
		imports = append(imports, nix.Path("./units.nix"))
	}
	if h.containers != nil {
		imports = append(imports, nix.Path("./containers.nix"))
	}
	return imports
}
