package sops

import (
	"path"
	"regexp"
	"slices"
	"strings"
)

// Default directories of a [Fleet].
const (
	// DefaultSecretsDir is where the secrets files of hosts and groups
	// are, unless they name their own file.
	DefaultSecretsDir = "secrets"
	// DefaultHostsDir is the directory of the host modules: the secrets
	// module of host NAME is DefaultHostsDir/NAME/secrets.nix.
	DefaultHostsDir = "hosts"
)

// HostKeyPath is the private SSH host key that sops-nix converts to the
// host's age identity. Its public half, HostKeyPath + ".pub", is the line
// to give as [Host.SSHHostKey].
const HostKeyPath = "/etc/ssh/ssh_host_ed25519_key"

// Fleet is the input of the generators: the admins who edit the secrets,
// the hosts that decrypt them, the groups of hosts that share secrets, and
// the secrets themselves. All paths are slash-separated and relative to
// the repository root, where .sops.yaml is written.
//
// Every host has its own secrets file, SecretsDir/NAME.yaml by default,
// encrypted for the host and the admins. Every group has a shared file,
// SecretsDir/NAME.yaml by default (a group "k3s-main" gets
// secrets/k3s-main.yaml), encrypted for all its members and the admins.
// A secret declared on a host is read from the host's file, and a secret
// declared on a group from the group's file, unless [Secret.File] names
// another one; a group secret is declared on every member.
type Fleet struct {
	// SecretsDir is the directory of the default secrets files;
	// DefaultSecretsDir when empty.
	SecretsDir string
	// HostsDir is the directory of the host modules; DefaultHostsDir when
	// empty. It decides the relative paths from secrets.nix to the
	// secrets files.
	HostsDir string
	// Admins can decrypt and edit every secrets file.
	Admins []Admin
	// Hosts are the machines, in any order.
	Hosts []Host
	// Groups are sets of hosts that share a secrets file, in any order.
	Groups []Group
}

// Admin is a person or machine that edits the secrets files with sops.
type Admin struct {
	// Name identifies the admin in comments and diagnostics.
	Name string
	// Recipient is the admin's age recipient (age1…), or an ssh-ed25519
	// public key line, which is converted as ssh-to-age does (see
	// [ParseRecipient]).
	Recipient string
}

// Host is a NixOS machine that decrypts its secrets at activation with
// the age identity sops-nix derives from its SSH host key.
type Host struct {
	// Name is the host name; it names the host's secrets file and module
	// directory, so it may only hold letters, digits, '.', '_' and '-'.
	Name string
	// SSHHostKey is the host's public SSH host key, the line of
	// /etc/ssh/ssh_host_ed25519_key.pub ("ssh-ed25519 AAAA… root@web1").
	// A host without it cannot receive secrets.
	SSHHostKey string
	// File is the host's own secrets file; SecretsDir/Name.yaml when
	// empty.
	File string
	// Secrets are the secrets the host receives besides those of its
	// groups.
	Secrets []Secret
}

// Group is a set of hosts, such as the nodes of a k3s cluster, that share
// a secrets file.
type Group struct {
	// Name is the group name; it names the group's secrets file, so it may
	// only hold letters, digits, '.', '_' and '-'.
	Name string
	// Members are the names of the hosts in the group.
	Members []string
	// File is the group's secrets file; SecretsDir/Name.yaml when empty.
	File string
	// Secrets are declared on every member.
	Secrets []Secret
}

// Secret is one entry of sops.secrets on a host: a value that sops-nix
// decrypts from a secrets file at activation and writes to a file under
// /run/secrets. It never holds the value itself. Empty fields keep the
// sops-nix defaults and are left out of the generated Nix.
type Secret struct {
	// Name is the attribute name in sops.secrets and the file name under
	// /run/secrets; "/" makes subdirectories ("myservice/db_password").
	Name string
	// File is the secrets file the value is in, relative to the
	// repository root. Empty means the file of the host or group that
	// declares the secret. Otherwise it must be the file of the host
	// itself or of a group all receiving hosts are members of.
	File string
	// Key is the key of the value inside the file; "/" separates the
	// keys of nested mappings, as in sops-nix ("myservice/db_password"
	// is db_password inside myservice). Empty means Name.
	Key string
	// Owner is the user that owns the decrypted file; root when empty.
	Owner string
	// Group is the group of the decrypted file; the owner's group (root
	// without owner) when empty.
	Group string
	// Mode is the octal permission of the decrypted file, such as "0440";
	// "0400" when empty.
	Mode string
	// RestartUnits are systemd units restarted when the secret changes,
	// such as "k3s.service".
	RestartUnits []string
	// Path is where a symlink to the decrypted file is made;
	// /run/secrets/Name when empty.
	Path string
}

