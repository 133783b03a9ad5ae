package sops

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/ssh"
)

// Published pairs of SSH public keys and the age recipients ssh-to-age
// derives from them, from github.com/Mic92/ssh-to-age at commit 2643a7fd:
// the public key of cmd/ssh-to-age/test-assets/id_ed25519.pub and the two
// ed25519 host keys of cmd/ssh-to-age/test-assets/keyscan.txt, with the
// outputs shown in README.md ("ssh-to-age -i $HOME/.ssh/id_ed25519.pub"
// and "ssh-keyscan eve.thalheim.io eva.thalheim.io | ssh-to-age").
var sshToAgeVectors = []struct{ ssh, age string }{
	{
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOHz+U0YtjINc54dZiJNclfmEFifF7RXCFlNlTbuZBji joerg@turingmachine",
		"age17044m9wgakla6pzftf4srtl3h5mcsr85jysgt5fg23zpnta8sfdqhzn452",
	},
	{
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2UpqSzUFZRr+ux6LM",
		"age1hjm3aujg9e79f5yth8a2cejzdjg5n9vnu96l05p70uvfpeltnpms7yy3pp",
	},
	{
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIL2vjdqpppuCn7yPdF2muINriAG7zBWrsELKpPWkhn5",
		"age1v8zjc47jmlqwefyu66s0d4ke98qr4vnuj3cpvs4z9npfdw833dxqwjrhzv",
	},
}

