package nixgen

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// This file holds the systemd services of a host and the PostgreSQL
// server they may depend on: the service and postgresql blocks of hosts
// and profiles, their checks, and hosts/NAME/units.nix.
//
//	service "kv" {
//	  description = "kv"
//	  wanted_by   = ["multi-user.target"]
//	  requires    = ["postgresql.service"]
//	  after       = ["postgresql.service"]
//	  packages    = ["kv"]                 # path = with pkgs; [ kv ];
//	  script      = <<-EOT
//	    export KV_STORAGE_ROOT="$STATE_DIRECTORY"
//	    exec kv-server
//	  EOT
//	  environment     = { KV_PORT = "4000" }
//	  user            = "kv"                # created as a system user
//	  restart         = "on-failure"
//	  restart_sec     = "10s"
//	  state_directory = "kv"
//	  protect_system  = "strict"
//	  private_tmp     = true
//	  umask           = "0007"
//	}
//
//	postgresql {
//	  databases = ["kv"]
//	  users     = ["kv"]                    # owns the database of its name
//	}
//
// A host with services or a postgresql block gets hosts/NAME/units.nix,
// imported from its default.nix.

// SystemdService is a systemd service unit, `service "NAME" { … }` in a
// host or a profile, emitted as systemd.services.NAME. A host's service
// replaces a profile's service of the same name as a whole.
//
// The unit runs either a script or a command: set exactly one of Script
// and ExecStart. The settings that have an attribute are checked; other
// [Service] directives may be given in Hardening.
type SystemdService struct {
	// Name is the unit's name without the ".service" suffix, such as
	// "kv"; a name ending in "@" declares a template.
	Name string `hcl:"name,label"`
	// Description is the unit's description.
	Description *string `hcl:"description,optional"`
	// WantedBy are the units that pull this one in when they start,
	// usually ["multi-user.target"]; without it the service starts only
	// when something else asks for it.
	WantedBy []string `hcl:"wanted_by,optional"`
	// Requires, Wants, After and Before are the unit's dependencies and
	// ordering, full unit names such as "postgresql.service". Requires
	// and Wants do not order: list a required unit in After too, or the
	// two start at the same time.
	Requires []string `hcl:"requires,optional"`
	Wants    []string `hcl:"wants,optional"`
	After    []string `hcl:"after,optional"`
	Before   []string `hcl:"before,optional"`
	// Packages are attribute paths in nixpkgs, such as "jq" or
	// "python3Packages.requests", whose bin directories are put on the
	// script's PATH (path = with pkgs; [ … ]).
	Packages []string `hcl:"packages,optional"`
	// Script is the shell script the service runs. In HCL, write a
	// literal "${" as "$${" and "%{" as "%%{"; "$VAR" needs no escape.
	Script *string `hcl:"script,optional"`
	// StrictShellChecks runs shellcheck on the script when the system is
	// built: the unit option enableStrictShellChecks, which only recent
	// NixOS releases have.
	StrictShellChecks *bool `hcl:"strict_shell_checks,optional"`
	// ExecStart is the command the service runs instead of a script. On
	// NixOS it must start with an absolute path: systemd looks bare
	// command names up in /usr/bin and the like, which NixOS does not
	// fill. Use Script with Packages to run a program from nixpkgs.
	ExecStart *string `hcl:"exec_start,optional"`
	// Type is the service type: "simple" (systemd's default), "exec",
	// "forking", "oneshot", "dbus", "notify", "notify-reload" or "idle".
	Type *string `hcl:"type,optional"`
	// RemainAfterExit keeps a oneshot service active after it exits.
	RemainAfterExit *bool `hcl:"remain_after_exit,optional"`
	// Environment are environment variables of the service.
	Environment map[string]string `hcl:"environment,optional"`
	// User and Group are the account the service runs as. Unless
	// CreateUser is false, nixgen declares User as a system user whose
	// primary group is Group, or a group named like the user, and
	// declares that group; root and nobody, which NixOS declares, never
	// are.
	User       *string `hcl:"user,optional"`
	Group      *string `hcl:"group,optional"`
	CreateUser *bool   `hcl:"create_user,optional"`
	// Restart is when systemd restarts the service: "no", "always",
	// "on-success", "on-failure", "on-abnormal", "on-abort" or
	// "on-watchdog".
	Restart *string `hcl:"restart,optional"`
	// RestartSec is how long systemd waits before a restart, a time span
	// such as "10s" or "1min 30s".
	RestartSec *string `hcl:"restart_sec,optional"`
	// StateDirectory is a directory under /var/lib that systemd creates
	// for the service and owns to its user, such as "kv"; its path is in
	// $STATE_DIRECTORY. StateDirectoryMode is its mode, such as "0750".
	StateDirectory     *string `hcl:"state_directory,optional"`
	StateDirectoryMode *string `hcl:"state_directory_mode,optional"`

	// The sandboxing settings of systemd.exec(5), each emitted as the
	// directive of the same name: ProtectSystem is "true", "false",
	// "full" or "strict"; ProtectHome is "true", "false", "read-only" or
	// "tmpfs"; UMask is an octal mode such as "0007"; ReadWritePaths are
	// absolute paths the service may write to despite ProtectSystem.
	ProtectSystem         *string  `hcl:"protect_system,optional"`
	ProtectHome           *string  `hcl:"protect_home,optional"`
	PrivateTmp            *bool    `hcl:"private_tmp,optional"`
	PrivateDevices        *bool    `hcl:"private_devices,optional"`
	NoNewPrivileges       *bool    `hcl:"no_new_privileges,optional"`
	ProtectKernelTunables *bool    `hcl:"protect_kernel_tunables,optional"`
	ProtectKernelModules  *bool    `hcl:"protect_kernel_modules,optional"`
	ProtectControlGroups  *bool    `hcl:"protect_control_groups,optional"`
	RestrictSUIDSGID      *bool    `hcl:"restrict_suid_sgid,optional"`
	UMask                 *string  `hcl:"umask,optional"`
	ReadWritePaths        []string `hcl:"read_write_paths,optional"`
	// Hardening are more [Service] directives by their systemd names,
	// such as { ProtectClock = "true", SystemCallFilter = "@system-service" },
	// meant for the sandboxing directives above and those without an
	// attribute. A directive that has an attribute above is checked as
	// that attribute; one that another attribute sets (ExecStart, User,
	// Restart…) is refused. "true" and "false" are emitted as Nix
	// booleans, other values as strings.
	Hardening map[string]string `hcl:"hardening,optional"`

	// Ranges of the block and its fields, for diagnostics.
	NameRange                  hcl.Range `hcl:"name,label_range"`
	DefRange                   hcl.Range `hcl:",def_range"`
	DescriptionRange           hcl.Range `hcl:"description,attr_value_range"`
	WantedByRange              hcl.Range `hcl:"wanted_by,attr_value_range"`
	RequiresRange              hcl.Range `hcl:"requires,attr_value_range"`
	WantsRange                 hcl.Range `hcl:"wants,attr_value_range"`
	AfterRange                 hcl.Range `hcl:"after,attr_value_range"`
	BeforeRange                hcl.Range `hcl:"before,attr_value_range"`
	PackagesRange              hcl.Range `hcl:"packages,attr_value_range"`
	ScriptRange                hcl.Range `hcl:"script,attr_value_range"`
	StrictShellChecksRange     hcl.Range `hcl:"strict_shell_checks,attr_value_range"`
	ExecStartRange             hcl.Range `hcl:"exec_start,attr_value_range"`
	TypeRange                  hcl.Range `hcl:"type,attr_value_range"`
	RemainAfterExitRange       hcl.Range `hcl:"remain_after_exit,attr_value_range"`
	EnvironmentRange           hcl.Range `hcl:"environment,attr_value_range"`
	UserRange                  hcl.Range `hcl:"user,attr_value_range"`
	GroupRange                 hcl.Range `hcl:"group,attr_value_range"`
	CreateUserRange            hcl.Range `hcl:"create_user,attr_value_range"`
	RestartRange               hcl.Range `hcl:"restart,attr_value_range"`
	RestartSecRange            hcl.Range `hcl:"restart_sec,attr_value_range"`
	StateDirectoryRange        hcl.Range `hcl:"state_directory,attr_value_range"`
	StateDirectoryModeRange    hcl.Range `hcl:"state_directory_mode,attr_value_range"`
	ProtectSystemRange         hcl.Range `hcl:"protect_system,attr_value_range"`
	ProtectHomeRange           hcl.Range `hcl:"protect_home,attr_value_range"`
	PrivateTmpRange            hcl.Range `hcl:"private_tmp,attr_value_range"`
	PrivateDevicesRange        hcl.Range `hcl:"private_devices,attr_value_range"`
	NoNewPrivilegesRange       hcl.Range `hcl:"no_new_privileges,attr_value_range"`
	ProtectKernelTunablesRange hcl.Range `hcl:"protect_kernel_tunables,attr_value_range"`
	ProtectKernelModulesRange  hcl.Range `hcl:"protect_kernel_modules,attr_value_range"`
	ProtectControlGroupsRange  hcl.Range `hcl:"protect_control_groups,attr_value_range"`
	RestrictSUIDSGIDRange      hcl.Range `hcl:"restrict_suid_sgid,attr_value_range"`
	UMaskRange                 hcl.Range `hcl:"umask,attr_value_range"`
	ReadWritePathsRange        hcl.Range `hcl:"read_write_paths,attr_value_range"`
	HardeningRange             hcl.Range `hcl:"hardening,attr_value_range"`
}

