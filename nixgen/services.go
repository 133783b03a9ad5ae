package nixgen

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// This file holds the host services of an inventory: the ssh, fail2ban,
// auto_upgrade and kernel blocks and the headless and longhorn settings
// of hosts and profiles, their checks, and the hosts/NAME/services.nix
// they render to. A host that uses none of them gets no services.nix.
//
//	profile "hardened" {
//	  headless = true                       # profiles/headless.nix
//	  longhorn = true                       # what Longhorn needs on the host
//	  ssh {
//	    permit_root_login       = "no"
//	    password_authentication = false
//	    log_level               = "VERBOSE"
//	    users = { ben = ["ssh-ed25519 AAAA… ben@laptop"] }
//	  }
//	  fail2ban {
//	    incremental = true                  # bantime-increment
//	    max_retry   = 5
//	    ignore      = ["198.51.100.7"]      # besides the fleet's addresses
//	  }
//	  auto_upgrade {
//	    flake         = "github:owner/infra"  # "#HOST" is appended
//	    schedule      = "Sun 04:00"
//	    allow_reboot  = true
//	    reboot_window = { lower = "01:00", upper = "05:00" }
//	  }
//	  kernel {
//	    params = ["console=ttyS0,115200n8", "console=tty0", "reboot=acpi"]
//	  }
//	}
//
// Each block is laid over the inherited one field by field, as every
// other block is: a value the host sets wins, and a list it sets (even
// to []) replaces the inherited list; the users of an ssh block merge
// user by user.

// SSH configures the OpenSSH server, `ssh { … }` in a host or a profile.
// A host with the block gets services.openssh.enable = true and the
// settings the block sets; the others keep NixOS's defaults
// (PermitRootLogin "prohibit-password", PasswordAuthentication and
// KbdInteractiveAuthentication true, LogLevel "INFO", X11Forwarding
// false).
type SSH struct {
	// PermitRootLogin is services.openssh.settings.PermitRootLogin: "no",
	// "prohibit-password" (keys only), "forced-commands-only" or "yes".
	PermitRootLogin *string `hcl:"permit_root_login,optional"`
	// PasswordAuthentication is settings.PasswordAuthentication: whether
	// users may log in with their password. NixOS also lets PAM check
	// passwords only when it is true.
	PasswordAuthentication *bool `hcl:"password_authentication,optional"`
	// KbdInteractiveAuthentication is
	// settings.KbdInteractiveAuthentication.
	KbdInteractiveAuthentication *bool `hcl:"kbd_interactive_authentication,optional"`
	// LogLevel is settings.LogLevel: "QUIET", "FATAL", "ERROR", "INFO",
	// "VERBOSE" (which fail2ban needs to see failed key logins), "DEBUG"
	// or "DEBUG1" to "DEBUG3".
	LogLevel *string `hcl:"log_level,optional"`
	// X11Forwarding is settings.X11Forwarding.
	X11Forwarding *bool `hcl:"x11_forwarding,optional"`
	// Users maps user names to the SSH public keys that may log in as
	// them. Each user is declared as a normal user,
	// users.users.NAME.isNormalUser = true, with the keys in
	// openssh.authorizedKeys.keys: NixOS refuses a user that is neither
	// a normal nor a system user, and with root login off these users
	// are the way in. nixgen sets no password, group or shell for them;
	// a hand-written module adds those (extraGroups = [ "wheel" ] for
	// sudo, for example). Root is not among them: root's keys are the
	// host's authorized_keys.
	Users map[string][]string `hcl:"users,optional"`
	// AllowPasswordWithRoot accepts password authentication together
	// with permit_root_login = "yes", which is otherwise an error.
	AllowPasswordWithRoot *bool `hcl:"allow_password_with_root,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange                          hcl.Range `hcl:",def_range"`
	PermitRootLoginRange              hcl.Range `hcl:"permit_root_login,attr_value_range"`
	PasswordAuthenticationRange       hcl.Range `hcl:"password_authentication,attr_value_range"`
	KbdInteractiveAuthenticationRange hcl.Range `hcl:"kbd_interactive_authentication,attr_value_range"`
	LogLevelRange                     hcl.Range `hcl:"log_level,attr_value_range"`
	X11ForwardingRange                hcl.Range `hcl:"x11_forwarding,attr_value_range"`
	UsersRange                        hcl.Range `hcl:"users,attr_value_range"`
	AllowPasswordWithRootRange        hcl.Range `hcl:"allow_password_with_root,attr_value_range"`

	// UserRanges are, in a resolved host, the ranges of the users maps
	// that each user comes from, for diagnostics; see [Inventory.Resolve].
	UserRanges map[string]hcl.Range
}

// Fail2ban enables fail2ban, `fail2ban { … }` in a host or a profile.
// NixOS's fail2ban module watches sshd when OpenSSH is enabled. Besides
// the loopback addresses, which NixOS never bans, fail2ban ignores the
// static addresses of every host of the fleet and the Ignore list.
type Fail2ban struct {
	// Enable is services.fail2ban.enable; nil means true, and false
	// turns off fail2ban that a profile enables.
	Enable *bool `hcl:"enable,optional"`
	// Incremental is services.fail2ban.bantime-increment.enable: every
	// new ban of an address lasts longer than the one before.
	Incremental *bool `hcl:"incremental,optional"`
	// MaxRetry is services.fail2ban.maxretry, the failures that get an
	// address banned; NixOS's default is 3.
	MaxRetry *int `hcl:"max_retry,optional"`
	// Ignore are more addresses or prefixes never to ban, such as the
	// admin's, after the fleet's own.
	Ignore []string `hcl:"ignore,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange         hcl.Range `hcl:",def_range"`
	EnableRange      hcl.Range `hcl:"enable,attr_value_range"`
	IncrementalRange hcl.Range `hcl:"incremental,attr_value_range"`
	MaxRetryRange    hcl.Range `hcl:"max_retry,attr_value_range"`
	IgnoreRange      hcl.Range `hcl:"ignore,attr_value_range"`
}