// Reference is the use of a secret by name on a host, for example a k3s
// token file that points at config.sops.secrets.k3s_token.path. See
// [Fleet.CheckReferences].
type Reference struct {
	// Host is the host whose configuration uses the secret.
	Host string
	// Secret is the secret's name in sops.secrets.
	Secret string
}

// secretsDir returns the directory of the default secrets files.
func (f *Fleet) secretsDir() string {
	if f.SecretsDir == "" {
		return DefaultSecretsDir
	}
	return f.SecretsDir
}

// hostsDir returns the directory of the host modules.
func (f *Fleet) hostsDir() string {
	if f.HostsDir == "" {
		return DefaultHostsDir
	}
	return f.HostsDir
}

// ModulePath returns the path of the secrets module of the named host,
// HostsDir/NAME/secrets.nix.
func (f *Fleet) ModulePath(host string) string {
	return f.hostsDir() + "/" + host + "/secrets.nix"
}

// plan is the checked and resolved fleet.
type plan struct {
	diags  Diagnostics
	admins []recipient
	hosts  []*hostPlan
	byName map[string]*hostPlan
	files  []*filePlan // host files in host order, then group files
	byPath map[string]*filePlan
}

// recipient is an age recipient with the name of its owner.
type recipient struct {
	key   string
	label string // "admin alice", "host web1"
	where Where
}

type hostPlan struct {
	name      string
	recipient string // "" when the host has no usable key
	hasKey    bool   // an SSH host key is given, valid or not
	file      *filePlan
	where     Where
	secrets   []*secretPlan // sorted by name once resolved
}

type filePlan struct {
	path    string
	owner   string // "host web1", "group k3s-main"
	where   Where  // the File field of the owning host or group
	group   bool
	readers []*hostPlan
	secrets []*secretPlan // declared secrets read from the file, once each
}

type secretPlan struct {
	Secret
	key   string // Key, or Name when empty
	file  *filePlan
	where Where
	owner string // "host web1" or "group k3s-main": who declares it
}

