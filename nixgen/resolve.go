package nixgen

import (
	"fmt"
	"github.com/agext/levenshtein"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Host is a host with its profiles and the fleet defaults applied.
type Host struct {
	Machine
}

// Resolve applies the fleet defaults and the profiles named in each host's
// use list to the hosts, field by field: a value set on the host wins over
// one set in its profiles, later profiles win over earlier ones, and the
// fleet defaults come last. Hosts come back sorted by name. Profiles may
// use other profiles; an unknown profile or a cycle is an error.
func (inv *Inventory) Resolve() ([]*Host, hcl.Diagnostics) {
	return inv.resolve(false)
}

// resolve is [Inventory.Resolve]. With share set, the storage and network
// settings of a host that uses no profile are not copied: the host gets
// those of the inventory itself, which the caller must then only read.
// Nothing else differs, since the fleet defaults hold no storage and no
// network settings to merge them with.
func (inv *Inventory) resolve(share bool) ([]*Host, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	profiles := make(map[string]*Machine, len(inv.Profiles))
	for i := range inv.Profiles {
		p := &inv.Profiles[i]
		if prev, ok := profiles[p.Name]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate profile",
				Detail:   fmt.Sprintf("A profile named %q was already defined at %s. Profile names must be unique.", p.Name, storagePos(prev.NameRange)),
				Subject:  p.NameRange.Ptr(),
			})
			continue
		}
		profiles[p.Name] = p
	}
	// The profiles each host uses are resolved first, one host after the
	// other, which reports their problems in a fixed order; the hosts are
	// then merged in parallel, each from layers that are only read.
	type hostLayers struct {
		src      *Machine
		profiles []*Machine
	}
	var todo []hostLayers
	seen := make(map[string]*Machine, len(inv.Hosts))
	res := &profileResolver{profiles: profiles, resolved: make(map[string]*Machine, len(profiles))}
	for i := range inv.Hosts {
		h := &inv.Hosts[i]
		if prev, ok := seen[h.Name]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate host",
				Detail:   fmt.Sprintf("A host named %q was already defined at %s. Host names must be unique, because each one is a nixosConfigurations entry.", h.Name, storagePos(prev.NameRange)),
				Subject:  h.NameRange.Ptr(),
			})
			continue
		}
		seen[h.Name] = h
		todo = append(todo, hostLayers{src: h, profiles: res.layers(h, nil)})
	}
	diags = append(diags, res.diags...)
	var defaults *Machine
	if inv.Fleet != nil {
		defaults = inv.Fleet.defaults()
	}
	var hosts []*Host
	if len(todo) > 0 {
		hosts = make([]*Host, len(todo))
	}
	forEach(len(todo), func(i int) {
		h := todo[i].src
		out := &Host{}
		if defaults != nil {
			mergeMachine(&out.Machine, defaults)
		}
		for _, p := range todo[i].profiles {
			mergeMachine(&out.Machine, p)
		}
		if share && len(todo[i].profiles) == 0 {
			mergeMachineShared(&out.Machine, h)
		} else {
			mergeMachine(&out.Machine, h)
		}
		out.Name, out.NameRange, out.DefRange = h.Name, h.NameRange, h.DefRange
		out.Use, out.UseRange = h.Use, h.UseRange
		hosts[i] = out
	})
	slices.SortFunc(hosts, func(a, b *Host) int { return strings.Compare(a.Name, b.Name) })
	return hosts, diags
}

// profileResolver merges each profile with the profiles it uses once, so
// that a profile used through many paths costs nothing more.
type profileResolver struct {
	profiles map[string]*Machine
	resolved map[string]*Machine // a profile over the profiles it uses
	diags    hcl.Diagnostics
}

// apply merges the profiles m uses into dst, in order, each already merged
// with the profiles it uses in turn.
func (r *profileResolver) apply(dst *Machine, m *Machine, stack []string) {
	for _, p := range r.layers(m, stack) {
		mergeMachine(dst, p)
	}
}

// layers returns the profiles m uses that exist and make no cycle, in
// order, each merged with the profiles it uses in turn, and reports the
// others.
func (r *profileResolver) layers(m *Machine, stack []string) []*Machine {
	var out []*Machine
	for i, name := range m.Use {
		if _, ok := r.profiles[name]; !ok {
			detail := fmt.Sprintf("%q uses a profile named %q, but no such profile is defined.", m.Name, name)
			detail += didYouMean(name, keys(r.profiles))
			r.diags = append(r.diags, atElement(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown profile",
				Detail:   detail,
				Subject:  m.UseRange.Ptr(),
			}, i))
			continue
		}
		if slices.Contains(stack, name) {
			r.diags = append(r.diags, atElement(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Profile cycle",
				Detail:   fmt.Sprintf("Profile %q uses itself through %s. Remove one of the uses.", name, strings.Join(append(stack, name), " -> ")),
				Subject:  m.UseRange.Ptr(),
			}, i))
			continue
		}
		out = append(out, r.resolve(name, stack))
	}
	return out
}

