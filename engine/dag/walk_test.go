package dag

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a WalkFunc that logs the order of starts and finishes and fails
// the vertices it is told to.
type recorder struct {
	mu       sync.Mutex
	events   []string // "+v" when v starts, "-v" when it returns
	started  []string
	fail     map[string]bool
	fnCalled map[string]int
}

func newRecorder(fail ...string) *recorder {
	r := &recorder{fail: map[string]bool{}, fnCalled: map[string]int{}}
	for _, f := range fail {
		r.fail[f] = true
	}
	return r
}

func (r *recorder) fn(_ context.Context, v string) error {
	r.mu.Lock()
	r.events = append(r.events, "+"+v)
	r.started = append(r.started, v)
	r.fnCalled[v]++
	r.mu.Unlock()
	runtime.Gosched() // give other vertices a chance to interleave
	r.mu.Lock()
	r.events = append(r.events, "-"+v)
	r.mu.Unlock()
	if r.fail[v] {
		return fmt.Errorf("%s broke", v)
	}
	return nil
}

// checkStartedAfterDependencies verifies from the event log that every vertex
// started after all of its dependencies (in walk direction) returned.
func (r *recorder) checkStartedAfterDependencies(t *testing.T, g *Graph[string], reverse bool) {
	t.Helper()
	pos := map[string]int{}
	for i, e := range r.events {
		pos[e] = i
	}
	for _, e := range g.Edges() {
		first, then := e.Dependency, e.Dependent
		if reverse {
			first, then = then, first
		}
		start, ok := pos["+"+then]
		if !ok {
			continue
		}
		if end, ok := pos["-"+first]; !ok || end > start {
			t.Errorf("%s started before %s returned; events %v", then, first, r.events)
		}
	}
	for v, n := range r.fnCalled {
		if n != 1 {
			t.Errorf("fn called %d times for %s", n, v)
		}
	}
}

func TestWalkFailureSkipsOnlyDependents(t *testing.T) {
	// app depends on db and net; db on net; lb on app; cache on net; mon alone.
	specs := []string{"app->db", "app->net", "db->net", "lb->app", "cache->net", "mon"}
	type want struct {
		status Status
		cause  string
	}
	tests := []struct {
		name    string
		reverse bool
		fail    []string
		want    map[string]want
	}{
		{
			name: "all succeed",
			want: map[string]want{
				"app": {status: Succeeded}, "db": {status: Succeeded}, "net": {status: Succeeded},
				"lb": {status: Succeeded}, "cache": {status: Succeeded}, "mon": {status: Succeeded},
			},
		},
		{
			name: "failed db skips app and lb, not cache or mon",
			fail: []string{"db"},
			want: map[string]want{
				"net": {status: Succeeded}, "db": {status: Failed}, "cache": {status: Succeeded},
				"mon": {status: Succeeded}, "app": {Skipped, "db"}, "lb": {Skipped, "db"},
			},
		},
		{
			name: "failed root skips everything that depends on it",
			fail: []string{"net"},
			want: map[string]want{
				"net": {status: Failed}, "mon": {status: Succeeded}, "db": {Skipped, "net"},
				"app": {Skipped, "net"}, "lb": {Skipped, "net"}, "cache": {Skipped, "net"},
			},
		},
		{
			name: "two independent failures",
			fail: []string{"cache", "mon"},
			want: map[string]want{
				"net": {status: Succeeded}, "db": {status: Succeeded}, "app": {status: Succeeded},
				"lb": {status: Succeeded}, "cache": {status: Failed}, "mon": {status: Failed},
			},
		},
		{
			name:    "reverse: failed app skips its dependencies",
			reverse: true,
			fail:    []string{"app"},
			want: map[string]want{
				"lb": {status: Succeeded}, "app": {status: Failed}, "cache": {status: Succeeded},
				"mon": {status: Succeeded}, "db": {Skipped, "app"}, "net": {Skipped, "app"},
			},
		},
	}
	for _, tc := range tests {
		for _, p := range []int{1, 3, 10} {
			t.Run(fmt.Sprintf("%s/parallelism=%d", tc.name, p), func(t *testing.T) {
				g := build(t, specs...)
				rec := newRecorder(tc.fail...)
				res := g.Walk(context.Background(), WalkOptions{Parallelism: p, Reverse: tc.reverse}, rec.fn)
				rec.checkStartedAfterDependencies(t, g, tc.reverse)
				for v, w := range tc.want {
					o, ok := res.Outcome(v)
					if !ok {
						t.Fatalf("no outcome for %s", v)
					}
					if o.Status != w.status || o.Cause != w.cause {
						t.Errorf("%s: %v (cause %q), want %v (cause %q)", v, o.Status, o.Cause, w.status, w.cause)
					}
					if called := rec.fnCalled[v] > 0; called != (w.status == Succeeded || w.status == Failed) {
						t.Errorf("%s: status %v but fn called = %v", v, o.Status, called)
					}
					if o.Status == Failed && (o.Err == nil || o.Err.Error() != v+" broke") {
						t.Errorf("%s: Err = %v", v, o.Err)
					}
				}
				err := res.Err()
				if (err == nil) != (len(tc.fail) == 0) {
					t.Fatalf("Err() = %v with failures %v", err, tc.fail)
				}
				for _, f := range tc.fail {
					var ve *VertexError[string]
					if !errors.As(err, &ve) || !contains(res.With(Failed), f) {
						t.Errorf("Err() = %v does not carry the failure of %s", err, f)
					}
				}
				if res.Interrupted() {
					t.Error("walk reported interrupted")
				}
			})
		}
	}
}

