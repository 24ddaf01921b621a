package converge_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
)

func dial(t *testing.T, target converge.Target) *converge.Conn {
	t.Helper()
	conn, err := converge.Dial(context.Background(), target)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestDialAndExec(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	conn := dial(t, host.Target)

	out, err := conn.Output(context.Background(), "echo hello; id -u")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "hello\n0\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}

	_, err = conn.Output(context.Background(), "echo broken >&2; exit 3")
	var exit *converge.ExecError
	if !errors.As(err, &exit) {
		t.Fatalf("error = %v (%T), want *ExecError", err, err)
	}
	if exit.ExitStatus != 3 || !strings.Contains(exit.Error(), "broken") {
		t.Errorf("ExecError = %+v; want status 3 and the stderr in the message", exit)
	}
}

func TestHostKeyVerification(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	hostKey := host.Target.HostKey
	_, otherSigner := testhost.NewKey(t)
	otherKey := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(otherSigner.PublicKey())))

	tests := []struct {
		name     string
		pinned   string
		mismatch bool
	}{
		{name: "trust on first use", pinned: ""},
		{name: "pinned key matches", pinned: hostKey},
		{name: "pinned key with comment matches", pinned: hostKey + " root@web-1"},
		{name: "pinned key differs", pinned: otherKey, mismatch: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := host.Target
			target.HostKey = tc.pinned
			target.RetryFor = 10 * time.Second // a mismatch must not be retried
			start := time.Now()
			conn, err := converge.Dial(context.Background(), target)
			if !tc.mismatch {
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				defer conn.Close()
				if got := conn.HostKey(); got != hostKey {
					t.Errorf("HostKey() = %q, want %q", got, hostKey)
				}
				return
			}
			var mismatch *converge.HostKeyMismatchError
			if !errors.As(err, &mismatch) {
				t.Fatalf("error = %v (%T), want *HostKeyMismatchError", err, err)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("mismatch took %s: it must not be retried", took)
			}
			wantPinned := ssh.FingerprintSHA256(otherSigner.PublicKey())
			wantPresented := ssh.FingerprintSHA256(host.HostKey)
			msg := err.Error()
			for _, want := range []string{host.Target.Name, wantPinned, wantPresented, "run `bp apply`", "rebuilt"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q:\n%s", want, msg)
				}
			}
			if mismatch.PinnedFingerprint() != wantPinned || mismatch.PresentedFingerprint() != wantPresented {
				t.Errorf("fingerprints = %s / %s, want %s / %s", mismatch.PinnedFingerprint(), mismatch.PresentedFingerprint(), wantPinned, wantPresented)
			}
		})
	}
}

func TestDialBadInput(t *testing.T) {
	t.Parallel()
	key, _ := testhost.NewKey(t)
	tests := []struct {
		name   string
		target converge.Target
		want   string
	}{
		{"no address", converge.Target{Name: "web", PrivateKey: key}, `host "web" has no address`},
		{"bad port", converge.Target{Address: "127.0.0.1", Port: 70000, PrivateKey: key}, "out of range"},
		{"bad host key", converge.Target{Address: "127.0.0.1", PrivateKey: key, HostKey: "not a key"}, "authorized_keys format"},
		{"bad private key", converge.Target{Address: "127.0.0.1", PrivateKey: []byte("garbage")}, "private key cannot be read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := converge.Dial(context.Background(), tc.target)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestAuthFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.PrivateKey, _ = testhost.NewKey(t) // not authorized
	target.RetryFor = 20 * time.Second
	start := time.Now()
	_, err := converge.Dial(context.Background(), target)
	if err == nil || !strings.Contains(err.Error(), "was refused") || !strings.Contains(err.Error(), "private key") {
		t.Fatalf("error = %v, want an authentication failure naming the key", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("auth failure took %s: it must not be retried", took)
	}
}

func TestDialRetriesWhileHostBoots(t *testing.T) {
	t.Parallel()
	host := testhost.New(t, testhost.Options{})
	started := make(chan error, 1)
	go func() {
		time.Sleep(time.Second)
		started <- host.Start()
	}()
	target := host.Target
	target.RetryFor = 20 * time.Second
	begin := time.Now()
	conn, err := converge.Dial(context.Background(), target)
	if serr := <-started; serr != nil {
		t.Fatal(serr)
	}
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	conn.Close()
	if took := time.Since(begin); took < 900*time.Millisecond {
		t.Errorf("Dial returned after %s, before sshd was started", took)
	}
}

func TestDialGivesUpAfterRetryFor(t *testing.T) {
	t.Parallel()
	host := testhost.New(t, testhost.Options{}) // never started
	target := host.Target
	target.RetryFor = 500 * time.Millisecond
	start := time.Now()
	_, err := converge.Dial(context.Background(), target)
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "attempts") {
		t.Fatalf("error = %v, want connection refused after several attempts", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("gave up after %s, want about 500ms", took)
	}
}

func TestDialCancelled(t *testing.T) {
	t.Parallel()
	host := testhost.New(t, testhost.Options{}) // never started
	target := host.Target
	target.RetryFor = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := converge.Dial(ctx, target)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the context's deadline", err)
	}
}

func TestDialThroughBastion(t *testing.T) {
	t.Parallel()
	bastion := testhost.Start(t, testhost.Options{Name: "bastion", AllowTCPForwarding: true, LogLevel: "DEBUG1"})
	// The target listens on another loopback address; the test asserts the
	// path through the bastion's log.
	host := testhost.Start(t, testhost.Options{Name: "inner", Address: "127.0.0.2"})

	t.Run("both keys verified", func(t *testing.T) {
		target := host.Target
		jump := bastion.Target
		target.Bastion = &jump
		conn := dial(t, target)
		out, err := conn.Output(context.Background(), "echo $SSH_CONNECTION")
		if err != nil {
			t.Fatal(err)
		}
		if conn.HostKey() != host.Target.HostKey {
			t.Errorf("HostKey() = %q, want the inner host's key", conn.HostKey())
		}
		if fields := strings.Fields(string(out)); len(fields) != 4 || fields[2] != "127.0.0.2" {
			t.Errorf("SSH_CONNECTION = %q", out)
		}
		if log := bastion.Log(); !strings.Contains(log, "direct-tcpip") || !strings.Contains(log, "127.0.0.2") {
			t.Errorf("bastion log does not show the forwarded connection to 127.0.0.2:\n%s", log)
		}
	})
	t.Run("bastion key mismatch", func(t *testing.T) {
		target := host.Target
		jump := bastion.Target
		jump.HostKey = host.Target.HostKey
		target.Bastion = &jump
		_, err := converge.Dial(context.Background(), target)
		var mismatch *converge.HostKeyMismatchError
		if !errors.As(err, &mismatch) || mismatch.Host != "bastion" {
			t.Fatalf("error = %v, want a host key mismatch for the bastion", err)
		}
	})
	t.Run("inner key mismatch", func(t *testing.T) {
		target := host.Target
		target.HostKey = bastion.Target.HostKey
		jump := bastion.Target
		target.Bastion = &jump
		_, err := converge.Dial(context.Background(), target)
		var mismatch *converge.HostKeyMismatchError
		if !errors.As(err, &mismatch) || mismatch.Host != "inner" {
			t.Fatalf("error = %v, want a host key mismatch for the inner host", err)
		}
	})
}