// PostgreSQL runs a PostgreSQL server on the host, `postgresql { … }` in a
// host or a profile, for the services that depend on postgresql.service.
// A host's block is laid over its profiles' field by field.
type PostgreSQL struct {
	// Package is the attribute of the server package in nixpkgs, such as
	// "postgresql_17"; unset, NixOS picks it from system.stateVersion.
	// Changing it to a new major version needs a manual data upgrade.
	Package *string `hcl:"package,optional"`
	// Databases are created if they do not exist (ensureDatabases).
	Databases []string `hcl:"databases,optional"`
	// Users are roles created if they do not exist (ensureUsers). A user
	// named like one of Databases owns that database
	// (ensureDBOwnership), which is how a service running as the system
	// user of that name reaches its database over the local socket.
	Users []string `hcl:"users,optional"`

	DefRange       hcl.Range `hcl:",def_range"`
	PackageRange   hcl.Range `hcl:"package,attr_value_range"`
	DatabasesRange hcl.Range `hcl:"databases,attr_value_range"`
	UsersRange     hcl.Range `hcl:"users,attr_value_range"`
}

// mergeUnits lays the services and the postgresql block of layer over
// dst: a service replaces dst's service of the same name, and the
// postgresql block merges field by field. Two services of one name in
// layer are both kept, so that validation reports them.
func mergeUnits(dst, layer *Machine) {
	dst.Services = mergeNamed(dst.Services, layer.Services, func(s SystemdService) string { return s.Name }, cloneService)
	if p := layer.PostgreSQL; p != nil {
		if dst.PostgreSQL == nil {
			dst.PostgreSQL = &PostgreSQL{}
		}
		d := dst.PostgreSQL
		overPtr(&d.Package, &d.PackageRange, p.Package, p.PackageRange)
		overList(&d.Databases, &d.DatabasesRange, p.Databases, p.DatabasesRange)
		overList(&d.Users, &d.UsersRange, p.Users, p.UsersRange)
		d.DefRange = p.DefRange
	}
}

