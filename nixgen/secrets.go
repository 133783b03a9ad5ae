package nixgen

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/nixgen/nixgen/sops"
)

// This file holds the sops-nix part of an inventory: the admin and
// secret_group blocks, the secret blocks and the ssh_host_key and
// secrets_used attributes of hosts and profiles, their conversion to a
// [sops.Fleet], the mapping of its diagnostics back to source ranges,
// and the files it renders.
//
//	fleet {
//	  secrets_dir = "secrets"                 # the default
//	}
//
//	admin "ben" {
//	  age_recipient = "age1…"                 # or ssh_key = "ssh-ed25519 AAAA…"
//	}
//
//	host "web1" {
//	  ssh_host_key = "ssh-ed25519 AAAA… root@web1"
//	  secret "db_password" {                  # from secrets/web1.yaml
//	    owner         = "postgres"
//	    mode          = "0440"
//	    restart_units = ["postgresql.service"]
//	  }
//	  secrets_used = ["db_password"]          # read by modules in imports
//	}
//
//	secret_group "backup" {                   # secrets/backup.yaml
//	  members = ["web1", "db1"]
//	  secret "restic_password" { }
//	}
//
// Every host has its own file, SECRETS_DIR/HOST.yaml, encrypted for the
// host and the admins, and every group a shared one, SECRETS_DIR/GROUP.yaml,
// encrypted for its members and the admins. A k3s cluster whose token is
// a sops-nix secret (token_secret) gets the group k3s-CLUSTER of all its
// nodes, which holds the token; with an agent token, k3s-CLUSTER holds the
// agent token and k3s-CLUSTER-servers, of the servers only, the server
// token, so that agents never hold the server token. A secret_group named
// k3s-CLUSTER adds its members and secrets to the cluster's group.
//
// The layer is on when the inventory has an admin, a secret_group, a
// secret, an ssh_host_key or secrets_dir. It then writes .sops.yaml at the
// top of the tree and hosts/HOST/secrets.nix for every host that receives
// a secret (see [sops.Fleet.Render]). k3s.nix keeps declaring
// sops.secrets.NAME = { } for the tokens it reads; the NixOS module system
// merges that with the declaration in secrets.nix, which names the file.

// Admin is a person who edits the sops secrets files,
// `admin "NAME" { … }`: every secrets file is encrypted for every admin.
// Give the admin's key as an age recipient or as an ssh-ed25519 public
// key, not both.
type Admin struct {
	// Name names the admin in .sops.yaml comments and messages.
	Name string `hcl:"name,label"`
	// AgeRecipient is the admin's age X25519 recipient, age1…, as
	// "age-keygen -y KEYFILE" prints it.
	AgeRecipient *string `hcl:"age_recipient,optional"`
	// SSHKey is the admin's ssh-ed25519 public key, converted to an age
	// recipient as ssh-to-age does; the admin decrypts with the identity
	// "ssh-to-age -private-key" derives from the private key.
	SSHKey *string `hcl:"ssh_key,optional"`

	NameRange         hcl.Range `hcl:"name,label_range"`
	DefRange          hcl.Range `hcl:",def_range"`
	AgeRecipientRange hcl.Range `hcl:"age_recipient,attr_value_range"`
	SSHKeyRange       hcl.Range `hcl:"ssh_key,attr_value_range"`
}

