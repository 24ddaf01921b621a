package autoscale

import (
	"math"
	"time"
)

// Sample is one observation of a metric, already reduced to a per-member
// value (requests per second per member, average response time, load).
type Sample struct {
	// Metric matches MetricTarget.Name.
	Metric string
	// Value is the observed value; NaN, infinite and negative values are
	// treated as no data.
	Value float64
	// At is when the value was observed.
	At time.Time
}

// usable reports whether the value can enter the formula.
func (s Sample) usable() bool {
	return s.Value >= 0 && !math.IsInf(s.Value, 0) && !math.IsNaN(s.Value)
}

// latest returns the newest usable sample of metric, and whether there was
// one.
func latest(samples []Sample, metric string) (Sample, bool) {
	var best Sample
	found := false
	for _, s := range samples {
		if s.Metric != metric || !s.usable() {
			continue
		}
		if !found || s.At.After(best.At) {
			best, found = s, true
		}
	}
	return best, found
}
