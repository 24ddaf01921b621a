package local

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// keyPair is an SSH key pair in the formats state stores: the private key
// as an OpenSSH PEM block, the public key as an authorized_keys line.
type keyPair struct {
	private string
	public  string
}

// newKeyPair generates an ed25519 key pair for logging in to a machine.
func newKeyPair(comment string) (keyPair, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return keyPair{}, fmt.Errorf("generating an SSH key: %w", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return keyPair{}, fmt.Errorf("encoding the SSH key: %w", err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return keyPair{}, fmt.Errorf("encoding the SSH public key: %w", err)
	}
	return keyPair{private: string(pem.EncodeToMemory(block)), public: authorizedKey(sshPub)}, nil
}

// authorizedKey formats key as an authorized_keys line without a comment
// or newline: "ssh-ed25519 AAAA…".
func authorizedKey(key ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(key)))
}

// parseHostKey reads an sshd .pub file (or an authorized_keys line) and
// returns the key and its normalized line.
func parseHostKey(data []byte) (ssh.PublicKey, string, error) {
	key, _, _, _, err := ssh.ParseAuthorizedKey(data)
	if err != nil {
		return nil, "", fmt.Errorf("reading the host key %q: %w", strings.TrimSpace(string(data)), err)
	}
	return key, authorizedKey(key), nil
}
