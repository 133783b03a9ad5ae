package sops

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// HostModule returns the secrets module of the named host, a NixOS module
// for sops-nix to be written at [Fleet.ModulePath]:
//
//	{ ... }:
//	{
//	  sops = {
//	    age.sshKeyPaths = [ "/etc/ssh/ssh_host_ed25519_key" ];
//	    gnupg.sshKeyPaths = [ ];
//	    defaultSopsFile = ../../secrets/web1.yaml;
//	    secrets = {
//	      k3s_token = {
//	        sopsFile = ../../secrets/k3s-main.yaml;
//	        restartUnits = [ "k3s.service" ];
//	      };
//	      "myservice/db_password" = {
//	        owner = "kv";
//	        mode = "0440";
//	      };
//	    };
//	  };
//	}
//
// The host decrypts with the age key derived from its SSH host key, and no
// GnuPG key is imported (sops-nix would otherwise import the RSA host key
// and fail where there is none). defaultSopsFile is the host's own file,
// set only when a secret is read from it; a secret from another file names
// it with sopsFile. Secrets are sorted by name, and fields that keep the
// sops-nix default are left out: key when it equals the name, owner,
// group, mode, restartUnits and path when empty. Secret values never
// appear.
//
// It returns an error, a *[DiagnosticsError], when the fleet has errors,
// and an error when the host is not in the fleet.
func (f *Fleet) HostModule(host string) (nix.Expr, error) {
	p := f.resolve()
	if err := p.diags.Err(); err != nil {
		return nil, err
	}
	hp, ok := p.byName[host]
	if !ok {
		return nil, fmt.Errorf("sops: no host %q in the fleet", host)
	}
	return f.hostModule(hp), nil
}

// hostModule builds the module of a host of a valid plan.
func (f *Fleet) hostModule(hp *hostPlan) nix.Expr {
	dir := f.hostsDir() + "/" + hp.name
	rel := func(file string) nix.Path {
		return nix.Path(relPath(dir, file))
	}
	items := []nix.Item{
		nix.Bind("age.sshKeyPaths", nix.Strs(HostKeyPath)),
		nix.Bind("gnupg.sshKeyPaths", nix.ListOf()),
	}
	if slices.ContainsFunc(hp.secrets, func(sp *secretPlan) bool { return sp.file == hp.file }) {
		items = append(items, nix.Bind("defaultSopsFile", rel(hp.file.path)))
	}
	var secrets []nix.Item
	for _, sp := range hp.secrets {
		var fields []nix.Item
		if sp.file != hp.file {
			fields = append(fields, nix.Bind("sopsFile", rel(sp.file.path)))
		}
		if sp.key != sp.Name {
			fields = append(fields, nix.Bind("key", nix.Str(sp.key)))
		}
		if sp.Path != "" {
			fields = append(fields, nix.Bind("path", nix.Str(sp.Path)))
		}
		if sp.Owner != "" {
			fields = append(fields, nix.Bind("owner", nix.Str(sp.Owner)))
		}
		if sp.Group != "" {
			fields = append(fields, nix.Bind("group", nix.Str(sp.Group)))
		}
		if sp.Mode != "" {
			fields = append(fields, nix.Bind("mode", nix.Str(sp.Mode)))
		}
		if len(sp.RestartUnits) > 0 {
			fields = append(fields, nix.Bind("restartUnits", nix.Strs(sp.RestartUnits...)))
		}
		secrets = append(secrets, nix.BindPath(nix.AttrPath{sp.Name}, nix.Set(fields...)))
	}
	if len(secrets) > 0 {
		items = append(items, nix.Bind("secrets", nix.Set(secrets...)))
	}
	return nix.Module(nil, nix.Set(nix.Bind("sops", nix.Set(items...))))
}

// relPath returns the relative path from the directory dir to the file
// target, both clean and relative to the repository root, in the form of
// a Nix path literal: ../../secrets/web1.yaml from hosts/web1, or
// ./secrets/web1.yaml from the root.
func relPath(dir, target string) string {
	if dir == "" || dir == "." {
		return "./" + target
	}
	d := strings.Split(dir, "/")
	t := strings.Split(target, "/")
	n := 0
	for n < len(d) && n < len(t)-1 && d[n] == t[n] {
		n++
	}
	up := len(d) - n
	rest := strings.Join(t[n:], "/")
	if up == 0 {
		return "./" + rest
	}
	return strings.Repeat("../", up) + rest
}

// SecretPath returns the Nix expression of the path where sops-nix puts
// the decrypted secret name on the host, config.sops.secrets."name".path,
// for options such as services.k3s.tokenFile. The module that uses it
// must take config as an argument.
func SecretPath(name string) nix.Expr {
	return nix.Sel(nix.Ident("config"), "sops", "secrets", name, "path")
}

// File is one generated file.
type File struct {
	// Path is the slash-separated path relative to the repository root.
	Path string
	// Data is the content of the file.
	Data []byte
}

// Render validates the fleet and returns the generated files sorted by
// path: .sops.yaml, and the secrets module ([Fleet.HostModule]) of every
// host that receives secrets, at [Fleet.ModulePath]. Each file starts
// with the comment of [Header]. The diagnostics include warnings; when
// they hold an error, no files are returned.
func (f *Fleet) Render(source string) ([]File, Diagnostics) {
	p := f.resolve()
	diags := p.diags
	if diags.HasErrors() {
		return nil, diags
	}
	sopsYAML, err := encodeRules(source, p.rules())
	if err != nil {
		return nil, append(diags, Diagnostic{Severity: SeverityError, Code: CodePrint, Summary: "cannot write .sops.yaml", Detail: err.Error() + "."})
	}
	files := []File{{Path: ".sops.yaml", Data: sopsYAML}}
	for _, hp := range p.hosts {
		if len(hp.secrets) == 0 {
			continue
		}
		data, err := nix.File{Header: []string{Header(source)}, Expr: f.hostModule(hp)}.Bytes()
		if err != nil {
			return nil, append(diags, Diagnostic{Severity: SeverityError, Code: CodePrint, Where: hp.where,
				Summary: "cannot write the secrets module of host " + quote(hp.name), Detail: err.Error() + "."})
		}
		files = append(files, File{Path: f.ModulePath(hp.name), Data: data})
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, diags
}
