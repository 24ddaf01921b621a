package local

import (
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestNewKeyPair(t *testing.T) {
	kp, err := newKeyPair("bp@web")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey([]byte(kp.private))
	if err != nil {
		t.Fatalf("private key does not parse: %v", err)
	}
	if got := authorizedKey(signer.PublicKey()); got != kp.public {
		t.Errorf("public key %q does not match the private key's %q", kp.public, got)
	}
	if !strings.HasPrefix(kp.public, "ssh-ed25519 ") || strings.ContainsAny(kp.public, "\n") {
		t.Errorf("public key %q is not one authorized_keys line", kp.public)
	}
	other, _ := newKeyPair("bp@web")
	if other.public == kp.public {
		t.Error("two key pairs are equal")
	}
}

func TestParseHostKey(t *testing.T) {
	kp, err := newKeyPair("")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, input, want, wantErr string
	}{
		{name: "pub file with comment", input: kp.public + " root@web\n", want: kp.public},
		{name: "bare line", input: kp.public, want: kp.public},
		{name: "garbage", input: "not a key", wantErr: "reading the host key"},
		{name: "empty", input: "", wantErr: "reading the host key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := parseHostKey([]byte(tc.input))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

// FuzzParseHostKey feeds arbitrary .pub file contents (read from inside a
// machine, so outside input) to the parser: it must not panic, and what it
// accepts must parse again to the same line.
func FuzzParseHostKey(f *testing.F) {
	kp, _ := newKeyPair("")
	f.Add(kp.public + " root@x\n")
	f.Add("ssh-rsa AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		_, line, err := parseHostKey([]byte(s))
		if err != nil {
			return
		}
		if _, again, err := parseHostKey([]byte(line)); err != nil || again != line {
			t.Fatalf("%q normalized to %q, which parses to %q (%v)", s, line, again, err)
		}
	})
}