// AutoUpgrade makes the host upgrade itself from its flake,
// `auto_upgrade { … }` in a host or a profile: system.autoUpgrade, with
// flake set to Flake followed by "#" and the host name.
//
// Servers of a k3s cluster must not reboot together: etcd stops when it
// loses the majority of its members. Two or more servers of one cluster
// with allow_reboot and the same schedule, which is what a schedule
// inherited from a profile gives, are an error; each server needs a
// schedule of its own, such as "Sun 04:00", "Mon 04:00" and "Tue 04:00".
// Schedules are compared as written, apart from spaces.
type AutoUpgrade struct {
	// Enable is system.autoUpgrade.enable; nil means true, and false
	// turns off the upgrades that a profile enables.
	Enable *bool `hcl:"enable,optional"`
	// Flake is the flake the host upgrades from, such as
	// "github:owner/infra", without a "#" fragment: nixgen appends
	// "#HOST". It is required.
	Flake *string `hcl:"flake,optional"`
	// Schedule is system.autoUpgrade.dates, a systemd calendar event
	// such as "Sun 04:00" or "daily"; NixOS's default is "04:40".
	Schedule *string `hcl:"schedule,optional"`
	// RandomizedDelay is randomizedDelaySec, a systemd time span such as
	// "45min": each run starts up to that much later.
	RandomizedDelay *string `hcl:"randomized_delay,optional"`
	// FixedRandomDelay is fixedRandomDelay: the random delay stays the
	// same from one run to the next.
	FixedRandomDelay *bool `hcl:"fixed_random_delay,optional"`
	// AllowReboot is allowReboot: reboot into the new system when its
	// kernel, modules or initrd changed, instead of switching to it.
	AllowReboot *bool `hcl:"allow_reboot,optional"`
	// RebootWindow is rebootWindow, { lower = "01:00", upper = "05:00" }:
	// the times of day (HH:MM) between which the upgrade may reboot. A
	// run outside the window switches when it can and skips the reboot
	// otherwise. A window with lower after upper spans midnight.
	RebootWindow map[string]string `hcl:"reboot_window,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange              hcl.Range `hcl:",def_range"`
	EnableRange           hcl.Range `hcl:"enable,attr_value_range"`
	FlakeRange            hcl.Range `hcl:"flake,attr_value_range"`
	ScheduleRange         hcl.Range `hcl:"schedule,attr_value_range"`
	RandomizedDelayRange  hcl.Range `hcl:"randomized_delay,attr_value_range"`
	FixedRandomDelayRange hcl.Range `hcl:"fixed_random_delay,attr_value_range"`
	AllowRebootRange      hcl.Range `hcl:"allow_reboot,attr_value_range"`
	RebootWindowRange     hcl.Range `hcl:"reboot_window,attr_value_range"`
}

// Kernel holds kernel and boot settings, `kernel { … }` in a host or a
// profile. Each list is written in the order given, without repeats.
type Kernel struct {
	// Modules are boot.kernelModules, loaded at boot, such as "kvm-intel".
	Modules []string `hcl:"modules,optional"`
	// Params are boot.kernelParams, such as "console=ttyS0,115200n8".
	Params []string `hcl:"params,optional"`
	// InitrdModules are boot.initrd.availableKernelModules, the modules
	// the initrd may need to find the root file system, such as
	// "virtio_scsi".
	InitrdModules []string `hcl:"initrd_modules,optional"`
	// SupportedFilesystems are boot.supportedFilesystems, such as "nfs".
	// A host with a ZFS pool has "zfs" in its default.nix already.
	SupportedFilesystems []string `hcl:"supported_filesystems,optional"`

	// Ranges of the block and its fields, for diagnostics.
	DefRange                  hcl.Range `hcl:",def_range"`
	ModulesRange              hcl.Range `hcl:"modules,attr_value_range"`
	ParamsRange               hcl.Range `hcl:"params,attr_value_range"`
	InitrdModulesRange        hcl.Range `hcl:"initrd_modules,attr_value_range"`
	SupportedFilesystemsRange hcl.Range `hcl:"supported_filesystems,attr_value_range"`
}

// The accepted values of the enumerated ssh settings, as NixOS's
// services.openssh.settings types them.
var (
	sshRootLogins = []string{"no", "prohibit-password", "forced-commands-only", "yes"}
	sshLogLevels  = []string{"QUIET", "FATAL", "ERROR", "INFO", "VERBOSE", "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3"}
)

// nixosDefaultUpgradeSchedule is system.autoUpgrade.dates when unset.
const nixosDefaultUpgradeSchedule = "04:40"

// sshUserNameRE is a portable Linux user name, as useradd accepts it.
var sshUserNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)

// kernelModuleRE is a kernel module name; modprobe takes - and _ alike.
var kernelModuleRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// filesystemRE is a file system type as boot.supportedFilesystems names
// it, such as "nfs4" or "fuse.sshfs".
var filesystemRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// timeOfDayRE is a time of day HH:MM, stricter than NixOS's
// rebootWindow type ("[[:digit:]]{2}:[[:digit:]]{2}"), which compares
// times as strings.
var timeOfDayRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// upgradeDelayRE is a systemd time span (systemd.time(7)), such as "45min",
// "1h 30min" or "3600".
var upgradeDelayRE = regexp.MustCompile(`^\s*([0-9]+(\.[0-9]+)?\s*(usec|us|µs|msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h|days|day|d|weeks|week|w|months|month|M|years|year|y)?\s*)+$`)

// weekdayScheduleRE is a weekly calendar event of one weekday and a
// time, such as "Sun 04:00", for which the stagger lint suggests the
// following days.
var weekdayScheduleRE = regexp.MustCompile(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(\S+)$`)

