// Package testhost starts real OpenSSH servers on loopback for tests: each
// Host is one `sshd -D -e` with its own generated host key, port and
// authorized client key, logging in as root, with the internal SFTP server.
// Every Host is stopped by t.Cleanup. All hosts share this machine's
// filesystem, so tests that converge several of them must give each its own
// agent state directory.
//
// It is for tests only and fails the test (never skips it) when sshd is not
// installed: `make setup` installs it.
package testhost

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/converge"
)

// SSHD is the OpenSSH server binary the hosts run.
const SSHD = "/usr/sbin/sshd"

// startTimeout bounds how long Start waits for sshd to listen.
const startTimeout = 10 * time.Second

// Options shape one Host. The zero value is a host on 127.0.0.1.
type Options struct {
	// Name is the target's Name; empty means "sshd-<port>".
	Name string
	// Address is the loopback address sshd listens on; empty means
	// 127.0.0.1 (any 127.x.y.z works on Linux).
	Address string
	// AllowTCPForwarding lets the host serve as a bastion (jump host).
	AllowTCPForwarding bool
	// LogLevel is sshd's LogLevel; empty means VERBOSE. DEBUG1 also logs
	// forwarded connections ("server_request_direct_tcpip").
	LogLevel string
}

// Host is one sshd. Target reaches it as root with its host key pinned.
type Host struct {
	// Target reaches the host: address, port, user root, the client private
	// key and the pinned host key.
	Target converge.Target
	// Dir holds the host's configuration, keys and pid file.
	Dir string
	// HostKey is the server's public host key.
	HostKey ssh.PublicKey
	// ClientKey signs as the authorized client.
	ClientKey ssh.Signer

	t    testing.TB
	opts Options

	mu   sync.Mutex
	cmd  *exec.Cmd
	log  bytes.Buffer
	done chan struct{}
}

// Start starts a Host and waits until it accepts connections; it fails the
// test if sshd is missing or does not come up.
func Start(t testing.TB, opts Options) *Host {
	t.Helper()
	for attempt := 1; ; attempt++ {
		h := New(t, opts)
		err := h.Start()
		if err == nil {
			return h
		}
		// Another test may have taken the free port between New and Start.
		if attempt < 3 && strings.Contains(err.Error(), "Address already in use") {
			continue
		}
		t.Fatal(err)
	}
}

// New prepares a Host — keys, configuration and a free port — without
// starting sshd, so a test can dial it before it is up. It fails the test if
// sshd is not installed.
func New(t testing.TB, opts Options) *Host {
	t.Helper()
	if _, err := os.Stat(SSHD); err != nil {
		t.Fatalf("testhost: %s not found (%v): this test needs a real OpenSSH server; run `make setup` (installs openssh-server)", SSHD, err)
	}
	if opts.Address == "" {
		opts.Address = "127.0.0.1"
	}
	port, err := freePort(opts.Address)
	if err != nil {
		t.Fatalf("testhost: finding a free port on %s: %v", opts.Address, err)
	}
	if opts.LogLevel == "" {
		opts.LogLevel = "VERBOSE"
	}
	if opts.Name == "" {
		opts.Name = "sshd-" + strconv.Itoa(port)
	}
	h := &Host{t: t, opts: opts, Dir: t.TempDir()}

	hostPEM, hostSigner := NewKey(t)
	clientPEM, clientSigner := NewKey(t)
	h.HostKey, h.ClientKey = hostSigner.PublicKey(), clientSigner
	h.write("host_key", hostPEM, 0o600)
	h.write("authorized_keys", ssh.MarshalAuthorizedKey(clientSigner.PublicKey()), 0o600)
	h.write("sshd_config", []byte(h.config(port)), 0o600)

	h.Target = converge.Target{
		Name:           opts.Name,
		Address:        opts.Address,
		Port:           port,
		User:           "root",
		PrivateKey:     clientPEM,
		HostKey:        strings.TrimSpace(string(ssh.MarshalAuthorizedKey(hostSigner.PublicKey()))),
		ConnectTimeout: 5 * time.Second,
	}
	t.Cleanup(h.Stop)
	return h
}

func (h *Host) config(port int) string {
	forwarding := "no"
	if h.opts.AllowTCPForwarding {
		forwarding = "yes"
	}
	lines := []string{
		"ListenAddress " + net.JoinHostPort(h.opts.Address, strconv.Itoa(port)),
		"HostKey " + filepath.Join(h.Dir, "host_key"),
		"PidFile " + filepath.Join(h.Dir, "sshd.pid"),
		"AuthorizedKeysFile " + filepath.Join(h.Dir, "authorized_keys"),
		"PermitRootLogin prohibit-password",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"StrictModes no",
		"UsePAM no",
		"UseDNS no",
		"PrintMotd no",
		"MaxStartups 100:30:200",
		"MaxSessions 50",
		"AllowTcpForwarding " + forwarding,
		"Subsystem sftp internal-sftp",
		// A login shell of bash run by sshd sources ~/.bashrc unless it is
		// nested (SHLVL); this machine's root .bashrc may be slow (pyenv
		// and the like) and is none of the tests' business.
		"SetEnv SHLVL=1",
		"LogLevel " + h.opts.LogLevel,
	}
	return strings.Join(lines, "\n") + "\n"
}