// mergeNamed lays the named blocks of layer over dst: each replaces the
// block of dst, as it was before this layer, that has its name, or is
// appended. It returns the merged list; dst's blocks are reused, layer's
// are copied with clone.
func mergeNamed[T any](dst, layer []T, name func(T) string, clone func(T) T) []T {
	n := len(dst)
	replaced := make([]bool, n)
	for _, b := range layer {
		i := slices.IndexFunc(dst[:n], func(d T) bool { return name(d) == name(b) })
		if i >= 0 && !replaced[i] {
			dst[i], replaced[i] = clone(b), true
			continue
		}
		dst = append(dst, clone(b))
	}
	return dst
}

// cloneService returns a copy of s that shares no memory with it.
func cloneService(s SystemdService) SystemdService {
	s.WantedBy, s.Requires, s.Wants = slices.Clone(s.WantedBy), slices.Clone(s.Requires), slices.Clone(s.Wants)
	s.After, s.Before, s.Packages = slices.Clone(s.After), slices.Clone(s.Before), slices.Clone(s.Packages)
	s.ReadWritePaths = slices.Clone(s.ReadWritePaths)
	s.Environment, s.Hardening = maps.Clone(s.Environment), maps.Clone(s.Hardening)
	return s
}

// unitsPlan is what hosts/NAME/units.nix is written from: checked
// services, the system users they run as, and the PostgreSQL server.
type unitsPlan struct {
	services []unitService // sorted by name
	users    []unitUser    // sorted by name
	postgres *PostgreSQL
}

// unitService is a checked service with its serviceConfig.
type unitService struct {
	*SystemdService
	config []*nix.Binding // in output order
}

// unitUser is a system user that nixgen declares, with its primary group.
type unitUser struct {
	name, group string
}

// The accepted values of the enumerated service settings.
var (
	restartValues       = []string{"no", "always", "on-success", "on-failure", "on-abnormal", "on-abort", "on-watchdog"}
	serviceTypes        = []string{"simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle"}
	protectSystemValues = []string{"true", "false", "full", "strict"}
	protectHomeValues   = []string{"true", "false", "read-only", "tmpfs"}
)

// serviceNameRE is a unit name without its type suffix: the characters
// systemd allows in unit names (unit_name_is_valid), with an optional
// "@" and instance for templates and their instances.
var serviceNameRE = regexp.MustCompile(`^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]*)?$`)

// unitNameRE is a full unit name as a dependency names it.
var unitNameRE = regexp.MustCompile(`^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]*)?\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$`)

// timeSpanRE is a systemd time span (systemd.time(7)): a number of
// seconds, or numbers each followed by a unit, such as "10s" or
// "1min 30s".
var timeSpanRE = regexp.MustCompile(`^([0-9]+(\.[0-9]+)?|([0-9]+(\.[0-9]+)? ?(usec|us|µs|msec|ms|seconds|second|sec|s|minutes|minute|min|m|hours|hour|hr|h|days|day|d|weeks|week|w|months|month|M|years|year|y) ?)+)$`)

// octalModeRE is a file mode or umask written in octal.
var octalModeRE = regexp.MustCompile(`^[0-7]{3,4}$`)

// accountNameRE is a user or group name that NixOS and systemd both
// accept.
var accountNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,30}$`)

// envNameRE is an environment variable name as systemd accepts it
// (env_name_is_valid): letters, digits and _, not starting with a digit.
var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// directiveRE is a systemd directive name such as ProtectClock.
var directiveRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

// pgNameRE is a PostgreSQL database or role name that the NixOS module
// can quote.
var pgNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,62}$`)