var upgradeWeekdays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// mergeHostServices lays the service settings of layer over dst.
func mergeHostServices(dst, layer *Machine) {
	overPtr(&dst.Headless, &dst.HeadlessRange, layer.Headless, layer.HeadlessRange)
	overPtr(&dst.Longhorn, &dst.LonghornRange, layer.Longhorn, layer.LonghornRange)
	dst.SSH = mergeSSH(dst.SSH, layer.SSH)
	dst.Fail2ban = mergeFail2ban(dst.Fail2ban, layer.Fail2ban)
	dst.AutoUpgrade = mergeAutoUpgrade(dst.AutoUpgrade, layer.AutoUpgrade)
	dst.Kernel = mergeKernel(dst.Kernel, layer.Kernel)
}

// mergeSSH returns l laid over d, sharing no memory with either: fields
// one by one, users one by one.
func mergeSSH(d, l *SSH) *SSH {
	if d == nil && l == nil {
		return nil
	}
	out := &SSH{}
	for _, layer := range []*SSH{d, l} {
		if layer == nil {
			continue
		}
		overPtr(&out.PermitRootLogin, &out.PermitRootLoginRange, layer.PermitRootLogin, layer.PermitRootLoginRange)
		overPtr(&out.PasswordAuthentication, &out.PasswordAuthenticationRange, layer.PasswordAuthentication, layer.PasswordAuthenticationRange)
		overPtr(&out.KbdInteractiveAuthentication, &out.KbdInteractiveAuthenticationRange, layer.KbdInteractiveAuthentication, layer.KbdInteractiveAuthenticationRange)
		overPtr(&out.LogLevel, &out.LogLevelRange, layer.LogLevel, layer.LogLevelRange)
		overPtr(&out.X11Forwarding, &out.X11ForwardingRange, layer.X11Forwarding, layer.X11ForwardingRange)
		overPtr(&out.AllowPasswordWithRoot, &out.AllowPasswordWithRootRange, layer.AllowPasswordWithRoot, layer.AllowPasswordWithRootRange)
		if layer.Users != nil {
			if out.Users == nil {
				out.Users = make(map[string][]string, len(layer.Users))
				out.UserRanges = make(map[string]hcl.Range, len(layer.Users))
			}
			for name, keys := range layer.Users {
				out.Users[name] = slices.Clone(keys)
				out.UserRanges[name] = layer.UsersRange
				if r, ok := layer.UserRanges[name]; ok {
					out.UserRanges[name] = r
				}
			}
			out.UsersRange = layer.UsersRange
		}
		out.DefRange = layer.DefRange
	}
	return out
}

// mergeFail2ban returns l laid over d, sharing no memory with either.
func mergeFail2ban(d, l *Fail2ban) *Fail2ban {
	if d == nil && l == nil {
		return nil
	}
	out := &Fail2ban{}
	for _, layer := range []*Fail2ban{d, l} {
		if layer == nil {
			continue
		}
		overPtr(&out.Enable, &out.EnableRange, layer.Enable, layer.EnableRange)
		overPtr(&out.Incremental, &out.IncrementalRange, layer.Incremental, layer.IncrementalRange)
		overPtr(&out.MaxRetry, &out.MaxRetryRange, layer.MaxRetry, layer.MaxRetryRange)
		overList(&out.Ignore, &out.IgnoreRange, layer.Ignore, layer.IgnoreRange)
		out.DefRange = layer.DefRange
	}
	return out
}

