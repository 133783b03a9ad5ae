package nixgen

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/disko"
	"github.com/nixgen/nixgen/nixgen/nix"
	"github.com/nixgen/nixgen/sops"
)

// GeneratedFile is one file of a rendered tree.
type GeneratedFile struct {
	// Path is the slash-separated path relative to the output directory,
	// for example "hosts/web1/disko.nix".
	Path string
	// Data is the content of the file.
	Data []byte
}

// Default flake URLs of the inputs every fleet has.
const (
	DefaultDiskoURL   = "github:nix-community/disko"
	DefaultSopsNixURL = "github:Mic92/sops-nix"
)

// Header returns the header comment of a file generated from the inventory
// named source. It holds no version and no timestamp, so that output only
// changes when the inventory does. It is the same header package sops puts
// on .sops.yaml, so that one definition marks every generated file.
func Header(source string) string {
	return sops.Header(source)
}

// Render validates the inventory and returns the generated files sorted by
// path: flake.nix, and for each host hosts/NAME/default.nix, disko.nix and
// network.nix, and k3s.nix for a node of a k3s cluster, and services.nix
// for a host with SSH, fail2ban, automatic upgrade, kernel, headless or
// Longhorn settings. A host with systemd services or PostgreSQL gets
// units.nix (see [SystemdService]), and one with NixOS containers
// containers.nix (see [Container]). An inventory that sets up sops-nix
// also gets .sops.yaml, and secrets.nix for each host that receives
// secrets (see [Secret]). The diagnostics include warnings; when they hold
// an error, no files are returned.
func Render(inv *Inventory) ([]GeneratedFile, hcl.Diagnostics) {
	hosts, diags := inv.check()
	if diags.HasErrors() {
		return nil, diags
	}
	source := inv.Source
	if source == "" {
		source = "inventory"
	}
	header := []string{Header(source)}
	// flake.nix and the hosts are rendered in parallel, each into its own
	// slot, outs[0] for flake.nix and outs[1+i] for hosts[i]; the files
	// and errors are then gathered in that order, as if rendered one after
	// the other.
	outs := make([]hostOutput, 1+len(hosts))
	// A host's expressions are dropped once its files are printed, so
	// that the arena they were built in can serve the next host.
	arenas := sync.Pool{New: func() any { return new(nix.Arena) }}
	forEach(len(outs), func(i int) {
		if i == 0 {
			outs[0] = renderFile("flake.nix", nix.File{Header: header, Expr: flakeExpr(inv.Fleet, hosts)})
			return
		}
		nodes := arenas.Get().(*nix.Arena)
		outs[i] = renderHost(nodes, &hosts[i-1], header)
		nodes.Reset()
		arenas.Put(nodes)
	})
	n := 0
	for i := range outs {
		n += len(outs[i].files)
	}
	files := make([]GeneratedFile, 0, n+1)
	failed := false // whether diags holds an error
	collect := func(o *hostOutput) {
		for _, ev := range o.events {
			switch {
			case ev.diag == nil:
				if !failed {
					files = append(files, o.files[ev.file])
				}
			case ev.print && failed:
				// A file is printed only while there are no errors,
				// so a failure to print comes after none.
			default:
				diags = append(diags, ev.diag)
				failed = true
			}
		}
	}
	for i := range outs {
		collect(&outs[i])
	}
	secretFiles, sdiags := inv.renderSecrets(hosts, source)
	files, diags = append(files, secretFiles...), append(diags, sdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	slices.SortFunc(files, func(a, b GeneratedFile) int { return strings.Compare(a.Path, b.Path) })
	return files, diags
}

// hostOutput is what rendering one host, or flake.nix, gives: its files
// and the errors met, as events in the order they happened.
type hostOutput struct {
	files  []GeneratedFile
	events []renderEvent
}

// renderEvent is a file printed, or an error. Render keeps a file, or an
// error in printing one, only while it has met no error, as it would
// rendering the hosts one after the other.
type renderEvent struct {
	file  int             // index in files, when diag is nil
	diag  *hcl.Diagnostic // an error
	print bool            // diag is a failure to print a file
}

// add prints f as the file at path.
func (o *hostOutput) add(path string, f nix.File) {
	data, err := f.Bytes()
	if err != nil {
		o.fail(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot print " + path, Detail: err.Error() + "."}, true)
		return
	}
	o.events = append(o.events, renderEvent{file: len(o.files)})
	o.files = append(o.files, GeneratedFile{Path: path, Data: data})
}

// fail records an error.
func (o *hostOutput) fail(d *hcl.Diagnostic, print bool) {
	o.events = append(o.events, renderEvent{diag: d, print: print})
}

// failed reports whether an error has been recorded.
func (o *hostOutput) failed() bool {
	for _, ev := range o.events {
		if ev.diag != nil {
			return true
		}
	}
	return false
}

// renderFile prints the single file f at path.
func renderFile(path string, f nix.File) hostOutput {
	var o hostOutput
	o.add(path, f)
	return o
}

// renderHost builds and prints the files of host h, with the nodes of
// their expressions taken from nodes. What it returns holds none of them.
func renderHost(nodes *nix.Arena, h *checkedHost, header []string) hostOutput {
	o := hostOutput{files: make([]GeneratedFile, 0, 4), events: make([]renderEvent, 0, 4)}
	// Once an error is met, files are still built, for the errors they
	// may have, but no longer printed.
	add := func(path string, f nix.File) {
		if !o.failed() {
			o.add(path, f)
		}
	}
	dir := "hosts/" + h.Name + "/"
	add(dir+"default.nix", nix.File{Header: header, Expr: hostExpr(nodes, h)})
	if h.layout != nil && hasStorage(&h.Machine) {
		disk := h.disk
		if disk == nil {
			disk = h.layout.Analyze()
		}
		e, err := disk.NixIn(nodes)
		if err != nil {
			o.fail(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot write the disk layout", Detail: err.Error() + ".", Subject: h.DefRange.Ptr()}, false)
			return o
		}
		add(dir+"disko.nix", nix.File{Header: header, Expr: e})
	}
	e, err := checkedNetworkModule(nodes, h)
	if err != nil {
		o.fail(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot write the network configuration", Detail: err.Error() + ".", Subject: h.DefRange.Ptr()}, false)
		return o
	}
	add(dir+"network.nix", nix.File{Header: header, Expr: e})
	if h.k3s != nil {
		e, err := h.k3s.module()
		if err != nil {
			o.fail(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot write the k3s configuration", Detail: err.Error() + ".", Subject: h.K3s.DefRange.Ptr()}, false)
			return o
		}
		add(dir+"k3s.nix", nix.File{Header: header, Expr: e})
	}
	if h.hostServices != nil {
		add(dir+"services.nix", nix.File{Header: header, Expr: h.hostServices.module()})
	}
	for _, w := range h.workloadFiles() {
		add(dir+w.name, nix.File{Header: header, Expr: w.expr})
	}
	return o
}

// flakeExpr builds flake.nix.
func flakeExpr(f *Fleet, hosts []checkedHost) nix.Expr {
	disko, sops := DefaultDiskoURL, DefaultSopsNixURL
	if f.Disko != "" {
		disko = f.Disko
	}
	if f.SopsNix != "" {
		sops = f.SopsNix
	}
	follows := func(url string) nix.Expr {
		return nix.Set(nix.Bind("url", nix.Str(url)), nix.Bind("inputs.nixpkgs.follows", nix.Str("nixpkgs")))
	}
	inputs := []nix.Item{
		nix.Bind("nixpkgs.url", nix.Str(f.Nixpkgs)),
		nix.Bind("disko", follows(disko)),
		nix.Bind("sops-nix", follows(sops)),
	}
	formals := []string{"self", "nixpkgs", "disko", "sops-nix"}
	extra := slices.Clone(f.Inputs)
	slices.SortFunc(extra, func(a, b Input) int { return strings.Compare(a.Name, b.Name) })
	for _, in := range extra {
		if in.FollowNixpkgs == nil || *in.FollowNixpkgs {
			inputs = append(inputs, nix.BindPath(nix.AttrPath{in.Name}, follows(in.URL)))
		} else {
			inputs = append(inputs, nix.BindPath(nix.AttrPath{in.Name, "url"}, nix.Str(in.URL)))
		}
	}
	// The hosts' entries differ only in their name and system; the nodes
	// of the rest are shared, and the others come from an arena.
	var nodes nix.Arena
	nixosSystem := nix.Ref("nixpkgs.lib.nixosSystem")
	var specialArgs nix.Expr = nix.Set(nix.InheritNames("inputs"))
	diskoModule, sopsModule := nix.Ref("disko.nixosModules.disko"), nix.Ref("sops-nix.nixosModules.sops")
	configs := nodes.Items(len(hosts))
	for _, h := range hosts {
		modules := append(nodes.Exprs(3), diskoModule, sopsModule, nix.Path("./hosts/"+h.Name))
		items := append(nodes.Items(3),
			nodes.Bind("system", nodes.Str(deref(h.System))),
			nodes.Bind("specialArgs", specialArgs),
			nodes.Bind("modules", nodes.List(modules...)),
		)
		configs = append(configs, nodes.BindPath(nodes.Names(h.Name), nix.Apply{Fn: nixosSystem, Arg: nodes.Set(items...)}))
	}
	outputs := nix.Lambda{
		Param:   "inputs",
		Formals: &nix.Formals{Ellipsis: true},
		Body:    nix.Set(nix.Bind("nixosConfigurations", nix.Set(configs...))),
	}
	for _, n := range formals {
		outputs.Formals.Names = append(outputs.Formals.Names, nix.Formal{Name: n})
	}
	return nix.Set(
		nix.Bind("inputs", nix.Set(inputs...)),
		nix.Bind("outputs", outputs),
	)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// hostExpr builds hosts/NAME/default.nix, with its nodes taken from nodes.
func hostExpr(nodes *nix.Arena, h *checkedHost) nix.Expr {
	imports := nodes.Exprs(8 + len(h.Imports))
	if h.HardwareConfiguration != nil {
		imports = append(imports, nix.Path("../../"+*h.HardwareConfiguration))
	}
	if hasStorage(&h.Machine) {
		imports = append(imports, nix.Path("./disko.nix"))
	}
	imports = append(imports, nix.Path("./network.nix"))
	if h.k3s != nil {
		imports = append(imports, nix.Path("./k3s.nix"))
	}
	if h.hostServices != nil {
		imports = append(imports, nix.Path("./services.nix"))
	}
	imports = append(imports, h.workloadImports()...)
	if h.secrets {
		imports = append(imports, nix.Path("./secrets.nix"))
	}
	for _, p := range h.Imports {
		imports = append(imports, nix.Path("../../"+p))
	}
	items := nodes.Items(10)[:2]
	items[0] = nodes.Bind("imports", nodes.List(imports...))
	items[1] = nodes.Bind("networking.hostName", nodes.Str(h.Name))
	if h.layout != nil && h.layout.HasZFS() {
		items = append(items,
			nodes.Bind("networking.hostId", nodes.Str(disko.HostID(h.Name))).Comment("ZFS refuses to import pools without a host ID; derived from the host name."),
			nodes.Bind("boot.supportedFilesystems", nodes.Strs("zfs")),
		)
	}
	if h.BootLoader != nil {
		switch *h.BootLoader {
		case "systemd-boot":
			items = append(items,
				nodes.Bind("boot.loader.systemd-boot.enable", nix.Bool(true)),
				nodes.Bind("boot.loader.efi.canTouchEfiVariables", nix.Bool(true)),
			)
		case "grub-efi", "grub-efi-removable":
			grub := append(nodes.Items(4),
				nodes.Bind("enable", nix.Bool(true)),
				nodes.Bind("efiSupport", nix.Bool(true)),
			)
			if *h.BootLoader == "grub-efi-removable" {
				grub = append(grub, nodes.Bind("efiInstallAsRemovable", nix.Bool(true)))
			}
			if !hasBIOSBoot(h) {
				// Without a BIOS boot partition, disko adds no device
				// and GRUB installs to the ESP only.
				grub = append(grub, nodes.Bind("devices", nodes.Strs("nodev")))
			}
			items = append(items, nodes.Bind("boot.loader.grub", nodes.Set(grub...)))
			if *h.BootLoader == "grub-efi" {
				items = append(items, nodes.Bind("boot.loader.efi.canTouchEfiVariables", nix.Bool(true)))
			}
		case "grub-bios":
			items = append(items, nodes.Bind("boot.loader.grub.enable", nix.Bool(true)).
				Comment("disko adds every disk with an EF02 partition to boot.loader.grub.devices."))
		}
	}
	if h.TimeZone != nil {
		items = append(items, nodes.Bind("time.timeZone", nodes.Str(*h.TimeZone)))
	}
	if len(h.AuthorizedKeys) > 0 {
		items = append(items, nodes.Bind("users.users.root.openssh.authorizedKeys.keys", nodes.Strs(h.AuthorizedKeys...)))
	}
	items = append(items, nodes.Bind("system.stateVersion", nodes.Str(deref(h.StateVersion))))
	return nodes.Module(nil, nodes.Set(items...))
}

// hasBIOSBoot reports whether the disk layout of h has a BIOS boot
// partition.
func hasBIOSBoot(h *checkedHost) bool {
	if h.layout == nil {
		return false
	}
	if h.disk != nil {
		return h.disk.Boot().BIOSBoot
	}
	return h.layout.HasBIOSBoot()
}

// String returns a short description of the file for messages.
func (f GeneratedFile) String() string {
	return fmt.Sprintf("%s (%d bytes)", f.Path, len(f.Data))
}
