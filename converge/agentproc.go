package converge

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// Bounds on stopping an agent whose run was cancelled.
const (
	// killTimeout bounds the exec that sends the agent SIGTERM.
	killTimeout = 2 * time.Second
	// abandonAfter is how long an aborted agent has to exit before Converge
	// stops waiting for it.
	abandonAfter = 2 * time.Second
)

// agentProc is the agent running in one SSH session.
//
// sshd ignores signal requests on sessions of root (OpenSSH only delivers
// them through privilege separation) and a closed channel only reaches the
// agent when it next writes, so cancelling relies on the agent's PID: the
// command prints it before it execs the agent, and abort kills it from a
// second session.
type agentProc struct {
	conn    *Conn
	path    string
	session *ssh.Session
	stdin   io.WriteCloser
	// stdout is the agent's stdout after the PID line. Reads return an error
	// once the agent has been abandoned.
	stdout *io.PipeReader
	stderr *lockedTail
	pid    atomic.Int64
	waitCh chan error

	abortOnce sync.Once
	abandoned chan struct{}
	stop      func() bool
}

// agentMissingMarker is the first line of the agent command's output when
// the host lacks the build: the probe (see probeCommand) follows it.
const agentMissingMarker = "bp-agent-missing"

// agentPrelude is the shell script of the one exec that starts the agent
// ($0 is the agent's path, "$@" its arguments). When the build is there it
// prints its PID and execs it, so the agent keeps that PID. Otherwise it
// prints agentMissingMarker and the probe (uname -sm, then the agent builds
// the host has beside the missing one) and exits 0, so a missing agent costs
// no extra exec to find out. The explicit sh makes `$$` mean the same under
// any login shell.
const agentPrelude = `[ -x "$0" ] || { echo ` + agentMissingMarker + `; uname -sm; ` +
	`for f in "${0%/*/*}"/*/` + AgentBinaryName + `; do [ -x "$f" ] && echo "$f"; done; exit 0; }; ` +
	`echo "$$"; exec "$0" "$@"`

// agentMissingError says the agent build was not at its path on the host.
type agentMissingError struct {
	host, path string
	// probe is the host's answer after the marker, as probeCommand prints it.
	probe string
}

func (e *agentMissingError) Error() string {
	return fmt.Sprintf("host %s: bp-agent is not at %s (EnsureAgent uploads it)", e.host, e.path)
}

// startAgent starts the agent at path with args in a new session and reads
// the PID line. When the host lacks the build it returns an
// *agentMissingError carrying the host's probe.
func (c *Conn) startAgent(ctx context.Context, path string, args ...string) (*agentProc, error) {
	host := c.target.DisplayName()
	session, err := c.client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("host %s: opening an SSH session: %w", host, err)
	}
	p := &agentProc{conn: c, path: path, session: session, stderr: &lockedTail{tail: newTailBuffer(stderrTail)},
		waitCh: make(chan error, 1), abandoned: make(chan struct{})}
	p.stdin, err = session.StdinPipe()
	if err != nil {
		session.Close()
		return nil, fmt.Errorf("host %s: %w", host, err)
	}
	stdout, err := session.StdoutPipe()
	if err != nil {
		session.Close()
		return nil, fmt.Errorf("host %s: %w", host, err)
	}
	session.Stderr = p.stderr

	command := "exec /bin/sh -c " + shellQuote(agentPrelude) + " " + shellQuote(path)
	for _, a := range args {
		command += " " + shellQuote(a)
	}
	if err := session.Start(command); err != nil {
		session.Close()
		return nil, fmt.Errorf("host %s: starting %s: %w", host, path, err)
	}
	go func() { p.waitCh <- session.Wait() }()

	br := bufio.NewReaderSize(stdout, 64<<10)
	pr, pw := io.Pipe()
	p.stdout = pr
	p.stop = context.AfterFunc(ctx, p.abort)
	pidLine, err := br.ReadString('\n')
	if err == nil && strings.TrimSpace(pidLine) == agentMissingMarker {
		return nil, p.missing(ctx, br)
	}
	if pid, perr := strconv.Atoi(strings.TrimSpace(pidLine)); perr == nil && pid > 1 {
		p.pid.Store(int64(pid))
	} else if err == nil {
		err = fmt.Errorf("expected the agent's PID, got %q", abbreviate(pidLine, 80))
	}
	if err != nil {
		p.abort()
		pw.CloseWithError(err)
		return p, nil // the wait reports what happened
	}
	if ctx.Err() != nil {
		// abort ran before the PID was known; kill now that it is.
		p.kill()
	}
	go func() {
		_, err := br.WriteTo(pw)
		pw.CloseWithError(err)
	}()
	return p, nil
}

// missing reads the probe that follows the marker and ends the session.
func (p *agentProc) missing(ctx context.Context, br *bufio.Reader) error {
	defer p.close()
	probe, err := io.ReadAll(io.LimitReader(br, 1<<20))
	if err == nil {
		err = p.wait()
	}
	if ctx.Err() != nil {
		return fmt.Errorf("host %s: %w", p.conn.target.DisplayName(), context.Cause(ctx))
	}
	if err != nil {
		return fmt.Errorf("host %s: looking for bp-agent at %s: %w", p.conn.target.DisplayName(), p.path, err)
	}
	return &agentMissingError{host: p.conn.target.DisplayName(), path: p.path, probe: string(probe)}
}

// abort stops the agent: SIGTERM by PID from a second session, then the
// session is closed; if the agent has not exited after abandonAfter, reads
// and the wait give up on it.
func (p *agentProc) abort() {
	p.abortOnce.Do(func() {
		go func() {
			p.kill()
			p.session.Close()
			select {
			case err := <-p.waitCh:
				p.waitCh <- err
			case <-time.After(abandonAfter):
				p.stdout.CloseWithError(errors.New("the agent did not stop"))
				close(p.abandoned)
			}
		}()
	})
}

func (p *agentProc) kill() {
	pid := p.pid.Load()
	if pid <= 1 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
	defer cancel()
	// Only if that PID still is the agent: it may have exited and the PID
	// been reused.
	p.conn.Output(ctx, fmt.Sprintf(`[ "$(readlink /proc/%d/exe)" = %s ] && kill -TERM %d 2>/dev/null; true`, pid, shellQuote(p.path), pid))
}

// wait returns the session's exit error, or an error saying the agent was
// abandoned.
func (p *agentProc) wait() error {
	select {
	case err := <-p.waitCh:
		p.waitCh <- err
		return err
	case <-p.abandoned:
		return errors.New("the agent did not stop after it was cancelled")
	}
}

func (p *agentProc) close() {
	p.stop()
	p.session.Close()
	p.stdout.Close()
}
