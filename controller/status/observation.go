package status

import (
	"math"
	"time"

	"github.com/blueprint-engine/bp/controller/autoscale"
)

// GroupObservation is what the controller knows about one machine group
// at one evaluation.
type GroupObservation struct {
	// Group is the group's address, e.g. "machine_group.web".
	Group string
	// At is the evaluation time.
	At time.Time
	// Size is the number of members; Desired what the autoscaler wants.
	Size, Desired int
	// Min and Max are the bounds.
	Min, Max int
	// Metrics are the tracked metrics, in policy order.
	Metrics []MetricValue
}

// MetricValue is one tracked metric at one evaluation.
type MetricValue struct {
	Name string
	// Observed is the value used; NaN when there was no fresh sample.
	Observed float64
	// Target is the policy's target.
	Target float64
}

// ObservationOf builds the observation of a group from the autoscaler's
// decision and policy; stale metrics get a NaN Observed.
func ObservationOf(group string, p autoscale.Policy, d autoscale.Decision) GroupObservation {
	o := GroupObservation{Group: group, At: d.At, Size: d.Current, Desired: d.Desired, Min: p.Min, Max: p.Max}
	for _, r := range d.Recommendations {
		v := r.Observed
		if !r.Fresh {
			v = math.NaN()
		}
		o.Metrics = append(o.Metrics, MetricValue{Name: r.Metric, Observed: v, Target: r.Target})
	}
	return o
}