// sandboxSetting is one typed sandboxing attribute of a service.
type sandboxSetting struct {
	attr, directive string
	b               *bool
	s               *string
	r               hcl.Range
	allowed         []string // for an enumerated string
	octal           bool     // for a mode
}

// sandbox returns the typed sandboxing settings of s, in output order.
func (s *SystemdService) sandbox() []sandboxSetting {
	return []sandboxSetting{
		{attr: "protect_system", directive: "ProtectSystem", s: s.ProtectSystem, r: s.ProtectSystemRange, allowed: protectSystemValues},
		{attr: "protect_home", directive: "ProtectHome", s: s.ProtectHome, r: s.ProtectHomeRange, allowed: protectHomeValues},
		{attr: "private_tmp", directive: "PrivateTmp", b: s.PrivateTmp, r: s.PrivateTmpRange},
		{attr: "private_devices", directive: "PrivateDevices", b: s.PrivateDevices, r: s.PrivateDevicesRange},
		{attr: "no_new_privileges", directive: "NoNewPrivileges", b: s.NoNewPrivileges, r: s.NoNewPrivilegesRange},
		{attr: "protect_kernel_tunables", directive: "ProtectKernelTunables", b: s.ProtectKernelTunables, r: s.ProtectKernelTunablesRange},
		{attr: "protect_kernel_modules", directive: "ProtectKernelModules", b: s.ProtectKernelModules, r: s.ProtectKernelModulesRange},
		{attr: "protect_control_groups", directive: "ProtectControlGroups", b: s.ProtectControlGroups, r: s.ProtectControlGroupsRange},
		{attr: "restrict_suid_sgid", directive: "RestrictSUIDSGID", b: s.RestrictSUIDSGID, r: s.RestrictSUIDSGIDRange},
		{attr: "umask", directive: "UMask", s: s.UMask, r: s.UMaskRange, octal: true},
	}
}

// attributeDirectives maps the directives that other attributes of a
// service set to those attributes: Hardening may not set them.
func attributeDirectives() map[string]string {
	return map[string]string{
		"Type": "type", "ExecStart": "exec_start", "RemainAfterExit": "remain_after_exit",
		"User": "user", "Group": "group", "Environment": "environment",
		"Restart": "restart", "RestartSec": "restart_sec",
		"StateDirectory": "state_directory", "StateDirectoryMode": "state_directory_mode",
		"ReadWritePaths": "read_write_paths",
	}
}

// compileUnits checks the services and the postgresql block of host m
// and returns the plan of its units.nix, nil when it has neither.
func (inv *Inventory) compileUnits(m *Machine) (*unitsPlan, hcl.Diagnostics) {
	if len(m.Services) == 0 && m.PostgreSQL == nil {
		return nil, nil
	}
	var diags hcl.Diagnostics
	plan := &unitsPlan{postgres: m.PostgreSQL}
	seen := map[string]*SystemdService{}
	for i := range m.Services {
		s := &m.Services[i]
		if prev, ok := seen[s.Name]; ok {
			diags = append(diags, netError("Duplicate service",
				fmt.Sprintf("A service named %q was already defined %s. Service names must be unique on a host.", s.Name, netWhere(prev.NameRange)),
				s.NameRange, s.DefRange))
			continue
		}
		seen[s.Name] = s
		config, sdiags := inv.checkService(s)
		diags = append(diags, sdiags...)
		plan.services = append(plan.services, unitService{SystemdService: s, config: config})
	}
	slices.SortFunc(plan.services, func(a, b unitService) int { return strings.Compare(a.Name, b.Name) })
	diags = append(diags, checkOrdering(plan.services)...)
	users, udiags := unitUsers(plan.services)
	plan.users = users
	diags = append(diags, udiags...)
	if p := m.PostgreSQL; p != nil {
		diags = append(diags, checkPostgreSQL(p)...)
	}
	return plan, diags
}

