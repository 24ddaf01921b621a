package status

import "time"

// DrainOutcome says how a drain ended.
type DrainOutcome string

const (
	// Drained: the server's sessions reached 0.
	Drained DrainOutcome = "drained"
	// CutShort: the wait ran out (or bp run stopped) with sessions left.
	CutShort DrainOutcome = "cut_short"
	// DrainFailed: the server could not be set to drain.
	DrainFailed DrainOutcome = "failed"
)

// DrainRecord is one server drained before a scale-in.
type DrainRecord struct {
	// At is when the drain began.
	At time.Time
	// LoadBalancer is the load balancer's address; Backend and Server name
	// the server in its HAProxy (the server is named by the member's
	// address).
	LoadBalancer, Backend, Server string
	Outcome                       DrainOutcome
	// Took is how long the wait lasted.
	Took time.Duration
	// SessionsLeft are the server's sessions when the wait ended.
	SessionsLeft int64
	// Error says why a drain failed.
	Error string
}

// RecordDrain lists a drain on the page and counts it in /metrics
// (bp_run_drains_total by outcome, bp_run_drain_seconds of the latest).
func (b *Board) RecordDrain(d DrainRecord) {
	b.metrics.drains.WithLabelValues(d.LoadBalancer, string(d.Outcome)).Inc()
	if d.Outcome != DrainFailed {
		b.metrics.drainSeconds.WithLabelValues(d.LoadBalancer).Set(d.Took.Seconds())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drains.Push(d)
}
