package sops

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Check checks sops-encrypted secrets files without decrypting them. dir
// is the repository root, and files maps the path of each file, relative
// to dir and slash-separated, to the keys that must be in it, in the
// notation of sops-nix: "/" separates the keys of nested mappings, so
// "myservice/db_password" is db_password inside myservice.
//
// For every file, Check reports a path that is not a clean path inside
// the repository, a file that does not exist, and a file that is not
// sops-encrypted YAML: not a YAML mapping, no top-level sops mapping with
// a mac and at least one age recipient, or several key groups (which make
// sops require a key from each group). For every key, it reports a key
// that is missing, a parent that is not a mapping, a value that sops did
// not encrypt, and a value that is not a string, which sops-nix cannot
// write to a file. sops keeps the keys in plaintext and records the type
// of each encrypted value, so no key is needed.
//
// Diagnostics are sorted by file and key. Their Where is file "PATH",
// followed by key "KEY" for a problem with a key.
func Check(dir string, files map[string][]string) Diagnostics {
	var out Diagnostics
	for _, p := range slices.Sorted(maps.Keys(files)) {
		keys := slices.Clone(files[p])
		slices.Sort(keys)
		keys = slices.Compact(keys)
		fw := Where{}.Child("file", p)
		_, problems := checkFile(dir, p, keys)
		for _, pr := range problems {
			w := fw
			if pr.key != "" {
				w = fw.Child("key", pr.key)
			}
			out = append(out, pr.diagnostic(w))
		}
	}
	return out
}

// CheckFiles checks the secrets files of the fleet in the repository dir
// with [Check], for the keys of [Fleet.RequiredKeys], and also compares
// the age recipients each file is encrypted for with those of its
// creation rule ([Fleet.Rules]): a recipient that is missing, such as a
// host added to a group after the file was written, cannot decrypt the
// file until "sops updatekeys FILE" is run, and an extra one, such as a
// removed host, can still read it. Fleet errors are returned as they are,
// without checking files.
//
// A problem with a key is reported at the secret that declares it (Field
// "Key", or "Name" when the key is the name), a problem with a file at the
// File field of the host or group that owns it.
func (f *Fleet) CheckFiles(dir string) Diagnostics {
	p := f.resolve()
	if p.diags.HasErrors() {
		return p.diags.Errors()
	}
	rules := map[string]Rule{}
	for _, r := range p.rules() {
		rules[r.File] = r
	}
	var out Diagnostics
	for _, fp := range p.files {
		_, hasRule := rules[fp.path]
		if len(fp.secrets) == 0 && !hasRule {
			continue
		}
		if len(fp.secrets) == 0 {
			// A file without declared secrets need not exist yet.
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(fp.path))); errors.Is(err, fs.ErrNotExist) {
				continue
			}
		}
		var keys []string
		for _, sp := range fp.secrets {
			keys = append(keys, sp.key)
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		recips, problems := checkFile(dir, fp.path, keys)
		for _, pr := range problems {
			if pr.key == "" {
				out = append(out, pr.diagnostic(fp.where))
				continue
			}
			for _, sp := range fp.secrets {
				if sp.key != pr.key {
					continue
				}
				field := "Key"
				if sp.Key == "" {
					field = "Name"
				}
				d := pr.diagnostic(sp.where.At(field))
				d.Related = []Where{fp.where}
				out = append(out, d)
			}
		}
		if recips == nil {
			continue
		}
		want := rules[fp.path]
		var missing, extra []string
		for i, r := range want.Recipients {
			if !slices.Contains(recips, r) {
				missing = append(missing, r+" ("+want.Labels[i]+")")
			}
		}
		for _, r := range recips {
			if !slices.Contains(want.Recipients, r) {
				extra = append(extra, r)
			}
		}
		if len(missing) > 0 || len(extra) > 0 {
			var detail strings.Builder
			detail.WriteString(fp.path + " is not encrypted for the recipients of its creation rule in .sops.yaml.")
			if len(missing) > 0 {
				detail.WriteString(" Missing, and unable to decrypt it: " + strings.Join(missing, ", ") + ".")
			}
			if len(extra) > 0 {
				detail.WriteString(" Not in the rule, and still able to decrypt it: " + strings.Join(extra, ", ") + ".")
			}
			detail.WriteString(" Run \"sops updatekeys " + fp.path + "\" with an admin key after writing .sops.yaml.")
			out = append(out, Diagnostic{Severity: SeverityError, Code: CodeStaleRecipients, Where: fp.where,
				Summary: fp.path + " is encrypted for other recipients than .sops.yaml lists", Detail: detail.String()})
		}
	}
	return out
}