// resolve returns profile name merged over the profiles it uses.
func (r *profileResolver) resolve(name string, stack []string) *Machine {
	if m, ok := r.resolved[name]; ok {
		return m
	}
	p := r.profiles[name]
	out := &Machine{}
	r.apply(out, p, append(stack, name))
	mergeMachine(out, p)
	r.resolved[name] = out
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// mergeMachineShared is mergeMachine for a dst that holds no storage and
// no network settings, such as the fleet defaults: dst gets those of layer
// without a copy, as the values that mergeMachine would copy.
func mergeMachineShared(dst, layer *Machine) {
	mergeSettings(dst, layer)
	// mergeNetwork and mergeStorage leave an empty list nil, and
	// cloneFirewall an empty list of allow rules.
	dst.Interfaces = nilIfEmpty(layer.Interfaces)
	if f := layer.Firewall; f != nil && f.Allow != nil && len(f.Allow) == 0 {
		fw := *f
		fw.Allow = nil
		dst.Firewall = &fw
	} else {
		dst.Firewall = f
	}
	dst.Disks = nilIfEmpty(layer.Disks)
	dst.Arrays = nilIfEmpty(layer.Arrays)
	dst.Pools = nilIfEmpty(layer.Pools)
	dst.VolumeGroups = nilIfEmpty(layer.VolumeGroups)
	dst.Nodev = nilIfEmpty(layer.Nodev)
}

// nilIfEmpty returns xs, or nil when it is empty.
func nilIfEmpty[T any](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

// mergeMachine applies the settings of layer over dst, field by field.
func mergeMachine(dst, layer *Machine) {
	mergeSettings(dst, layer)
	mergeNetwork(dst, layer)
	mergeStorage(dst, layer)
}

// mergeSettings is mergeMachine for all settings but the network
// (interfaces and firewall) and the storage.
func mergeSettings(dst, layer *Machine) {
	overPtr(&dst.System, &dst.SystemRange, layer.System, layer.SystemRange)
	overPtr(&dst.Region, &dst.RegionRange, layer.Region, layer.RegionRange)
	overPtr(&dst.Zone, &dst.ZoneRange, layer.Zone, layer.ZoneRange)
	overPtr(&dst.BootLoader, &dst.BootLoaderRange, layer.BootLoader, layer.BootLoaderRange)
	overPtr(&dst.StateVersion, &dst.StateVersionRange, layer.StateVersion, layer.StateVersionRange)
	overPtr(&dst.TimeZone, &dst.TimeZoneRange, layer.TimeZone, layer.TimeZoneRange)
	overPtr(&dst.FirewallBackend, &dst.FirewallBackendRange, layer.FirewallBackend, layer.FirewallBackendRange)
	overPtr(&dst.HardwareConfiguration, &dst.HardwareConfigurationRange, layer.HardwareConfiguration, layer.HardwareConfigurationRange)
	overList(&dst.Nameservers, &dst.NameserversRange, layer.Nameservers, layer.NameserversRange)
	overList(&dst.AuthorizedKeys, &dst.AuthorizedKeysRange, layer.AuthorizedKeys, layer.AuthorizedKeysRange)
	overList(&dst.Imports, &dst.ImportsRange, layer.Imports, layer.ImportsRange)
	dst.K3s = mergeK3sNode(dst.K3s, layer.K3s)
	overPtr(&dst.SSHHostKey, &dst.SSHHostKeyRange, layer.SSHHostKey, layer.SSHHostKeyRange)
	overList(&dst.SecretsUsed, &dst.SecretsUsedRange, layer.SecretsUsed, layer.SecretsUsedRange)
	dst.Secrets = mergeSecrets(dst.Secrets, layer.Secrets)
	mergeHostServices(dst, layer)
	mergeWorkloads(dst, layer)
}

// didYouMean returns " Did you mean "X"?" for the candidate X closest to
// name, or "" when none is within two edits. The distance is the one HCL
// uses for its own suggestions.
func didYouMean(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(name, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}