// Secret is a sops-nix secret, `secret "NAME" { … }` in a host, a profile
// or a secret_group: a value that sops-nix decrypts at activation and
// writes to /run/secrets/NAME. The value is kept in the secrets file of
// the host or group, never in the inventory. A host's secret is laid over
// one of the same name from its profiles field by field. Unset fields keep
// the sops-nix defaults.
type Secret struct {
	// Name is the attribute name in sops.secrets and the file name under
	// /run/secrets; "/" makes subdirectories ("myservice/db_password").
	Name string `hcl:"name,label"`
	// Key is the key of the value in the secrets file, "/" separating
	// the keys of nested mappings; the name when unset.
	Key *string `hcl:"key,optional"`
	// Owner and Group own the decrypted file; root when unset.
	Owner *string `hcl:"owner,optional"`
	Group *string `hcl:"group,optional"`
	// Mode is the octal permission of the decrypted file, "0400" when
	// unset.
	Mode *string `hcl:"mode,optional"`
	// RestartUnits are systemd units restarted when the secret changes,
	// such as "postgresql.service".
	RestartUnits []string `hcl:"restart_units,optional"`
	// Path is where a symlink to the decrypted file is made;
	// /run/secrets/NAME when unset.
	Path *string `hcl:"path,optional"`

	NameRange         hcl.Range `hcl:"name,label_range"`
	DefRange          hcl.Range `hcl:",def_range"`
	KeyRange          hcl.Range `hcl:"key,attr_value_range"`
	OwnerRange        hcl.Range `hcl:"owner,attr_value_range"`
	GroupRange        hcl.Range `hcl:"group,attr_value_range"`
	ModeRange         hcl.Range `hcl:"mode,attr_value_range"`
	RestartUnitsRange hcl.Range `hcl:"restart_units,attr_value_range"`
	PathRange         hcl.Range `hcl:"path,attr_value_range"`
}

// SecretGroup is a set of hosts that share a secrets file,
// `secret_group "NAME" { … }`: SECRETS_DIR/NAME.yaml, encrypted for the
// members and the admins. Every member receives every secret of the
// group. A group named k3s-CLUSTER, for a k3s_cluster CLUSTER, adds to the
// group nixgen makes for the cluster's nodes, and members may be left out.
type SecretGroup struct {
	// Name names the group and its secrets file.
	Name string `hcl:"name,label"`
	// Members are the names of the hosts in the group.
	Members []string `hcl:"members,optional"`
	// Secrets are declared on every member.
	Secrets []Secret `hcl:"secret,block"`

	NameRange    hcl.Range `hcl:"name,label_range"`
	DefRange     hcl.Range `hcl:",def_range"`
	MembersRange hcl.Range `hcl:"members,attr_value_range"`
}

// k3sRestartUnit is the unit restarted when a k3s token changes.
const k3sRestartUnit = "k3s.service"

