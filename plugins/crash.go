package plugins

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// CrashError reports that a plugin process ended, or its connection broke,
// while bp was using it.
type CrashError struct {
	// Name and Path are the provider's name and the plugin binary.
	Name, Path string
	// Call is the protocol call that failed, for example "PlanResourceChange".
	Call string
	// ExitStatus is how the process ended, for example "exit status 2" or
	// "signal: killed"; empty when the connection broke but the process
	// has not (yet) ended.
	ExitStatus string
	// Output holds the last lines the plugin wrote to stderr.
	Output []string
}

// Error says which plugin crashed, how, and what it last wrote.
func (e *CrashError) Error() string {
	var b strings.Builder
	how := "lost its connection to bp"
	if e.ExitStatus != "" {
		how = "crashed (" + e.ExitStatus + ")"
	}
	fmt.Fprintf(&b, "the provider plugin %q (%s) %s during %s", e.Name, e.Path, how, e.Call)
	if len(e.Output) == 0 {
		b.WriteString("; it wrote nothing to stderr")
		return b.String()
	}
	b.WriteString("; the last lines it wrote to stderr:")
	for _, line := range e.Output {
		b.WriteString("\n  ")
		b.WriteString(line)
	}
	return b.String()
}

// crashWait bounds how long a failed call waits for the plugin process to
// be seen ending, so the report has its exit status and its last output.
const crashWait = 2 * time.Second

// callError turns the error of a failed gRPC call into the error bp
// reports: the call was cancelled, the plugin crashed, or the call failed.
func (c *Client) callError(ctx context.Context, call string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("the call %s to the provider plugin %q was cancelled: %w", call, c.name, ctx.Err())
	}
	code := status.Code(err)
	if code == codes.Canceled || code == codes.DeadlineExceeded {
		// The plugin's side saw the deadline first and reset the stream
		// before bp's own timer fired.
		return fmt.Errorf("the call %s to the provider plugin %q was cancelled: %s", call, c.name, status.Convert(err).Message())
	}
	if code != codes.Unavailable && !c.proc.exited() {
		return fmt.Errorf("the call %s to the provider plugin %q (%s) failed: %s", call, c.name, c.path, status.Convert(err).Message())
	}
	deadline := time.Now().Add(crashWait)
	for !c.proc.exited() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return &CrashError{
		Name: c.name, Path: c.path, Call: call,
		ExitStatus: c.proc.exitStatus(),
		Output:     c.output.lines(),
	}
}

// callDiagnostics is callError as the diagnostics of a provider response.
func (c *Client) callDiagnostics(ctx context.Context, call string, err error) providers.Diagnostics {
	err = c.callError(ctx, call, err)
	summary := "Provider plugin call failed"
	detail := capitalize(err.Error()) + "."
	var crash *CrashError
	if errors.As(err, &crash) {
		summary = "Provider plugin crashed"
		if len(crash.Output) > 0 {
			detail = capitalize(err.Error()) + "\nThis is a bug in the provider; please report it to its author with the output above."
		} else {
			detail += " This is a bug in the provider; please report it to its author."
		}
	}
	return providers.Diagnostics{{Severity: providers.Error, Summary: summary, Detail: detail}}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
