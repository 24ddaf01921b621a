package converge_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

// concurrency tracks how many hosts are between their facts and done lines.
type concurrency struct {
	mu          sync.Mutex
	active, max int
	order       []string
}

func (c *concurrency) observe(name string) func(agentapi.Line) {
	return func(l agentapi.Line) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch l.(type) {
		case *agentapi.FactsLine:
			c.active++
			c.max = max(c.max, c.active)
			c.order = append(c.order, name)
		case *agentapi.Done:
			c.active--
		}
	}
}

// hostJobs starts n hosts; failing lists the (0-based) hosts whose run fails.
func hostJobs(t *testing.T, n int, seen *concurrency, failing ...int) []converge.HostJob {
	t.Helper()
	agentRoot := t.TempDir()
	jobs := make([]converge.HostJob, n)
	for i := range jobs {
		host := testhost.Start(t, testhost.Options{})
		target := host.Target
		target.AgentRoot = agentRoot
		attrs := map[string]any{"sleep_ms": 700}
		for _, f := range failing {
			if f == i {
				attrs["status"] = "failed"
				attrs["error"] = "boom"
			}
		}
		jobs[i] = converge.HostJob{
			Target:  target,
			Agent:   converge.AgentDir(fakeAgentDir),
			Request: request(t, fakeRes("r", attrs)),
			OnEvent: seen.observe(target.Name),
		}
	}
	return jobs
}

func TestRunParallel(t *testing.T) {
	t.Parallel()
	var seen concurrency
	jobs := hostJobs(t, 5, &seen, 1)
	results := converge.Run(context.Background(), jobs, converge.Options{Parallelism: 2})
	if len(results) != 5 {
		t.Fatalf("%d results, want 5", len(results))
	}
	for i, res := range results {
		if res.Name != jobs[i].Target.Name || res.Batch != 1 {
			t.Errorf("result %d = %s batch %d, want %s batch 1", i, res.Name, res.Batch, jobs[i].Target.Name)
		}
		var failed *converge.FailedError
		switch {
		case i == 1 && !errors.As(res.Err, &failed):
			t.Errorf("host 1: error = %v, want *FailedError", res.Err)
		case i != 1 && res.Err != nil:
			t.Errorf("host %d: %v (a failed host must not stop the others)", i, res.Err)
		}
		if res.HostKey != jobs[i].Target.HostKey || res.AgentPath == "" {
			t.Errorf("host %d: host key %q, agent %q", i, res.HostKey, res.AgentPath)
		}
	}
	if seen.max != 2 {
		t.Errorf("at most %d hosts converged at once, want exactly 2", seen.max)
	}
}

func TestRunRolloutStopsAtFailedBatch(t *testing.T) {
	t.Parallel()
	var seen concurrency
	// Batches of 2: [0 1] [2 3] [4]; host 2 fails, so batch 3 never starts,
	// while host 3 in the failed batch still converges.
	jobs := hostJobs(t, 5, &seen, 2)
	results := converge.Run(context.Background(), jobs, converge.Options{Parallelism: 10, BatchSize: 2, StopOnBatchFailure: true})

	wantBatch := []int{1, 1, 2, 2, 3}
	for i, res := range results {
		if res.Batch != wantBatch[i] {
			t.Errorf("host %d in batch %d, want %d", i, res.Batch, wantBatch[i])
		}
	}
	for _, i := range []int{0, 1, 3} {
		if results[i].Err != nil {
			t.Errorf("host %d: %v", i, results[i].Err)
		}
	}
	if results[2].Err == nil {
		t.Error("host 2 did not fail")
	}
	var notStarted *converge.NotStartedError
	if !errors.As(results[4].Err, &notStarted) || notStarted.FailedBatch != 2 ||
		!strings.Contains(results[4].Err.Error(), "not started because batch 2 failed") {
		t.Errorf("host 4: error = %v, want not started because batch 2 failed", results[4].Err)
	}
	if results[4].HostKey != "" || len(seen.order) != 4 {
		t.Errorf("hosts that ran: %v; host 4 must not have been contacted", seen.order)
	}
	// Batches run in order: batch 1's hosts start before batch 2's.
	first := map[string]bool{jobs[0].Target.Name: true, jobs[1].Target.Name: true}
	if !first[seen.order[0]] || !first[seen.order[1]] {
		t.Errorf("start order %v: batch 1 did not go first", seen.order)
	}
}

func TestRunWithoutStopOnBatchFailure(t *testing.T) {
	t.Parallel()
	var seen concurrency
	jobs := hostJobs(t, 3, &seen, 0)
	results := converge.Run(context.Background(), jobs, converge.Options{BatchSize: 1})
	if results[0].Err == nil || results[1].Err != nil || results[2].Err != nil {
		t.Errorf("errors = %v, %v, %v; want only host 0 failed and later batches run", results[0].Err, results[1].Err, results[2].Err)
	}
}

func TestRunCancelled(t *testing.T) {
	t.Parallel()
	var seen concurrency
	jobs := hostJobs(t, 3, &seen)
	for i := range jobs {
		jobs[i].Request = request(t, fakeRes("slow", map[string]any{"sleep_ms": 20000}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	results := converge.Run(ctx, jobs, converge.Options{Parallelism: 1})
	for i, res := range results {
		if !errors.Is(res.Err, context.DeadlineExceeded) {
			t.Errorf("host %d: error = %v, want the deadline", i, res.Err)
		}
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Run took %s after cancellation", took)
	}
}

func TestRunNoJobs(t *testing.T) {
	if got := converge.Run(context.Background(), nil, converge.Options{BatchSize: 3}); len(got) != 0 {
		t.Errorf("Run(nil) = %v", got)
	}
}

// A host whose Verify fails (a rollout health check) fails its batch like
// a failed resource: the later batches do not start.
func TestRunVerifyFailureStopsRollout(t *testing.T) {
	t.Parallel()
	var seen concurrency
	jobs := hostJobs(t, 3, &seen)
	var verified []string
	var mu sync.Mutex
	for i := range jobs {
		name := jobs[i].Target.Name
		jobs[i].Verify = func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			verified = append(verified, name)
			if name == jobs[0].Target.Name {
				return errors.New("GET http://host/ answered 503")
			}
			return nil
		}
	}
	results := converge.Run(context.Background(), jobs, converge.Options{Parallelism: 10, BatchSize: 1, StopOnBatchFailure: true})
	var ve *converge.VerifyError
	if !errors.As(results[0].Err, &ve) || !strings.Contains(results[0].Err.Error(), "answered 503") {
		t.Fatalf("host 0: error = %v, want a VerifyError with the probe's answer", results[0].Err)
	}
	var notStarted *converge.NotStartedError
	for _, i := range []int{1, 2} {
		if !errors.As(results[i].Err, &notStarted) {
			t.Errorf("host %d: error = %v, want not started after batch 1 failed its health check", i, results[i].Err)
		}
	}
	if len(verified) != 1 {
		t.Errorf("verified %v, want only host 0", verified)
	}
}
