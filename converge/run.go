package converge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// RunRequest is what one converge of one host needs besides the connection.
type RunRequest struct {
	// Build turns the facts the agent reports into the host's desired state:
	// bp evaluates the host's roles with host.facts here. It is called once,
	// while the agent waits for its stdin. A zero Version is set to
	// agentapi.ProtocolVersion; the request is checked (agentapi.Request.Check)
	// before it is sent. An error stops the run and is returned wrapped.
	Build func(facts agentapi.Facts) (agentapi.Request, error)
	// StateDir is the agent's --state-dir (pending notifications); empty
	// means the agent's default, agentapi.DefaultStateDir.
	StateDir string
}

// Result is what one converge of one host produced. After an error it holds
// whatever arrived before the error.
type Result struct {
	// Facts are the facts the agent reported.
	Facts agentapi.Facts
	// Resources are the per-resource results, in the order they arrived.
	Resources []agentapi.Result
	// Handlers are the service restarts and reloads, in order.
	Handlers []agentapi.Handler
	// Done is the agent's summary; nil when it stopped before writing it.
	Done *agentapi.Done
	// ExitStatus is the agent's exit status (agentapi.ExitOK, ExitFailed,
	// ExitInternal), -1 when it did not exit normally.
	ExitStatus int
	// Stderr is the tail of what the agent wrote to stderr.
	Stderr string
	// Duration is the wall time of the exec, from start to exit.
	Duration time.Duration
}

// Failed returns the resources and handlers that failed, as results.
func (r Result) Failed() []agentapi.Result {
	var failed []agentapi.Result
	for _, res := range r.Resources {
		if res.Status == agentapi.StatusFailed {
			failed = append(failed, res)
		}
	}
	for _, h := range r.Handlers {
		if h.Status == agentapi.StatusFailed {
			failed = append(failed, agentapi.Result{Type: agentapi.TypeResult, ID: h.ID, Status: h.Status, Error: fmt.Sprintf("%s failed: %s", h.Action, h.Error)})
		}
	}
	return failed
}

// Converge runs one converge of the host as ONE exec of the agent at
// agentPath (see EnsureAgent; ConvergeAgent also uploads it when missing,
// and Converge itself fails before anything runs when the host lacks it):
// it reads the facts line, calls req.Build with
// the facts, writes the request to the agent's stdin and closes it, then
// passes every line to onEvent (which may be nil) as it arrives — the facts
// line first, then results and handlers, the done line last — and collects
// them in the Result. onEvent is called from the calling goroutine.
//
// The error is nil when the agent converged everything (exit status 0). A
// resource or handler that failed gives a *FailedError (exit status 2). An
// agent that broke the protocol or stopped on an internal error gives an
// error carrying its stderr. When ctx ends, the agent is sent SIGTERM and
// Converge returns ctx's error within a few seconds even if the host no
// longer answers.
func (c *Conn) Converge(ctx context.Context, agentPath string, req RunRequest, onEvent func(agentapi.Line)) (Result, error) {
	if req.Build == nil {
		return Result{ExitStatus: -1}, errors.New("converge: RunRequest.Build is nil")
	}
	args := []string{"converge"}
	if req.StateDir != "" {
		args = append(args, "--state-dir", req.StateDir)
	}
	command := shellQuote(agentPath) + " " + strings.Join(args, " ")
	host := c.target.DisplayName()
	r := &run{host: host, onEvent: onEvent, result: Result{ExitStatus: -1}}

	start := time.Now()
	proc, err := c.startAgent(ctx, agentPath, args...)
	if err != nil {
		return r.result, err
	}
	defer proc.close()
	protoErr := r.exchange(agentapi.NewDecoder(proc.stdout), proc.stdin, req)
	if protoErr != nil {
		// Stop the agent rather than leave it waiting for a reader.
		proc.abort()
	}
	waitErr := proc.wait()
	r.result.Duration = time.Since(start)
	r.result.Stderr = proc.stderr.String()
	var exit *ssh.ExitError
	switch {
	case waitErr == nil:
		r.result.ExitStatus = agentapi.ExitOK
	case errors.As(waitErr, &exit) && exit.Signal() == "":
		r.result.ExitStatus = exit.ExitStatus()
	}

	switch {
	case ctx.Err() != nil:
		return r.result, fmt.Errorf("host %s: converge interrupted: %w", host, context.Cause(ctx))
	case errors.Is(protoErr, errBuild):
		return r.result, protoErr
	case protoErr == nil && r.result.ExitStatus == agentapi.ExitFailed:
		return r.result, r.failedError()
	case protoErr == nil && r.result.ExitStatus == agentapi.ExitOK && r.result.Done == nil:
		protoErr = errors.New("the agent exited without writing the done line")
	case protoErr == nil && r.result.ExitStatus == agentapi.ExitOK:
		if r.result.Done.Failed > 0 {
			return r.result, r.failedError()
		}
		return r.result, nil
	}
	e := c.execError(command, waitErr, r.result.Stderr)
	if waitErr == nil {
		e.ExitStatus = agentapi.ExitOK
	}
	if protoErr != nil {
		return r.result, fmt.Errorf("host %s: bp-agent broke the protocol: %w (%v)", host, protoErr, e)
	}
	return r.result, fmt.Errorf("bp-agent failed: %w", e)
}

