package converge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"
)

// stderrTail is how much of a command's stderr is kept for error messages.
const stderrTail = 4096

// ExecError reports a remote command that ran but did not succeed.
type ExecError struct {
	// Host is the host's display name; Command the command line run.
	Host, Command string
	// ExitStatus is the command's exit status, -1 when it died without one
	// (killed by a signal, or the connection dropped).
	ExitStatus int
	// Stderr is the tail of what the command wrote to stderr.
	Stderr string
	// Err is the underlying SSH error.
	Err error
}

func (e *ExecError) Error() string {
	msg := fmt.Sprintf("host %s: %q ", e.Host, e.Command)
	if e.ExitStatus >= 0 {
		msg += fmt.Sprintf("exited with status %d", e.ExitStatus)
	} else {
		msg += fmt.Sprintf("did not finish: %v", e.Err)
	}
	if s := strings.TrimSpace(e.Stderr); s != "" {
		msg += ": " + s
	}
	return msg
}

func (e *ExecError) Unwrap() error { return e.Err }

// Output runs one command on the host through the shell of the login user
// and returns its stdout. A non-zero exit is an *ExecError carrying the
// stderr tail. When ctx ends the session is closed and ctx's error returned.
func (c *Conn) Output(ctx context.Context, command string) ([]byte, error) {
	session, err := c.client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("host %s: opening an SSH session: %w", c.target.DisplayName(), err)
	}
	defer session.Close()
	var stdout bytes.Buffer
	stderr := newTailBuffer(stderrTail)
	session.Stdout = &stdout
	session.Stderr = stderr
	stop := context.AfterFunc(ctx, func() { session.Close() })
	defer stop()
	err = session.Run(command)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("host %s: %q: %w", c.target.DisplayName(), command, context.Cause(ctx))
	}
	if err != nil {
		return stdout.Bytes(), c.execError(command, err, stderr.String())
	}
	return stdout.Bytes(), nil
}

func (c *Conn) execError(command string, err error, stderr string) *ExecError {
	e := &ExecError{Host: c.target.DisplayName(), Command: command, ExitStatus: -1, Stderr: stderr, Err: err}
	var exit *ssh.ExitError
	if errors.As(err, &exit) && exit.Signal() == "" {
		e.ExitStatus = exit.ExitStatus()
	}
	return e
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string { return string(b.buf) }
