package main

import (
	"fmt"
	"time"

	"github.com/blueprint-engine/bp/engine"
)

// Host configuration progress, one line per event:
//
//	machine.web[0]: Converging (configure.web)...
//	machine.web[0]: ~ app/template./etc/nginx/sites-enabled/default changed
//	machine.web[0]: Still converging... [10s elapsed]
//	machine.web[0]: Converged after 2s: 3 changed, 9 unchanged
//
// Checks made while planning print nothing but a start line, as refreshes
// do.

// PreConfigure reports that a host is being converged or checked.
func (p *progress) PreConfigure(configure, host string, check bool) {
	if check {
		if p.refresh {
			p.printf("%s: Checking configuration (%s)...\n", host, configure)
		}
		return
	}
	v := verbs{"Converging", "converging", "Converge"}
	done := make(chan struct{})
	p.mu.Lock()
	key := host + " " + configure
	if old := p.running[key]; old != nil {
		close(old)
	}
	p.running[key] = done
	p.mu.Unlock()
	p.printf("%s: Converging (%s)...\n", host, configure)
	go p.tick(host, v, done)
}

// HostResult reports a host resource that changed or failed while
// converging; what a check finds is shown by the plan instead.
func (p *progress) HostResult(configure, host string, r engine.HostResourceResult) {
	p.mu.Lock()
	converging := p.running[host+" "+configure] != nil
	p.mu.Unlock()
	if !converging {
		return
	}
	switch r.Status {
	case engine.HostChanged:
		p.printf("%s: ~ %s changed\n", host, r.ID)
	case engine.HostFailed:
		p.printf("%s: ! %s failed\n", host, r.ID)
	}
}

// PostConfigure reports the end of a host's run.
func (p *progress) PostConfigure(configure string, o engine.HostOutcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := o.Host + " " + configure
	done := p.running[key]
	if done == nil {
		return // a check: nothing more to say
	}
	close(done)
	delete(p.running, key)
	elapsed := formatElapsed(o.Elapsed.Truncate(time.Second))
	switch {
	case o.NotStarted:
		fmt.Fprintf(p.w, "%s: Not converged: an earlier rollout batch failed\n", o.Host)
	case o.Failed():
		fmt.Fprintf(p.w, "%s: Converge failed after %s; see the error below.\n", o.Host, elapsed)
	default:
		changed, unchanged := 0, 0
		for _, r := range o.Results {
			switch r.Status {
			case engine.HostChanged:
				changed++
			case engine.HostUnchanged:
				unchanged++
			}
		}
		p.hostsConverged++
		p.hostResourcesChanged += changed
		fmt.Fprintf(p.w, "%s: Converged after %s: %d changed, %d unchanged\n", o.Host, elapsed, changed, unchanged)
	}
}

var _ engine.HostHooks = (*progress)(nil)