func TestWalkOrderWithOneWorker(t *testing.T) {
	specs := []string{"app->db", "app->net", "db->net", "dns->lb", "lb->app", "mon"}
	tests := []struct {
		name    string
		reverse bool
		want    []string
	}{
		{"forward: dependencies first", false, []string{"net", "mon", "db", "app", "lb", "dns"}},
		{"reverse: dependents first", true, []string{"dns", "mon", "lb", "app", "db", "net"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := build(t, specs...)
			rec := newRecorder()
			res := g.Walk(context.Background(), WalkOptions{Parallelism: 1, Reverse: tc.reverse}, rec.fn)
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rec.started, tc.want) {
				t.Fatalf("visited %v, want %v", rec.started, tc.want)
			}
			if tc.reverse {
				order, _ := g.Reverse().TopologicalOrder()
				if !slices.Equal(rec.started, order) {
					t.Fatalf("reverse walk %v differs from Reverse().TopologicalOrder() %v", rec.started, order)
				}
			}
		})
	}
}

// TestWalkRandomGraphs walks random DAGs at several parallelisms, with and
// without failures, checking ordering and that every vertex got an outcome
// consistent with its dependencies.
func TestWalkRandomGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 40 {
		n := 1 + rng.IntN(200)
		g := New[string]()
		fail := map[string]bool{}
		for i := range n {
			v := fmt.Sprint(i)
			g.Add(v)
			for range rng.IntN(4) {
				if i > 0 {
					g.Connect(v, fmt.Sprint(rng.IntN(i)))
				}
			}
			if rng.IntN(20) == 0 {
				fail[v] = true
			}
		}
		reverse := round%2 == 1
		t.Run(fmt.Sprintf("round %d n=%d reverse=%v", round, n, reverse), func(t *testing.T) {
			rec := newRecorder(slices.Collect(func(yield func(string) bool) {
				for f := range fail {
					yield(f)
				}
			})...)
			res := g.Walk(context.Background(), WalkOptions{Parallelism: 1 + round%12, Reverse: reverse}, rec.fn)
			rec.checkStartedAfterDependencies(t, g, reverse)
			for _, v := range g.Vertices() {
				deps := g.DependenciesOf(v)
				if reverse {
					deps = g.DependentsOf(v)
				}
				anyBad := false
				for _, d := range deps {
					if s := res.Status(d); s == Failed || s == Skipped {
						anyBad = true
					}
				}
				want := Succeeded
				switch {
				case anyBad:
					want = Skipped
				case fail[v]:
					want = Failed
				}
				if got := res.Status(v); got != want {
					t.Fatalf("%s: %v, want %v", v, got, want)
				}
			}
		})
	}
}