// mergeAutoUpgrade returns l laid over d, sharing no memory with either.
// The reboot window is replaced as a whole.
func mergeAutoUpgrade(d, l *AutoUpgrade) *AutoUpgrade {
	if d == nil && l == nil {
		return nil
	}
	out := &AutoUpgrade{}
	for _, layer := range []*AutoUpgrade{d, l} {
		if layer == nil {
			continue
		}
		overPtr(&out.Enable, &out.EnableRange, layer.Enable, layer.EnableRange)
		overPtr(&out.Flake, &out.FlakeRange, layer.Flake, layer.FlakeRange)
		overPtr(&out.Schedule, &out.ScheduleRange, layer.Schedule, layer.ScheduleRange)
		overPtr(&out.RandomizedDelay, &out.RandomizedDelayRange, layer.RandomizedDelay, layer.RandomizedDelayRange)
		overPtr(&out.FixedRandomDelay, &out.FixedRandomDelayRange, layer.FixedRandomDelay, layer.FixedRandomDelayRange)
		overPtr(&out.AllowReboot, &out.AllowRebootRange, layer.AllowReboot, layer.AllowRebootRange)
		if layer.RebootWindow != nil {
			out.RebootWindow, out.RebootWindowRange = maps.Clone(layer.RebootWindow), layer.RebootWindowRange
		}
		out.DefRange = layer.DefRange
	}
	return out
}

// mergeKernel returns l laid over d, sharing no memory with either.
func mergeKernel(d, l *Kernel) *Kernel {
	if d == nil && l == nil {
		return nil
	}
	out := &Kernel{}
	for _, layer := range []*Kernel{d, l} {
		if layer == nil {
			continue
		}
		overList(&out.Modules, &out.ModulesRange, layer.Modules, layer.ModulesRange)
		overList(&out.Params, &out.ParamsRange, layer.Params, layer.ParamsRange)
		overList(&out.InitrdModules, &out.InitrdModulesRange, layer.InitrdModules, layer.InitrdModulesRange)
		overList(&out.SupportedFilesystems, &out.SupportedFilesystemsRange, layer.SupportedFilesystems, layer.SupportedFilesystemsRange)
		out.DefRange = layer.DefRange
	}
	return out
}

// hostServicesPlan is what a host's services.nix renders from.
type hostServicesPlan struct {
	host     string
	headless bool
	ssh      *SSH
	// users are the names of ssh.users, sorted.
	users    []string
	fail2ban *Fail2ban // nil unless enabled
	// ignoreIP is fail2ban's ignoreIP: the fleet's addresses, then the
	// ignore list.
	ignoreIP []string
	upgrade  *AutoUpgrade // nil unless enabled
	// The kernel lists, without repeats, with what Longhorn needs added
	// and, on a host with ZFS, without the "zfs" that default.nix sets.
	kernelModules, kernelParams, initrdModules, filesystems []string
	longhorn                                                bool
	// longhornModule and longhornFS tell that Longhorn added dm_crypt to
	// the modules and nfs to the file systems.
	longhornModule, longhornFS bool
}

// empty reports whether the plan sets nothing, so that the host needs no
// services.nix.
func (p *hostServicesPlan) empty() bool {
	return !p.headless && p.ssh == nil && p.fail2ban == nil && p.upgrade == nil && !p.longhorn &&
		len(p.kernelModules)+len(p.kernelParams)+len(p.initrdModules)+len(p.filesystems) == 0
}

// checkHostServices checks the service settings of the resolved hosts, sets
// the services plan of those that need a services.nix, and checks that
// the servers of each k3s cluster do not reboot together. It runs after
// [Inventory.checkK3s], which tells the servers.
func (inv *Inventory) checkHostServices(hosts []checkedHost) hcl.Diagnostics {
	var diags hcl.Diagnostics
	// The fleet's addresses are only needed by hosts with fail2ban; they
	// are gathered, and written as text, once.
	var fleet []string
	fleetDone := false
	fleetText := func() []string {
		if !fleetDone {
			addrs := fail2banFleetAddresses(hosts)
			fleet = make([]string, len(addrs))
			for i, a := range addrs {
				fleet[i] = a.String()
			}
			fleetDone = true
		}
		return fleet
	}
	for i := range hosts {
		h := &hosts[i]
		p := inv.hostServicesOf(h, fleetText, &diags)
		if !p.empty() {
			h.hostServices = p
		}
	}
	diags = append(diags, checkUpgradeStagger(hosts)...)
	return diags
}

