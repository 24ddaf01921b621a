package resources

import (
	"context"
	"fmt"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// Resource is one decoded host resource (see New).
//
// The converge loop calls Check first, on every resource, in request
// order. Apply is called only in apply mode, right after a Check of the
// same value that returned a changed Diff; it may rely on what that Check
// found. Check must not change the host. Apply must leave the host so that
// an immediate Check reports no change. Neither is called concurrently.
type Resource interface {
	// Check reads the host and returns what Apply would change; a Diff
	// without changes means the resource is converged.
	Check(ctx context.Context, env *Env) (*Diff, error)
	// Apply changes the host to match the resource.
	Apply(ctx context.Context, env *Env) error
}

// Notifiable is implemented by kinds that can be notify targets (service).
type Notifiable interface {
	Resource
	// HandlerAction is what a notification does: restart or reload. ""
	// means nothing (a service meant to be stopped is not restarted).
	HandlerAction() agentapi.Action
	// Deliver restarts or reloads, as HandlerAction says.
	Deliver(ctx context.Context, env *Env) error
}

// OutputReporter is implemented by kinds whose Apply runs a command whose
// output belongs in the result line (exec).
type OutputReporter interface {
	// Output is the tail of the last command's output, "" if none.
	Output() string
}

// Linker is implemented by kinds whose resources coordinate with others of
// the same request (packages batched into one package-manager call). The
// converge loop calls Link on every such resource before any Check, with
// the whole request in order (nil for resources that failed to decode).
type Linker interface {
	Link(seq []Resource, index int)
}

// Barrier is implemented by kinds that may change what a later package
// installs (apt_repository, exec): package batches never span one.
type Barrier interface {
	BatchBarrier()
}

// Diff is what Check found.
type Diff struct {
	// Changes are short lines such as "mode 0644 → 0600", one per
	// difference.
	Changes []string
	// Text is a unified diff of file content, or "".
	Text string
}

// Changed reports whether the resource is not converged.
func (d *Diff) Changed() bool { return d != nil && len(d.Changes) > 0 }

// add appends a change line.
func (d *Diff) add(format string, args ...any) {
	d.Changes = append(d.Changes, fmt.Sprintf(format, args...))
}