// mergeSecrets lays the secrets of layer over those of dst by name, field
// by field, and returns the result, which shares no memory with either.
func mergeSecrets(dst, layer []Secret) []Secret {
	out := make([]Secret, 0, len(dst)+len(layer))
	for _, s := range dst {
		out = append(out, s.clone())
	}
	inherited := len(out)
	taken := map[string]bool{}
	for _, l := range layer {
		if !taken[l.Name] {
			taken[l.Name] = true
			if i := slices.IndexFunc(out[:inherited], func(s Secret) bool { return s.Name == l.Name }); i >= 0 {
				out[i].merge(&l)
				continue
			}
		}
		out = append(out, l.clone())
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (s Secret) clone() Secret {
	c := s
	c.Key, c.Owner, c.Group, c.Mode, c.Path = clonePtr(s.Key), clonePtr(s.Owner), clonePtr(s.Group), clonePtr(s.Mode), clonePtr(s.Path)
	c.RestartUnits = slices.Clone(s.RestartUnits)
	return c
}

// merge lays l over s, which is already a copy.
func (s *Secret) merge(l *Secret) {
	overPtr(&s.Key, &s.KeyRange, l.Key, l.KeyRange)
	overPtr(&s.Owner, &s.OwnerRange, l.Owner, l.OwnerRange)
	overPtr(&s.Group, &s.GroupRange, l.Group, l.GroupRange)
	overPtr(&s.Mode, &s.ModeRange, l.Mode, l.ModeRange)
	overPtr(&s.Path, &s.PathRange, l.Path, l.PathRange)
	if l.RestartUnits != nil {
		s.RestartUnits = slices.Clone(l.RestartUnits)
		s.RestartUnitsRange = l.RestartUnitsRange
	}
	s.NameRange, s.DefRange = l.NameRange, l.DefRange
}

// sops converts the secret to its [sops.Secret].
func (s *Secret) sops() sops.Secret {
	return sops.Secret{
		Name: s.Name, Key: deref(s.Key), Owner: deref(s.Owner), Group: deref(s.Group), Mode: deref(s.Mode),
		RestartUnits: slices.Clone(s.RestartUnits), Path: deref(s.Path),
	}
}

// secretsPlan is the inventory's [sops.Fleet] with, for every element of
// the fleet, the place in the inventory it comes from.
type secretsPlan struct {
	inv    *Inventory
	fleet  *sops.Fleet
	active bool // the inventory sets up sops; see secrets.go

	admins  []*Admin        // parallel to fleet.Admins
	hosts   []*checkedHost  // parallel to fleet.Hosts
	hostSec [][]*Secret     // parallel to fleet.Hosts[i].Secrets
	groups  []*secretsGroup // parallel to fleet.Groups
	refs    []secretsRef    // parallel to refList
	refList []sops.Reference
	// diags are the problems found while converting: keys that are not
	// keys, admins with no key or two.
	diags hcl.Diagnostics
	// k3sErr are the errors about k3s tokens in sops-nix when the
	// inventory does not set up sops.
	k3sErr hcl.Diagnostics
}

// secretsGroup is where a group of the fleet comes from: a secret_group,
// a k3s cluster, or both.
type secretsGroup struct {
	user    *SecretGroup // nil for a cluster group no secret_group adds to
	cluster *K3sCluster  // nil for a plain secret_group
	nodes   []*checkedHost
	// userMember[k] is the index in user.Members of member k, -1 for a
	// node of the cluster.
	userMember []int
	secrets    []secretsSource // parallel to the group's Secrets
}

// secretsSource is where a secret of a group comes from: a secret block,
// or the token attribute of a k3s cluster.
type secretsSource struct {
	decl  *Secret
	token hcl.Range // the token_secret or agent_token_secret value
}

// secretsRef is where a reference to a secret is made: an element of
// secrets_used.
type secretsRef struct {
	list hcl.Range
	elem int
}

// active reports whether the inventory sets up sops: an admin, a
// secret_group, secrets_dir, or a host or profile with a secret or an SSH
// host key.
func (inv *Inventory) secretsActive() bool {
	if len(inv.Admins) > 0 || len(inv.SecretGroups) > 0 || (inv.Fleet != nil && inv.Fleet.SecretsDir != nil) {
		return true
	}
	for _, ms := range [][]Machine{inv.Profiles, inv.Hosts} {
		for i := range ms {
			if ms[i].SSHHostKey != nil || len(ms[i].Secrets) > 0 {
				return true
			}
		}
	}
	return false
}

// secretsPlan builds the fleet of the checked hosts, whose k3s field is
// set.
func (inv *Inventory) secretsPlan(hosts []checkedHost) *secretsPlan {
	p := &secretsPlan{inv: inv, fleet: &sops.Fleet{}, active: inv.secretsActive()}
	f := p.fleet
	if inv.Fleet != nil && inv.Fleet.SecretsDir != nil {
		if *inv.Fleet.SecretsDir == "" {
			p.diags = append(p.diags, netError("Empty secrets_dir",
				`secrets_dir is empty. Give the directory of the secrets files relative to the flake root, such as "secrets", or leave it out for that default.`,
				inv.Fleet.SecretsDirRange, inv.Fleet.DefRange))
		} else {
			f.SecretsDir = *inv.Fleet.SecretsDir
		}
	}

	for i := range inv.Admins {
		a := &inv.Admins[i]
		if r, ok := p.adminRecipient(a); ok {
			f.Admins = append(f.Admins, sops.Admin{Name: a.Name, Recipient: r})
			p.admins = append(p.admins, a)
		}
	}

	byName := map[string]*checkedHost{}
	for i := range hosts {
		h := &hosts[i]
		byName[h.Name] = h
		sh := sops.Host{Name: h.Name, SSHHostKey: deref(h.SSHHostKey)}
		var srcs []*Secret
		for j := range h.Secrets {
			sh.Secrets = append(sh.Secrets, h.Secrets[j].sops())
			srcs = append(srcs, &h.Secrets[j])
		}
		f.Hosts = append(f.Hosts, sh)
		p.hosts = append(p.hosts, h)
		p.hostSec = append(p.hostSec, srcs)
		for k, name := range h.SecretsUsed {
			p.refList = append(p.refList, sops.Reference{Host: h.Name, Secret: name})
			p.refs = append(p.refs, secretsRef{list: h.SecretsUsedRange, elem: k})
		}
	}

	// The groups of the k3s clusters, then the other secret_groups.
	userGroups := map[string]*SecretGroup{}
	for i := range inv.SecretGroups {
		if _, dup := userGroups[inv.SecretGroups[i].Name]; !dup {
			userGroups[inv.SecretGroups[i].Name] = &inv.SecretGroups[i]
		}
	}
	merged := map[*SecretGroup]bool{}
	seenCluster := map[string]bool{}
	for i := range inv.K3sClusters {
		kc := &inv.K3sClusters[i]
		if seenCluster[kc.Name] {
			continue
		}
		seenCluster[kc.Name] = true
		var nodes, servers []*checkedHost
		for j := range hosts {
			if k := hosts[j].k3s; k != nil && k.cluster.Name == kc.Name {
				nodes = append(nodes, &hosts[j])
				if k.node.Role.IsServer() {
					servers = append(servers, &hosts[j])
				}
			}
		}
		token, agent := deref(kc.TokenSecret), deref(kc.AgentTokenSecret)
		name := "k3s-" + kc.Name
		user := userGroups[name]
		// A secret also given as a file is already an error of two
		// sources, which says what to do.
		lone, loneAgent := token, agent
		if kc.TokenFile != nil {
			lone = ""
		}
		if kc.AgentTokenFile != nil {
			loneAgent = ""
		}
		if len(nodes) > 0 && (lone != "" || loneAgent != "") && !p.active {
			p.k3sErr = append(p.k3sErr, k3sNoSopsError(kc, lone, loneAgent))
		}
		all := &secretsGroup{user: user, cluster: kc, nodes: nodes}
		var allSecrets, serverSecrets []secretsSource
		var allNames, serverNames []string
		switch {
		case agent != "":
			// Agents read the agent token; servers read both.
			allSecrets, allNames = append(allSecrets, secretsSource{token: kc.AgentTokenSecretRange}), append(allNames, agent)
			if token != "" {
				serverSecrets, serverNames = append(serverSecrets, secretsSource{token: kc.TokenSecretRange}), append(serverNames, token)
			}
		case token != "":
			allSecrets, allNames = append(allSecrets, secretsSource{token: kc.TokenSecretRange}), append(allNames, token)
		}
		if len(nodes) > 0 && (len(allSecrets) > 0 || user != nil) {
			g := sops.Group{Name: name}
			for k, n := range allNames {
				g.Secrets = append(g.Secrets, sops.Secret{Name: n, RestartUnits: []string{k3sRestartUnit}})
				all.secrets = append(all.secrets, allSecrets[k])
			}
			for _, n := range nodes {
				g.Members = append(g.Members, n.Name)
				all.userMember = append(all.userMember, -1)
			}
			if user != nil {
				merged[user] = true
				p.addUserGroup(&g, all)
			}
			f.Groups = append(f.Groups, g)
			p.groups = append(p.groups, all)
		}
		if len(servers) > 0 && len(serverSecrets) > 0 {
			g := sops.Group{Name: name + "-servers"}
			sg := &secretsGroup{cluster: kc, nodes: servers}
			for k, n := range serverNames {
				g.Secrets = append(g.Secrets, sops.Secret{Name: n, RestartUnits: []string{k3sRestartUnit}})
				sg.secrets = append(sg.secrets, serverSecrets[k])
			}
			for _, n := range servers {
				g.Members = append(g.Members, n.Name)
				sg.userMember = append(sg.userMember, -1)
			}
			f.Groups = append(f.Groups, g)
			p.groups = append(p.groups, sg)
		}
	}
	for i := range inv.SecretGroups {
		sg := &inv.SecretGroups[i]
		if merged[sg] {
			continue
		}
		g := sops.Group{Name: sg.Name}
		src := &secretsGroup{user: sg}
		p.addUserGroup(&g, src)
		f.Groups = append(f.Groups, g)
		p.groups = append(p.groups, src)
	}
	return p
}

// addUserGroup adds the members and secrets of the secret_group src.user
// to g.
func (p *secretsPlan) addUserGroup(g *sops.Group, src *secretsGroup) {
	for k, m := range src.user.Members {
		g.Members = append(g.Members, m)
		src.userMember = append(src.userMember, k)
	}
	for j := range src.user.Secrets {
		s := &src.user.Secrets[j]
		g.Secrets = append(g.Secrets, s.sops())
		src.secrets = append(src.secrets, secretsSource{decl: s})
	}
}

// k3sNoSopsError is the error about the sops-nix token of cluster kc
// when the inventory does not set up sops.
func k3sNoSopsError(kc *K3sCluster, token, agent string) *hcl.Diagnostic {
	names, at, files := token, kc.TokenSecretRange, "token_file"
	switch {
	case token == "":
		names, at, files = agent, kc.AgentTokenSecretRange, "agent_token_file"
	case agent != "":
		names, files = token+" and "+agent, "token_file and agent_token_file"
	}
	return netError("k3s token secret without sops setup",
		fmt.Sprintf("k3s cluster %q reads its token from the sops-nix secret %s, but the inventory sets up no sops: no admin block and no ssh_host_key, so nixgen would write no .sops.yaml and no secrets.nix, and the nodes would not evaluate, since nothing says which file holds the secret. Add an admin block and an ssh_host_key to every node: nixgen then declares the secret in secrets/k3s-%s.yaml for all the cluster's nodes. Or, for a token delivered another way, set %s to its path on the hosts instead.",
			kc.Name, names, kc.Name, files),
		at, kc.DefRange)
}

// bech32Chars is the alphabet of bech32, in which age writes recipients.
const bech32Chars = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// adminRecipient returns the age recipient of admin a, and reports a
// missing, doubled or invalid key.
func (p *secretsPlan) adminRecipient(a *Admin) (string, bool) {
	switch {
	case a.AgeRecipient == nil && a.SSHKey == nil:
		p.diags = append(p.diags, netError("Admin without a key",
			fmt.Sprintf("Admin %q has no key, so no secrets file can be encrypted for them. Set age_recipient to the admin's age recipient (age-keygen -y KEYFILE prints it), or ssh_key to their ssh-ed25519 public key.", a.Name),
			a.NameRange, a.DefRange))
		return "", false
	case a.AgeRecipient != nil && a.SSHKey != nil:
		p.diags = append(p.diags, netError("Two keys for one admin",
			fmt.Sprintf("Admin %q has both age_recipient and ssh_key. Give one; for two keys, declare two admins.", a.Name),
			a.SSHKeyRange, a.DefRange))
		return "", false
	case a.AgeRecipient != nil:
		r, err := sops.ParseAgeRecipient(*a.AgeRecipient)
		if err != nil {
			p.diags = append(p.diags, netError("Invalid age recipient",
				fmt.Sprintf("The age_recipient of admin %q, %s, %s. An age recipient is \"age1\" followed by 58 characters of the bech32 alphabet (lower-case letters and digits, without \"1\", \"b\", \"i\" and \"o\"), as \"age-keygen -y KEYFILE\" prints it, or \"ssh-to-age < ~/.ssh/id_ed25519.pub\" for an SSH key; an SSH public key can also be given as ssh_key instead.",
					a.Name, shortKey(*a.AgeRecipient), ageProblem(*a.AgeRecipient, err)),
				a.AgeRecipientRange, a.DefRange))
			return "", false
		}
		return r, true
	default:
		r, err := sops.SSHToAge(*a.SSHKey)
		if err != nil {
			p.diags = append(p.diags, netError("Invalid admin SSH key",
				fmt.Sprintf("The ssh_key of admin %q, %s, cannot be converted to an age recipient: %s. Give an ssh-ed25519 public key line, the content of ~/.ssh/id_ed25519.pub; other key types do not convert to age.",
					a.Name, shortKey(*a.SSHKey), keyReason(err)),
				a.SSHKeyRange, a.DefRange))
			return "", false
		}
		return r, true
	}
}

// ageProblem says what is wrong with the age recipient s, which err
// rejected.
func ageProblem(s string, err error) string {
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(t, "ssh-"):
		return "is an SSH public key, not an age recipient"
	case !strings.HasPrefix(t, "age1"):
		return "does not start with \"age1\""
	}
	for i, r := range t[len("age1"):] {
		if !strings.ContainsRune(bech32Chars, r) {
			return fmt.Sprintf("holds %q at position %d, which is not in the bech32 alphabet", r, len("age1")+i+1)
		}
	}
	if n := utf8.RuneCountInString(t); n != 62 {
		return fmt.Sprintf("has %d characters instead of 62", n)
	}
	return "is not valid: " + keyReason(err)
}

// keyReason returns the reason of a *sops.KeyError, or the error.
func keyReason(err error) string {
	var ke *sops.KeyError
	if !errors.As(err, &ke) {
		return err.Error()
	}
	if ke.Err != nil {
		return ke.Reason + " (" + ke.Err.Error() + ")"
	}
	return ke.Reason
}

// shortKey quotes a key for a message, shortened to its start.
func shortKey(k string) string {
	k = strings.TrimSpace(k)
	if utf8.RuneCountInString(k) > 40 {
		k = string([]rune(k)[:37]) + "…"
	}
	return fmt.Sprintf("%q", k)
}

// checkSecrets checks the sops layer of the inventory, and marks the hosts
// that receive secrets. hosts are the checked hosts, with their k3s field
// set.
func (inv *Inventory) checkSecrets(hosts []checkedHost) hcl.Diagnostics {
	if !inv.secretsActive() && len(inv.K3sClusters) == 0 && !usesSecrets(hosts) {
		// Without sops, k3s tokens or references to secrets there is
		// nothing to check.
		return nil
	}
	p := inv.secretsPlan(hosts)
	diags := slices.Clone(p.diags)
	diags = append(diags, p.k3sErr...)
	if p.active {
		for _, d := range p.fleet.Validate() {
			if p.duplicate(d) {
				continue
			}
			diags = append(diags, p.diagnostic(d))
		}
	}
	if len(p.refList) > 0 {
		for _, d := range p.fleet.CheckReferences(p.refList) {
			diags = append(diags, p.diagnostic(d))
		}
	}
	if p.active && !diags.HasErrors() {
		for i, h := range p.hosts {
			h.secrets = len(p.fleet.Hosts[i].Secrets) > 0 || p.inGroupWithSecrets(h.Name)
		}
	}
	return diags
}

// usesSecrets reports whether a host names secrets it uses.
func usesSecrets(hosts []checkedHost) bool {
	for i := range hosts {
		if len(hosts[i].SecretsUsed) > 0 {
			return true
		}
	}
	return false
}

// inGroupWithSecrets reports whether the named host is a member of a group
// that has secrets.
func (p *secretsPlan) inGroupWithSecrets(host string) bool {
	for _, g := range p.fleet.Groups {
		if len(g.Secrets) > 0 && slices.Contains(g.Members, host) {
			return true
		}
	}
	return false
}

// duplicate reports whether the fleet diagnostic d repeats a problem that
// the other checks of the inventory report: an invalid host name, an
// invalid name of a k3s token secret, or no admin when the admins are
// there but their keys are invalid.
func (p *secretsPlan) duplicate(d sops.Diagnostic) bool {
	if d.Code == sops.CodeNoAdmins {
		return len(p.inv.Admins) > 0
	}
	if d.Code != sops.CodeName || d.Where.Field != "Name" {
		return false
	}
	st := d.Where.Steps
	switch {
	case len(st) == 1 && st[0].Kind == "host":
		return true
	case len(st) == 2 && st[0].Kind == "group" && st[1].Kind == "secret":
		g := p.groups[st[0].Index]
		return g.secrets[st[1].Index].decl == nil
	}
	return false
}

// renderSecrets returns .sops.yaml and the secrets.nix of every host that
// receives secrets, or nothing when the inventory does not set up sops.
func (inv *Inventory) renderSecrets(hosts []checkedHost, source string) ([]GeneratedFile, hcl.Diagnostics) {
	if !inv.secretsActive() {
		return nil, nil
	}
	p := inv.secretsPlan(hosts)
	if !p.active {
		return nil, nil
	}
	files, sdiags := p.fleet.Render(source)
	var diags hcl.Diagnostics
	for _, d := range sdiags {
		if d.Severity == sops.SeverityError {
			diags = append(diags, p.diagnostic(d))
		}
	}
	var out []GeneratedFile
	for _, f := range files {
		out = append(out, GeneratedFile{Path: f.Path, Data: f.Data})
	}
	return out, diags
}

// CheckSecretsFiles checks the sops-encrypted secrets files of the
// inventory in dir, the root of the flake, without decrypting them; see
// [sops.Fleet.CheckFiles]. Every file that a declared secret is read from
// must exist, be encrypted by sops for age recipients, and hold every key
// the secrets read as a string; every file, also one that no secret reads
// yet, must be encrypted for exactly the recipients .sops.yaml lists for
// it. Problems with a key are reported at the secret that reads it, and
// problems with a file at the host, secret_group or k3s cluster that owns
// it.
//
// When the inventory has errors, CheckSecretsFiles returns all of its
// diagnostics, warnings included, and checks no file; otherwise it
// returns only the problems of the files. An inventory that does not set
// up sops has no files to check.
func (inv *Inventory) CheckSecretsFiles(dir string) hcl.Diagnostics {
	hosts, diags := inv.check()
	if diags.HasErrors() {
		return diags
	}
	p := inv.secretsPlan(hosts)
	if !p.active {
		return nil
	}
	var out hcl.Diagnostics
	for _, d := range p.fleet.CheckFiles(dir) {
		out = append(out, p.diagnostic(d))
	}
	inv.narrowToElements(out)
	sortDiagnostics(out)
	return out
}

// diagnostic converts a diagnostic of the fleet to one located in the
// inventory.
func (p *secretsPlan) diagnostic(d sops.Diagnostic) *hcl.Diagnostic {
	at, elem := p.rangeOf(d.Where)
	detail := d.Detail
	for _, w := range d.Related {
		if r, _ := p.rangeOf(w); r != (hcl.Range{}) {
			detail += " See also " + r.String() + "."
		}
	}
	sev := hcl.DiagError
	if d.Severity == sops.SeverityWarning {
		sev = hcl.DiagWarning
	}
	summary := capitalize(d.Summary)
	if rest, ok := strings.CutPrefix(d.Summary, "SecretsDir "); ok && len(d.Where.Steps) == 0 {
		summary = "Invalid secrets_dir: " + rest
	}
	out := &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail}
	if at != (hcl.Range{}) {
		out.Subject = &at
		if elem >= 0 {
			atElement(out, elem)
		}
	}
	return out
}