// fail2banFleetAddresses returns the static addresses of every host's
// interfaces, sorted, without repeats; those that do not parse are
// reported by the network checks.
func fail2banFleetAddresses(hosts []checkedHost) []netip.Addr {
	var out []netip.Addr
	for _, h := range hosts {
		for _, in := range h.Interfaces {
			for _, s := range in.Addresses {
				if p, err := netip.ParsePrefix(s); err == nil {
					out = append(out, p.Addr())
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b netip.Addr) int { return a.Compare(b) })
	return slices.Compact(out)
}

// hostServicesOf checks the service settings of host h and returns its plan.
// fleetText returns the text of fail2banFleetAddresses.
func (inv *Inventory) hostServicesOf(h *checkedHost, fleetText func() []string, diags *hcl.Diagnostics) *hostServicesPlan {
	errorf := func(r *hcl.Range, summary, format string, args ...any) *hcl.Diagnostic {
		d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r}
		*diags = append(*diags, d)
		return d
	}
	enum := func(v *string, r *hcl.Range, what string, allowed []string) {
		if v == nil || slices.Contains(allowed, *v) {
			return
		}
		detail := fmt.Sprintf("%q is not a known %s. Use one of: %s.", *v, what, strings.Join(allowed, ", "))
		if *v == "without-password" {
			detail += " It is the old name of \"prohibit-password\"."
		} else {
			detail += didYouMean(*v, allowed)
		}
		errorf(r, "Invalid "+what, "%s", detail)
	}
	p := &hostServicesPlan{host: h.Name}
	p.headless = h.Headless != nil && *h.Headless
	p.longhorn = h.Longhorn != nil && *h.Longhorn

	if s := h.SSH; s != nil {
		p.ssh = s
		enum(s.PermitRootLogin, netFirst(s.PermitRootLoginRange, s.DefRange), "permit_root_login", sshRootLogins)
		enum(s.LogLevel, netFirst(s.LogLevelRange, s.DefRange), "log_level", sshLogLevels)
		// NixOS's PasswordAuthentication defaults to true, and PAM
		// checks passwords only when it is true, so it alone decides
		// whether passwords work.
		password := s.PasswordAuthentication == nil || *s.PasswordAuthentication
		if s.PermitRootLogin != nil && *s.PermitRootLogin == "yes" && password &&
			(s.AllowPasswordWithRoot == nil || !*s.AllowPasswordWithRoot) {
			how := "password_authentication = true"
			at := netFirst(s.PasswordAuthenticationRange, s.PermitRootLoginRange, s.DefRange)
			if s.PasswordAuthentication == nil {
				how = "password_authentication unset, which NixOS takes as true"
				at = netFirst(s.PermitRootLoginRange, s.DefRange)
			}
			errorf(at, "Password login as root",
				"permit_root_login = \"yes\" with %s lets anyone on the network try passwords for root, the account every scanner guesses. Set password_authentication = false and log in with keys, or set permit_root_login = \"prohibit-password\"; if passwords for root are really wanted, say so with allow_password_with_root = true.", how)
		}
		for _, name := range slices.Sorted(maps.Keys(s.Users)) {
			users := netFirstRange(s.UserRanges[name], s.UsersRange, s.DefRange)
			at := inv.mapEntryRange(users, name, -1)
			switch {
			case name == "root":
				errorf(at.Ptr(), "Root in ssh users", "The ssh users are declared as normal users, which root cannot be. Give root's keys in authorized_keys instead.")
				continue
			case !sshUserNameRE.MatchString(name):
				errorf(at.Ptr(), "Invalid user name", "%q is not a user name: use at most 32 lower-case letters, digits, - and _, starting with a letter or _.", name)
				continue
			}
			p.users = append(p.users, name)
			for i, k := range s.Users[name] {
				if !validAuthorizedKey(k) {
					r := inv.mapEntryRange(users, name, i)
					errorf(r.Ptr(), "Invalid SSH public key", "%q is not an SSH public key line. Use the content of a .pub file, for example \"ssh-ed25519 AAAA… user@host\".", k)
				}
			}
		}
	}

	if f := h.Fail2ban; f != nil && (f.Enable == nil || *f.Enable) {
		p.fail2ban = f
		if f.MaxRetry != nil && *f.MaxRetry < 1 {
			errorf(netFirst(f.MaxRetryRange, f.DefRange), "Invalid max_retry", "max_retry is %d; give the number of failures, 1 or more, that gets an address banned.", *f.MaxRetry)
		}
		fleet := fleetText()
		seen := make(map[string]bool, len(fleet)+len(f.Ignore))
		for _, s := range fleet {
			seen[s] = true
			p.ignoreIP = append(p.ignoreIP, s)
		}
		for i, s := range f.Ignore {
			pr, warning, problem := parseSource(s)
			what := fmt.Sprintf("The fail2ban ignore entry %q", s)
			switch {
			case problem != "":
				*diags = append(*diags, atElement(netError("Invalid fail2ban ignore entry", what+" "+problem+".", f.IgnoreRange, f.DefRange), i))
				continue
			case warning != "":
				*diags = append(*diags, atElement(netWarning("Source has host bits", what+" "+warning, f.IgnoreRange, f.DefRange), i))
			}
			text := pr.String()
			if pr.IsSingleIP() {
				text = pr.Addr().String()
			}
			if !seen[text] {
				seen[text] = true
				p.ignoreIP = append(p.ignoreIP, text)
			}
		}
	}

	if u := h.AutoUpgrade; u != nil && (u.Enable == nil || *u.Enable) {
		p.upgrade = u
		inv.checkAutoUpgrade(h, u, diags)
	}

	if k := h.Kernel; k != nil {
		list := func(vs []string, r hcl.Range, what, summary string, ok func(string) string) []string {
			var out []string
			for i, v := range vs {
				if problem := ok(v); problem != "" {
					*diags = append(*diags, atElement(netError(summary, fmt.Sprintf("The %s %q %s.", what, v, problem), r, k.DefRange), i))
					continue
				}
				if !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
			return out
		}
		module := func(v string) string {
			if !kernelModuleRE.MatchString(v) {
				return "is not a kernel module name: use letters, digits, - and _, without the .ko suffix"
			}
			return ""
		}
		p.kernelModules = list(k.Modules, k.ModulesRange, "kernel module", "Invalid kernel module", module)
		p.kernelParams = list(k.Params, k.ParamsRange, "kernel parameter", "Invalid kernel parameter", kernelParamProblem)
		p.initrdModules = list(k.InitrdModules, k.InitrdModulesRange, "kernel module", "Invalid kernel module", module)
		p.filesystems = list(k.SupportedFilesystems, k.SupportedFilesystemsRange, "file system", "Invalid file system", func(v string) string {
			if !filesystemRE.MatchString(v) {
				return "is not a file system type such as \"nfs\" or \"btrfs\""
			}
			return ""
		})
	}
	if p.longhorn {
		if !slices.Contains(p.kernelModules, "dm_crypt") && !slices.Contains(p.kernelModules, "dm-crypt") {
			p.kernelModules = append(p.kernelModules, "dm_crypt")
			p.longhornModule = true
		}
		if !slices.Contains(p.filesystems, "nfs") && !slices.Contains(p.filesystems, "nfs4") {
			p.filesystems = append(p.filesystems, "nfs")
			p.longhornFS = true
		}
	}
	if h.layout != nil && h.layout.HasZFS() {
		// default.nix sets boot.supportedFilesystems = [ "zfs" ].
		p.filesystems = slices.DeleteFunc(p.filesystems, func(s string) bool { return s == "zfs" })
	}
	return p
}

// checkAutoUpgrade checks the auto_upgrade block u of host h.
func (inv *Inventory) checkAutoUpgrade(h *checkedHost, u *AutoUpgrade, diags *hcl.Diagnostics) {
	errorf := func(r *hcl.Range, summary, format string, args ...any) {
		*diags = append(*diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: r})
	}
	switch f := u.Flake; {
	case f == nil:
		errorf(u.DefRange.Ptr(), "Missing auto_upgrade flake", "This auto_upgrade block has no flake, and it inherits none. Set flake to the flake that holds the configuration, such as \"github:owner/infra\"; without one, NixOS would upgrade from a channel and replace the configuration with the channel's.")
	case *f == "" || strings.ContainsAny(*f, " \t\r\n"):
		errorf(netFirst(u.FlakeRange, u.DefRange), "Invalid auto_upgrade flake", "%q is not a flake reference such as \"github:owner/infra\".", *f)
	case strings.Contains(*f, "#"):
		base, _, _ := strings.Cut(*f, "#")
		errorf(netFirst(u.FlakeRange, u.DefRange), "Flake with a fragment", "%q names an output; nixgen appends \"#\" and the host name itself. Write %q.", *f, base)
	}
	if s := u.Schedule; s != nil && (strings.TrimSpace(*s) == "" || strings.ContainsAny(*s, "\r\n\x00")) {
		errorf(netFirst(u.ScheduleRange, u.DefRange), "Invalid schedule", "%q is not a systemd calendar event such as \"Sun 04:00\" or \"daily\".", *s)
	}
	if d := u.RandomizedDelay; d != nil && !upgradeDelayRE.MatchString(*d) {
		errorf(netFirst(u.RandomizedDelayRange, u.DefRange), "Invalid randomized_delay", "%q is not a systemd time span such as \"45min\" or \"1h 30min\".", *d)
	}
	if w := u.RebootWindow; w != nil {
		at := netFirstRange(u.RebootWindowRange, u.DefRange)
		ok := true
		for _, k := range slices.Sorted(maps.Keys(w)) {
			if k == "lower" || k == "upper" {
				continue
			}
			ok = false
			detail := fmt.Sprintf("The reboot window has a key %q; it takes lower and upper only, such as { lower = \"01:00\", upper = \"05:00\" }.", k)
			detail += didYouMean(k, []string{"lower", "upper"})
			errorf(inv.mapEntryRange(at, k, -1).Ptr(), "Invalid reboot_window", "%s", detail)
		}
		for _, k := range []string{"lower", "upper"} {
			v, set := w[k]
			switch {
			case !set && !ok:
				// A misspelt key is reported above.
			case !set:
				ok = false
				errorf(at.Ptr(), "Invalid reboot_window", "The reboot window has no %s time. Give both, such as { lower = \"01:00\", upper = \"05:00\" }.", k)
			case !timeOfDayRE.MatchString(v):
				ok = false
				errorf(inv.mapEntryRange(at, k, -1).Ptr(), "Invalid reboot_window", "The %s time %q is not a time of day HH:MM, such as \"01:00\".", k, v)
			}
		}
		if ok && w["lower"] == w["upper"] {
			errorf(at.Ptr(), "Empty reboot window", "The reboot window starts and ends at %s. Give the times between which a reboot is allowed, such as { lower = \"01:00\", upper = \"05:00\" }.", w["lower"])
		}
		if u.AllowReboot == nil || !*u.AllowReboot {
			*diags = append(*diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Reboot window without reboots",
				Detail:  "The auto_upgrade block sets reboot_window, which only matters with allow_reboot = true: without it, upgrades never reboot. Set allow_reboot = true, or remove reboot_window.",
				Subject: at.Ptr()})
		}
	}
}

