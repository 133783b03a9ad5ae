package nixgen

import (
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/nixgen/nixgen/nixgen/nix"
)

// This file holds the auto-deploying manifests of k3s servers: the
// manifest blocks of a k3s block, their checks, and the
// services.k3s.manifests they add to k3s.nix.
//
//	k3s {
//	  role = "init"
//	  manifest "app" {
//	    source = "manifests/app.yaml"        # relative to the flake root
//	  }
//	  manifest "kv-namespace" {
//	    content = {
//	      apiVersion = "v1"
//	      kind       = "Namespace"
//	      metadata   = { name = "kv" }
//	    }
//	  }
//	}
//
// A server links each manifest into /var/lib/rancher/k3s/server/manifests
// as NAME.yaml (NAME alone when it ends in .yaml, .yml or .json), and k3s
// applies what it finds there. NixOS ignores manifests on agents, so
// nixgen warns about them and leaves them out.

// K3sManifest is an auto-deploying manifest of a k3s server,
// `manifest "NAME" { … }` in a k3s block, emitted as
// services.k3s.manifests.NAME. Set one of Source and Content. A host's
// manifest replaces a profile's manifest of the same name.
//
// The manifest is copied into the Nix store, which every user of the
// machine can read: keep Secrets out of it.
type K3sManifest struct {
	// Name names the manifest and its file: NAME.yaml, or NAME when it
	// ends in .yaml, .yml or .json.
	Name string `hcl:"name,label"`
	// Source is the path of a YAML file, relative to the flake root.
	Source *string `hcl:"source,optional"`
	// Content is the manifest itself: an object, such as
	// { apiVersion = "v1", kind = "Namespace", metadata = { name = "kv" } },
	// or a list of objects, which becomes a v1 List. It is written as a
	// Nix attribute set with its keys sorted.
	Content cty.Value `hcl:"content,optional"`

	NameRange    hcl.Range `hcl:"name,label_range"`
	DefRange     hcl.Range `hcl:",def_range"`
	SourceRange  hcl.Range `hcl:"source,attr_value_range"`
	ContentRange hcl.Range `hcl:"content,attr_value_range"`
}

