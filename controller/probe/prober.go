package probe

import (
	"context"
	"time"
)

// Prober checks one target once. Probe must return within its own timeout
// or when ctx ends, whichever is first; it is called from one goroutine per
// target at a time, but different Probers run concurrently.
type Prober interface {
	Probe(ctx context.Context) Result
}

// Result is the outcome of one probe.
type Result struct {
	// OK is true when the target answered as expected.
	OK bool
	// Detail says what was seen, e.g. "HTTP 200" or "connection refused".
	Detail string
	// Duration is how long the probe took.
	Duration time.Duration
}
