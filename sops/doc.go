// Package sops generates the secrets plumbing of a NixOS fleet that uses
// sops-nix (github.com/Mic92/sops-nix): the .sops.yaml file that tells sops
// which age recipients each secrets file is encrypted for, and one
// secrets.nix module per host that declares sops.secrets. It never sees a
// secret value.
//
// # Recipients
//
// Admins are given by their age recipient (age1…). Hosts are given by
// their SSH host key, the line of /etc/ssh/ssh_host_ed25519_key.pub:
// [SSHToAge] derives the host's age recipient from it exactly as
// ssh-to-age does, and sops-nix derives the matching identity on the host
// from the private key (sops.age.sshKeyPaths), so no key has to be
// copied to the host. [ParseAgeRecipient] and [ParseRecipient] check and
// canonicalise recipients.
//
// # Fleet
//
// A [Fleet] lists the admins, the hosts with their SSH host keys, the
// groups of hosts that share secrets (such as the nodes of a k3s cluster),
// and the [Secret]s declared on hosts and groups. Every host has its own
// file, secrets/HOST.yaml, encrypted for the host and the admins; every
// group has a shared file, secrets/GROUP.yaml, encrypted for its members
// and the admins. A group secret is declared on every member.
//
// [Fleet.Validate] reports, as [Diagnostics] located by a [Where] that the
// caller maps back to its own input: invalid names, keys and recipients, a
// host that receives secrets but has no SSH host key, a secret read from a
// file that the receiving host cannot decrypt, duplicate secret names on a
// host, secrets file paths outside the repository, and, as warnings,
// recipients shared by two admins or hosts. [Fleet.CheckReferences]
// reports uses of secrets that the host does not receive.
//
// [Fleet.SopsYAML] writes .sops.yaml: one creation rule per file, host
// files first, with an anchored path_regex and a single key group whose
// age recipients are sorted, de-duplicated and commented with their
// owners. [Fleet.HostModule] builds a host's secrets.nix with package
// github.com/nixgen/nixgen/nixgen/nix, and [Fleet.Render] returns both
// kinds of file.
//
// # Checking encrypted files
//
// sops leaves the keys of an encrypted YAML file in plaintext and records
// the type of each value, so [Check] and [Fleet.CheckFiles] can tell,
// without any key, that each secrets file exists, is encrypted by sops for
// age recipients, holds every key a secret reads (sops-nix fails the
// build otherwise) as a string (sops-nix fails at activation otherwise),
// and, for CheckFiles, is encrypted for exactly the recipients of its
// creation rule.
package sops