// checkService checks one service and returns its serviceConfig
// bindings.
func (inv *Inventory) checkService(s *SystemdService) ([]*nix.Binding, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	errorAt := func(summary, detail string, ranges ...hcl.Range) *hcl.Diagnostic {
		d := netError(summary, detail, append(ranges, s.DefRange)...)
		diags = append(diags, d)
		return d
	}
	warnAt := func(summary, detail string, ranges ...hcl.Range) {
		diags = append(diags, netWarning(summary, detail, append(ranges, s.DefRange)...))
	}
	what := fmt.Sprintf("service %q", s.Name)

	switch {
	case strings.HasSuffix(s.Name, ".service"):
		errorAt("Invalid service name", fmt.Sprintf("The service name %q ends in \".service\", which NixOS adds itself. Write service %q.", s.Name, strings.TrimSuffix(s.Name, ".service")), s.NameRange)
	case !serviceNameRE.MatchString(s.Name) || len(s.Name) > 200:
		errorAt("Invalid service name", fmt.Sprintf("The service name %q is not a systemd unit name. Use letters, digits and the characters : _ . \\ -, with an optional @ for a template, at most 200 in all.", s.Name), s.NameRange)
	}

	// What the service runs.
	switch {
	case s.Script != nil && s.ExecStart != nil:
		errorAt("Both script and exec_start", fmt.Sprintf("The %s sets both script and exec_start. A service runs one of them: remove one.", what), s.ExecStartRange)
	case s.Script == nil && s.ExecStart == nil:
		errorAt("Nothing to run", fmt.Sprintf("The %s sets neither script nor exec_start. Set one of them to what the service runs.", what), s.NameRange)
	}
	if s.Script != nil && strings.TrimSpace(*s.Script) == "" {
		errorAt("Empty script", fmt.Sprintf("The script of %s is empty.", what), s.ScriptRange)
	}
	if s.StrictShellChecks != nil && s.Script == nil {
		errorAt("strict_shell_checks without a script", fmt.Sprintf("strict_shell_checks checks the script of %s, but it has none. Remove strict_shell_checks.", what), s.StrictShellChecksRange)
	}
	if s.ExecStart != nil {
		if problem := checkExecStart(*s.ExecStart); problem != "" {
			errorAt("Invalid exec_start", fmt.Sprintf("The exec_start of %s %s.", what, problem), s.ExecStartRange)
		}
	}
	if s.Type != nil && !slices.Contains(serviceTypes, *s.Type) {
		errorAt("Invalid service type", enumDetail(*s.Type, "service type", serviceTypes), s.TypeRange)
	}

	// Dependencies.
	for _, l := range []struct {
		attr  string
		units []string
		r     hcl.Range
	}{{"wanted_by", s.WantedBy, s.WantedByRange}, {"requires", s.Requires, s.RequiresRange}, {"wants", s.Wants, s.WantsRange}, {"after", s.After, s.AfterRange}, {"before", s.Before, s.BeforeRange}} {
		for i, u := range l.units {
			switch {
			case !unitNameRE.MatchString(u) || len(u) > 255:
				detail := fmt.Sprintf("%q (element %d of %s of %s) is not a systemd unit name.", u, i+1, l.attr, what)
				if serviceNameRE.MatchString(u) {
					detail += fmt.Sprintf(" Unit names end in their type: write %q, or %q for a target.", u+".service", u+".target")
				} else {
					detail += " Use letters, digits and : _ . \\ - @, followed by the type, such as \"postgresql.service\"."
				}
				atElement(errorAt("Invalid unit name", detail, l.r), i)
			case u == s.Name+".service":
				atElement(errorAt("Service depends on itself", fmt.Sprintf("The %s of %s names the service itself. Remove %q.", l.attr, what, u), l.r), i)
			}
		}
	}

	for i, p := range s.Packages {
		if !validAttrPath(p) {
			atElement(errorAt("Invalid package", fmt.Sprintf("%q (element %d of packages of %s) is not an attribute path in nixpkgs, such as \"jq\" or \"python3Packages.requests\".", p, i+1, what), s.PackagesRange), i)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Environment)) {
		at := inv.mapEntryRange(s.EnvironmentRange, k, -1)
		if !envNameRE.MatchString(k) {
			errorAt("Invalid environment variable name", fmt.Sprintf("%q in the environment of %s is not a variable name that systemd accepts: use letters, digits and _, not starting with a digit.", k, what), at)
		} else if problem := checkDirectiveValue(s.Environment[k]); problem != "" {
			errorAt("Invalid environment value", fmt.Sprintf("The value of %s in the environment of %s %s.", k, what, problem), at)
		}
	}

	// The account.
	for _, a := range []struct {
		attr string
		v    *string
		r    hcl.Range
	}{{"user", s.User, s.UserRange}, {"group", s.Group, s.GroupRange}} {
		if a.v != nil && !accountNameRE.MatchString(*a.v) {
			errorAt("Invalid "+a.attr, fmt.Sprintf("%q is not a %s name: use at most 31 lower-case letters, digits, _ and -, starting with a letter or _.", *a.v, a.attr), a.r)
		}
	}
	if s.CreateUser != nil && s.User == nil {
		errorAt("create_user without user", fmt.Sprintf("The %s sets create_user but no user. Set user, or remove create_user.", what), s.CreateUserRange)
	}

	// Restarts and state.
	if s.Restart != nil && !slices.Contains(restartValues, *s.Restart) {
		errorAt("Invalid restart", enumDetail(*s.Restart, "restart setting", restartValues), s.RestartRange)
	}
	if s.RestartSec != nil {
		if !timeSpanRE.MatchString(*s.RestartSec) {
			errorAt("Invalid restart_sec", fmt.Sprintf("%q is not a systemd time span such as \"10s\", \"500ms\" or \"1min 30s\".", *s.RestartSec), s.RestartSecRange)
		} else if s.Restart == nil || *s.Restart == "no" {
			warnAt("restart_sec without restart", fmt.Sprintf("The %s sets restart_sec, which only applies when systemd restarts the service, but no restart. Set restart, such as restart = \"on-failure\", or remove restart_sec.", what), s.RestartSecRange)
		}
	}
	if d := s.StateDirectory; d != nil && !validRelPath(*d) {
		errorAt("Invalid state_directory", fmt.Sprintf("%q is not a directory name relative to /var/lib, such as \"kv\".", *d), s.StateDirectoryRange)
	}
	if m := s.StateDirectoryMode; m != nil {
		if !octalModeRE.MatchString(*m) {
			errorAt("Invalid state_directory_mode", fmt.Sprintf("%q is not an octal mode such as \"0750\".", *m), s.StateDirectoryModeRange)
		} else if s.StateDirectory == nil {
			warnAt("state_directory_mode without state_directory", fmt.Sprintf("The %s sets state_directory_mode but no state_directory, so the mode applies to nothing. Set state_directory, or remove state_directory_mode.", what), s.StateDirectoryModeRange)
		}
	}
	for i, p := range s.ReadWritePaths {
		if problem := checkAbsPath(p); problem != "" {
			atElement(errorAt("Invalid read_write_paths", fmt.Sprintf("%q (element %d of read_write_paths of %s) %s.", p, i+1, what, problem), s.ReadWritePathsRange), i)
		}
	}

	// serviceConfig, in output order.
	var config []*nix.Binding
	bind := func(directive string, v nix.Expr) { config = append(config, nix.BindPath(nix.AttrPath{directive}, v)) }
	if s.Type != nil {
		bind("Type", nix.Str(*s.Type))
	}
	if s.ExecStart != nil {
		bind("ExecStart", nix.Str(*s.ExecStart))
	}
	if s.RemainAfterExit != nil {
		bind("RemainAfterExit", nix.Bool(*s.RemainAfterExit))
	}
	if s.User != nil {
		bind("User", nix.Str(*s.User))
	}
	if s.Group != nil {
		bind("Group", nix.Str(*s.Group))
	}

	// The sandboxing settings: the typed attributes, and the entries of
	// Hardening that have one, checked alike.
	reserved := attributeDirectives()
	typed := s.sandbox()
	var generic []string
	for _, k := range slices.Sorted(maps.Keys(s.Hardening)) {
		v := s.Hardening[k]
		at := inv.mapEntryRange(s.HardeningRange, k, -1)
		if !directiveRE.MatchString(k) {
			errorAt("Invalid directive", fmt.Sprintf("%q in the hardening of %s is not a systemd directive name such as \"ProtectClock\".", k, what), at)
			continue
		}
		if attr, ok := reserved[k]; ok {
			errorAt("Directive set by an attribute", fmt.Sprintf("The hardening of %s sets %s, which the attribute %s sets. Use %s instead.", what, k, attr, attr), at)
			continue
		}
		if i := slices.IndexFunc(typed, func(t sandboxSetting) bool { return t.directive == k }); i >= 0 {
			t := &typed[i]
			if t.b != nil || t.s != nil {
				errorAt("Directive set twice", fmt.Sprintf("The %s sets %s both with %s and in hardening. Remove one.", what, k, t.attr), at)
				continue
			}
			if t.allowed == nil && !t.octal {
				b, ok := parseSystemdBool(v)
				if !ok {
					errorAt("Invalid "+k, fmt.Sprintf("The value %q of %s in the hardening of %s is not a boolean: use \"true\" or \"false\".", v, k, what), at)
					continue
				}
				t.b = &b
			} else {
				t.s = &v
			}
			t.r = at
			continue
		}
		if problem := checkDirectiveValue(v); problem != "" {
			errorAt("Invalid "+k, fmt.Sprintf("The value of %s in the hardening of %s %s.", k, what, problem), at)
			continue
		}
		generic = append(generic, k)
	}
	for _, t := range typed {
		switch {
		case t.b != nil:
			bind(t.directive, nix.Bool(*t.b))
		case t.s == nil:
		case t.octal && !octalModeRE.MatchString(*t.s):
			errorAt("Invalid "+t.attr, fmt.Sprintf("%q is not an octal mode such as \"0007\" (%s of %s).", *t.s, t.directive, what), t.r)
		case t.allowed != nil && !slices.Contains(t.allowed, *t.s):
			errorAt("Invalid "+t.attr, enumDetail(*t.s, t.directive+" value", t.allowed), t.r)
		case *t.s == "true" || *t.s == "false":
			bind(t.directive, nix.Bool(*t.s == "true"))
		default:
			bind(t.directive, nix.Str(*t.s))
		}
	}
	if len(s.ReadWritePaths) > 0 {
		bind("ReadWritePaths", nix.Strs(s.ReadWritePaths...))
	}
	if s.Restart != nil {
		bind("Restart", nix.Str(*s.Restart))
	}
	if s.RestartSec != nil {
		bind("RestartSec", nix.Str(*s.RestartSec))
	}
	if s.StateDirectory != nil {
		bind("StateDirectory", nix.Str(*s.StateDirectory))
	}
	if s.StateDirectoryMode != nil {
		bind("StateDirectoryMode", nix.Str(*s.StateDirectoryMode))
	}
	for _, k := range generic {
		switch v := s.Hardening[k]; v {
		case "true", "false":
			bind(k, nix.Bool(v == "true"))
		default:
			bind(k, nix.Str(v))
		}
	}
	return config, diags
}