var (
	// nameRE matches host and group names: they become file and
	// directory names.
	nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	// secretSegRE matches one /-separated element of a secret name.
	secretSegRE = regexp.MustCompile(`^[A-Za-z0-9_.@+=:-]+$`)
	// pathSegRE matches one element of a repository path that a Nix path
	// literal can hold.
	pathSegRE = regexp.MustCompile(`^[A-Za-z0-9._+-]+$`)
	// modeRE matches an octal permission mode.
	modeRE = regexp.MustCompile(`^[0-7]{3,4}$`)
	// accountRE matches a user or group name.
	accountRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*\$?$`)
	// unitRE matches a systemd unit name with its type suffix.
	unitRE = regexp.MustCompile(`^[A-Za-z0-9:_.\\@-]+\.(service|socket|target|timer|mount|automount|path|slice|scope|swap|device)$`)
)

// Validate checks the fleet and returns its problems, errors first in
// the order of the input, then warnings. See the Code constants for the
// rules. The generators refuse a fleet with errors.
func (f *Fleet) Validate() Diagnostics {
	return f.resolve().diags
}

// resolve checks the fleet and works out the recipients of every file and
// the secrets of every host.
func (f *Fleet) resolve() *plan {
	p := &plan{byName: map[string]*hostPlan{}, byPath: map[string]*filePlan{}}
	errorf := func(code string, w Where, summary, detail string, related ...Where) {
		p.diags = append(p.diags, Diagnostic{Severity: SeverityError, Code: code, Where: w, Summary: summary, Detail: detail, Related: related})
	}
	warnf := func(code string, w Where, summary, detail string, related ...Where) {
		p.diags = append(p.diags, Diagnostic{Severity: SeverityWarning, Code: code, Where: w, Summary: summary, Detail: detail, Related: related})
	}

	secretsDirOK := true
	for _, d := range []struct{ field, val string }{{"SecretsDir", f.SecretsDir}, {"HostsDir", f.HostsDir}} {
		if d.val == "" {
			continue
		}
		if msg := checkRepoPath(d.val); msg != "" {
			secretsDirOK = secretsDirOK && d.field != "SecretsDir"
			errorf(CodeFilePath, Where{Field: d.field}, d.field+" "+quote(d.val)+" "+msg,
				"Directories are given relative to the repository root, in slash-separated clean form, inside the repository.")
		}
	}

	// Admins.
	adminNames := map[string]int{}
	for i, a := range f.Admins {
		w := Where{}.Index("admin", i)
		if strings.TrimSpace(a.Name) == "" || strings.ContainsFunc(a.Name, isControl) {
			errorf(CodeName, w.At("Name"), "admin without a valid name",
				"Every admin needs a name without control characters; it labels the admin's key in .sops.yaml.")
		} else if j, dup := adminNames[a.Name]; dup {
			errorf(CodeDuplicateName, w.At("Name"), "admin "+quote(a.Name)+" is declared twice",
				"Admin names must be unique.", Where{}.Index("admin", j))
		} else {
			adminNames[a.Name] = i
		}
		r, err := ParseRecipient(a.Recipient)
		if err != nil {
			errorf(CodeRecipient, w.At("Recipient"), "admin "+quote(a.Name)+" has an invalid recipient",
				err.Error()+". Give an age X25519 recipient (age1…, from age-keygen -y) or an ssh-ed25519 public key.")
			continue
		}
		p.admins = append(p.admins, recipient{key: r, label: "admin " + a.Name, where: w.At("Recipient")})
	}
	if len(f.Admins) == 0 {
		warnf(CodeNoAdmins, Where{Field: "Admins"}, "the fleet has no admin",
			"Without an admin, the secrets files are encrypted for hosts only, and nobody can edit or re-key them from a workstation.")
	}

	claim := func(fp *filePlan) {
		if prev, dup := p.byPath[fp.path]; dup {
			errorf(CodeDuplicateFile, fp.where, fp.owner+" uses the secrets file "+fp.path+" of "+prev.owner,
				"Every host and every group needs its own secrets file, since each file is encrypted for a different set of recipients.", prev.where)
			return
		}
		p.byPath[fp.path] = fp
		p.files = append(p.files, fp)
	}
	filePath := func(explicit, name string, w Where, owner string) (string, bool) {
		if explicit == "" {
			if !secretsDirOK {
				return "", false
			}
			return f.secretsDir() + "/" + name + ".yaml", true
		}
		if msg := checkRepoPath(explicit); msg != "" {
			errorf(CodeFilePath, w, owner+": secrets file "+quote(explicit)+" "+msg,
				"Secrets files are given relative to the repository root, in slash-separated clean form, inside the repository, and end in .yaml or .yml.")
			return "", false
		}
		if !isYAML(explicit) {
			errorf(CodeFilePath, w, owner+": secrets file "+quote(explicit)+" is not a YAML file",
				"Secrets files must end in .yaml or .yml: sops-nix reads them as YAML, and sops picks the format from the extension.")
			return "", false
		}
		return explicit, true
	}

	// Hosts.
	for i, h := range f.Hosts {
		w := Where{}.Index("host", i)
		hp := &hostPlan{name: h.Name, where: w, hasKey: h.SSHHostKey != ""}
		p.hosts = append(p.hosts, hp)
		nameOK := nameRE.MatchString(h.Name)
		if !nameOK {
			errorf(CodeName, w.At("Name"), "invalid host name "+quote(h.Name),
				"A host name names its secrets file and module directory: it must start with a letter or digit and hold only letters, digits, '.', '_' and '-'.")
		} else if prev, dup := p.byName[h.Name]; dup {
			errorf(CodeDuplicateName, w.At("Name"), "host "+quote(h.Name)+" is declared twice",
				"Host names must be unique.", prev.where)
			nameOK = false
		} else {
			p.byName[h.Name] = hp
		}
		if h.SSHHostKey != "" {
			r, err := SSHToAge(h.SSHHostKey)
			if err != nil {
				errorf(CodeHostKey, w.At("SSHHostKey"), "host "+quote(h.Name)+" has an invalid SSH host key",
					err.Error()+". Give the line of "+HostKeyPath+".pub, for example from ssh-keyscan -t ed25519 HOST.")
			} else {
				hp.recipient = r
			}
		}
		if !nameOK && h.File == "" {
			continue
		}
		if fpath, ok := filePath(h.File, h.Name, w.At("File"), "host "+quote(h.Name)); ok {
			hp.file = &filePlan{path: fpath, owner: "host " + quote(h.Name), where: w.At("File"), readers: []*hostPlan{hp}}
			claim(hp.file)
		}
	}

	// Groups.
	type groupPlan struct {
		file    *filePlan
		members []*hostPlan
	}
	groups := make([]groupPlan, len(f.Groups))
	groupNames := map[string]int{}
	for i, g := range f.Groups {
		w := Where{}.Index("group", i)
		nameOK := nameRE.MatchString(g.Name)
		if !nameOK {
			errorf(CodeName, w.At("Name"), "invalid group name "+quote(g.Name),
				"A group name names its secrets file: it must start with a letter or digit and hold only letters, digits, '.', '_' and '-'.")
		} else if j, dup := groupNames[g.Name]; dup {
			errorf(CodeDuplicateName, w.At("Name"), "group "+quote(g.Name)+" is declared twice",
				"Group names must be unique.", Where{}.Index("group", j))
			nameOK = false
		} else {
			groupNames[g.Name] = i
		}
		seen := map[string]int{}
		for j, m := range g.Members {
			mw := w.Index("member", j)
			if k, dup := seen[m]; dup {
				warnf(CodeDuplicateName, mw, "host "+quote(m)+" is listed twice in group "+quote(g.Name),
					"The second entry has no effect.", w.Index("member", k))
				continue
			}
			seen[m] = j
			hp, ok := p.byName[m]
			if !ok {
				errorf(CodeUnknownMember, mw, "group "+quote(g.Name)+" has an unknown member "+quote(m),
					"Group members must be hosts of the fleet.")
				continue
			}
			groups[i].members = append(groups[i].members, hp)
		}
		if len(g.Members) == 0 {
			warnf(CodeEmptyGroup, w.At("Members"), "group "+quote(g.Name)+" has no members",
				"Its secrets file is encrypted for the admins only, and its secrets reach no host.")
		}
		if !nameOK && g.File == "" {
			continue
		}
		if fpath, ok := filePath(g.File, g.Name, w.At("File"), "group "+quote(g.Name)); ok {
			fp := &filePlan{path: fpath, owner: "group " + quote(g.Name), where: w.At("File"), group: true, readers: groups[i].members}
			groups[i].file = fp
			claim(fp)
		}
	}

	// Secrets: check each declaration, find its file, hand it to the hosts.
	declare := func(s Secret, w Where, owner string, home *filePlan, receivers []*hostPlan) {
		sp := &secretPlan{Secret: s, key: s.Key, where: w, owner: owner}
		if sp.key == "" {
			sp.key = s.Name
		}
		ok := checkSecret(s, w, owner, errorf)
		switch {
		case s.File != "":
			fpath, fileOK := filePath(s.File, "", w.At("File"), "secret "+quote(s.Name))
			if !fileOK {
				ok = false
				break
			}
			fp, known := p.byPath[fpath]
			if !known {
				errorf(CodeUnknownFile, w.At("File"), "secret "+quote(s.Name)+" is read from "+fpath+", which is no host's or group's secrets file",
					"No creation rule in .sops.yaml covers that file, so sops cannot encrypt it. Use the file of the host or of one of its groups.")
				ok = false
				break
			}
			sp.file = fp
		case home != nil:
			sp.file = home
		default:
			ok = false // the owner's file is invalid, which is reported
		}
		if !ok {
			return
		}
		sp.file.secrets = append(sp.file.secrets, sp)
		for _, hp := range receivers {
			hp.secrets = append(hp.secrets, sp)
		}
	}
	for i, h := range f.Hosts {
		hp := p.hosts[i]
		if p.byName[h.Name] != hp {
			continue // invalid or duplicate name, reported above
		}
		for j, s := range h.Secrets {
			declare(s, hp.where.Index("secret", j), "host "+quote(h.Name), hp.file, []*hostPlan{hp})
		}
	}
	for i, g := range f.Groups {
		w := Where{}.Index("group", i)
		for j, s := range g.Secrets {
			declare(s, w.Index("secret", j), "group "+quote(g.Name), groups[i].file, groups[i].members)
		}
	}

	// Per host: unique names, readable files, a key.
	for _, hp := range p.hosts {
		if p.byName[hp.name] != hp {
			continue
		}
		byName := map[string]*secretPlan{}
		for _, sp := range hp.secrets {
			if prev, dup := byName[sp.Name]; dup {
				errorf(CodeDuplicateName, sp.where.At("Name"), "host "+quote(hp.name)+" receives two secrets named "+quote(sp.Name),
					"The secret is declared by "+prev.owner+" and by "+sp.owner+"; sops.secrets."+sp.Name+" can only be defined once. Rename one of them.", prev.where)
				continue
			}
			byName[sp.Name] = sp
			if !slices.Contains(sp.file.readers, hp) {
				errorf(CodeNotRecipient, sp.where.At("File"), "host "+quote(hp.name)+" cannot decrypt "+sp.file.path+" for secret "+quote(sp.Name),
					sp.file.path+" is the secrets file of "+sp.file.owner+" and is not encrypted for host "+quote(hp.name)+
						"; sops-nix would fail at activation with \"0 successful groups required, got 0\". Put the secret in a file the host can read, or add the host to the group.")
			}
		}
		if len(hp.secrets) > 0 && !hp.hasKey {
			errorf(CodeMissingHostKey, hp.where.At("SSHHostKey"), "host "+quote(hp.name)+" receives secrets but has no SSH host key",
				"The secrets files must be encrypted for the age key of the host, which is derived from its SSH host key. Give the line of "+HostKeyPath+".pub (ssh-keyscan -t ed25519 HOST prints it, and for a new host generate the key before installing).")
		}
		slices.SortFunc(hp.secrets, func(a, b *secretPlan) int { return strings.Compare(a.Name, b.Name) })
	}

	// The same key twice.
	seen := map[string]recipient{}
	all := slices.Clone(p.admins)
	for _, hp := range p.hosts {
		if hp.recipient != "" {
			all = append(all, recipient{key: hp.recipient, label: "host " + hp.name, where: hp.where.At("SSHHostKey")})
		}
	}
	for _, r := range all {
		if prev, dup := seen[r.key]; dup {
			warnf(CodeDuplicateRecipient, r.where, r.label+" has the same age recipient as "+prev.label,
				"Both decrypt the same files. Two hosts with one SSH host key were usually cloned from one image; give each host its own key (delete /etc/ssh/ssh_host_* and restart sshd) and re-key the secrets files.", prev.where)
			continue
		}
		seen[r.key] = r
	}

	slices.SortStableFunc(p.diags, func(a, b Diagnostic) int { return int(a.Severity) - int(b.Severity) })
	return p
}

// checkSecret reports the problems of one secret declaration and tells
// whether it is usable.
func checkSecret(s Secret, w Where, owner string, errorf func(code string, w Where, summary, detail string, related ...Where)) bool {
	ok := true
	if msg := checkSecretName(s.Name); msg != "" {
		errorf(CodeName, w.At("Name"), owner+": invalid secret name "+quote(s.Name), msg)
		ok = false
	}
	if s.Key != "" {
		if slices.Contains(strings.Split(s.Key, "/"), "") || strings.ContainsFunc(s.Key, isControl) {
			errorf(CodeKey, w.At("Key"), "secret "+quote(s.Name)+" has an invalid key "+quote(s.Key),
				"sops-nix splits the key at '/' into the keys of nested mappings, so no element may be empty, and keys hold no control characters.")
			ok = false
		}
	} else if strings.ContainsFunc(s.Name, isControl) {
		ok = false
	}
	if s.Mode != "" && !modeRE.MatchString(s.Mode) {
		errorf(CodeMode, w.At("Mode"), "secret "+quote(s.Name)+" has an invalid mode "+quote(s.Mode),
			"The mode is an octal permission of three or four digits, such as \"0440\".")
		ok = false
	}
	for _, acct := range []struct{ field, val string }{{"Owner", s.Owner}, {"Group", s.Group}} {
		if acct.val != "" && (!accountRE.MatchString(acct.val) || len(acct.val) > 32) {
			errorf(CodeOwner, w.At(acct.field), "secret "+quote(s.Name)+" has an invalid "+strings.ToLower(acct.field)+" "+quote(acct.val),
				"User and group names start with a letter or '_', hold letters, digits, '_', '.' and '-', and have at most 32 characters.")
			ok = false
		}
	}
	if s.Path != "" && (!strings.HasPrefix(s.Path, "/") || path.Clean(s.Path) != s.Path || s.Path == "/" || strings.ContainsFunc(s.Path, isControl)) {
		errorf(CodePath, w.At("Path"), "secret "+quote(s.Name)+" has an invalid path "+quote(s.Path),
			"The path of the symlink to the decrypted file must be absolute and clean, such as /var/lib/app/token.")
		ok = false
	}
	for i, u := range s.RestartUnits {
		if !unitRE.MatchString(u) {
			errorf(CodeUnit, w.Index("restartUnit", i), "secret "+quote(s.Name)+" restarts an invalid unit "+quote(u),
				"restartUnits are full systemd unit names with their type, such as \"k3s.service\".")
			ok = false
		}
	}
	return ok
}

// checkSecretName returns why name cannot be a sops-nix secret name, or "".
func checkSecretName(name string) string {
	if name == "" {
		return "Every secret needs a name."
	}
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" || seg == "." || seg == ".." || !secretSegRE.MatchString(seg) {
			return "The name becomes a file under /run/secrets: '/'-separated elements of letters, digits and _ . @ + = : -, none of them empty, \".\" or \"..\"."
		}
	}
	return ""
}

// checkRepoPath returns why p is not a clean path inside the repository,
// or "".
func checkRepoPath(p string) string {
	switch {
	case p == "":
		return "is empty"
	case strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || (len(p) > 1 && p[1] == ':'):
		return "is absolute"
	case strings.Contains(p, `\`):
		return "has a backslash"
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return "leaves the repository"
		}
	}
	if path.Clean(p) != p || p == "." {
		return "is not a clean path"
	}
	for seg := range strings.SplitSeq(p, "/") {
		if !pathSegRE.MatchString(seg) {
			return "has characters other than letters, digits, '.', '_', '+' and '-'"
		}
	}
	return ""
}

func isYAML(p string) bool {
	return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f
}

func quote(s string) string {
	return "\"" + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + "\""
}

// RequiredKeys returns, for every secrets file that a valid secret is
// read from, the keys that must be in it, sorted and without duplicates:
// the input of [Check]. Files that no secret uses are left out.
func (f *Fleet) RequiredKeys() map[string][]string {
	p := f.resolve()
	out := map[string][]string{}
	for _, fp := range p.files {
		for _, sp := range fp.secrets {
			out[fp.path] = append(out[fp.path], sp.key)
		}
	}
	for k, keys := range out {
		slices.Sort(keys)
		out[k] = slices.Compact(keys)
	}
	return out
}

// CheckReferences reports, for each reference, a host that is not in the
// fleet or a secret that the host does not receive. The Where of each
// diagnostic is reference[i], i the position in refs, with Field "Host"
// or "Secret", so that the caller can point at the place that makes the
// reference.
func (f *Fleet) CheckReferences(refs []Reference) Diagnostics {
	p := f.resolve()
	var out Diagnostics
	for i, r := range refs {
		w := Where{}.Index("reference", i)
		hp, ok := p.byName[r.Host]
		if !ok {
			out = append(out, Diagnostic{Severity: SeverityError, Code: CodeUndeclared, Where: w.At("Host"),
				Summary: "secret " + quote(r.Secret) + " is used on unknown host " + quote(r.Host),
				Detail:  "The host is not in the secrets fleet, so it receives no secrets."})
			continue
		}
		if slices.ContainsFunc(hp.secrets, func(sp *secretPlan) bool { return sp.Name == r.Secret }) {
			continue
		}
		var names []string
		for _, sp := range hp.secrets {
			names = append(names, sp.Name)
		}
		detail := "Declare the secret on the host, or on a group the host is a member of; otherwise config.sops.secrets." + r.Secret + " does not exist and evaluation fails."
		if len(names) > 0 {
			detail += " The host receives: " + strings.Join(names, ", ") + "."
		} else {
			detail += " The host receives no secrets."
		}
		out = append(out, Diagnostic{Severity: SeverityError, Code: CodeUndeclared, Where: w.At("Secret"),
			Summary: "host " + quote(r.Host) + " uses secret " + quote(r.Secret) + ", which it does not receive",
			Detail:  detail})
	}
	return out
}