// kernelParamProblem says what is wrong with a kernel parameter, or
// returns "". Spaces are allowed only inside double quotes, as the kernel
// reads its command line.
func kernelParamProblem(v string) string {
	if v == "" {
		return "is empty"
	}
	quoted := false
	for _, r := range v {
		switch {
		case r == '"':
			quoted = !quoted
		case r < 0x20 || r == 0x7f:
			return "has a control character"
		case r == ' ' && !quoted:
			return "has a space outside double quotes: give each parameter as its own element"
		}
	}
	if quoted {
		return "has an unbalanced double quote"
	}
	return ""
}

// checkUpgradeStagger reports the servers of a k3s cluster that would
// reboot together: two or more with allow_reboot and the same schedule.
func checkUpgradeStagger(hosts []checkedHost) hcl.Diagnostics {
	type group struct {
		cluster, schedule string
		hosts             []*checkedHost
	}
	var groups []*group
	for i := range hosts {
		h := &hosts[i]
		u := h.AutoUpgrade
		if h.k3s == nil || !h.k3s.node.Role.IsServer() || u == nil || (u.Enable != nil && !*u.Enable) ||
			u.AllowReboot == nil || !*u.AllowReboot {
			continue
		}
		schedule := nixosDefaultUpgradeSchedule
		if u.Schedule != nil {
			schedule = strings.Join(strings.Fields(*u.Schedule), " ")
		}
		cluster := h.k3s.cluster.Name
		j := slices.IndexFunc(groups, func(g *group) bool { return g.cluster == cluster && g.schedule == schedule })
		if j < 0 {
			groups = append(groups, &group{cluster: cluster, schedule: schedule})
			j = len(groups) - 1
		}
		groups[j].hosts = append(groups[j].hosts, h)
	}
	var diags hcl.Diagnostics
	for _, g := range groups {
		if len(g.hosts) < 2 {
			continue
		}
		names := make([]string, len(g.hosts))
		for i, h := range g.hosts {
			names[i] = h.Name
		}
		second := g.hosts[1].AutoUpgrade
		at := netFirst(second.ScheduleRange, second.DefRange)
		all := "all"
		if len(names) == 2 {
			all = "both"
		}
		when := fmt.Sprintf("at %q", g.schedule)
		if second.Schedule == nil {
			when = fmt.Sprintf("at NixOS's default time %q, as they set no schedule,", g.schedule)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Servers reboot together",
			Detail: fmt.Sprintf("The servers %s of k3s cluster %q %s upgrade %s with allow_reboot, so a kernel update reboots them in the same window: etcd stops while it has lost the majority of its members, and the cluster with it. %s",
				storageJoinAnd(names), g.cluster, all, when, staggerFix(g.schedule, names)),
			Subject: at,
		})
	}
	return diags
}