// The private key of the first vector, test-assets/id_ed25519 in
// ssh-to-age, and the age identity its README shows for
// "ssh-to-age -private-key -i $HOME/.ssh/id_ed25519".
const (
	publishedPrivateKey = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDh8/lNGLYyDXOeHWYiTXJX5hBYnxe0VwhZTZU27mQY4gAAAJjpEFzo6RBc
6AAAAAtzc2gtZWQyNTUxOQAAACDh8/lNGLYyDXOeHWYiTXJX5hBYnxe0VwhZTZU27mQY4g
AAAEDsBo0iLkC2U9CS5XgSo7zS/nQvjxaPfhfFCR+BshxoL+Hz+U0YtjINc54dZiJNclfm
EFifF7RXCFlNlTbuZBjiAAAAE2pvZXJnQHR1cmluZ21hY2hpbmUBAg==
-----END OPENSSH PRIVATE KEY-----
`
	publishedIdentity = "AGE-SECRET-KEY-1K3VN4N03PTHJWSJSCCMQCN33RY5FSKQPJ4KRRTG3JMQUYE0TUSEQEDH6V8"
)

func TestSSHToAgePublishedVectors(t *testing.T) {
	for _, v := range sshToAgeVectors {
		got, err := SSHToAge(v.ssh)
		if err != nil {
			t.Errorf("SSHToAge(%.40q…): %v", v.ssh, err)
			continue
		}
		if got != v.age {
			t.Errorf("SSHToAge(%.40q…) = %s, want %s", v.ssh, got, v.age)
		}
		// Surrounding space and a trailing newline, as read from a
		// .pub file, do not matter.
		if got2, err := SSHToAge("  " + v.ssh + "\n"); err != nil || got2 != v.age {
			t.Errorf("SSHToAge with surrounding space = %q, %v; want %s", got2, err, v.age)
		}
		if got3, err := ParseRecipient(v.ssh); err != nil || got3 != v.age {
			t.Errorf("ParseRecipient(ssh key) = %q, %v; want %s", got3, err, v.age)
		}
	}
}

// ageIdentityFromEd25519 derives the age X25519 identity of an Ed25519
// private key the way ssh-to-age -private-key and sops-nix on the host do:
// the X25519 scalar is the first half of SHA-512 of the seed (the scalar
// Ed25519 itself uses), encoded as AGE-SECRET-KEY-1…. It shares no code
// with SSHToAge, which converts the public point instead.
func ageIdentityFromEd25519(t *testing.T, key ed25519.PrivateKey) (*age.X25519Identity, string) {
	t.Helper()
	h := sha512.Sum512(key.Seed())
	s := strings.ToUpper(bech32Encode(t, "age-secret-key-", h[:32]))
	id, err := age.ParseX25519Identity(s)
	if err != nil {
		t.Fatalf("age.ParseX25519Identity(%s): %v", s, err)
	}
	return id, s
}

func TestSSHToAgeMatchesPrivateKeyDerivation(t *testing.T) {
	raw, err := ssh.ParseRawPrivateKey([]byte(publishedPrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	key := *raw.(*ed25519.PrivateKey)
	id, s := ageIdentityFromEd25519(t, key)
	if s != publishedIdentity {
		t.Errorf("identity of the published private key = %s, want %s (ssh-to-age README)", s, publishedIdentity)
	}
	if got := id.Recipient().String(); got != sshToAgeVectors[0].age {
		t.Errorf("recipient of the published identity = %s, want %s", got, sshToAgeVectors[0].age)
	}

	// Fresh keys: the public conversion must give the recipient of the
	// private conversion, and that identity must decrypt what age
	// encrypts for the recipient.
	for range 8 {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		line := authorizedKey(t, pub, "root@host")
		got, err := SSHToAge(line)
		if err != nil {
			t.Fatalf("SSHToAge(%s): %v", line, err)
		}
		id, _ := ageIdentityFromEd25519(t, priv)
		if want := id.Recipient().String(); got != want {
			t.Fatalf("SSHToAge(%s) = %s, but the private key's identity has recipient %s", line, got, want)
		}
		// A third, independent route: X25519 scalar multiplication of
		// the base point with the same scalar.
		h := sha512.Sum512(priv.Seed())
		xk, err := ecdh.X25519().NewPrivateKey(h[:32])
		if err != nil {
			t.Fatal(err)
		}
		if want := bech32Encode(t, "age", xk.PublicKey().Bytes()); got != want {
			t.Fatalf("SSHToAge = %s, X25519 base point multiplication gives %s", got, want)
		}
		roundTrip(t, got, id)
	}
}

// roundTrip encrypts a message for recipient with age and decrypts it with
// id.
func roundTrip(t *testing.T, recipient string, id age.Identity) {
	t.Helper()
	r, err := age.ParseX25519Recipient(recipient)
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte("k3s token 0123456789")
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(msg); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rd, err := age.Decrypt(&buf, id)
	if err != nil {
		t.Fatalf("decrypting for %s: %v", recipient, err)
	}
	got, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("decrypted %q, want %q", got, msg)
	}
}

func TestSSHToAgeOtherIdentityCannotDecrypt(t *testing.T) {
	pubA, _, _ := ed25519.GenerateKey(rand.Reader)
	_, privB, _ := ed25519.GenerateKey(rand.Reader)
	recA, err := SSHToAge(authorizedKey(t, pubA, ""))
	if err != nil {
		t.Fatal(err)
	}
	idB, _ := ageIdentityFromEd25519(t, privB)
	r, _ := age.ParseX25519Recipient(recA)
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, r)
	w.Write([]byte("x"))
	w.Close()
	var noMatch *age.NoIdentityMatchError
	if _, err := age.Decrypt(&buf, idB); !errors.As(err, &noMatch) {
		t.Fatalf("decrypting host A's message with host B's identity: err = %v, want NoIdentityMatchError", err)
	}
}

func TestParseAgeRecipient(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	want := id.Recipient().String()
	for _, in := range []string{want, " " + want + "\n"} {
		got, err := ParseAgeRecipient(in)
		if err != nil || got != want {
			t.Errorf("ParseAgeRecipient(%q) = %q, %v; want %q", in, got, err, want)
		}
		if got, err := ParseRecipient(in); err != nil || got != want {
			t.Errorf("ParseRecipient(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestInvalidKeys(t *testing.T) {
	hybrid, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	valid := sshToAgeVectors[1].age
	cases := []struct {
		name, key string
	}{
		{"empty", ""},
		{"blank", "   "},
		// The keys of seed 002's .sops.yaml, which the post says are
		// fake: 1, b, i and o are not in the bech32 alphabet.
		{"fake seed-002 my_machine", "age1irdq4jgq134vi2aasxayzgt4uc0fa6k0datbzmzb16pbqawxxy1bfrdz72"},
		{"fake seed-002 instance_1", "age1y9gw4vsuwqcpeebta8eorvmqrpu1jorg4sd6zjqd20fr03mmdowrt9aos9"},
		{"fake seed-002 instance_2", "age1u369wgo46wfm2aw7q9w7zitxzs4ztyfsmum5szp1pzdx644y2dxol77fh7"},
		{"fake seed-002 instance_3", "age1zouuedww2a4xljpomtpicawj8qx9g90aa84ogz42dv2x9jqiw0c9kvpsh3"},
		{"fake seed-002 instance_4", "age1dc1rgltbeqjj6235uobyio9cswoa9yptr78rqkf0wptayh1q74jv1uyeyp"},
		{"checksum", valid[:len(valid)-1] + "q"},
		{"truncated", valid[:40]},
		{"mixed case", "age1" + strings.ToUpper(valid[4:10]) + valid[10:]},
		{"upper case", strings.ToUpper(valid)},
		{"age identity", "AGE-SECRET-KEY-1K3VN4N03PTHJWSJSCCMQCN33RY5FSKQPJ4KRRTG3JMQUYE0TUSEQEDH6V8"},
		{"hybrid recipient", hybrid.Recipient().String()},
		{"pgp fingerprint", "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"},
		{"rsa", rsaHostKey},
		{"truncated rsa", rsaHostKey[:100]},
		{"bad base64", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcseq2Up!!zUFZRr+ux6LM"},
		{"truncated ssh", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF/KPU3Z5LSjbBI6hrq25wCcse"},
		{"two lines", sshToAgeVectors[1].ssh + "\n" + sshToAgeVectors[2].ssh},
		{"options", `command="ls" ` + sshToAgeVectors[1].ssh},
		{"private key", publishedPrivateKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if r, err := ParseRecipient(c.key); err == nil {
				t.Errorf("ParseRecipient(%q) = %q, want an error", c.key, r)
			} else {
				var ke *KeyError
				if !errors.As(err, &ke) {
					t.Errorf("error %v is not a *KeyError", err)
				}
				if strings.Contains(err.Error(), "PRIVATE KEY-----\nb3") {
					t.Errorf("error repeats the whole key: %v", err)
				}
			}
		})
	}

	// Only ed25519 converts; other key types are refused by SSHToAge
	// with a message that names the type.
	if _, err := SSHToAge(rsaHostKey); err == nil || !strings.Contains(err.Error(), "ssh-rsa") {
		t.Errorf("SSHToAge(rsa) error = %v, want one naming the key type", err)
	}
	ecdsa := "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg="
	if _, err := SSHToAge(ecdsa); err == nil || !strings.Contains(err.Error(), "ecdsa-sha2-nistp256") {
		t.Errorf("SSHToAge(ecdsa) error = %v, want one naming the key type", err)
	}
	// An ssh-ed25519 key whose 32 bytes are not a point of the curve.
	bad := make([]byte, 32)
	bad[0] = 2 // y = 2 has no x on edwards25519
	if _, err := ed25519ToAge("test", ed25519.PublicKey(bad)); err == nil {
		t.Errorf("ed25519ToAge(off-curve) succeeded")
	}
	// An age recipient is not an SSH key, and SSHToAge takes a bare
	// key line.
	for _, k := range []string{valid, `command="ls" ` + sshToAgeVectors[1].ssh, "@cert-authority * " + sshToAgeVectors[1].ssh} {
		if r, err := SSHToAge(k); err == nil {
			t.Errorf("SSHToAge(%q) = %q, want an error", k, r)
		}
	}
}

// rsaHostKey is the RSA host key of eve.thalheim.io from ssh-to-age's
// test-assets/keyscan.txt.
const rsaHostKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQDHD6xarNtERpyo5HTTBuowEw3EH6zGG+oHEUDswDidcWl5YMeU1el50vV4hBVbdFwKv9E3ElYr1A7e/oBBHhRSgrSHA1QMSBgQmJNNPK6aaO42hz/X1ophINIegBrtIGcFRwzJyzvkUAahyP5fGpJbLrJ3KiLBHElaPForxw06ERSFauC2c2iNyhWnqDipbKuqEowBTW3164liD6PBTgv3K7RphpNXBHdMnVpqJVOq8ZlPb2Z06V4c0hfFUV5BxL6CVM4wM2sCH+DVkeynzP5BcddjfdBhWbiWSb+DQ1mz+l7tNi03uxVPF4hnzJuTrG3WVZqm7frI33fOlHsF4MRdNYRForp6B0w3ZkQZQ15jxtcRgvnVvN4cJLS10FxhXsRErueTFrP93tfejfRL5qHoDFKxPvOVOoK1kKPSXAR5NZyVaADOy6gkQNTPPVv0XT2gM8nd9iJkZbY7kw3GQRy1NTD7neqCdzQt5uBJEE5mEGTVO3i+MSTnRUnD6tjixKDfzpDWGqfs5vCqwPGHk3dm7OKSSYi3DSJ8c5zoeGfZZ22yhlFpoZmgNs+WPuZ3y11HcisuUQPrtVssxbv1xHedNfEmrbrJ41dRR9Z1tulo67YrfN77UBEakG5COK/7qwHiSKUwtylsnZVYQY04PNqx7VQqT5bTrmMg0kaorUcl5Q=="

// authorizedKey returns the authorized_keys line of an Ed25519 public key.
func authorizedKey(t testing.TB, pub ed25519.PublicKey, comment string) string {
	t.Helper()
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSuffix(string(ssh.MarshalAuthorizedKey(sp)), "\n")
	if comment != "" {
		line += " " + comment
	}
	return line
}

// bech32Encode is a BIP 173 bech32 encoder, written from the
// specification for the tests so that the checks do not rely on the
// encoder under test. Its output is accepted by age only when the
// checksum is right.
func bech32Encode(t testing.TB, hrp string, data []byte) string {
	t.Helper()
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	// Regroup 8-bit bytes into 5-bit values, padding the last one.
	var values []byte
	acc, bits := 0, 0
	for _, b := range data {
		acc = acc<<8 | int(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			values = append(values, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		values = append(values, byte(acc<<(5-bits)&31))
	}
	polymod := func(vs []byte) uint32 {
		gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
		chk := uint32(1)
		for _, v := range vs {
			top := chk >> 25
			chk = (chk&0x1ffffff)<<5 ^ uint32(v)
			for i := range 5 {
				if top>>i&1 == 1 {
					chk ^= gen[i]
				}
			}
		}
		return chk
	}
	var expanded []byte
	for _, c := range []byte(hrp) {
		expanded = append(expanded, c>>5)
	}
	expanded = append(expanded, 0)
	for _, c := range []byte(hrp) {
		expanded = append(expanded, c&31)
	}
	mod := polymod(append(append(expanded, values...), 0, 0, 0, 0, 0, 0)) ^ 1
	var b strings.Builder
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, v := range values {
		b.WriteByte(charset[v])
	}
	for i := range 6 {
		b.WriteByte(charset[mod>>(5*(5-i))&31])
	}
	return b.String()
}