// capitalize returns s with its first letter in upper case, the style of
// nixgen's summaries, unless its first word is not a plain word, such as
// a file name.
func capitalize(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if word == "" || strings.ContainsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// rangeOf returns where the element w of the fleet is written in the
// inventory, and the index of the list element it is about, or -1. It
// falls back to the enclosing block, and to the start of the inventory.
func (p *secretsPlan) rangeOf(w sops.Where) (hcl.Range, int) {
	st := w.Steps
	start := p.inv.fileStart()
	fleetDef := hcl.Range{}
	if p.inv.Fleet != nil {
		fleetDef = p.inv.Fleet.DefRange
	}
	if len(st) == 0 {
		switch w.Field {
		case "SecretsDir":
			if p.inv.Fleet != nil {
				return netFirstRange(p.inv.Fleet.SecretsDirRange, fleetDef, start), -1
			}
		case "Admins":
			return netFirstRange(fleetDef, start), -1
		}
		return netFirstRange(fleetDef, start), -1
	}
	if !st[0].Indexed {
		return start, -1
	}
	i := st[0].Index
	switch st[0].Kind {
	case "admin":
		if i >= len(p.admins) {
			break
		}
		a := p.admins[i]
		switch w.Field {
		case "Name":
			return netFirstRange(a.NameRange, a.DefRange), -1
		case "Recipient":
			return netFirstRange(a.AgeRecipientRange, a.SSHKeyRange, a.DefRange), -1
		}
		return netFirstRange(a.DefRange, start), -1
	case "host":
		if i >= len(p.hosts) {
			break
		}
		h := p.hosts[i]
		if len(st) >= 2 && st[1].Kind == "secret" && st[1].Index < len(p.hostSec[i]) {
			return secretRange(p.hostSec[i][st[1].Index], st[2:], w.Field)
		}
		switch w.Field {
		case "Name":
			return netFirstRange(h.NameRange, h.DefRange), -1
		case "SSHHostKey":
			return netFirstRange(h.SSHHostKeyRange, h.DefRange), -1
		}
		return netFirstRange(h.DefRange, h.NameRange, start), -1
	case "group":
		if i >= len(p.groups) {
			break
		}
		g := p.groups[i]
		if len(st) >= 2 {
			switch k := st[1].Index; st[1].Kind {
			case "secret":
				if k < len(g.secrets) {
					if s := g.secrets[k]; s.decl != nil {
						return secretRange(s.decl, st[2:], w.Field)
					} else {
						return netFirstRange(s.token, g.defRange()), -1
					}
				}
			case "member":
				if k < len(g.userMember) {
					if u := g.userMember[k]; u >= 0 {
						return netFirstRange(g.user.MembersRange, g.user.DefRange), u
					}
					if k < len(g.nodes) {
						h := g.nodes[k]
						if h.K3s != nil {
							return netFirstRange(h.K3s.DefRange, h.DefRange), -1
						}
						return h.DefRange, -1
					}
				}
			}
			return g.defRange(), -1
		}
		switch w.Field {
		case "Name":
			if g.user != nil {
				return netFirstRange(g.user.NameRange, g.user.DefRange), -1
			}
			return netFirstRange(g.cluster.NameRange, g.cluster.DefRange), -1
		case "Members":
			if g.user != nil && g.cluster == nil {
				return netFirstRange(g.user.MembersRange, g.user.DefRange), -1
			}
		case "File":
			// The file of a cluster group is where its token is
			// named.
			if len(g.secrets) > 0 && g.secrets[0].decl == nil {
				return netFirstRange(g.secrets[0].token, g.defRange()), -1
			}
		}
		return g.defRange(), -1
	case "reference":
		if i < len(p.refs) {
			r := p.refs[i]
			return r.list, r.elem
		}
	}
	return start, -1
}

// defRange returns the block that defines the group.
func (g *secretsGroup) defRange() hcl.Range {
	if g.user != nil {
		return netFirstRange(g.user.NameRange, g.user.DefRange)
	}
	return netFirstRange(g.cluster.NameRange, g.cluster.DefRange)
}

// secretRange returns where field f of secret s is written; rest are the
// steps below the secret, a restart unit.
func secretRange(s *Secret, rest []sops.Step, f string) (hcl.Range, int) {
	def := netFirstRange(s.NameRange, s.DefRange)
	if len(rest) > 0 && rest[0].Kind == "restartUnit" {
		if s.RestartUnitsRange == (hcl.Range{}) {
			return def, -1
		}
		return s.RestartUnitsRange, rest[0].Index
	}
	switch f {
	case "Key":
		return netFirstRange(s.KeyRange, def), -1
	case "Owner":
		return netFirstRange(s.OwnerRange, def), -1
	case "Group":
		return netFirstRange(s.GroupRange, def), -1
	case "Mode":
		return netFirstRange(s.ModeRange, def), -1
	case "Path":
		return netFirstRange(s.PathRange, def), -1
	}
	return def, -1
}
