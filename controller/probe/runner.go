package probe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Target is one thing to probe, under a stable name (a member's address).
type Target struct {
	Name   string
	Prober Prober
}

// Event reports one probe of one target: the result, the health after it
// and, when the health changed, the transition.
type Event struct {
	Target string
	Result Result
	// State is the target's state after this result.
	State State
	// Transition is non-nil when this result changed the health.
	Transition *Transition
}

// Runner probes its targets every Interval, all targets of a round
// concurrently, and reports each round's events in target order. Its
// methods are safe for concurrent use.
type Runner struct {
	interval   time.Duration
	thresholds Thresholds
	clock      Clock
	report     func([]Event)

	mu      sync.Mutex
	targets []Target
	states  map[string]State
}

// RunnerConfig is what a Runner needs.
type RunnerConfig struct {
	// Interval is the time between the end of one round and the start of
	// the next; it must be positive.
	Interval time.Duration
	// Thresholds decide health; zero means DefaultThresholds.
	Thresholds Thresholds
	// Clock drives the rounds; nil means SystemClock.
	Clock Clock
	// Report receives each round's events from the Run goroutine; it
	// must not block for long, and may be nil.
	Report func([]Event)
}

// NewRunner returns a Runner without targets.
func NewRunner(c RunnerConfig) (*Runner, error) {
	if c.Interval <= 0 {
		return nil, fmt.Errorf("health check interval is %s; it must be positive", c.Interval)
	}
	if c.Thresholds == (Thresholds{}) {
		c.Thresholds = DefaultThresholds
	}
	if err := c.Thresholds.Validate(); err != nil {
		return nil, err
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Report == nil {
		c.Report = func([]Event) {}
	}
	return &Runner{interval: c.Interval, thresholds: c.Thresholds, clock: c.Clock, report: c.Report, states: map[string]State{}}, nil
}

// SetTargets replaces the target set. Targets that stay (by name) keep
// their state; new ones start Unknown; removed ones are forgotten. Names
// must be unique.
func (r *Runner) SetTargets(targets []Target) error {
	seen := map[string]bool{}
	for _, t := range targets {
		if t.Name == "" || t.Prober == nil {
			return errors.New("a health check target needs a name and a prober")
		}
		if seen[t.Name] {
			return fmt.Errorf("health check target %q is listed twice", t.Name)
		}
		seen[t.Name] = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.targets = append([]Target(nil), targets...)
	for name := range r.states {
		if !seen[name] {
			delete(r.states, name)
		}
	}
	return nil
}

// State returns a target's current state, and false for an unknown name.
func (r *Runner) State(name string) (State, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range r.targets {
		if t.Name == name {
			return r.states[name], true
		}
	}
	return State{}, false
}

// Round probes every target once, concurrently, records the results and
// returns the events in target order. A round cut short by ctx records
// nothing and returns nil, so stopping never counts as failed probes. It
// does not call Report.
func (r *Runner) Round(ctx context.Context) []Event {
	r.mu.Lock()
	targets := append([]Target(nil), r.targets...)
	r.mu.Unlock()

	results := make([]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Go(func() { results[i] = t.Prober.Probe(ctx) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	at := r.clock.Now()

	r.mu.Lock()
	defer r.mu.Unlock()
	current := map[string]bool{}
	for _, t := range r.targets {
		current[t.Name] = true
	}
	events := make([]Event, 0, len(targets))
	for i, t := range targets {
		// A target removed while its probe ran is not brought back.
		if !current[t.Name] {
			continue
		}
		st, tr := r.states[t.Name].Observe(r.thresholds, at, results[i])
		r.states[t.Name] = st
		events = append(events, Event{Target: t.Name, Result: results[i], State: st, Transition: tr})
	}
	return events
}

// Run probes in rounds until ctx ends, reporting each round, and returns
// ctx's error.
func (r *Runner) Run(ctx context.Context) error {
	for {
		events := r.Round(ctx)
		if events == nil && ctx.Err() != nil {
			return ctx.Err()
		}
		r.report(events)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.clock.After(r.interval):
		}
	}
}
