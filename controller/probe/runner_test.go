package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a Clock the test advances by hand. After signals asleep so
// the test knows the runner waits.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []chan time.Time
	asleep  chan time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1000, 0), asleep: make(chan time.Duration, 16)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, ch)
	c.mu.Unlock()
	c.asleep <- d
	return ch
}

// advance moves time on and wakes every waiter.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	for _, w := range c.waiters {
		w <- c.now
	}
	c.waiters = nil
	c.mu.Unlock()
}

// script answers with a fixed sequence of results, then repeats the last.
type script struct {
	mu  sync.Mutex
	seq string
}

func (s *script) Probe(context.Context) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.seq[0]
	if len(s.seq) > 1 {
		s.seq = s.seq[1:]
	}
	return Result{OK: c == '+', Detail: string(c)}
}

// summarize renders a round as "a:+:healthy*" per target, * marking a
// transition.
func summarize(events []Event) string {
	var parts []string
	for _, e := range events {
		s := e.Target + ":" + e.Result.Detail + ":" + e.State.Health.String()
		if e.Transition != nil {
			s += "*"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestRunnerRounds(t *testing.T) {
	clock := newFakeClock()
	rounds := make(chan []Event, 16)
	r, err := NewRunner(RunnerConfig{Interval: 10 * time.Second, Clock: clock,
		Thresholds: Thresholds{Healthy: 2, Unhealthy: 2}, Report: func(e []Event) { rounds <- e }})
	if err != nil {
		t.Fatal(err)
	}
	a, b := &script{seq: "+++--"}, &script{seq: "--+++"}
	if err := r.SetTargets([]Target{{"a", a}, {"b", b}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	want := []string{
		"a:+:unknown b:-:unknown",
		"a:+:healthy* b:-:unhealthy*",
		"a:+:healthy b:+:unhealthy",
		"a:-:healthy b:+:healthy*",
		"a:-:unhealthy* b:+:healthy",
	}
	for i, w := range want {
		select {
		case got := <-rounds:
			if s := summarize(got); s != w {
				t.Fatalf("round %d: %s, want %s", i, s, w)
			}
			if at := got[0].State.Since; got[0].Transition != nil && !at.Equal(time.Unix(1000, 0).Add(time.Duration(i)*10*time.Second)) {
				t.Errorf("round %d: transition at %s", i, at)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d never came", i)
		}
		if d := <-clock.asleep; d != 10*time.Second {
			t.Fatalf("runner sleeps %s, want the interval", d)
		}
		if i == 2 {
			// b leaves and c joins: a keeps its state, c starts unknown.
			if err := r.SetTargets([]Target{{"a", a}, {"b", b}, {"c", &script{seq: "+"}}}); err != nil {
				t.Fatal(err)
			}
			want[3] += " c:+:unknown"
			want[4] += " c:+:healthy*"
		}
		if i < len(want)-1 {
			clock.advance(10 * time.Second)
		}
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if st, ok := r.State("a"); !ok || st.Health != Unhealthy || st.Failures != 2 {
		t.Errorf("State(a) = %+v, %v", st, ok)
	}
	if err := r.SetTargets([]Target{{"c", &script{seq: "+"}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.State("a"); ok {
		t.Error("a removed target still has a state")
	}
	if st, _ := r.State("c"); st.Health != Healthy {
		t.Errorf("c lost its state across SetTargets: %+v", st)
	}
}

func TestRunnerConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  RunnerConfig
		want string
	}{
		{"no interval", RunnerConfig{}, "interval is 0s; it must be positive"},
		{"bad thresholds", RunnerConfig{Interval: time.Second, Thresholds: Thresholds{Healthy: 1}}, "must be at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewRunner(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewRunner: %v, want %q", err, tc.want)
			}
		})
	}
	r, err := NewRunner(RunnerConfig{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := &script{seq: "+"}
	for _, bad := range [][]Target{{{"a", p}, {"a", p}}, {{"", p}}, {{"a", nil}}} {
		if err := r.SetTargets(bad); err == nil {
			t.Errorf("SetTargets(%v) accepted", bad)
		}
	}
}

// TestRunnerRealServer runs the real clock against an httptest server that
// is killed: the target becomes healthy, then unhealthy.
func TestRunnerRealServer(t *testing.T) {
	var failing atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	tcpSrv := httptest.NewServer(http.NotFoundHandler())
	tcpAddr := strings.TrimPrefix(tcpSrv.URL, "http://")

	transitions := make(chan string, 16)
	r, err := NewRunner(RunnerConfig{Interval: 20 * time.Millisecond, Thresholds: Thresholds{Healthy: 2, Unhealthy: 2},
		Report: func(events []Event) {
			for _, e := range events {
				if e.Transition != nil {
					transitions <- e.Target + " " + e.Transition.To.String() + " (" + e.Result.Detail + ")"
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	err = r.SetTargets([]Target{
		{"web", &HTTP{URL: srv.URL + "/", Timeout: time.Second}},
		{"tcp", &TCP{Address: tcpAddr, Timeout: time.Second}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.Run(ctx)

	expect := func(want ...string) {
		t.Helper()
		got := map[string]bool{}
		for len(got) < len(want) {
			select {
			case s := <-transitions:
				got[s] = true
			case <-time.After(5 * time.Second):
				t.Fatalf("transitions %v, want %v", got, want)
			}
		}
		for _, w := range want {
			if !got[w] {
				t.Fatalf("transitions %v, want %v", got, want)
			}
		}
	}
	expect("web healthy (HTTP 200)", "tcp healthy (connected)")
	failing.Store(true)
	tcpSrv.Close()
	expect("web unhealthy (HTTP 503, want 2xx or 3xx)")
	select {
	case s := <-transitions:
		if !strings.HasPrefix(s, "tcp unhealthy (") || !strings.Contains(s, "refused") {
			t.Errorf("tcp transition %q, want unhealthy with connection refused", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("tcp target never became unhealthy")
	}
}
