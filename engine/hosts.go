package engine

import (
	"context"
	"time"
)

// HostConfigurer reaches hosts and converges them to the resources the
// engine computed from their roles. The engine decides what each host must
// look like and when; the configurer decides how to get there (SSH and the
// agent, in bp). It must be safe for concurrent use by several configure
// blocks.
type HostConfigurer interface {
	ConfigureHosts(ctx context.Context, req ConfigureHostsRequest) []HostOutcome
}

// ConfigureHostsRequest asks to converge (or, with Check, to dry-run) the
// roles of one configure block on its hosts.
type ConfigureHostsRequest struct {
	// Configure is the block's address, such as "configure.web".
	Configure string
	// Check reports what would change without changing anything.
	Check bool
	Hosts []HostTarget
	// MaxParallel converges hosts in batches of this size, in order,
	// stopping after the first batch with a failed host. Zero means one
	// batch of every host, bounded by Parallelism.
	MaxParallel int
	// Parallelism bounds how many hosts converge at once.
	Parallelism int
	// Desired returns the resources a host must have, given the facts its
	// agent gathered. An error stops that host before anything changes.
	Desired func(host HostTarget, facts map[string]any) ([]DesiredHostResource, error)
	// Progress, when not nil, receives each result as it arrives.
	Progress func(host string, r HostResourceResult)
	// Verify, when not nil, runs after a host converged without a
	// failure, inside the host's batch: an error fails the host (and, with
	// MaxParallel, stops the later batches). It is the rollout's health
	// check; it is never set for Check.
	Verify func(ctx context.Context, host HostTarget) error
}

// HostTarget is how to reach one host.
type HostTarget struct {
	// Name is the address of the machine it came from, "machine.web[0]".
	Name    string
	Address string
	Port    int
	User    string
	// PrivateKey is the SSH private key (PEM or OpenSSH format).
	PrivateKey string
	// HostKey is the pinned host key in authorized_keys format; empty means
	// trust on first use (the engine records the key the host presents,
	// from HostOutcome.HostKeys).
	HostKey string
	// HostKeyRecorded is set when HostKey is the key recorded in the state
	// when bp first reached the host, rather than one the provider or the
	// blueprint gave: the fix for a mismatch is then to forget it (bp
	// converge -forget-host-key), not to re-create the machine.
	HostKeyRecorded bool
	// Bastion, when set, is the jump host the connection goes through.
	Bastion *HostTarget
}

// DesiredHostResource is one host resource with its arguments evaluated,
// ready for the agent.
type DesiredHostResource struct {
	// ID is "ROLE/KIND.NAME".
	ID   string
	Kind string
	// Attrs holds plain JSON values (string, float64, bool, []any,
	// map[string]any).
	Attrs     map[string]any
	Notify    []string
	Sensitive bool
	// Source is where the resource is declared, "main.bp.hcl:42".
	Source string
}

// HostOutcome is what happened on one host.
type HostOutcome struct {
	Host    string
	Address string
	Facts   map[string]any
	// HostKey is the key the host presented, for pinning.
	HostKey string
	// HostKeys are the keys the host and its bastion presented, by
	// HostKeyAddress; the engine records those of hosts reached for the
	// first time.
	HostKeys map[string]string
	Results  []HostResourceResult
	Handlers []HostResourceResult
	Elapsed  time.Duration
	// NotStarted is set when an earlier rollout batch failed.
	NotStarted bool
	// Err is set when the host could not be reached or the agent failed
	// outside any resource (a resource failure is in Results).
	Err error
}

// Failed reports whether anything failed on the host.
func (o HostOutcome) Failed() bool {
	if o.Err != nil {
		return true
	}
	for _, r := range o.Results {
		if r.Status == HostFailed {
			return true
		}
	}
	for _, r := range o.Handlers {
		if r.Status == HostFailed {
			return true
		}
	}
	return false
}

// HostResourceResult is the outcome of one host resource or handler.
type HostResourceResult struct {
	ID     string
	Status HostStatus
	// Changes are short descriptions ("mode 0644 → 0600"); Diff is a
	// unified diff for file content. Both are redacted for sensitive
	// resources.
	Changes []string
	Diff    string
	Output  string
	Error   string
	// Action is "restart" or "reload" for a handler.
	Action string
}

// HostStatus is the outcome of a host resource.
type HostStatus string

// Host resource outcomes, as the agent reports them.
const (
	HostUnchanged HostStatus = "unchanged"
	HostChanged   HostStatus = "changed"
	HostFailed    HostStatus = "failed"
	HostSkipped   HostStatus = "skipped"
)
