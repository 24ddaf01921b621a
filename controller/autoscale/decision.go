package autoscale

import "time"

// Direction says which way a decision changes the group.
type Direction int

const (
	// Hold keeps the group at its current size.
	Hold Direction = iota
	// ScaleOut adds members.
	ScaleOut
	// ScaleIn removes members.
	ScaleIn
)

// String returns "hold", "out" or "in", the spelling of the metrics label.
func (d Direction) String() string {
	switch d {
	case ScaleOut:
		return "out"
	case ScaleIn:
		return "in"
	default:
		return "hold"
	}
}

// Cause names the rule that settled a decision, so logs and metrics can
// count, for instance, how often a cooldown held a scale-out back.
type Cause string

const (
	// CauseTarget: the metrics asked for this size and nothing held it back.
	CauseTarget Cause = "target"
	// CauseOnTarget: the metrics ask for the current size.
	CauseOnTarget Cause = "on-target"
	// CauseBounds: the current size is outside [Min, Max] and is brought
	// back inside, whatever the metrics say.
	CauseBounds Cause = "bounds"
	// CauseInProgress: a previous change has not finished.
	CauseInProgress Cause = "in-progress"
	// CauseNoData: metrics are missing or stale, so the group may not shrink.
	CauseNoData Cause = "no-data"
	// CauseCooldown: a cooldown since the last change has not run out.
	CauseCooldown Cause = "cooldown"
	// CauseStabilizing: a higher recommendation inside the stabilization
	// window keeps the group from shrinking (as far).
	CauseStabilizing Cause = "stabilizing"
)

// Recommendation is what one metric asks for.
type Recommendation struct {
	// Metric and Target are the policy's.
	Metric string
	Target float64
	// Observed is the value used; meaningful only when Fresh.
	Observed float64
	// ObservedAt is when Observed was sampled; zero when there was none.
	ObservedAt time.Time
	// Fresh is false when the metric had no usable sample or only a
	// stale one; such a metric recommends nothing.
	Fresh bool
	// Desired is ceil(current × observed / target), unclamped; equal to
	// the current size when the metric is within the tolerance, 0 when
	// not Fresh.
	Desired int
}

// Decision is the outcome of one evaluation: the size the group should have
// and why, with every input that led there.
type Decision struct {
	// At is the evaluation time passed to Decide.
	At time.Time
	// Current is the size the group had.
	Current int
	// Desired is the size it should have; equal to Current for Hold.
	Desired int
	// Direction compares Desired with Current.
	Direction Direction
	// Cause is the rule that settled Desired.
	Cause Cause
	// Reason is one human sentence with the inputs, fit for a log line
	// or the status page.
	Reason string
	// Recommendations holds one entry per policy metric, in policy order;
	// empty when no metric was evaluated (a change in progress).
	Recommendations []Recommendation
}

// Changes reports whether the decision asks for a different size.
func (d Decision) Changes() bool { return d.Desired != d.Current }
