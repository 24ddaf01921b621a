package converge_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

// span is when one run was between its facts and done lines.
type span struct {
	name       string
	start, end time.Time
}

// spans records the spans of runs.
type spans struct {
	mu  sync.Mutex
	all []*span
}

func (s *spans) observe(name string) func(agentapi.Line) {
	sp := &span{name: name}
	s.mu.Lock()
	s.all = append(s.all, sp)
	s.mu.Unlock()
	return func(l agentapi.Line) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch l.(type) {
		case *agentapi.FactsLine:
			sp.start = time.Now()
		case *agentapi.Done:
			sp.end = time.Now()
		}
	}
}

func (s *spans) get(name string) span {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range s.all {
		if sp.name == name {
			return *sp
		}
	}
	return span{}
}

func overlap(a, b span) bool { return a.start.Before(b.end) && b.start.Before(a.end) }

// TestRunsSerializePerHost: two Runs at once (two configure blocks) that
// share a host take turns on it, while a third host converges alongside.
func TestRunsSerializePerHost(t *testing.T) {
	t.Parallel()
	shared := testhost.Start(t, testhost.Options{})
	other := testhost.Start(t, testhost.Options{})
	agentRoot := t.TempDir()
	var seen spans
	job := func(h *testhost.Host, name string) converge.HostJob {
		target := h.Target
		target.AgentRoot = agentRoot
		return converge.HostJob{Target: target, Agent: converge.AgentDir(fakeAgentDir),
			Request: request(t, fakeRes("slow", map[string]any{"sleep_ms": 600})), OnEvent: seen.observe(name)}
	}
	// Upload first, so that the runs below time only their converges.
	if res := converge.Run(context.Background(), []converge.HostJob{job(shared, "warm-up")}, converge.Options{}); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}

	runs := map[string][]converge.HostJob{
		"a": {job(shared, "a")},
		"b": {job(shared, "b"), job(other, "b-other")},
	}
	results := map[string][]converge.HostResult{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, jobs := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := converge.Run(context.Background(), jobs, converge.Options{})
			mu.Lock()
			results[name] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	for name, res := range results {
		for _, r := range res {
			if r.Err != nil {
				t.Fatalf("run %s: %v", name, r.Err)
			}
		}
	}
	a, b, bOther := seen.get("a"), seen.get("b"), seen.get("b-other")
	if overlap(a, b) {
		t.Errorf("the shared host converged twice at once: a %s–%s, b %s–%s",
			a.start.Format("15:04:05.000"), a.end.Format("15:04:05.000"), b.start.Format("15:04:05.000"), b.end.Format("15:04:05.000"))
	}
	if !overlap(a, bOther) && !overlap(b, bOther) {
		t.Error("the other host did not converge alongside the shared one: per-host serializing must keep parallelism across hosts")
	}
	waited := results["a"][0].Timing.Wait + results["b"][0].Timing.Wait
	if waited < 400*time.Millisecond {
		t.Errorf("the runs on the shared host waited %s in all, want about one converge (600ms)", waited)
	}
}

// TestRunWaitingForHostIsCancelled: a run waiting for another converge of
// its host gives up when its context ends.
func TestRunWaitingForHostIsCancelled(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	started := make(chan struct{})
	var once sync.Once
	long := converge.HostJob{Target: target, Agent: converge.AgentDir(fakeAgentDir),
		Request: request(t, fakeRes("slow", map[string]any{"sleep_ms": 1500})),
		OnEvent: func(agentapi.Line) { once.Do(func() { close(started) }) }}
	done := make(chan []converge.HostResult)
	go func() { done <- converge.Run(context.Background(), []converge.HostJob{long}, converge.Options{}) }()
	<-started

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	waiting := converge.HostJob{Target: target, Agent: converge.AgentDir(fakeAgentDir), Request: request(t, fakeRes("r", nil))}
	res := converge.Run(ctx, []converge.HostJob{waiting}, converge.Options{})[0]
	if res.Err == nil || !strings.Contains(res.Err.Error(), "waiting for another converge") || res.Result.Done != nil {
		t.Errorf("error = %v; want the waiting run to give up, as its context ended while the host was busy", res.Err)
	}
	if first := <-done; first[0].Err != nil {
		t.Errorf("the long run: %v", first[0].Err)
	}
}
