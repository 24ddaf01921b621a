package converge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// Backoff between connection attempts while a host is not answering yet.
const (
	firstBackoff = 100 * time.Millisecond
	maxBackoff   = time.Second
)

// Conn is one SSH connection to a host. The same connection carries the agent
// upload and the converge exec; sessions multiplex over it, so a Conn may be
// used from several goroutines at once. Close releases it (and the bastion
// connection it was tunnelled through).
type Conn struct {
	target  Target
	client  *ssh.Client
	bastion *Conn
	hostKey ssh.PublicKey
}

// Dial connects to the target and authenticates, verifying the host key
// against Target.HostKey (any key when it is empty; see Conn.HostKey). When
// Target.Bastion is set the connection is tunnelled through the jump host,
// whose own key is verified the same way. While the host is not answering yet
// Dial retries with backoff until Target.RetryFor has passed; it fails at once
// on an authentication failure, a host key mismatch (*HostKeyMismatchError)
// or when ctx ends.
func Dial(ctx context.Context, t Target) (*Conn, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	check, err := newHostKeyCheck(t)
	if err != nil {
		return nil, err
	}
	auth, closeAuth, err := authMethods(t)
	if err != nil {
		return nil, err
	}
	defer closeAuth()

	var bastion *Conn
	if t.Bastion != nil {
		bastion, err = Dial(ctx, *t.Bastion)
		if err != nil {
			return nil, fmt.Errorf("host %s: reaching its bastion: %w", t.DisplayName(), err)
		}
	}
	config := &ssh.ClientConfig{
		User:              t.user(),
		Auth:              auth,
		HostKeyCallback:   check.callback,
		HostKeyAlgorithms: check.algorithms(),
		Timeout:           t.connectTimeout(),
	}

	start := time.Now()
	deadline := start.Add(t.RetryFor)
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		client, err := dialOnce(ctx, t, bastion, config)
		if err == nil {
			return &Conn{target: t, client: client, bastion: bastion, hostKey: check.key()}, nil
		}
		wait := min(backoff, time.Until(deadline))
		if ctx.Err() != nil || !retryable(err) || wait <= 0 {
			if bastion != nil {
				bastion.Close()
			}
			return nil, dialError(ctx, t, err, attempt, time.Since(start))
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// dialOnce makes one attempt, bounded by the target's connect timeout.
func dialOnce(ctx context.Context, t Target, bastion *Conn, config *ssh.ClientConfig) (*ssh.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, t.connectTimeout())
	defer cancel()
	addr := t.addr()
	var (
		nc  net.Conn
		err error
	)
	if bastion != nil {
		nc, err = bastion.client.DialContext(ctx, "tcp", addr)
	} else {
		var d net.Dialer
		nc, err = d.DialContext(ctx, "tcp", addr)
		if err == nil {
			nc = quickAck(nc)
		}
	}
	if err != nil {
		return nil, err
	}
	// The handshake has no deadline of its own; closing the connection when
	// ctx ends is what bounds it.
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	cc, chans, reqs, err := ssh.NewClientConn(nc, addr, config)
	if !stop() {
		if err == nil {
			cc.Close()
		}
		return nil, ctx.Err()
	}
	if err != nil {
		nc.Close()
		return nil, err
	}
	return ssh.NewClient(cc, chans, reqs), nil
}

// retryable says whether err looks like a host that is not up yet rather
// than one that refuses us.
func retryable(err error) bool {
	var mismatch *HostKeyMismatchError
	if errors.As(err, &mismatch) || isAuthFailure(err) {
		return false
	}
	var openErr *ssh.OpenChannelError
	if errors.As(err, &openErr) {
		// A bastion could not reach the target (yet).
		return openErr.Reason == ssh.ConnectionFailed
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	for _, target := range []error{
		context.DeadlineExceeded, io.EOF, io.ErrUnexpectedEOF, net.ErrClosed,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EPIPE,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func isAuthFailure(err error) bool {
	return err != nil && strings.Contains(err.Error(), "unable to authenticate")
}

func dialError(ctx context.Context, t Target, err error, attempts int, took time.Duration) error {
	var mismatch *HostKeyMismatchError
	if errors.As(err, &mismatch) {
		return mismatch
	}
	where := fmt.Sprintf("host %s (%s) as %s", t.DisplayName(), t.addr(), t.user())
	if isAuthFailure(err) {
		return fmt.Errorf("logging in to %s was refused: %w. Check the SSH user and private key for this host, and that the key's public half is in the user's authorized_keys there", where, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("connecting to %s: %w", where, context.Cause(ctx))
	}
	if attempts > 1 {
		return fmt.Errorf("connecting to %s: %w (gave up after %d attempts in %s; raise the retry time if the machine takes longer to boot)", where, err, attempts, took.Round(time.Millisecond))
	}
	return fmt.Errorf("connecting to %s: %w", where, err)
}

// authMethods offers the target's private key, or the keys of a running
// ssh-agent when it has none. The returned func releases the agent socket.
func authMethods(t Target) ([]ssh.AuthMethod, func(), error) {
	if len(t.PrivateKey) > 0 {
		signer, err := ssh.ParsePrivateKey(t.PrivateKey)
		if err != nil {
			var missing *ssh.PassphraseMissingError
			if errors.As(err, &missing) {
				return nil, nil, fmt.Errorf("host %s: the SSH private key is protected by a passphrase: give bp an unencrypted key, or leave the key unset and load it into ssh-agent", t.DisplayName())
			}
			return nil, nil, fmt.Errorf("host %s: the SSH private key cannot be read (%v): it must be an unencrypted PEM or OpenSSH private key", t.DisplayName(), err)
		}
		return []ssh.AuthMethod{ssh.PublicKeys(signer)}, func() {}, nil
	}
	sock := os.Getenv("SSH_AUTH_SOCK")
	if sock == "" {
		return nil, nil, fmt.Errorf("host %s: no SSH private key to log in with: set the host's private key in the blueprint, or run an ssh-agent holding it", t.DisplayName())
	}
	conn, err := net.Dial("unix", sock)
	if err != nil {
		return nil, nil, fmt.Errorf("host %s: no SSH private key is set and the ssh-agent at $SSH_AUTH_SOCK (%s) cannot be reached: %v", t.DisplayName(), sock, err)
	}
	keys := agent.NewClient(conn)
	return []ssh.AuthMethod{ssh.PublicKeysCallback(keys.Signers)}, func() { conn.Close() }, nil
}

// Target is the target this connection was dialled with.
func (c *Conn) Target() Target { return c.target }

// HostKey is the key the host presented, in authorized_keys format without a
// trailing newline: the key to pin in state after trust on first use.
func (c *Conn) HostKey() string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(c.hostKey)))
}

// HostKeys are the keys presented by the host and by each bastion the
// connection went through, by address ("host:port"), in authorized_keys
// format: what to pin after trust on first use.
func (c *Conn) HostKeys() map[string]string {
	keys := map[string]string{}
	for cur := c; cur != nil; cur = cur.bastion {
		keys[cur.target.addr()] = cur.HostKey()
	}
	return keys
}

// Close closes the connection and the bastion connection under it.
func (c *Conn) Close() error {
	err := c.client.Close()
	if c.bastion != nil {
		c.bastion.Close()
	}
	return err
}
