package sops

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"fmt"
	"strings"

	"filippo.io/age"
	"filippo.io/age/plugin"
	"filippo.io/edwards25519"
	"golang.org/x/crypto/ssh"
)

// KeyError is the error returned for a key that cannot be used as an age
// recipient.
type KeyError struct {
	// Key is the key as given, shortened to at most 60 characters.
	Key string
	// Reason says what is wrong, for example "not an ssh-ed25519 key".
	Reason string
	// Err is the underlying error, if any.
	Err error
}

// Error returns "invalid key KEY: REASON: ERR".
func (e *KeyError) Error() string {
	msg := "invalid key " + quoteKey(e.Key) + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *KeyError) Unwrap() error { return e.Err }

func keyError(key, reason string, err error) *KeyError {
	key = strings.TrimSpace(key)
	if len(key) > 60 {
		key = key[:57] + "..."
	}
	return &KeyError{Key: key, Reason: reason, Err: err}
}

func quoteKey(k string) string {
	return fmt.Sprintf("%q", k)
}

// ParseAgeRecipient checks that s is an age X25519 recipient, age1
// followed by the lower-case bech32 encoding of a Curve25519 public key, as
// age and sops accept it, and returns it without surrounding space. Other
// kinds of age recipients (post-quantum hybrid age1pq1…, plugin recipients
// age1NAME1…) are rejected, since sops-nix hosts decrypt with X25519
// identities derived from their SSH host keys. Errors are *[KeyError].
func ParseAgeRecipient(s string) (string, error) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "age1") {
		return "", keyError(s, "not an age recipient (age1…)", nil)
	}
	r, err := age.ParseX25519Recipient(t)
	if err != nil {
		return "", keyError(s, "not a valid age X25519 recipient", err)
	}
	return r.String(), nil
}

// SSHToAge returns the age X25519 recipient of an Ed25519 SSH public key,
// given in the authorized_keys form "ssh-ed25519 AAAA… comment" (as in
// /etc/ssh/ssh_host_ed25519_key.pub), exactly as ssh-to-age computes it:
// the Edwards point of the Ed25519 key is mapped to its Montgomery form
// (the birational map of RFC 7748), which is the X25519 public key, and
// that key is bech32-encoded with the prefix "age". The private half is
// the one sops-nix derives on the host from the SSH host key, so a file
// encrypted for the result can be decrypted there. The result is checked
// by parsing it back with age. Errors are *[KeyError].
func SSHToAge(authorizedKey string) (string, error) {
	line := strings.TrimSpace(authorizedKey)
	if line == "" {
		return "", keyError(authorizedKey, "empty SSH public key", nil)
	}
	if strings.ContainsAny(line, "\n\r") {
		return "", keyError(authorizedKey, "more than one line", nil)
	}
	pub, _, options, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return "", keyError(authorizedKey, "not an SSH public key", err)
	}
	if len(options) > 0 || len(rest) > 0 {
		return "", keyError(authorizedKey, "options or trailing data around the SSH public key", nil)
	}
	if pub.Type() != ssh.KeyAlgoED25519 {
		return "", keyError(authorizedKey, "a "+pub.Type()+" key, but only ssh-ed25519 keys convert to age", nil)
	}
	cpk, ok := pub.(ssh.CryptoPublicKey)
	if !ok {
		return "", keyError(authorizedKey, "SSH key without a public key value", nil)
	}
	edKey, ok := cpk.CryptoPublicKey().(ed25519.PublicKey)
	if !ok || len(edKey) != ed25519.PublicKeySize {
		return "", keyError(authorizedKey, "malformed Ed25519 public key", nil)
	}
	return ed25519ToAge(authorizedKey, edKey)
}

// ed25519ToAge converts an Ed25519 public key to the age recipient of the
// X25519 key with the same secret scalar.
func ed25519ToAge(orig string, edKey ed25519.PublicKey) (string, error) {
	p, err := new(edwards25519.Point).SetBytes(edKey)
	if err != nil {
		return "", keyError(orig, "the Ed25519 public key is not a curve point", err)
	}
	xKey, err := ecdh.X25519().NewPublicKey(p.BytesMontgomery())
	if err != nil {
		return "", keyError(orig, "cannot convert the Ed25519 key to X25519", err)
	}
	// age's own bech32 encoder for native X25519 recipients.
	s, err := plugin.EncodeX25519Recipient(xKey)
	if err != nil {
		return "", keyError(orig, "cannot encode the X25519 key", err)
	}
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return "", keyError(orig, "the converted key is not a valid age recipient", err)
	}
	return r.String(), nil
}

// ParseRecipient returns the age X25519 recipient for s, which is either
// an age recipient (age1…, see [ParseAgeRecipient]) or an ssh-ed25519
// public key (converted with [SSHToAge]; its owner decrypts with the
// identity "ssh-to-age -private-key" derives from the SSH private key).
// Errors are *[KeyError].
func ParseRecipient(s string) (string, error) {
	t := strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(strings.ToLower(t), "age"):
		return ParseAgeRecipient(t)
	case strings.Contains(t, "ssh-") || strings.Contains(t, "ecdsa-"):
		return SSHToAge(t)
	}
	return "", keyError(s, "neither an age recipient (age1…) nor an SSH public key", nil)
}