// errBuild marks an error from RunRequest.Build.
var errBuild = errors.New("building the request")

// run is the state of one Converge.
type run struct {
	host    string
	onEvent func(agentapi.Line)
	result  Result
	sources map[string]string // resource ID → blueprint position
}

// exchange speaks the protocol over the agent's stdin and stdout until the
// done line and the end of stdout.
func (r *run) exchange(dec *agentapi.Decoder, stdin io.WriteCloser, req RunRequest) error {
	first, err := dec.Decode()
	if err != nil {
		return fmt.Errorf("reading the facts line: %w", eofMeansExit(err))
	}
	facts, ok := first.(*agentapi.FactsLine)
	if !ok {
		return fmt.Errorf("the first line is a %s line, want the facts line", first.LineType())
	}
	r.result.Facts = facts.Facts
	r.emit(facts)

	request, err := req.Build(facts.Facts)
	if err != nil {
		return fmt.Errorf("host %s: %w: %w", r.host, errBuild, err)
	}
	if request.Version == 0 {
		request.Version = agentapi.ProtocolVersion
	}
	if err := request.Check(); err != nil {
		return fmt.Errorf("host %s: %w: %w", r.host, errBuild, err)
	}
	r.sources = make(map[string]string, len(request.Resources))
	for _, res := range request.Resources {
		r.sources[res.ID] = res.Source
	}
	// A write error means the agent is gone; reading its output and exit
	// status below says why better than the broken pipe does.
	agentapi.EncodeRequest(stdin, &request)
	stdin.Close()

	for {
		line, err := dec.Decode()
		if err == io.EOF {
			return nil // the exit status decides what a missing done line means
		}
		if err != nil {
			return err
		}
		if r.result.Done != nil {
			return fmt.Errorf("a %s line after the done line", line.LineType())
		}
		switch l := line.(type) {
		case *agentapi.Result:
			r.result.Resources = append(r.result.Resources, *l)
		case *agentapi.Handler:
			r.result.Handlers = append(r.result.Handlers, *l)
		case *agentapi.Done:
			r.result.Done = l
		case *agentapi.FactsLine:
			return errors.New("a second facts line")
		}
		r.emit(line)
	}
}

func (r *run) emit(l agentapi.Line) {
	if r.onEvent != nil {
		r.onEvent(l)
	}
}

func eofMeansExit(err error) error {
	if err == io.EOF {
		return errors.New("the agent wrote nothing and exited")
	}
	return err
}

func (r *run) failedError() error {
	return &FailedError{Host: r.host, Failed: r.result.Failed(), Sources: r.sources}
}

// FailedError reports that resources or handlers failed on a host (agent
// exit status 2). The host's run stopped at the first failed resource.
type FailedError struct {
	// Host is the host's display name.
	Host string
	// Failed are the failed resources and handlers, with their error and
	// (already redacted for sensitive resources) command output.
	Failed []agentapi.Result
	// Sources maps resource IDs to blueprint positions ("main.bp.hcl:42").
	Sources map[string]string
}

func (e *FailedError) Error() string {
	if len(e.Failed) == 0 {
		return fmt.Sprintf("host %s: bp-agent reported a failure but no failed resource", e.Host)
	}
	var b strings.Builder
	for i, f := range e.Failed {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "host %s: %s", e.Host, f.ID)
		if src := e.Sources[f.ID]; src != "" {
			fmt.Fprintf(&b, " (%s)", src)
		}
		fmt.Fprintf(&b, " failed: %s", strings.TrimSpace(f.Error))
		if out := strings.TrimSpace(f.Output); out != "" {
			fmt.Fprintf(&b, "\n  output:\n    %s", strings.ReplaceAll(out, "\n", "\n    "))
		}
	}
	return b.String()
}

// lockedTail is a tailBuffer written by the SSH library's copying goroutine.
type lockedTail struct {
	mu   sync.Mutex
	tail *tailBuffer
}

func (l *lockedTail) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tail.Write(p)
}

func (l *lockedTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.tail.String()
}
