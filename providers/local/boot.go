package local

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
	"golang.org/x/crypto/ssh"
)

// hostKeyPath is the host key the image generates at first boot and sshd
// serves (the only one, see the recipe's sshd configuration).
const hostKeyPath = "/etc/ssh/ssh_host_ed25519_key.pub"

// ansiEscape matches the terminal color sequences in systemd's console
// output.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// pollInterval is how often a booting machine is looked at.
const pollInterval = 100 * time.Millisecond

// waitReady waits until the machine's sshd completes an SSH handshake with
// the host key read from inside the machine and accepts the machine's login
// key. It fills in the address and the pinned host key. On timeout the
// error ends with the tail of the machine's boot log.
func (ms *machines) waitReady(ctx context.Context, m *machine) error {
	ctx, cancel := context.WithTimeout(ctx, bootTimeout)
	defer cancel()
	signer, err := ssh.ParsePrivateKey([]byte(m.sshPrivateKey))
	if err != nil {
		return fmt.Errorf("reading the machine's login key: %w", err)
	}
	var last error
	for attempt := 0; ; attempt++ {
		// Every half second, also make sure the machine has not stopped.
		last = ms.probe(ctx, m, signer, attempt%5 == 0)
		if last == nil {
			return nil
		}
		if errors.Is(last, errNotRunning) {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(pollInterval):
			continue
		}
		break
	}
	if ctx.Err() != nil && !errors.Is(last, errNotRunning) {
		if parent := context.Cause(ctx); errors.Is(parent, context.Canceled) {
			return fmt.Errorf("cancelled while machine %s was booting", m.name)
		}
		last = fmt.Errorf("sshd did not answer within %s: %v", bootTimeout, last)
	}
	logCtx, logCancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer logCancel()
	return fmt.Errorf("machine %s (%s) did not become reachable over SSH: %v\n\nLast lines of its boot log:\n%s",
		m.name, shortID(m.id), last, ms.engine.logTail(logCtx, m.id, 30))
}

// probe makes one attempt: find the address (and check that the machine
// runs, when inspect is set or the address is not known), read the host
// key, shake hands. errNotRunning means waiting longer is pointless.
func (ms *machines) probe(ctx context.Context, m *machine, signer ssh.Signer, inspect bool) error {
	e := ms.engine
	if m.address == "" || inspect {
		c, err := e.api.ContainerInspect(ctx, m.id)
		if err != nil {
			return fmt.Errorf("inspecting the machine: %w", err)
		}
		if c.State == nil || !c.State.Running {
			status := "gone"
			if c.State != nil {
				status = fmt.Sprintf("%s, exit code %d", c.State.Status, c.State.ExitCode)
			}
			return fmt.Errorf("%w (%s)", errNotRunning, status)
		}
		ip := containerIP(c, m.network)
		if ip == "" {
			return fmt.Errorf("the machine has no address on network %s yet", m.network)
		}
		m.address, m.privateAddress = ip, ip
	}
	if m.hostKey == "" {
		data, err := e.readFile(ctx, m.id, hostKeyPath)
		if err != nil {
			return fmt.Errorf("the host key is not there yet: %w", err)
		}
		_, line, err := parseHostKey(data)
		if err != nil {
			return err
		}
		m.hostKey = line
	}
	hostKey, _, err := parseHostKey([]byte(m.hostKey))
	if err != nil {
		return err
	}
	cfg := &ssh.ClientConfig{
		User:            sshUser,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(hostKey),
		Timeout:         2 * time.Second,
	}
	dialer := net.Dialer{Timeout: 2 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(m.address, "22"))
	if err != nil {
		return fmt.Errorf("connecting to sshd: %w", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	c, chans, reqs, err := ssh.NewClientConn(conn, m.address, cfg)
	if err != nil {
		if strings.Contains(err.Error(), "host key mismatch") {
			return fmt.Errorf("%w (sshd at %s does not serve the key found in the machine: %s)", errNotRunning, m.address, err)
		}
		return fmt.Errorf("SSH handshake: %w", err)
	}
	ssh.NewClient(c, chans, reqs).Close()
	return nil
}

// readFile returns a regular file's content from a container.
func (e *Engine) readFile(ctx context.Context, id, path string) ([]byte, error) {
	rc, _, err := e.api.CopyFromContainer(ctx, id, path)
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return nil, fmt.Errorf("%s does not exist", path)
		}
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if h.Typeflag == tar.TypeReg {
			return io.ReadAll(io.LimitReader(tr, 1<<20))
		}
	}
}

// logTail returns the last n lines of a container's output (systemd's boot
// messages), indented, or a note saying why there are none.
func (e *Engine) logTail(ctx context.Context, id string, n int) string {
	rc, err := e.api.ContainerLogs(ctx, id, container.LogsOptions{ShowStdout: true, ShowStderr: true, Tail: fmt.Sprint(n)})
	if err != nil {
		return "  (cannot read the boot log: " + firstLine(err.Error()) + ")"
	}
	defer rc.Close()
	raw, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, bytes.NewReader(raw)); err != nil {
		out.Reset()
		out.Write(raw) // a TTY container's log is not multiplexed
	}
	text := strings.TrimRight(ansiEscape.ReplaceAllString(strings.ReplaceAll(out.String(), "\r", ""), ""), "\n")
	if text == "" {
		return "  (the boot log is empty)"
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "  " + strings.Join(lines, "\n  ")
}
