package resources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// Env is what a kind may use from its surroundings. Tests inject a fake
// Runner (a systemctl that records calls) or a private StateDir.
type Env struct {
	// Runner runs commands; nil means ExecRunner.
	Runner Runner
	// Log receives debug messages; nil discards them.
	Log *log.Logger
	// StateDir is the agent's state directory (pending notifications).
	StateDir string
	// Facts describe the host (package manager, init system).
	Facts agentapi.Facts
	// HTTPClient fetches downloads; nil means a client with a 10-minute
	// timeout.
	HTTPClient *http.Client

	// aptUpdatePending is set when an apt source changed and the package
	// lists have not been refreshed since.
	aptUpdatePending bool
	// applies counts the Apply calls of this run, so a kind that caches
	// what it read of the host for several resources knows when the host
	// may have changed since.
	applies int
}

func (e *Env) logf(format string, args ...any) {
	if e.Log != nil {
		e.Log.Printf(format, args...)
	}
}

func (e *Env) runner() Runner {
	if e.Runner == nil {
		return ExecRunner{}
	}
	return e.Runner
}

func (e *Env) httpClient() *http.Client {
	if e.HTTPClient == nil {
		return &http.Client{Timeout: 10 * time.Minute}
	}
	return e.HTTPClient
}

// Command is one program to run.
type Command struct {
	// Path is the program, looked up in PATH when it has no slash.
	Path string
	Args []string
	// Env is added to the agent's environment (KEY=VALUE).
	Env []string
	// Dir is the working directory; "" means the agent's.
	Dir string
	// Stdin is the program's input.
	Stdin string
}

// String is the command line, for messages.
func (c Command) String() string {
	return strings.Join(append([]string{c.Path}, c.Args...), " ")
}

// CommandResult is what a command did.
type CommandResult struct {
	// Output is stdout and stderr interleaved, at most maxOutput bytes
	// (the tail).
	Output   string
	ExitCode int
}

// Runner runs commands. A non-zero exit status is not an error: Run
// returns an error only when the command could not be started or was
// stopped by ctx.
type Runner interface {
	Run(ctx context.Context, cmd Command) (CommandResult, error)
}

// ExecRunner runs commands on this host with os/exec.
type ExecRunner struct{}

// maxOutput bounds the output kept from one command.
const maxOutput = 64 << 10

// Run implements Runner.
func (ExecRunner) Run(ctx context.Context, c Command) (CommandResult, error) {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	// Package managers and friends must never wait for a terminal.
	cmd.Env = append(cmd.Env, "DEBIAN_FRONTEND=noninteractive")
	cmd.Stdin = strings.NewReader(c.Stdin)
	var out tailBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	res := CommandResult{Output: out.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return res, fmt.Errorf("%s: %w", c.Path, ctx.Err())
	case errors.As(err, &exitErr) && exitErr.Exited():
		res.ExitCode = exitErr.ExitCode()
	default:
		return res, fmt.Errorf("running %s: %w", c.Path, err)
	}
	return res, nil
}

// tailBuffer keeps the last maxOutput bytes written to it.
type tailBuffer struct {
	buf     bytes.Buffer
	dropped bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	t.buf.Write(p)
	if t.buf.Len() > 2*maxOutput {
		tail := append([]byte(nil), t.buf.Bytes()[t.buf.Len()-maxOutput:]...)
		t.buf.Reset()
		t.buf.Write(tail)
		t.dropped = true
	}
	return n, nil
}

func (t *tailBuffer) String() string {
	b := t.buf.Bytes()
	if len(b) > maxOutput {
		b, t.dropped = b[len(b)-maxOutput:], true
	}
	if t.dropped {
		return "…" + string(b)
	}
	return string(b)
}

var _ io.Writer = (*tailBuffer)(nil)

// CommandError is a command that exited with a non-zero status. Its
// message names the command and status; the output is kept apart so that
// the result line can show it (or hide it for a sensitive resource).
type CommandError struct {
	Command  string
	ExitCode int
	Output   string
}

func (e *CommandError) Error() string {
	msg := fmt.Sprintf("%s exited with status %d", e.Command, e.ExitCode)
	if last := lastLine(e.Output); last != "" {
		msg += ": " + last
	}
	return msg
}

// lastLine is the last non-empty line of s, for short error messages.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// run runs c and returns its output, or a *CommandError for a non-zero
// exit status.
func (e *Env) run(ctx context.Context, c Command) (string, error) {
	e.logf("run: %s", c)
	res, err := e.runner().Run(ctx, c)
	if err != nil {
		return res.Output, err
	}
	if res.ExitCode != 0 {
		return res.Output, &CommandError{Command: c.String(), ExitCode: res.ExitCode, Output: res.Output}
	}
	return res.Output, nil
}

// cmd is run for a program and its arguments.
func (e *Env) cmd(ctx context.Context, path string, args ...string) (string, error) {
	return e.run(ctx, Command{Path: path, Args: args})
}