// problem is one finding of checkFile: about the file when key is "",
// about one required key otherwise.
type problem struct {
	key     string
	code    string
	summary string
	detail  string
}

func (pr problem) diagnostic(w Where) Diagnostic {
	return Diagnostic{Severity: SeverityError, Code: pr.code, Where: w, Summary: pr.summary, Detail: pr.detail}
}

// checkFile checks one file and returns the age recipients it is
// encrypted for (nil when the file cannot be read as sops YAML) and its
// problems.
func checkFile(dir, p string, keys []string) ([]string, []problem) {
	if msg := checkRepoPath(p); msg != "" {
		return nil, []problem{{code: CodeFilePath, summary: "secrets file " + quote(p) + " " + msg,
			detail: "Secrets files are given relative to the repository root, in slash-separated clean form, inside the repository."}}
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, []problem{{code: CodeFileMissing, summary: p + " does not exist",
			detail: "sops-nix needs the encrypted file at evaluation time. Create it with \"sops " + p + "\" from the repository root, with the keys " + listOrNone(keys) + "."}}
	}
	if err != nil {
		return nil, []problem{{code: CodeFileMissing, summary: "cannot read " + p, detail: err.Error() + "."}}
	}
	notEncrypted := func(summary, detail string) []problem {
		return []problem{{code: CodeNotEncrypted, summary: summary, detail: detail}}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, notEncrypted(p+" is not YAML", err.Error()+".")
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, notEncrypted(p+" is not a YAML mapping", "A sops-encrypted YAML file is a mapping of keys with a sops entry.")
	}
	root := doc.Content[0]
	meta := lookup(root, "sops")
	if meta == nil || meta.Kind != yaml.MappingNode {
		return nil, notEncrypted(p+" is not encrypted with sops", "It has no top-level sops mapping. Encrypt it with \"sops --encrypt --in-place "+p+"\" from the repository root, or create it with \"sops "+p+"\".")
	}
	if mac := lookup(meta, "mac"); mac == nil || mac.Kind != yaml.ScalarNode || !strings.HasPrefix(mac.Value, "ENC[") {
		return nil, notEncrypted(p+" has no sops MAC", "The sops metadata lacks its encrypted mac entry, so sops refuses to decrypt the file. Re-create it with sops.")
	}
	var recips []string
	addAge := func(n *yaml.Node) {
		if n == nil || n.Kind != yaml.SequenceNode {
			return
		}
		for _, e := range n.Content {
			if r := lookup(e, "recipient"); r != nil && r.Kind == yaml.ScalarNode && r.Value != "" {
				recips = append(recips, r.Value)
			}
		}
	}
	addAge(lookup(meta, "age"))
	var problems []problem
	if kg := lookup(meta, "key_groups"); kg != nil && kg.Kind == yaml.SequenceNode {
		for _, g := range kg.Content {
			addAge(lookup(g, "age"))
		}
		if len(kg.Content) > 1 {
			problems = append(problems, problem{code: CodeNotEncrypted, summary: p + " is encrypted with " + strconv.Itoa(len(kg.Content)) + " key groups",
				detail: "With several key groups sops needs a key from each group (Shamir secret sharing), so a host that holds only its own key cannot decrypt the file. Keep one key group per creation rule and run \"sops updatekeys " + p + "\"."})
		}
	}
	if len(recips) == 0 {
		return nil, notEncrypted(p+" is not encrypted for any age recipient", "sops-nix hosts decrypt with age keys derived from their SSH host keys. Re-key the file with \"sops updatekeys "+p+"\" after writing .sops.yaml.")
	}
	slices.Sort(recips)
	recips = slices.Compact(recips)

	for _, k := range keys {
		if pr, bad := checkKey(root, p, k); bad {
			problems = append(problems, pr)
		}
	}
	return recips, problems
}