// staggerFix suggests a schedule for each server but the first, the
// following days for a weekly schedule of one weekday.
func staggerFix(schedule string, names []string) string {
	m := weekdayScheduleRE.FindStringSubmatch(schedule)
	if m == nil || len(names) > len(upgradeWeekdays) {
		return "Give each server a schedule of its own, a day or more apart, in the host blocks."
	}
	day := slices.Index(upgradeWeekdays, m[1])
	var sets []string
	for i, name := range names[1:] {
		sets = append(sets, fmt.Sprintf("schedule = %q on %s", upgradeWeekdays[(day+i+1)%len(upgradeWeekdays)]+" "+m[2], name))
	}
	return "Give each server a schedule of its own in its host block, for example " + storageJoinAnd(sets) + "."
}

// mapEntryRange returns the range of the value of key in the map
// expression that r covers in the inventory's source, or of element i of
// that value, a list, when i >= 0. It returns r when the source is not
// at hand or holds no such entry.
func (inv *Inventory) mapEntryRange(r hcl.Range, key string, i int) hcl.Range {
	expr, ok := inv.sourceExpr(r)
	if !ok {
		return r
	}
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return r
	}
	for _, kv := range pairs {
		k, d := kv.Key.Value(nil)
		if d.HasErrors() || !k.Type().Equals(cty.String) || k.IsNull() || k.AsString() != key {
			continue
		}
		if i < 0 {
			return kv.Value.Range()
		}
		elems, d := hcl.ExprList(kv.Value)
		if d.HasErrors() || i >= len(elems) {
			return kv.Value.Range()
		}
		return elems[i].Range()
	}
	return r
}

