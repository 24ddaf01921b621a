package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
)

// stillRunningInterval is how often progress reports an operation that is
// still running.
const stillRunningInterval = 10 * time.Second

// progress is the live output of plan and apply, one line per event, as
// the engine's hooks report them:
//
//	std_file.a: Refreshing state...
//	std_file.a: Creating...
//	std_file.a: Still creating... [10s elapsed]
//	std_file.a: Creation complete after 12s
//
// It also counts the changes that succeeded, for the summary line. Its
// methods may be called from many goroutines at once.
type progress struct {
	w io.Writer
	// interval is how often a running operation is reported again.
	interval time.Duration
	// refresh turns on the "Refreshing state..." lines.
	refresh bool

	mu      sync.Mutex
	running map[string]chan struct{} // closed when the operation ends
	added   int
	changed int
	deleted int
	// hostsConverged and hostResourcesChanged count host configuration.
	hostsConverged       int
	hostResourcesChanged int
}

// newProgress returns a progress writing to w.
func newProgress(w io.Writer) *progress {
	return &progress{w: w, interval: stillRunningInterval, refresh: true, running: map[string]chan struct{}{}}
}

// verbs are how progress speaks of an action: "Creating...", "Still
// creating...", "Creation complete".
type verbs struct{ ing, still, noun string }

func verbsFor(a plan.Action) verbs {
	switch {
	case a.Creates():
		return verbs{"Creating", "creating", "Creation"}
	case a == plan.Update:
		return verbs{"Modifying", "modifying", "Modifications"}
	case a == plan.Delete:
		return verbs{"Destroying", "destroying", "Destruction"}
	case a == plan.Read:
		return verbs{"Reading", "reading", "Read"}
	}
	return verbs{"Applying", "applying", "Apply"}
}

// PreRefresh reports that addr is being read from its provider.
func (p *progress) PreRefresh(addr string) {
	if p.refresh {
		p.printf("%s: Refreshing state...\n", addr)
	}
}

// PreApply reports the start of a change and reports it again every
// interval until PostApply.
func (p *progress) PreApply(addr string, action plan.Action) {
	v := verbsFor(action)
	done := make(chan struct{})
	p.mu.Lock()
	key := addr + " " + v.noun
	if old := p.running[key]; old != nil {
		close(old)
	}
	p.running[key] = done
	p.mu.Unlock()
	p.printf("%s: %s...\n", addr, v.ing)
	go p.tick(addr, v, done)
}

// tick reports addr as still running every interval until done is closed.
func (p *progress) tick(addr string, v verbs, done chan struct{}) {
	start := time.Now()
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			p.mu.Lock()
			select {
			case <-done:
				// PostApply ran while we waited: its line is the last one.
			default:
				fmt.Fprintf(p.w, "%s: Still %s... [%s elapsed]\n", addr, v.still, formatElapsed(time.Since(start)))
			}
			p.mu.Unlock()
		}
	}
}

// PostApply reports the end of a change.
func (p *progress) PostApply(addr string, action plan.Action, err error, elapsed time.Duration) {
	v := verbsFor(action)
	p.mu.Lock()
	defer p.mu.Unlock()
	key := addr + " " + v.noun
	if done := p.running[key]; done != nil {
		close(done)
		delete(p.running, key)
	}
	if err != nil {
		fmt.Fprintf(p.w, "%s: %s failed after %s; see the error below.\n", addr, v.noun, formatElapsed(elapsed))
		return
	}
	switch {
	case action.Creates():
		p.added++
	case action == plan.Update:
		p.changed++
	case action == plan.Delete:
		p.deleted++
	}
	fmt.Fprintf(p.w, "%s: %s complete after %s\n", addr, v.noun, formatElapsed(elapsed))
}

// counts returns how many objects were added, changed and destroyed.
func (p *progress) counts() (added, changed, destroyed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.added, p.changed, p.deleted
}

// stop ends the reports of operations that never finished (an interrupted
// apply).
func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, done := range p.running {
		close(done)
		delete(p.running, key)
	}
}

func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format, args...)
}

// formatElapsed rounds d down to whole seconds, as progress lines show it:
// "0s", "12s", "1m5s".
func formatElapsed(d time.Duration) string {
	return d.Truncate(time.Second).String()
}

var _ engine.Hooks = (*progress)(nil)
