package converge

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// HostJob is one host's part of a Run.
type HostJob struct {
	// Target says how to reach the host.
	Target Target
	// Agent supplies the agent build; usually the same source for every
	// job. Nil means DefaultAgentSource.
	Agent AgentSource
	// Request builds and places the host's run.
	Request RunRequest
	// OnEvent, when set, receives the host's lines as they arrive. It is
	// called from the host's goroutine: calls for different hosts may run
	// concurrently, calls for one host never do.
	OnEvent func(agentapi.Line)
	// Verify, when set, runs after a converge without a failure, still
	// inside the host's batch: a rollout's health check. Its error fails
	// the host (a *VerifyError).
	Verify func(ctx context.Context) error
}

// VerifyError says a host converged but failed its HostJob.Verify.
type VerifyError struct {
	Host string
	Err  error
}

func (e *VerifyError) Error() string { return "host " + e.Host + ": " + e.Err.Error() }

func (e *VerifyError) Unwrap() error { return e.Err }

// Options shape a Run.
type Options struct {
	// Parallelism is the most hosts converged at once; zero or less means 10.
	Parallelism int
	// BatchSize splits the hosts, in job order, into batches converged one
	// after the other (a rollout's max_parallel); zero means one batch.
	BatchSize int
	// StopOnBatchFailure stops a Run after the first batch in which a host
	// failed: the later batches' hosts are not started.
	StopOnBatchFailure bool
}

// DefaultParallelism is the Parallelism used when Options.Parallelism is not
// positive.
const DefaultParallelism = 10

// HostResult is the outcome of one HostJob.
type HostResult struct {
	// Name is the target's display name.
	Name string
	// Batch is the host's batch number, counted from 1.
	Batch int
	// HostKey is the key the host presented (authorized_keys format), for
	// pinning after trust on first use; empty when it was not reached.
	HostKey string
	// HostKeys are the keys the host and each bastion on the way presented,
	// by address ("host:port", see Conn.HostKeys); nil when the host was not
	// reached.
	HostKeys map[string]string
	// AgentPath is where the agent build is on the host.
	AgentPath string
	// Execs counts the SSH execs of the converge (see AgentRun.Execs).
	Execs int
	// Result is the converge's result (partial after an error).
	Result Result
	// Err is why the host did not converge: a connection error, a
	// *HostKeyMismatchError, a *FailedError, a *NotStartedError, ...
	Err error
	// Timing splits the host's wall time by phase.
	Timing Timing
}

// Timing is how long each phase of one host's run took: connecting, waiting
// for another Run converging the same host, uploading the agent, and the
// converge exec(s).
type Timing struct {
	Dial, Wait, Agent, Converge time.Duration
}

// Total is the host's wall time.
func (t Timing) Total() time.Duration { return t.Dial + t.Wait + t.Agent + t.Converge }

// NotStartedError says a host was not converged because an earlier rollout
// batch failed.
type NotStartedError struct {
	// Host is the host's display name; Batch its own batch and FailedBatch
	// the batch that failed.
	Host               string
	Batch, FailedBatch int
}

func (e *NotStartedError) Error() string {
	return fmt.Sprintf("host %s: not started because batch %d failed (rollout stops at the first failed batch; this host is in batch %d)", e.Host, e.FailedBatch, e.Batch)
}

// Run converges every job's host — dial, ConvergeAgent (one exec when the
// host has the agent), close — at most Options.Parallelism at a time, batch
// after batch. A host that fails does not stop the other hosts of its batch.
// Converges of one host never overlap, also across concurrent Runs in this
// process (the same address and port behind the same bastions): a job waits
// for the other's converge to finish, holding its connection and its
// parallelism slot. With StopOnBatchFailure the
// hosts of the batches after a failed one get a *NotStartedError; when ctx
// ends, hosts not yet started get ctx's error. The results are in job order.
func Run(ctx context.Context, jobs []HostJob, opts Options) []HostResult {
	parallelism := opts.Parallelism
	if parallelism <= 0 {
		parallelism = DefaultParallelism
	}
	batchSize := opts.BatchSize
	if batchSize <= 0 || batchSize > len(jobs) {
		batchSize = len(jobs)
	}
	results := make([]HostResult, len(jobs))
	for i, job := range jobs {
		results[i] = HostResult{Name: job.Target.DisplayName(), Batch: i/max(batchSize, 1) + 1}
	}

	// One default source for all hosts, so the build is read and hashed once.
	defaultAgent := sync.OnceValue(DefaultAgentSource)
	sem := make(chan struct{}, parallelism)
	failedBatch := 0
	for start := 0; start < len(jobs); start += batchSize {
		end := min(start+batchSize, len(jobs))
		if failedBatch != 0 {
			for i := start; i < end; i++ {
				results[i].Err = &NotStartedError{Host: results[i].Name, Batch: results[i].Batch, FailedBatch: failedBatch}
			}
			continue
		}
		var wg sync.WaitGroup
		for i := start; i < end; i++ {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				results[i].Err = fmt.Errorf("host %s: not started: %w", results[i].Name, context.Cause(ctx))
				continue
			}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				job := jobs[i]
				if job.Agent == nil {
					job.Agent = defaultAgent()
				}
				runHost(ctx, job, &results[i])
			}()
		}
		wg.Wait()
		if opts.StopOnBatchFailure {
			for i := start; i < end; i++ {
				if results[i].Err != nil {
					failedBatch = results[i].Batch
					break
				}
			}
		}
	}
	return results
}

// runHost runs one job, filling res.
func runHost(ctx context.Context, job HostJob, res *HostResult) {
	t0 := time.Now()
	conn, err := Dial(ctx, job.Target)
	res.Timing.Dial = time.Since(t0)
	if err != nil {
		res.Err = err
		return
	}
	defer conn.Close()
	res.HostKey, res.HostKeys = conn.HostKey(), conn.HostKeys()

	t1 := time.Now()
	unlock, err := hostLocks.lock(ctx, job.Target.hostKey())
	res.Timing.Wait = time.Since(t1)
	if err != nil {
		res.Err = fmt.Errorf("host %s: waiting for another converge of this host: %w", res.Name, err)
		return
	}
	defer unlock()

	t2 := time.Now()
	run, err := conn.ConvergeAgent(ctx, job.Agent, job.Request, job.OnEvent)
	res.AgentPath, res.Execs, res.Result, res.Err = run.AgentPath, run.Execs, run.Result, err
	res.Timing.Agent = run.Upload
	res.Timing.Converge = time.Since(t2) - run.Upload
	if err == nil && job.Verify != nil {
		if err := job.Verify(ctx); err != nil {
			res.Err = &VerifyError{Host: res.Name, Err: err}
		}
	}
}
