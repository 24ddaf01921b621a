package converge

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// DefaultPort is the SSH port used when Target.Port is zero.
const DefaultPort = 22

// DefaultUser is the login used when Target.User is empty.
const DefaultUser = "root"

// DefaultConnectTimeout bounds one TCP connect plus SSH handshake when
// Target.ConnectTimeout is zero.
const DefaultConnectTimeout = 15 * time.Second

// DefaultAgentRoot is the directory on hosts under which agent builds are kept,
// one subdirectory per content hash.
const DefaultAgentRoot = agentapi.AgentDir

// Target says how to reach one host over SSH.
type Target struct {
	// Name identifies the host in messages (a blueprint address such as
	// "machine.web[0]"); Address is used when it is empty.
	Name string
	// Address is the host name or IP address to connect to.
	Address string
	// Port is the SSH port; zero means 22.
	Port int
	// User is the login; empty means root.
	User string
	// PrivateKey is the client key, PEM or OpenSSH format, unencrypted. When
	// empty, the keys of a running ssh-agent ($SSH_AUTH_SOCK) are offered.
	PrivateKey []byte
	// HostKey is the pinned host key in authorized_keys format
	// ("ssh-ed25519 AAAA…"). Empty means trust on first use: any key is
	// accepted and Conn.HostKey reports it so the caller can pin it.
	HostKey string
	// Bastion, when set, is the jump host the connection is tunnelled through.
	// Both host keys are verified.
	Bastion *Target
	// ConnectTimeout bounds one attempt (TCP connect and SSH handshake); zero
	// means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// RetryFor is how long Dial keeps retrying while the host is not
	// answering yet (connection refused, timeout, handshake cut short), as a
	// freshly created machine does while it boots. Zero means one attempt.
	// Authentication failures and host key mismatches are never retried.
	RetryFor time.Duration
	// AgentRoot is the directory on the host that holds agent builds; empty
	// means DefaultAgentRoot.
	AgentRoot string
}

// DisplayName is how messages name the host: Name, or Address when Name is
// empty.
func (t Target) DisplayName() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Address
}

func (t Target) addr() string {
	port := t.Port
	if port == 0 {
		port = DefaultPort
	}
	return net.JoinHostPort(t.Address, strconv.Itoa(port))
}

func (t Target) user() string {
	if t.User == "" {
		return DefaultUser
	}
	return t.User
}

func (t Target) connectTimeout() time.Duration {
	if t.ConnectTimeout <= 0 {
		return DefaultConnectTimeout
	}
	return t.ConnectTimeout
}

func (t Target) agentRoot() string {
	if t.AgentRoot == "" {
		return DefaultAgentRoot
	}
	return t.AgentRoot
}

func (t Target) validate() error {
	if t.Address == "" {
		return fmt.Errorf("host %q has no address to connect to: set the machine's address (or ssh host) in the blueprint", t.Name)
	}
	if t.Port < 0 || t.Port > 65535 {
		return fmt.Errorf("host %s: SSH port %d is out of range: use a port between 1 and 65535", t.DisplayName(), t.Port)
	}
	return nil
}