// checkOrdering warns about a service that requires a unit without being
// ordered after it: systemd then starts both at the same time, and starts
// the service even when the required unit fails. The ordering may come
// through the host's other services: a service after one that is after
// the required unit is ordered too, and so is a service that another
// lists in its before.
func checkOrdering(services []unitService) hcl.Diagnostics {
	byUnit := make(map[string]*unitService, len(services))
	for i := range services {
		byUnit[services[i].Name+".service"] = &services[i]
	}
	// after returns every unit that s is ordered after, directly or
	// through the host's other services.
	after := func(s *unitService) map[string]bool {
		seen := map[string]bool{}
		var walk func(s *unitService)
		walk = func(s *unitService) {
			self := s.Name + ".service"
			for _, other := range services {
				if slices.Contains(other.Before, self) && !seen[other.Name+".service"] {
					seen[other.Name+".service"] = true
					walk(byUnit[other.Name+".service"])
				}
			}
			for _, u := range s.After {
				if !seen[u] {
					seen[u] = true
					if next := byUnit[u]; next != nil {
						walk(next)
					}
				}
			}
		}
		walk(s)
		return seen
	}
	var diags hcl.Diagnostics
	for i := range services {
		s := &services[i]
		if len(s.Requires) == 0 {
			continue
		}
		ordered := after(s)
		for j, u := range s.Requires {
			if ordered[u] || slices.Contains(s.Before, u) || u == s.Name+".service" || !unitNameRE.MatchString(u) {
				continue
			}
			diags = append(diags, atElement(netWarning("Required unit not ordered",
				fmt.Sprintf("Service %q requires %s but is not ordered after it, so systemd starts the two at the same time, and starts %q even when %s fails to start. Add %q to after.", s.Name, u, s.Name, u, u),
				s.RequiresRange, s.DefRange), j))
		}
	}
	return diags
}

