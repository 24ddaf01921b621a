package converge

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
)

// HostKeyMismatchError reports that a host presented a key other than the one
// pinned for it: either the connection is being intercepted or the machine
// was rebuilt with a new key. It is never retried.
type HostKeyMismatchError struct {
	// Host is the host's display name, Address its host:port.
	Host, Address string
	// Pinned is the key the caller pinned, Presented the key the host showed.
	Pinned, Presented ssh.PublicKey
	// Remedy, when set, replaces the default advice for a machine rebuilt
	// on purpose (run `bp apply`, which records a provider's new key): the
	// caller knows better when it pinned the key itself, after trust on
	// first use.
	Remedy string
}

// PinnedFingerprint is the SHA256 fingerprint of the pinned key.
func (e *HostKeyMismatchError) PinnedFingerprint() string { return ssh.FingerprintSHA256(e.Pinned) }

// PresentedFingerprint is the SHA256 fingerprint of the key the host presented.
func (e *HostKeyMismatchError) PresentedFingerprint() string {
	return ssh.FingerprintSHA256(e.Presented)
}

func (e *HostKeyMismatchError) Error() string {
	remedy := e.Remedy
	if remedy == "" {
		remedy = "If the machine was rebuilt on purpose, run `bp apply`: the provider finds the new machine and bp records its key."
	}
	return fmt.Sprintf("host key mismatch for %s (%s): the pinned key is %s %s but the host presented %s %s. "+
		"Someone may be intercepting the connection, or the machine was rebuilt with a new key; bp will not connect. "+
		"%s If not, treat this as a possible attack and do not connect.",
		e.Host, e.Address, e.Pinned.Type(), e.PinnedFingerprint(), e.Presented.Type(), e.PresentedFingerprint(), remedy)
}

// hostKeyCheck verifies the host key against a pinned key (if any) and
// remembers the key seen.
type hostKeyCheck struct {
	host   string
	pinned ssh.PublicKey // nil: trust on first use

	mu   sync.Mutex
	seen ssh.PublicKey
}

func newHostKeyCheck(t Target) (*hostKeyCheck, error) {
	c := &hostKeyCheck{host: t.DisplayName()}
	if strings.TrimSpace(t.HostKey) == "" {
		return c, nil
	}
	key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(t.HostKey))
	if err != nil {
		return nil, fmt.Errorf("host %s: the pinned host key %q is not in authorized_keys format (\"ssh-ed25519 AAAA…\"): %v", c.host, abbreviate(t.HostKey, 40), err)
	}
	c.pinned = key
	return c, nil
}

func (c *hostKeyCheck) callback(addr string, _ net.Addr, key ssh.PublicKey) error {
	c.mu.Lock()
	c.seen = key
	c.mu.Unlock()
	if c.pinned == nil || bytes.Equal(c.pinned.Marshal(), key.Marshal()) {
		return nil
	}
	return &HostKeyMismatchError{Host: c.host, Address: addr, Pinned: c.pinned, Presented: key}
}

// algorithms asks the server for the pinned key's type, so a host holding
// several keys is not reported as mismatched for showing another one.
func (c *hostKeyCheck) algorithms() []string {
	if c.pinned == nil {
		return nil
	}
	if c.pinned.Type() == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{c.pinned.Type()}
}

func (c *hostKeyCheck) key() ssh.PublicKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen
}

func abbreviate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