// Start runs sshd and waits until it listens. It may be called from any
// goroutine; it returns an error rather than failing the test.
func (h *Host) Start() error {
	// sshd refuses to start without its privilege separation directory.
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		return fmt.Errorf("testhost: creating /run/sshd: %w", err)
	}
	ready := fmt.Sprintf("Server listening on %s port %d", h.opts.Address, h.Target.Port)
	h.mu.Lock()
	if h.cmd != nil {
		h.mu.Unlock()
		return errors.New("testhost: host already started")
	}
	// After a restart the log holds the first start's line too.
	readyBefore := strings.Count(h.log.String(), ready)
	cmd := exec.Command(SSHD, "-D", "-e", "-f", filepath.Join(h.Dir, "sshd_config"))
	cmd.Stdout = &lockedWriter{h}
	cmd.Stderr = &lockedWriter{h}
	// Its own process group, so Stop also ends the per-connection children.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Per-connection children leave the group (setsid) and keep the log
	// pipe open while a client stays connected; do not wait for them.
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		h.mu.Unlock()
		return fmt.Errorf("testhost: starting %s: %w", SSHD, err)
	}
	h.cmd, h.done = cmd, make(chan struct{})
	h.mu.Unlock()
	go func() { cmd.Wait(); close(h.done) }()

	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		if strings.Count(h.Log(), ready) > readyBefore {
			return nil
		}
		select {
		case <-h.done:
			return fmt.Errorf("testhost: sshd on %s:%d exited at start: %s", h.opts.Address, h.Target.Port, h.Log())
		case <-time.After(10 * time.Millisecond):
		}
	}
	h.Stop()
	return fmt.Errorf("testhost: sshd on %s:%d did not listen within %s: %s", h.opts.Address, h.Target.Port, startTimeout, h.Log())
}

// Stop stops sshd (and the sessions it serves) and waits for it to exit.
// It is safe to call more than once and on a host never started.
func (h *Host) Stop() {
	h.mu.Lock()
	cmd, done := h.cmd, h.done
	h.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	pgid := cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
}

// Sessions counts what sshd has served so far, from its log (LogLevel
// VERBOSE or more logs every session it starts).
type Sessions struct {
	// Execs are command sessions ("ssh host command"), Subsystems are
	// subsystem sessions (SFTP).
	Execs, Subsystems int
}

// Sessions returns how many sessions sshd started, by type. It fails the
// test when the log level is too low to tell.
func (h *Host) Sessions() Sessions {
	h.t.Helper()
	switch h.opts.LogLevel {
	case "QUIET", "FATAL", "ERROR", "INFO":
		h.t.Fatalf("testhost: counting sessions needs LogLevel VERBOSE or more, not %s", h.opts.LogLevel)
	}
	log := h.Log()
	return Sessions{
		Execs:      strings.Count(log, "Starting session: command "),
		Subsystems: strings.Count(log, "Starting session: subsystem "),
	}
}

// NewHostKey replaces the host's key with a fresh one and restarts sshd on
// the same port, as a machine rebuilt at the same address would come back.
// Target.HostKey and HostKey are updated to the new key.
func (h *Host) NewHostKey() error {
	h.t.Helper()
	h.Stop()
	hostPEM, signer := NewKey(h.t)
	h.write("host_key", hostPEM, 0o600)
	h.mu.Lock()
	h.cmd = nil
	h.HostKey = signer.PublicKey()
	h.Target.HostKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey())))
	h.mu.Unlock()
	return h.Start()
}

// Log is everything sshd has logged so far.
func (h *Host) Log() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.log.String()
}

func (h *Host) write(name string, data []byte, mode os.FileMode) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.Dir, name), data, mode); err != nil {
		h.t.Fatalf("testhost: %v", err)
	}
}

type lockedWriter struct{ h *Host }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.h.mu.Lock()
	defer w.h.mu.Unlock()
	return w.h.log.Write(p)
}

// NewKey returns a fresh ed25519 private key in OpenSSH PEM format and its
// signer.
func NewKey(t testing.TB) ([]byte, ssh.Signer) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("testhost: generating a key: %v", err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatalf("testhost: encoding a key: %v", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatalf("testhost: %v", err)
	}
	return pem.EncodeToMemory(block), signer
}

func freePort(addr string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