// checkKey checks that the key path k leads to an encrypted string in the
// mapping root.
func checkKey(root *yaml.Node, p, k string) (problem, bool) {
	segs := strings.Split(k, "/")
	if k == "" || slices.Contains(segs, "") {
		return problem{key: k, code: CodeKey, summary: "invalid key " + quote(k),
			detail: "Keys are '/'-separated paths of mapping keys, none of them empty."}, true
	}
	if segs[0] == "sops" {
		return problem{key: k, code: CodeKey, summary: "key " + quote(k) + " is in the sops metadata",
			detail: "The top-level key sops holds the metadata of sops, not secrets."}, true
	}
	n := root
	for i, s := range segs {
		if n.Kind != yaml.MappingNode {
			parent := strings.Join(segs[:i], "/")
			return problem{key: k, code: CodeNotString, summary: p + ": " + quote(parent) + " is not a mapping, so it has no key " + quote(k),
				detail: "sops-nix reads \"a/b\" as the key b inside the mapping a."}, true
		}
		next := lookup(n, s)
		if next == nil {
			missing := strings.Join(segs[:i+1], "/")
			detail := "sops-nix fails to build the host with \"the key '" + missing + "' cannot be found\". Add it with \"sops " + p + "\"."
			if have := mapKeys(n); len(have) > 0 {
				detail += " Keys there: " + strings.Join(have, ", ") + "."
			}
			return problem{key: k, code: CodeMissingKey, summary: p + " has no key " + quote(k), detail: detail}, true
		}
		n = next
	}
	if n.Kind != yaml.ScalarNode {
		return problem{key: k, code: CodeNotString, summary: p + ": the value of " + quote(k) + " is not a string",
			detail: "sops-nix writes a single string to the secret file; a mapping or list cannot be written. Point the key at a string inside it."}, true
	}
	typ, ok := encType(n.Value)
	if !ok {
		return problem{key: k, code: CodeNotEncrypted, summary: p + ": the value of " + quote(k) + " is not encrypted",
			detail: "Every value of a sops file is ENC[AES256_GCM,…]; a plaintext value makes the MAC check fail. Edit the file with \"sops " + p + "\" instead of by hand."}, true
	}
	if typ != "str" {
		return problem{key: k, code: CodeNotString, summary: p + ": the value of " + quote(k) + " is of type " + typ + ", not a string",
			detail: "sops-nix fails at activation with \"the value of key '" + k + "' is not a string\". Quote the value when editing the file with sops, as in token: \"1234\"."}, true
	}
	return problem{}, false
}

// encType returns the type recorded in a sops-encrypted value
// ENC[AES256_GCM,data:…,iv:…,tag:…,type:str].
func encType(v string) (string, bool) {
	if !strings.HasPrefix(v, "ENC[AES256_GCM,") || !strings.HasSuffix(v, "]") {
		return "", false
	}
	for field := range strings.SplitSeq(strings.TrimSuffix(strings.TrimPrefix(v, "ENC[AES256_GCM,"), "]"), ",") {
		if t, ok := strings.CutPrefix(field, "type:"); ok {
			return t, true
		}
	}
	return "", false
}

// lookup returns the value of key k in the mapping n, or nil.
func lookup(n *yaml.Node, k string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return n.Content[i+1]
		}
	}
	return nil
}

// mapKeys returns the keys of the mapping n, without sops, sorted.
func mapKeys(n *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k != "sops" {
			keys = append(keys, quote(k))
		}
	}
	slices.Sort(keys)
	return keys
}

func listOrNone(keys []string) string {
	if len(keys) == 0 {
		return "you need"
	}
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = quote(k)
	}
	return strings.Join(q, ", ")
}