func TestWalkCancelWaitsForInFlight(t *testing.T) {
	// a and b run together; a cancels the walk while b is still running.
	// c depends on a; d and e are independent but cannot start with two workers busy.
	g := build(t, "a", "b", "c->a", "d", "e")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bothRunning := make(chan struct{}, 2)
	var bFinished atomic.Bool
	var sawCancel atomic.Bool
	fn := func(ctx context.Context, v string) error {
		switch v {
		case "a":
			bothRunning <- struct{}{}
			waitFor(t, bothRunning, 2)
			cancel()
		case "b":
			bothRunning <- struct{}{}
			<-ctx.Done()
			sawCancel.Store(true)
			time.Sleep(20 * time.Millisecond) // in-flight work the walk must wait for
			bFinished.Store(true)
		default:
			t.Errorf("%s started after cancel", v)
		}
		return nil
	}
	res := g.Walk(ctx, WalkOptions{Parallelism: 2}, fn)
	if !bFinished.Load() || !sawCancel.Load() {
		t.Fatal("Walk returned before the in-flight call finished")
	}
	want := map[string]Status{"a": Succeeded, "b": Succeeded, "c": NotStarted, "d": NotStarted, "e": NotStarted}
	for v, s := range want {
		if got := res.Status(v); got != s {
			t.Errorf("%s: %v, want %v", v, got, s)
		}
	}
	if !res.Interrupted() || !errors.Is(res.Err(), context.Canceled) {
		t.Errorf("Interrupted() = %v, Err() = %v; want interrupted with context.Canceled", res.Interrupted(), res.Err())
	}
}

