package nixgen

import (
	"fmt"
	"slices"
)

// hostNetPlan returns the network plan of host m with derived, what other
// parts of nixgen derive for its firewall, added the way
// networkModuleDerived adds it before writing network.nix: a derived rule
// is dropped when the host's firewall has an allow rule of the same name,
// and the trusted interfaces are added. It fails when m does not pass
// [validateNetwork] or a derived rule is malformed.
func hostNetPlan(m *Machine, derived derivedFirewall) (netPlan, error) {
	plan, diags := compileNetwork(m)
	if diags.HasErrors() {
		return netPlan{}, diags
	}
	return plan.withDerived(m.Name, derived)
}

// withDerived returns plan, of the host called name, with derived added
// as hostNetPlan describes. plan itself is left as it is.
func (plan netPlan) withDerived(name string, derived derivedFirewall) (netPlan, error) {
	if len(derived.rules) == 0 && len(derived.trusted) == 0 {
		return plan, nil
	}
	// Adding copies the lists, so that plan keeps its own.
	plan.fw.rules = slices.Clip(plan.fw.rules)
	plan.fw.trusted = slices.Clip(plan.fw.trusted)
	for _, r := range derived.rules {
		if plan.fw.has(r.Name) {
			continue
		}
		if err := plan.fw.add(r); err != nil {
			return netPlan{}, fmt.Errorf("host %q: derived firewall rule: %w", name, err)
		}
	}
	for _, t := range derived.trusted {
		if err := plan.fw.trust(t); err != nil {
			return netPlan{}, fmt.Errorf("host %q: trusted interface: %w", name, err)
		}
	}
	return plan, nil
}

// netPlan returns the network plan of h with the firewall rules its k3s
// cluster derives, as network.nix has it: the plan that check compiled,
// or a new one when check found errors in it.
func (h *checkedHost) netPlan() (netPlan, error) {
	if !h.netOK {
		return hostNetPlan(&h.Machine, h.k3s.firewall())
	}
	return h.net.withDerived(h.Name, h.k3s.firewall())
}
