package nixgen

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/disko"
)

// The accepted values of enumerated settings.
var (
	systems     = []string{"aarch64-linux", "x86_64-linux"}
	bootLoaders = []string{"grub-bios", "grub-efi", "grub-efi-removable", "systemd-boot"}
	backends    = []string{"iptables", "nftables"}
)

// validHostName reports whether name is a valid networking.hostName, the
// type of the option in nixpkgs (network-interfaces.nix): 1 to 63
// letters, digits, - and _, starting and ending with a letter or digit,
// and so no dots.
func validHostName(name string) bool {
	n := len(name)
	if n == 0 || n > 63 || !isAlnum(name[0]) || !isAlnum(name[n-1]) {
		return false
	}
	for i := 1; i < n-1; i++ {
		if c := name[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) }

// inputNameRE is stricter than a Nix identifier: flake input names cannot
// start with an underscore (NixOS/nix#9674).
var inputNameRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]*$`)

// validStateVersion reports whether v is a NixOS release such as "25.05":
// two digits, a dot and two digits.
func validStateVersion(v string) bool {
	return len(v) == 5 && isDigit(v[0]) && isDigit(v[1]) && v[2] == '.' && isDigit(v[3]) && isDigit(v[4])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// checkedHost is a resolved host with its disk layout.
type checkedHost struct {
	*Host
	layout *disko.Layout
	// disk is the analysis of layout, nil unless the host has storage
	// blocks that convert without error.
	disk *disko.Analysis
	// net is the network plan of the host, set when netOK is, that is
	// when its network settings have no error.
	net   netPlan
	netOK bool
	k3s   *k3sHost // nil unless the host is a k3s node
	// hostServices is nil unless the host needs a services.nix.
	hostServices *hostServicesPlan
	// secrets is set when the host receives sops-nix secrets and gets a
	// secrets.nix.
	secrets bool
	// units and containers are nil unless the host gets a units.nix or
	// a containers.nix.
	units      *unitsPlan
	containers *containersPlan
}

// Validate checks the inventory and returns every problem found, errors and
// warnings, each with the source range of the offending value.
func (inv *Inventory) Validate() hcl.Diagnostics {
	_, diags := inv.check()
	return diags
}

func (inv *Inventory) check() ([]checkedHost, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	errorf := func(r hcl.Range, summary, format string, args ...any) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
	}
	warnf := func(r hcl.Range, summary, format string, args ...any) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
	}
	if inv.Fleet == nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing fleet block",
			Detail:  `The inventory has no fleet block. Add one that names the nixpkgs flake, for example: fleet { nixpkgs = "github:NixOS/nixpkgs/nixos-25.05" }.`,
			Subject: inv.fileStart().Ptr()})
	} else {
		f := inv.Fleet
		if f.Nixpkgs == "" {
			errorf(f.DefRange, "Missing nixpkgs", `The fleet block does not set nixpkgs. Set it to the flake URL every host is built from, for example "github:NixOS/nixpkgs/nixos-25.05".`)
		}
		names := map[string]hcl.Range{}
		for _, in := range f.Inputs {
			switch {
			case !inputNameRE.MatchString(in.Name):
				errorf(in.NameRange, "Invalid input name", "The flake input name %q is not valid. Use letters, digits, - and _, starting with a letter.", in.Name)
			case in.Name == "nixpkgs" || in.Name == "disko" || in.Name == "sops-nix" || in.Name == "self":
				errorf(in.NameRange, "Reserved input name", "The flake input %q is always defined by nixgen. Set its URL in the fleet block instead, or choose another name.", in.Name)
			}
			if prev, ok := names[in.Name]; ok {
				errorf(in.NameRange, "Duplicate input", "An input named %q was already defined at %s.", in.Name, storagePos(prev))
			}
			names[in.Name] = in.NameRange
		}
	}
	if len(inv.Hosts) == 0 {
		warnf(inv.fileStart(), "No hosts", "The inventory defines no host blocks, so nothing is generated for any machine.")
	}
	hosts, rdiags := inv.resolve(true)
	diags = append(diags, rdiags...)
	// Each host is checked on its own, in parallel; the diagnostics are
	// gathered in the order of the hosts.
	var out []checkedHost
	if len(hosts) > 0 {
		out = make([]checkedHost, len(hosts))
	}
	hostDiags := make([]hcl.Diagnostics, len(hosts))
	forEach(len(hosts), func(i int) {
		out[i], hostDiags[i] = checkHost(hosts[i])
	})
	for _, hd := range hostDiags {
		diags = append(diags, hd...)
	}
	diags = append(diags, inv.checkK3s(out)...)
	diags = append(diags, inv.checkHostServices(out)...)
	diags = append(diags, inv.checkWorkloads(out)...)
	diags = append(diags, inv.checkSecrets(out)...)
	inv.narrowToElements(diags)
	sortDiagnostics(diags)
	return out, dedupDiagnostics(diags)
}

// checkHost checks the settings of one resolved host that need no other
// host: its names and enumerated values, its disk layout and its network.
// It returns the host with its layout, its analysis and its network plan.
func checkHost(h *Host) (checkedHost, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	errorf := func(r hcl.Range, summary, format string, args ...any) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
	}
	warnf := func(r hcl.Range, summary, format string, args ...any) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r.Ptr()})
	}
	if !validHostName(h.Name) {
		errorf(h.NameRange, "Invalid host name", "The host name %q is not a valid networking.hostName: use at most 63 letters, digits, - and _, starting and ending with a letter or digit, and no dots.", h.Name)
	}
	enum := func(v *string, r hcl.Range, what string, allowed []string, required bool) {
		switch {
		case v == nil && required:
			errorf(h.DefRange, "Missing "+what, "Host %q has no %s. Set it on the host, in a profile it uses, or in the fleet defaults; one of: %s.", h.Name, what, strings.Join(allowed, ", "))
		case v != nil && !slices.Contains(allowed, *v):
			detail := fmt.Sprintf("%q is not a known %s. Use one of: %s.", *v, what, strings.Join(allowed, ", "))
			detail += didYouMean(*v, allowed)
			errorf(r, "Invalid "+what, "%s", detail)
		}
	}
	enum(h.System, h.SystemRange, "system", systems, true)
	enum(h.BootLoader, h.BootLoaderRange, "boot_loader", bootLoaders, len(h.Disks) > 0)
	enum(h.FirewallBackend, h.FirewallBackendRange, "firewall_backend", backends, false)
	if h.StateVersion == nil {
		errorf(h.DefRange, "Missing state_version", "Host %q has no state_version. Set it to the NixOS release the host was first installed with, for example \"25.05\", on the host, a profile or the fleet defaults; never change it afterwards.", h.Name)
	} else if !validStateVersion(*h.StateVersion) {
		errorf(h.StateVersionRange, "Invalid state_version", "%q is not a NixOS release such as \"25.05\".", *h.StateVersion)
	}
	for i, k := range h.AuthorizedKeys {
		if !validAuthorizedKey(k) {
			errorf(h.AuthorizedKeysRange, "Invalid SSH public key", "%q is not an SSH public key line. Use the content of a .pub file, for example \"ssh-ed25519 AAAA… user@host\".", k)
			atElement(diags[len(diags)-1], i)
		}
	}
	for i, p := range h.Imports {
		if !validRelPath(p) {
			errorf(h.ImportsRange, "Invalid import path", "%q is not a relative path inside the flake. Give module paths relative to the flake root, such as \"modules/monitoring.nix\", without \"..\".", p)
			atElement(diags[len(diags)-1], i)
		}
	}
	if hw := h.HardwareConfiguration; hw != nil && !validRelPath(*hw) {
		errorf(h.HardwareConfigurationRange, "Invalid hardware_configuration path", "%q is not a relative path inside the flake, such as \"hosts-hw/web1.nix\".", *hw)
	}
	layout, sdiags := h.storageLayoutOnly()
	diags = append(diags, sdiags...)
	ch := checkedHost{Host: h, layout: layout}
	// A host without storage blocks gets no disko.nix (its file
	// systems come from hardware_configuration, or it is warned
	// about below), so its empty layout is not validated: disko
	// would report that it has no disks.
	if layout != nil && hasStorage(&h.Machine) && !sdiags.HasErrors() {
		ch.disk = layout.Analyze()
		if lds := ch.disk.Diagnostics(); len(lds) > 0 {
			// The index that maps the layout back to the source is
			// only needed for diagnostics.
			_, idx, _ := h.storageLayout()
			for _, d := range storageDiagnostics(lds, idx) {
				// Whether an ESP on mdadm works depends on the boot
				// loader, which disko does not know: checkBoot reports
				// it as an error with systemd-boot, and GRUB is fine.
				if dd, ok := d.Extra.(disko.Diagnostic); ok && dd.Code == disko.CodeESPRaid {
					continue
				}
				diags = append(diags, d)
			}
		}
		diags = append(diags, checkBoot(h, ch.disk.Boot())...)
	}
	if len(h.Disks) == 0 && h.HardwareConfiguration == nil {
		warnf(h.DefRange, "No disks", "Host %q declares no disks and no hardware_configuration, so its file systems are undefined and nixos-anywhere cannot install it.", h.Name)
	}
	plan, ndiags := compileNetwork(&h.Machine)
	diags = append(diags, ndiags...)
	if !ndiags.HasErrors() {
		ch.net, ch.netOK = plan, true
	}
	return ch, diags
}

// hasStorage reports whether m declares any part of a disk layout.
func hasStorage(m *Machine) bool {
	return len(m.Disks)+len(m.Arrays)+len(m.Pools)+len(m.VolumeGroups)+len(m.Nodev) > 0
}

// dedupDiagnostics drops the repeats of a diagnostic, keeping the first.
// A value that several hosts inherit, from the fleet defaults or a
// profile, is checked once per host but reported once.
func dedupDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	type key struct {
		severity        hcl.DiagnosticSeverity
		summary, detail string
		subject         hcl.Range
	}
	seen := make(map[key]bool, len(diags))
	out := diags[:0]
	for _, d := range diags {
		if d == nil {
			continue
		}
		k := key{severity: d.Severity, summary: d.Summary, detail: d.Detail}
		if d.Subject != nil {
			k.subject = *d.Subject
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// sortDiagnostics orders diagnostics by file and position, those without a
// position first, keeping the order of equal ones.
func sortDiagnostics(diags hcl.Diagnostics) {
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		switch {
		case a.Subject == nil && b.Subject == nil:
			return 0
		case a.Subject == nil:
			return -1
		case b.Subject == nil:
			return 1
		}
		if c := strings.Compare(a.Subject.Filename, b.Subject.Filename); c != 0 {
			return c
		}
		return a.Subject.Start.Byte - b.Subject.Start.Byte
	})
}

// checkBoot checks that the boot loader agrees with the disk layout.
func checkBoot(h *Host, facts disko.BootFacts) hcl.Diagnostics {
	if h.BootLoader == nil || len(h.Disks) == 0 {
		return nil
	}
	var diags hcl.Diagnostics
	r := h.BootLoaderRange.Ptr()
	switch bl := *h.BootLoader; bl {
	case "systemd-boot", "grub-efi", "grub-efi-removable":
		if !facts.ESP {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No EFI system partition",
				Detail:  fmt.Sprintf("Host %q boots with %s, which needs an EFI system partition, but no partition has type \"EF00\". Add a vfat partition of type EF00 mounted at /boot, or use boot_loader = \"grub-bios\".", h.Name, bl),
				Subject: r})
		}
		if bl == "systemd-boot" && facts.ESPOnRAID {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "systemd-boot on a RAID ESP",
				Detail:  fmt.Sprintf("Host %q keeps its EFI system partition on an mdadm array, where bootctl refuses to install systemd-boot (disko issue #753). Use boot_loader = \"grub-efi\" with mirrored ESPs, or put the ESP on a plain partition.", h.Name),
				Subject: r})
		}
		if bl == "systemd-boot" && facts.BIOSBoot {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Unused BIOS boot partition",
				Detail:  fmt.Sprintf("Host %q has a BIOS boot partition (type EF02), which only GRUB uses, but boots with systemd-boot. Remove the partition or use a GRUB boot loader.", h.Name),
				Subject: r})
		}
	case "grub-bios":
		if !facts.BIOSBoot {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No BIOS boot partition",
				Detail:  fmt.Sprintf("Host %q boots with GRUB in BIOS mode from a GPT disk, which needs a 1M partition of type \"EF02\" for GRUB's core image. Add one, or use an EFI boot loader.", h.Name),
				Subject: r})
		}
	}
	return diags
}

// fileStart is the start of the inventory file, for problems that belong
// to no block. An inventory built in Go has no file; diagnostics then come
// without a position.
func (inv *Inventory) fileStart() hcl.Range {
	name := inv.srcName
	if name == "" {
		name = inv.Source
	}
	return hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}
}

var keyTypes = []string{"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"}

// isBase64Word reports whether s is one or more characters of the base64
// alphabet followed by at most two "=".
func isBase64Word(s string) bool {
	n := len(s)
	for i := 0; i < 2 && n > 0 && s[n-1] == '='; i++ {
		n--
	}
	if n == 0 {
		return false
	}
	for i := range n {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c) || c == '+' || c == '/') {
			return false
		}
	}
	return true
}

func validAuthorizedKey(k string) bool {
	if strings.ContainsAny(k, "\n\r\x00") {
		return false
	}
	f := strings.Fields(k)
	// Options such as from="…" may precede the key type.
	for i, w := range f {
		if slices.Contains(keyTypes, w) {
			return i+1 < len(f) && isBase64Word(f[i+1])
		}
	}
	return false
}

var relPathRE = regexp.MustCompile(`^[a-zA-Z0-9._+-]+(/[a-zA-Z0-9._+-]+)*$`)

func validRelPath(p string) bool {
	if !relPathRE.MatchString(p) {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return false
		}
	}
	return true
}
