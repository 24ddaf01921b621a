package autoscale

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// DefaultStaleAfter is how old a sample may be before it is ignored, when a
// Policy leaves StaleAfter zero.
const DefaultStaleAfter = 2 * time.Minute

// MetricTarget is one metric the group tracks and the per-member value it
// aims for, e.g. 100 requests per second per member.
type MetricTarget struct {
	// Name matches Sample.Metric.
	Name string
	// Target is the desired value of the metric; it must be positive.
	Target float64
}

// Policy is what an autoscaler block declares: the bounds of the group, the
// metrics it tracks and the timings that keep it from flapping.
type Policy struct {
	// Min and Max bound the group size; 0 <= Min <= Max and Max >= 1.
	Min, Max int
	// Metrics are tracked together; the highest recommendation wins.
	Metrics []MetricTarget
	// ScaleOutCooldown is the time after a scale-out finished before the
	// next scale-out may start.
	ScaleOutCooldown time.Duration
	// ScaleInCooldown is the time after any change finished (out or in)
	// before a scale-in may start: a group that just grew is not shrunk
	// again right away.
	ScaleInCooldown time.Duration
	// Stabilization is the scale-in window: the group shrinks only to the
	// highest recommendation of the window, so a short dip does not remove
	// members that the next spike needs again.
	Stabilization time.Duration
	// Tolerance is the relative deviation from a target that is treated as
	// on target (0.1 ignores observed values within ±10% of the target); 0
	// applies the formula exactly.
	Tolerance float64
	// StaleAfter is the age after which a sample is ignored; zero means
	// DefaultStaleAfter.
	StaleAfter time.Duration
}

// Validate reports every problem of the policy in one error, each saying
// what to change; it returns nil for a usable policy.
func (p Policy) Validate() error {
	var errs []error
	if p.Min < 0 {
		errs = append(errs, fmt.Errorf("min is %d; it must be 0 or more", p.Min))
	}
	if p.Max < 1 {
		errs = append(errs, fmt.Errorf("max is %d; it must be at least 1", p.Max))
	}
	if p.Max < p.Min {
		errs = append(errs, fmt.Errorf("max (%d) is below min (%d); raise max or lower min", p.Max, p.Min))
	}
	if len(p.Metrics) == 0 {
		errs = append(errs, errors.New("no metric to track; add at least one metric with a name and a target"))
	}
	seen := map[string]bool{}
	for i, m := range p.Metrics {
		switch {
		case m.Name == "":
			errs = append(errs, fmt.Errorf("metric %d has no name; name the metric it tracks", i+1))
		case seen[m.Name]:
			errs = append(errs, fmt.Errorf("metric %q is listed twice; keep one target per metric", m.Name))
		}
		seen[m.Name] = true
		if !(m.Target > 0) || math.IsInf(m.Target, 0) {
			errs = append(errs, fmt.Errorf("metric %q has target %v; the target must be a positive number", m.Name, m.Target))
		}
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"scale-out cooldown", p.ScaleOutCooldown},
		{"scale-in cooldown", p.ScaleInCooldown},
		{"stabilization window", p.Stabilization},
		{"stale-after age", p.StaleAfter},
	} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s is %s; it must not be negative", d.name, d.v))
		}
	}
	if !(p.Tolerance >= 0 && p.Tolerance < 1) {
		errs = append(errs, fmt.Errorf("tolerance is %v; it must be at least 0 and below 1", p.Tolerance))
	}
	return errors.Join(errs...)
}

// staleAfter is the effective sample age limit.
func (p Policy) staleAfter() time.Duration {
	if p.StaleAfter == 0 {
		return DefaultStaleAfter
	}
	return p.StaleAfter
}

// clamp bounds n to [Min, Max].
func (p Policy) clamp(n int) int {
	return min(max(n, p.Min), p.Max)
}
