package probe

import (
	"fmt"
	"time"
)

// Health is a target's state as its probes establish it.
type Health int

const (
	// Unknown: not enough results yet to say either way (a new target).
	Unknown Health = iota
	// Healthy: the last HealthyThreshold probes succeeded.
	Healthy
	// Unhealthy: the last UnhealthyThreshold probes failed.
	Unhealthy
)

// String returns "unknown", "healthy" or "unhealthy".
func (h Health) String() string {
	switch h {
	case Healthy:
		return "healthy"
	case Unhealthy:
		return "unhealthy"
	default:
		return "unknown"
	}
}

// Thresholds say how many consecutive results change a target's health.
type Thresholds struct {
	// Healthy consecutive successes make a target healthy; at least 1.
	Healthy int
	// Unhealthy consecutive failures make a target unhealthy; at least 1.
	Unhealthy int
}

// DefaultThresholds are those of common load balancers: 2 successes to
// join, 3 failures to leave.
var DefaultThresholds = Thresholds{Healthy: 2, Unhealthy: 3}

// Validate says what is wrong with the thresholds, or nil.
func (t Thresholds) Validate() error {
	if t.Healthy < 1 || t.Unhealthy < 1 {
		return fmt.Errorf("health thresholds are %d healthy and %d unhealthy; both must be at least 1", t.Healthy, t.Unhealthy)
	}
	return nil
}

// State is one target's health and the streak that leads to the next
// change. Its zero value is an Unknown target; it is a value, so a copy is
// an independent state.
type State struct {
	// Health is the current health.
	Health Health
	// Since is when Health was entered; zero while Unknown.
	Since time.Time
	// Successes and Failures count the current streak; one of them is 0.
	Successes, Failures int
	// Last is the latest result.
	Last Result
}

// Transition is a change of health.
type Transition struct {
	From, To Health
	At       time.Time
}

// Observe returns the state after result r at time at, and the transition
// it caused, if any. Thresholds must be valid.
func (s State) Observe(th Thresholds, at time.Time, r Result) (State, *Transition) {
	s.Last = r
	to := s.Health
	if r.OK {
		s.Successes, s.Failures = s.Successes+1, 0
		if s.Successes >= th.Healthy {
			to = Healthy
		}
	} else {
		s.Failures, s.Successes = s.Failures+1, 0
		if s.Failures >= th.Unhealthy {
			to = Unhealthy
		}
	}
	if to == s.Health {
		return s, nil
	}
	tr := &Transition{From: s.Health, To: to, At: at}
	s.Health, s.Since = to, at
	return s, tr
}
