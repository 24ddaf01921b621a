package autoscale

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Autoscaler evaluates one group's policy over time. It remembers what the
// rules need (recent recommendations, the last change and whether one is in
// progress) and nothing else. An Autoscaler is not safe for concurrent use;
// one controller loop owns it.
type Autoscaler struct {
	policy Policy
	window window

	inProgress bool
	change     change
	// lastOut is when the last scale-out finished; lastChange when the
	// last change of either direction finished. Zero means never.
	lastOut, lastChange time.Time
}

// change is a resize the controller has begun.
type change struct {
	from, to int
	started  time.Time
}

// New returns an Autoscaler for a valid policy, or the policy's problems.
func New(p Policy) (*Autoscaler, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("autoscaling policy: %w", err)
	}
	p.Metrics = append([]MetricTarget(nil), p.Metrics...)
	return &Autoscaler{policy: p}, nil
}

// Policy returns the policy the Autoscaler applies.
func (a *Autoscaler) Policy() Policy { return a.policy }

// Decide evaluates the policy at now for a group of current members, given
// recent samples (any order; the newest usable sample per metric counts).
// It never returns a Desired outside [Min, Max] unless it is holding a
// group that is already outside while a change is in progress, and it never
// shrinks the group on missing or stale data. Each call is recorded for the
// stabilization window, so call it on every evaluation tick, whether or not
// its decisions are carried out.
func (a *Autoscaler) Decide(now time.Time, current int, samples []Sample) Decision {
	d := Decision{At: now, Current: current, Desired: current, Direction: Hold}
	if a.inProgress {
		d.Cause = CauseInProgress
		d.Reason = fmt.Sprintf("holding at %d: the change from %d to %d started at %s has not finished",
			current, a.change.from, a.change.to, stamp(a.change.started))
		return d
	}
	p := a.policy
	d.Recommendations = p.recommend(now, current, samples)
	highest, anyFresh, missing := combine(d.Recommendations)
	inputs := describe(d.Recommendations)

	if bounded := p.clamp(current); bounded != current {
		if anyFresh {
			a.window.add(now, p.clamp(highest), p.Stabilization)
		}
		return a.resize(d, bounded, CauseBounds,
			fmt.Sprintf("the group is outside its bounds [%d, %d] (%s)", p.Min, p.Max, inputs))
	}
	if !anyFresh {
		d.Cause = CauseNoData
		d.Reason = fmt.Sprintf("holding at %d: %s; a group is never resized without data (samples go stale after %s)",
			current, inputs, p.staleAfter())
		return d
	}
	want := p.clamp(highest)
	a.window.add(now, want, p.Stabilization)
	clamped := ""
	if want != highest {
		clamped = fmt.Sprintf(", clamped to [%d, %d]", p.Min, p.Max)
	}

	switch {
	case want > current:
		if until := a.lastOut.Add(p.ScaleOutCooldown); !a.lastOut.IsZero() && now.Before(until) {
			return a.hold(d, CauseCooldown, fmt.Sprintf("metrics ask for %d (%s%s) but the scale-out cooldown runs until %s",
				want, inputs, clamped, stamp(until)))
		}
		return a.resize(d, want, CauseTarget, inputs+clamped)

	case want < current:
		if len(missing) > 0 {
			return a.hold(d, CauseNoData, fmt.Sprintf("metrics ask for %d (%s) but a group never shrinks without data on %s",
				want, inputs, strings.Join(missing, ", ")))
		}
		if until := a.lastChange.Add(p.ScaleInCooldown); !a.lastChange.IsZero() && now.Before(until) {
			return a.hold(d, CauseCooldown, fmt.Sprintf("metrics ask for %d (%s%s) but the scale-in cooldown runs until %s",
				want, inputs, clamped, stamp(until)))
		}
		stable, at := a.window.highest()
		if stable >= current {
			return a.hold(d, CauseStabilizing, fmt.Sprintf("metrics ask for %d (%s%s) but %d was recommended at %s, within the %s stabilization window",
				want, inputs, clamped, stable, stamp(at), p.Stabilization))
		}
		if stable > want {
			return a.resize(d, stable, CauseStabilizing, fmt.Sprintf("%s%s; not below %d, recommended at %s within the %s stabilization window",
				inputs, clamped, stable, stamp(at), p.Stabilization))
		}
		return a.resize(d, want, CauseTarget, inputs+clamped)

	default:
		return a.hold(d, CauseOnTarget, inputs+clamped)
	}
}

// hold finishes a decision that keeps the current size.
func (a *Autoscaler) hold(d Decision, cause Cause, why string) Decision {
	d.Cause = cause
	d.Reason = fmt.Sprintf("holding at %d: %s", d.Current, why)
	return d
}

// resize finishes a decision that changes the size.
func (a *Autoscaler) resize(d Decision, to int, cause Cause, why string) Decision {
	d.Desired, d.Cause = to, cause
	d.Direction = ScaleIn
	verb := "scale in"
	if to > d.Current {
		d.Direction, verb = ScaleOut, "scale out"
	}
	d.Reason = fmt.Sprintf("%s %d → %d: %s", verb, d.Current, to, why)
	return d
}

// Begin records that the controller started resizing the group from one
// size to another at now. Until Finish, Decide holds. It fails if a change
// is already in progress.
func (a *Autoscaler) Begin(now time.Time, from, to int) error {
	if a.inProgress {
		return fmt.Errorf("a change from %d to %d is already in progress since %s; call Finish before beginning another",
			a.change.from, a.change.to, stamp(a.change.started))
	}
	a.inProgress = true
	a.change = change{from: from, to: to, started: now}
	return nil
}

// Finish records that the change begun with Begin ended at now, successfully
// or not; the cooldowns run from now either way, so a failing change is not
// retried in a tight loop. It fails if no change is in progress.
func (a *Autoscaler) Finish(now time.Time) error {
	if !a.inProgress {
		return errors.New("no change is in progress; call Begin before Finish")
	}
	a.inProgress = false
	a.lastChange = now
	if a.change.to > a.change.from {
		a.lastOut = now
	}
	return nil
}

// InProgress reports whether a change has begun and not finished.
func (a *Autoscaler) InProgress() bool { return a.inProgress }

// stamp formats a time for a Reason.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