// unitUsers returns the system users that the services run as and that
// nixgen declares, sorted, and reports a user that two services would
// declare with different primary groups.
func unitUsers(services []unitService) ([]unitUser, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	first := map[string]*unitService{}
	var users []unitUser
	for i := range services {
		s := &services[i]
		if s.User == nil || (s.CreateUser != nil && !*s.CreateUser) || *s.User == "root" || *s.User == "nobody" {
			continue
		}
		u := unitUser{name: *s.User, group: *s.User}
		if s.Group != nil {
			u.group = *s.Group
		}
		if j := slices.IndexFunc(users, func(x unitUser) bool { return x.name == u.name }); j >= 0 {
			if users[j].group != u.group {
				prev := first[u.name]
				diags = append(diags, netError("Conflicting primary groups",
					fmt.Sprintf("Services %q and %q both run as user %q, which nixgen declares, with the primary groups %q and %q. Give both the same group, or set create_user = false on one and declare the user yourself.", prev.Name, s.Name, u.name, users[j].group, u.group),
					s.GroupRange, s.UserRange, s.DefRange))
			}
			continue
		}
		first[u.name] = s
		users = append(users, u)
	}
	slices.SortFunc(users, func(a, b unitUser) int { return strings.Compare(a.name, b.name) })
	return users, diags
}

// checkPostgreSQL checks a postgresql block.
func checkPostgreSQL(p *PostgreSQL) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if p.Package != nil && !validAttrPath(*p.Package) {
		diags = append(diags, netError("Invalid PostgreSQL package", fmt.Sprintf("%q is not an attribute of nixpkgs such as \"postgresql_17\".", *p.Package), p.PackageRange, p.DefRange))
	}
	for _, l := range []struct {
		attr, what string
		names      []string
		r          hcl.Range
	}{{"databases", "database", p.Databases, p.DatabasesRange}, {"users", "user", p.Users, p.UsersRange}} {
		for i, n := range l.names {
			switch {
			case !pgNameRE.MatchString(n):
				diags = append(diags, atElement(netError("Invalid PostgreSQL "+l.what+" name",
					fmt.Sprintf("%q (element %d of %s) is not a %s name nixgen accepts: use at most 63 letters, digits, _ and -, starting with a letter or _.", n, i+1, l.attr, l.what),
					l.r, p.DefRange), i))
			case slices.Index(l.names, n) < i:
				diags = append(diags, atElement(netError("Duplicate PostgreSQL "+l.what,
					fmt.Sprintf("%q (element %d of %s) is listed twice.", n, i+1, l.attr), l.r, p.DefRange), i))
			}
		}
	}
	return diags
}