// module returns the host's services.nix.
func (p *hostServicesPlan) module() nix.Expr {
	var args []string
	var items []nix.Item
	if p.headless {
		args = append(args, "modulesPath")
		items = append(items, nix.Bind("imports", nix.ListOf(
			nix.Bin(nix.Ident("modulesPath"), nix.OpAdd, nix.Str("/profiles/headless.nix")),
		)).Comment("No display, no getty on the consoles, and a reboot on kernel panic."))
	}
	if s := p.ssh; s != nil {
		var settings []nix.Item
		str := func(name string, v *string) {
			if v != nil {
				settings = append(settings, nix.Bind(name, nix.Str(*v)))
			}
		}
		boolean := func(name string, v *bool) {
			if v != nil {
				settings = append(settings, nix.Bind(name, nix.Bool(*v)))
			}
		}
		str("PermitRootLogin", s.PermitRootLogin)
		boolean("PasswordAuthentication", s.PasswordAuthentication)
		boolean("KbdInteractiveAuthentication", s.KbdInteractiveAuthentication)
		str("LogLevel", s.LogLevel)
		boolean("X11Forwarding", s.X11Forwarding)
		if len(settings) == 0 {
			items = append(items, nix.Bind("services.openssh.enable", nix.Bool(true)))
		} else {
			items = append(items, nix.Bind("services.openssh", nix.Set(
				nix.Bind("enable", nix.Bool(true)),
				nix.Bind("settings", nix.Set(settings...)),
			)))
		}
		for _, name := range p.users {
			items = append(items, nix.BindPath(nix.AttrPath{"users", "users", name}, nix.Set(
				nix.Bind("isNormalUser", nix.Bool(true)),
				nix.Bind("openssh.authorizedKeys.keys", nix.Strs(s.Users[name]...)),
			)))
		}
	}
	if f := p.fail2ban; f != nil {
		fb := []nix.Item{nix.Bind("enable", nix.Bool(true))}
		if f.MaxRetry != nil {
			fb = append(fb, nix.Bind("maxretry", nix.Int(*f.MaxRetry)))
		}
		if f.Incremental != nil {
			fb = append(fb, nix.Bind("bantime-increment.enable", nix.Bool(*f.Incremental)))
		}
		if len(p.ignoreIP) > 0 {
			fb = append(fb, nix.Bind("ignoreIP", nix.Strs(p.ignoreIP...)).
				Comment("The static addresses of the fleet's hosts, then the inventory's ignore list."))
		}
		items = append(items, nix.Bind("services.fail2ban", nix.Set(fb...)))
	}
	if u := p.upgrade; u != nil {
		up := []nix.Item{
			nix.Bind("enable", nix.Bool(true)),
			nix.Bind("flake", nix.Str(deref(u.Flake)+"#"+p.host)),
		}
		if u.Schedule != nil {
			up = append(up, nix.Bind("dates", nix.Str(*u.Schedule)))
		}
		if u.RandomizedDelay != nil {
			up = append(up, nix.Bind("randomizedDelaySec", nix.Str(*u.RandomizedDelay)))
		}
		if u.FixedRandomDelay != nil {
			up = append(up, nix.Bind("fixedRandomDelay", nix.Bool(*u.FixedRandomDelay)))
		}
		if u.AllowReboot != nil {
			up = append(up, nix.Bind("allowReboot", nix.Bool(*u.AllowReboot)))
		}
		if w := u.RebootWindow; w != nil {
			up = append(up, nix.Bind("rebootWindow", nix.Set(
				nix.Bind("lower", nix.Str(w["lower"])),
				nix.Bind("upper", nix.Str(w["upper"])),
			)))
		}
		items = append(items, nix.Bind("system.autoUpgrade", nix.Set(up...)))
	}
	if len(p.kernelModules) > 0 {
		b := nix.Bind("boot.kernelModules", nix.Strs(p.kernelModules...))
		if p.longhornModule {
			b.Comment("dm_crypt: Longhorn's encrypted volumes.")
		}
		items = append(items, b)
	}
	if len(p.kernelParams) > 0 {
		items = append(items, nix.Bind("boot.kernelParams", nix.Strs(p.kernelParams...)))
	}
	if len(p.initrdModules) > 0 {
		items = append(items, nix.Bind("boot.initrd.availableKernelModules", nix.Strs(p.initrdModules...)))
	}
	if len(p.filesystems) > 0 {
		b := nix.Bind("boot.supportedFilesystems", nix.Strs(p.filesystems...))
		if p.longhornFS {
			b.Comment("nfs: the NFS client of Longhorn's read-write-many volumes.")
		}
		items = append(items, b)
	}
	if p.longhorn {
		args = append(args, "pkgs")
		pkgs := func(names ...string) nix.Expr {
			l := nix.List{}
			for _, n := range names {
				l.Elems = append(l.Elems, nix.Sel(nix.Ident("pkgs"), n))
			}
			return l
		}
		items = append(items,
			nix.Bind("services.openiscsi", nix.Set(
				nix.Bind("enable", nix.Bool(true)),
				nix.Bind("name", nix.Str(iscsiInitiatorName(p.host))),
			)).Comment("Longhorn attaches its volumes over iSCSI."),
			nix.Bind("environment.systemPackages", pkgs("nfs-utils", "cryptsetup", "lvm2", "openiscsi")),
			nix.Bind("systemd.services.iscsid", nix.Set(
				nix.Bind("serviceConfig", nix.Set(
					nix.Bind("PrivateMounts", nix.Str("yes")),
					nix.Bind("BindPaths", nix.Str("/run/current-system/sw/bin:/bin")),
				)),
				nix.Bind("after", nix.Strs("iscsid.socket")),
				nix.Bind("requires", nix.Strs("iscsid.socket")),
			)).Comment(
				"Longhorn enters iscsid's mount namespace and runs iscsiadm and other tools",
				"there by FHS paths, which NixOS lacks (longhorn/longhorn#2166): give iscsid",
				"a /bin that has them.",
			),
			nix.Bind("systemd.tmpfiles.rules", nix.Strs(
				"L /usr/bin/mount - - - - /run/current-system/sw/bin/mount",
				"L /usr/bin/cryptsetup - - - - /run/current-system/sw/bin/cryptsetup",
			)).Comment(
				"Longhorn calls mount (read-write-many volumes) and cryptsetup (encrypted",
				"volumes) by their paths under /usr/bin.",
			),
		)
	}
	slices.Sort(args)
	return nix.Module(args, nix.Set(items...))
}

// iscsiInitiatorName returns the iSCSI initiator name of a host, in the
// form open-iscsi generates: iSCSI names are lower case and have no
// underscores.
func iscsiInitiatorName(host string) string {
	return "iqn.2016-04.com.open-iscsi:" + strings.ReplaceAll(strings.ToLower(host), "_", "-")
}