// waitFor waits until ch has n buffered values, failing the test after a
// generous timeout rather than hanging.
func waitFor(t *testing.T, ch chan struct{}, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for len(ch) < n {
		if time.Now().After(deadline) {
			t.Error("timed out waiting for concurrent vertices")
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWalkAlreadyCancelled(t *testing.T) {
	g := build(t, "b->a", "c")
	ctx, cancel := context.WithCancelCause(context.Background())
	stopErr := errors.New("user pressed Ctrl-C")
	cancel(stopErr)
	res := g.Walk(ctx, WalkOptions{}, func(context.Context, string) error {
		t.Error("fn called on a cancelled walk")
		return nil
	})
	if res.Count(NotStarted) != 3 || !res.Interrupted() || !errors.Is(res.Err(), stopErr) {
		t.Fatalf("NotStarted %d, Interrupted %v, Err %v", res.Count(NotStarted), res.Interrupted(), res.Err())
	}
}

func TestWalkRefusesCycles(t *testing.T) {
	g := build(t, "ok", "a->b", "b->a")
	for _, reverse := range []bool{false, true} {
		res := g.Walk(context.Background(), WalkOptions{Reverse: reverse}, func(context.Context, string) error {
			t.Error("fn called on a cyclic graph")
			return nil
		})
		var ce *CycleError[string]
		if !errors.As(res.Err(), &ce) || !slices.EqualFunc(ce.Cycles, [][]string{{"a", "b"}}, slices.Equal) {
			t.Fatalf("reverse=%v: Err() = %v, want the cycle a → b", reverse, res.Err())
		}
		if res.Count(NotStarted) != 3 {
			t.Fatalf("reverse=%v: %d NotStarted, want 3", reverse, res.Count(NotStarted))
		}
	}
}

func TestWalkRecoversPanic(t *testing.T) {
	g := build(t, "b->a", "c")
	res := g.Walk(context.Background(), WalkOptions{}, func(_ context.Context, v string) error {
		if v == "a" {
			panic("boom")
		}
		return nil
	})
	o, _ := res.Outcome("a")
	var pe *PanicError
	if o.Status != Failed || !errors.As(o.Err, &pe) || pe.Value != "boom" || len(pe.Stack) == 0 {
		t.Fatalf("a: %+v, want Failed with a *PanicError", o)
	}
	if res.Status("b") != Skipped || res.Status("c") != Succeeded {
		t.Fatalf("b %v, c %v; want skipped, succeeded", res.Status("b"), res.Status("c"))
	}
}

func TestWalkEmptyGraph(t *testing.T) {
	res := New[int]().Walk(context.Background(), WalkOptions{}, func(context.Context, int) error { return nil })
	if res.Err() != nil || res.Count(Succeeded) != 0 {
		t.Fatalf("empty walk: %v", res.Err())
	}
	if _, ok := res.Outcome(1); ok {
		t.Fatal("Outcome of an unknown vertex reported present")
	}
}

// TestWalkUsesSnapshot changes the graph from inside the walk; the walk goes
// on over the graph as it was when it started.
func TestWalkUsesSnapshot(t *testing.T) {
	g := build(t, "b->a")
	var visited []string
	res := g.Walk(context.Background(), WalkOptions{Parallelism: 1}, func(_ context.Context, v string) error {
		visited = append(visited, v)
		if v == "a" {
			g.Remove("b")
			g.Connect("new", "a")
		}
		return nil
	})
	if !slices.Equal(visited, []string{"a", "b"}) || res.Err() != nil {
		t.Fatalf("visited %v, err %v", visited, res.Err())
	}
}

// TestWalkConcurrencyLimit checks on wide graphs that the walk reaches its
// parallelism (so fn runs without a lock held) and never exceeds it.
func TestWalkConcurrencyLimit(t *testing.T) {
	for _, p := range []int{0, 1, 2, 7, 32} {
		want := p
		if p == 0 {
			want = DefaultParallelism
		}
		t.Run(fmt.Sprintf("parallelism=%d", p), func(t *testing.T) {
			// A hub with 300 dependents, plus 100 lone vertices.
			g := New[int]()
			for i := 1; i <= 300; i++ {
				g.Connect(i, 0)
			}
			for i := 301; i <= 400; i++ {
				g.Add(i)
			}
			var running, peak atomic.Int64
			reached := make(chan struct{})
			var once sync.Once
			res := g.Walk(context.Background(), WalkOptions{Parallelism: p}, func(context.Context, int) error {
				n := running.Add(1)
				for {
					old := peak.Load()
					if n <= old || peak.CompareAndSwap(old, n) {
						break
					}
				}
				if n >= int64(want) {
					once.Do(func() { close(reached) })
				}
				// Hold the slot until the limit has been reached, so the peak
				// is observed; then stay a moment so the walk stays saturated
				// and a worker over the limit would be seen.
				select {
				case <-reached:
				case <-time.After(5 * time.Second):
				}
				time.Sleep(50 * time.Microsecond)
				running.Add(-1)
				return nil
			})
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
			if got := peak.Load(); got != int64(want) {
				t.Fatalf("peak concurrency %d, want exactly %d", got, want)
			}
			if res.Count(Succeeded) != 401 {
				t.Fatalf("%d succeeded, want 401", res.Count(Succeeded))
			}
		})
	}
}

func TestWalkLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	g := chain(100)
	for i := 100; i < 300; i++ {
		g.Connect(i, 50)
	}
	for range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		g.Walk(ctx, WalkOptions{Parallelism: 8}, func(_ context.Context, v int) error {
			if v == 60 {
				cancel()
			}
			if v == 55 {
				return errors.New("fail")
			}
			return nil
		})
		cancel()
		g.Walk(context.Background(), WalkOptions{Parallelism: 8, Reverse: true}, func(context.Context, int) error { return nil })
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

func TestWalkLongChain(t *testing.T) {
	const n = 100_000
	g := chain(n)
	next := 0
	res := g.Walk(context.Background(), WalkOptions{Parallelism: 4}, func(_ context.Context, v int) error {
		if v != next { // a chain runs one vertex at a time, so no data race here
			return fmt.Errorf("visited %d, want %d", v, next)
		}
		next++
		return nil
	})
	if err := res.Err(); err != nil || res.Count(Succeeded) != n {
		t.Fatalf("%d succeeded, err %v", res.Count(Succeeded), err)
	}
}

func TestStatusString(t *testing.T) {
	for s, want := range map[Status]string{
		NotStarted: "not started", Succeeded: "succeeded", Failed: "failed", Skipped: "skipped", 9: "Status(9)",
	} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", s, got, want)
		}
	}
}