// module returns hosts/NAME/units.nix.
func (p *unitsPlan) module() nix.Expr {
	var items []nix.Item
	usesPkgs := false
	for _, s := range p.services {
		var unit []nix.Item
		if s.Description != nil {
			unit = append(unit, nix.Bind("description", nix.Str(*s.Description)))
		}
		if s.StrictShellChecks != nil {
			unit = append(unit, nix.Bind("enableStrictShellChecks", nix.Bool(*s.StrictShellChecks)))
		}
		for _, l := range []struct {
			name  string
			units []string
		}{{"wantedBy", s.WantedBy}, {"requires", s.Requires}, {"wants", s.Wants}, {"after", s.After}, {"before", s.Before}} {
			if len(l.units) > 0 {
				unit = append(unit, nix.Bind(l.name, nix.Strs(l.units...)))
			}
		}
		if len(s.Packages) > 0 {
			usesPkgs = true
			pkgs := make([]nix.Expr, len(s.Packages))
			for i, name := range s.Packages {
				pkgs[i] = nix.Ref(name)
			}
			unit = append(unit, nix.Bind("path", nix.WithIn(nix.Ident("pkgs"), nix.ListOf(pkgs...))))
		}
		if s.Script != nil {
			unit = append(unit, nix.Bind("script", nix.Str(*s.Script)))
		}
		if len(s.Environment) > 0 {
			var env []nix.Item
			for _, k := range slices.Sorted(maps.Keys(s.Environment)) {
				env = append(env, nix.BindPath(nix.AttrPath{k}, nix.Str(s.Environment[k])))
			}
			unit = append(unit, nix.Bind("environment", nix.Set(env...)))
		}
		if len(s.config) > 0 {
			config := make([]nix.Item, len(s.config))
			for i, b := range s.config {
				config[i] = b
			}
			unit = append(unit, nix.Bind("serviceConfig", nix.Set(config...)))
		}
		items = append(items, nix.BindPath(nix.AttrPath{"systemd", "services", s.Name}, nix.Set(unit...)))
	}
	for _, u := range p.users {
		items = append(items, nix.BindPath(nix.AttrPath{"users", "users", u.name}, nix.Set(
			nix.Bind("isSystemUser", nix.Bool(true)),
			nix.Bind("group", nix.Str(u.group)),
		)))
	}
	var groups []string
	for _, u := range p.users {
		groups = append(groups, u.group)
	}
	slices.Sort(groups)
	for _, g := range slices.Compact(groups) {
		items = append(items, nix.BindPath(nix.AttrPath{"users", "groups", g}, nix.Set()))
	}
	if pg := p.postgres; pg != nil {
		db := []nix.Item{nix.Bind("enable", nix.Bool(true))}
		if pg.Package != nil {
			usesPkgs = true
			db = append(db, nix.Bind("package", nix.Sel(nix.Ident("pkgs"), strings.Split(*pg.Package, ".")...)))
		}
		if len(pg.Databases) > 0 {
			db = append(db, nix.Bind("ensureDatabases", nix.Strs(pg.Databases...)))
		}
		if len(pg.Users) > 0 {
			var users []nix.Expr
			for _, u := range pg.Users {
				user := []nix.Item{nix.Bind("name", nix.Str(u))}
				if slices.Contains(pg.Databases, u) {
					user = append(user, nix.Bind("ensureDBOwnership", nix.Bool(true)))
				}
				users = append(users, nix.Set(user...))
			}
			db = append(db, nix.Bind("ensureUsers", nix.ListOf(users...)))
		}
		items = append(items, nix.Bind("services.postgresql", nix.Set(db...)))
	}
	var formals []string
	if usesPkgs {
		formals = []string{"pkgs"}
	}
	return nix.Module(formals, nix.Set(items...))
}

// checkExecStart returns what is wrong with an ExecStart command line, or
// "".
func checkExecStart(cmd string) string {
	if problem := checkDirectiveValue(cmd); problem != "" {
		return problem
	}
	exe := strings.TrimLeft(strings.TrimSpace(cmd), "@-:+!|")
	if exe == "" {
		return "is empty"
	}
	if !strings.HasPrefix(exe, "/") {
		word, _, _ := strings.Cut(exe, " ")
		return fmt.Sprintf("starts with %q, which is not an absolute path: systemd looks commands up in /usr/bin and the like, which NixOS leaves empty. Give the absolute path, or use script with packages = [\"…\"] to run a program from nixpkgs by its name", word)
	}
	return ""
}

// checkDirectiveValue returns what is wrong with the value of a systemd
// directive or environment variable, or "": a unit file is line based.
func checkDirectiveValue(v string) string {
	if strings.ContainsAny(v, "\n\r\x00") {
		return "holds a line break or a NUL byte, which a unit file cannot hold"
	}
	return ""
}

// checkAbsPath returns what is wrong with an absolute path, or "".
func checkAbsPath(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "is not an absolute path"
	}
	if p != "/" && !validRelPath(p[1:]) {
		return "is not a clean absolute path: use letters, digits and . _ + - between single slashes, without . or .. elements and without a trailing slash"
	}
	return ""
}

// validAttrPath reports whether p is a dotted path of Nix identifiers,
// such as "python3Packages.requests".
func validAttrPath(p string) bool {
	for part := range strings.SplitSeq(p, ".") {
		if !nix.IsIdent(part) {
			return false
		}
	}
	return true
}

// parseSystemdBool parses a boolean as systemd writes it.
func parseSystemdBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// enumDetail says that v is not one of allowed, suggesting the closest.
func enumDetail(v, what string, allowed []string) string {
	detail := fmt.Sprintf("%q is not a %s: use one of %s.", v, what, strings.Join(allowed, ", "))
	detail += didYouMean(v, allowed)
	return detail
}