// manifestNameRE is a manifest name: a file name without a directory.
var manifestNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$`)

// k3sPackagedManifests are the manifests that k3s itself writes into the
// manifests directory, and rewrites on every start.
func k3sPackagedManifests() []string {
	return []string{"ccm", "coredns", "local-storage", "metrics-server", "rolebindings", "runtimes", "traefik"}
}

// mergeManifests lays the manifests of layer over those of dst by name.
func mergeManifests(dst, layer []K3sManifest) []K3sManifest {
	return mergeNamed(dst, layer, func(m K3sManifest) string { return m.Name }, func(m K3sManifest) K3sManifest { return m })
}

// checkManifests checks the manifests of host h and, when it is a k3s
// server, sets the manifests its k3s.nix gets.
func checkManifests(h *checkedHost) hcl.Diagnostics {
	if h.K3s == nil || len(h.K3s.Manifests) == 0 {
		return nil
	}
	var diags hcl.Diagnostics
	agent := h.k3s != nil && !h.k3s.node.Role.IsServer()
	if agent {
		diags = append(diags, netWarning("Manifests on an agent",
			fmt.Sprintf("Host %q is a k3s agent, but its k3s block has manifests. Only servers deploy manifests, and NixOS ignores them on agents, so nixgen leaves them out of its k3s.nix. Move the manifests to a server's k3s block.", h.Name),
			h.K3s.Manifests[0].NameRange, h.K3s.Manifests[0].DefRange))
	}
	var items []nix.Item
	seen := map[string]hcl.Range{}
	manifests := slices.Clone(h.K3s.Manifests)
	slices.SortStableFunc(manifests, func(a, b K3sManifest) int { return strings.Compare(a.Name, b.Name) })
	for _, m := range manifests {
		errorAt := func(summary, detail string, ranges ...hcl.Range) {
			diags = append(diags, netError(summary, detail, append(ranges, m.DefRange)...))
		}
		what := fmt.Sprintf("k3s manifest %q", m.Name)
		if prev, ok := seen[m.Name]; ok {
			errorAt("Duplicate k3s manifest", fmt.Sprintf("A manifest named %q was already defined %s. Manifest names must be unique on a host.", m.Name, netWhere(prev)), m.NameRange)
			continue
		}
		seen[m.Name] = m.NameRange
		switch base := manifestBase(m.Name); {
		case !manifestNameRE.MatchString(m.Name):
			errorAt("Invalid manifest name", fmt.Sprintf("The manifest name %q is not a file name nixgen accepts: use letters, digits, . _ and -, starting with a letter or digit.", m.Name), m.NameRange)
		case slices.Contains(k3sPackagedManifests(), base):
			diags = append(diags, netWarning("Manifest replaces a packaged one",
				fmt.Sprintf("The manifest %q is written as %s.yaml, the file of the k3s component %q, which k3s rewrites every time it starts. Give the manifest another name; to replace the component, disable it with disable = [%q] on the k3s_cluster.", m.Name, base, base, base),
				m.NameRange, m.DefRange))
		}
		content := !m.Content.IsNull()
		switch {
		case m.Source != nil && content:
			errorAt("Both source and content", fmt.Sprintf("The %s sets both source and content. Set one of them.", what), m.ContentRange)
			continue
		case m.Source == nil && !content:
			errorAt("Empty manifest", fmt.Sprintf("The %s sets neither source, the path of a YAML file, nor content. Set one of them.", what), m.NameRange)
			continue
		case m.Source != nil:
			if !validRelPath(*m.Source) {
				errorAt("Invalid manifest source", fmt.Sprintf("%q is not a relative path inside the flake. Give the path of the YAML file relative to the flake root, such as \"manifests/app.yaml\", without \"..\".", *m.Source), m.SourceRange)
				continue
			}
			items = append(items, nix.BindPath(nix.AttrPath{m.Name, "source"}, nix.Path("../../"+*m.Source)))
		default:
			if problem, warning := checkManifestContent(m.Content); problem != "" {
				errorAt("Invalid manifest content", fmt.Sprintf("The content of %s %s.", what, problem), m.ContentRange)
				continue
			} else if warning != "" {
				diags = append(diags, netWarning("Secret in a manifest", fmt.Sprintf("The content of %s %s.", what, warning), m.ContentRange, m.DefRange))
			}
			e, err := ctyToNix(m.Content)
			if err != nil {
				errorAt("Invalid manifest content", fmt.Sprintf("The content of %s cannot be written in Nix: %v.", what, err), m.ContentRange)
				continue
			}
			items = append(items, nix.BindPath(nix.AttrPath{m.Name, "content"}, e))
		}
	}
	if h.k3s != nil && !agent && len(items) > 0 && !diags.HasErrors() {
		h.k3s.manifests = nix.Set(items...)
	}
	return diags
}

// manifestBase returns the name of the manifest's file without its
// extension.
func manifestBase(name string) string {
	for _, ext := range []string{".yaml", ".yml", ".json"} {
		if b, ok := strings.CutSuffix(name, ext); ok {
			return b
		}
	}
	return name
}

// checkManifestContent returns what is wrong with the content of a
// manifest, or a warning about it.
func checkManifestContent(v cty.Value) (problem, warning string) {
	if v.IsNull() || !v.IsWhollyKnown() {
		return "is null or not a known value; give an object or a list of objects", ""
	}
	t := v.Type()
	var objects []cty.Value
	switch {
	case t.IsObjectType() || t.IsMapType():
		objects = []cty.Value{v}
	case t.IsTupleType() || t.IsListType():
		if v.LengthInt() == 0 {
			return "is an empty list; give at least one object", ""
		}
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			if el.IsNull() || !(el.Type().IsObjectType() || el.Type().IsMapType()) {
				return "is a list with an element that is not an object; give Kubernetes objects such as { apiVersion = \"v1\", kind = \"Namespace\", metadata = { name = \"kv\" } }", ""
			}
			objects = append(objects, el)
		}
	default:
		return "is not an object, nor a list of objects; give a Kubernetes object such as { apiVersion = \"v1\", kind = \"Namespace\", metadata = { name = \"kv\" } }", ""
	}
	var secrets []string
	for i, o := range objects {
		where := ""
		if len(objects) > 1 {
			where = fmt.Sprintf(" (element %d)", i+1)
		}
		for _, key := range []string{"apiVersion", "kind"} {
			s, ok := stringAttr(o, key)
			if !ok || s == "" {
				return fmt.Sprintf("has no %s%s: every Kubernetes object needs apiVersion and kind as strings", key, where), ""
			}
			if key == "kind" && s == "Secret" {
				secrets = append(secrets, where)
			}
		}
	}
	if len(secrets) > 0 {
		warning = "holds a Secret, which nixgen writes into k3s.nix and NixOS into the Nix store, where every user of the machine can read it. Keep Secrets out of manifests: create them from sops-nix secrets instead"
	}
	return "", warning
}

// stringAttr returns the string attribute key of the object or map o.
func stringAttr(o cty.Value, key string) (string, bool) {
	var v cty.Value
	if o.Type().IsObjectType() {
		if !o.Type().HasAttribute(key) {
			return "", false
		}
		v = o.GetAttr(key)
	} else {
		k := cty.StringVal(key)
		if !o.HasIndex(k).True() {
			return "", false
		}
		v = o.Index(k)
	}
	if v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// ctyToNix converts an HCL value to the Nix value it denotes: objects
// and maps to attribute sets with their keys sorted, tuples, lists and
// sets to lists, and numbers to integers where they are whole.
func ctyToNix(v cty.Value) (nix.Expr, error) {
	if v.IsNull() {
		return nix.Null{}, nil
	}
	if !v.IsWhollyKnown() {
		return nil, errors.New("it holds an unknown value")
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return nix.Str(v.AsString()), nil
	case t == cty.Bool:
		return nix.Bool(v.True()), nil
	case t == cty.Number:
		f := v.AsBigFloat()
		if f.IsInt() {
			i, acc := f.Int64()
			if acc != big.Exact {
				return nil, fmt.Errorf("the number %s does not fit in a Nix integer", f.Text('f', -1))
			}
			return nix.Int(i), nil
		}
		x, _ := f.Float64()
		return nix.Float(x), nil
	case t.IsObjectType() || t.IsMapType():
		type kv struct {
			k string
			v cty.Value
		}
		var kvs []kv
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			kvs = append(kvs, kv{k.AsString(), el})
		}
		slices.SortFunc(kvs, func(a, b kv) int { return strings.Compare(a.k, b.k) })
		items := make([]nix.Item, 0, len(kvs))
		for _, p := range kvs {
			e, err := ctyToNix(p.v)
			if err != nil {
				return nil, err
			}
			items = append(items, nix.BindPath(nix.AttrPath{p.k}, e))
		}
		return nix.Set(items...), nil
	case t.IsTupleType() || t.IsListType() || t.IsSetType():
		var elems []nix.Expr
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			e, err := ctyToNix(el)
			if err != nil {
				return nil, err
			}
			elems = append(elems, e)
		}
		return nix.ListOf(elems...), nil
	}
	return nil, fmt.Errorf("it holds a value of type %s", t.FriendlyName())
}

// withK3sManifests returns the k3s module e, as [k3s.Cluster.Module]
// builds it, with manifests added to its services.k3s.
func withK3sManifests(e nix.Expr, manifests nix.Expr) (nix.Expr, error) {
	lam, ok := e.(nix.Lambda)
	if !ok {
		return nil, errors.New("the k3s module is not a function")
	}
	body, ok := lam.Body.(nix.Attrs)
	if !ok {
		return nil, errors.New("the k3s module does not return an attribute set")
	}
	for i, it := range body.Items {
		b, ok := it.(*nix.Binding)
		if !ok || !slices.Equal(b.Path, nix.AttrPath{"services", "k3s"}) {
			continue
		}
		set, ok := b.Value.(nix.Attrs)
		if !ok {
			break
		}
		set.Items = append(slices.Clone(set.Items), nix.Bind("manifests", manifests))
		nb := *b
		nb.Value = set
		body.Items = slices.Clone(body.Items)
		body.Items[i] = &nb
		lam.Body = body
		return lam, nil
	}
	return nil, errors.New("the k3s module has no services.k3s attribute set")
}
