package autoscale

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		want   []string // substrings of the error; none means valid
	}{
		{"valid", onRPS, nil},
		{"min zero is valid", with(onRPS, func(p *Policy) { p.Min = 0 }), nil},
		{"negative min", with(onRPS, func(p *Policy) { p.Min = -1 }), []string{"min is -1; it must be 0 or more"}},
		{"max zero", Policy{Metrics: onRPS.Metrics}, []string{"max is 0; it must be at least 1"}},
		{"max below min", with(onRPS, func(p *Policy) { p.Min = 6 }), []string{"max (5) is below min (6)"}},
		{"no metrics", Policy{Min: 1, Max: 2}, []string{"no metric to track"}},
		{"unnamed metric", with(onRPS, func(p *Policy) { p.Metrics[0].Name = "" }), []string{"metric 1 has no name"}},
		{"duplicate metric", with(onRPS, func(p *Policy) { p.Metrics = append(p.Metrics, p.Metrics[0]) }), []string{`metric "rps" is listed twice`}},
		{"zero target", with(onRPS, func(p *Policy) { p.Metrics[0].Target = 0 }), []string{`metric "rps" has target 0`}},
		{"NaN target", with(onRPS, func(p *Policy) { p.Metrics[0].Target = math.NaN() }), []string{"must be a positive number"}},
		{"infinite target", with(onRPS, func(p *Policy) { p.Metrics[0].Target = math.Inf(1) }), []string{"must be a positive number"}},
		{"negative durations", with(onRPS, func(p *Policy) {
			p.ScaleOutCooldown, p.ScaleInCooldown, p.Stabilization, p.StaleAfter = -1, -1, -1, -1
		}), []string{"scale-out cooldown is -1ns", "scale-in cooldown", "stabilization window", "stale-after age"}},
		{"tolerance out of range", with(onRPS, func(p *Policy) { p.Tolerance = 1 }), []string{"tolerance is 1"}},
		{"every problem at once", Policy{Min: -1, Max: -2}, []string{"min is -1", "max is -2", "no metric"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.policy.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate accepted the policy")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if _, err := New(tc.policy); err == nil {
				t.Error("New accepted an invalid policy")
			}
		})
	}
}

func TestBeginFinishOrder(t *testing.T) {
	a, err := New(onRPS)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Finish(t0); err == nil || !strings.Contains(err.Error(), "call Begin before Finish") {
		t.Errorf("Finish without Begin: %v", err)
	}
	if err := a.Begin(t0, 2, 3); err != nil {
		t.Fatal(err)
	}
	if !a.InProgress() {
		t.Error("InProgress is false after Begin")
	}
	if err := a.Begin(t0, 3, 4); err == nil || !strings.Contains(err.Error(), "already in progress") {
		t.Errorf("second Begin: %v", err)
	}
	if err := a.Finish(t0); err != nil {
		t.Fatal(err)
	}
	if a.InProgress() {
		t.Error("InProgress is true after Finish")
	}
}

// FuzzDecide checks the promises of Decide on arbitrary inputs: no panic,
// Desired within bounds when the group starts inside them, and no scale-in
// when a metric has no fresh sample.
func FuzzDecide(f *testing.F) {
	f.Add(2, 5, 3, 100.0, 150.0, 30.0, int64(10), false)
	f.Add(0, 1, 0, 0.001, 1e300, -5.0, int64(-10), true)
	f.Fuzz(func(t *testing.T, lo, hi, current int, target, v1, v2 float64, ageSec int64, dropSecond bool) {
		p := Policy{Min: lo, Max: hi, Stabilization: time.Minute,
			Metrics: []MetricTarget{{Name: "a", Target: target}, {Name: "b", Target: 50}}}
		a, err := New(p)
		if err != nil {
			return
		}
		samples := []Sample{{Metric: "a", Value: v1, At: t0.Add(-time.Duration(ageSec) * time.Second)}}
		if !dropSecond {
			samples = append(samples, Sample{Metric: "b", Value: v2, At: t0})
		}
		d := a.Decide(t0, current, samples)
		if current >= lo && current <= hi && (d.Desired < lo || d.Desired > hi) {
			t.Fatalf("Desired %d outside [%d, %d]: %s", d.Desired, lo, hi, d.Reason)
		}
		complete := !dropSecond && samples[1].usable() && samples[0].usable() && ageSec <= int64(DefaultStaleAfter/time.Second)
		if current >= lo && current <= hi && d.Direction == ScaleIn && !complete {
			t.Fatalf("scaled in on incomplete data: %s", d.Reason)
		}
		if d.Reason == "" || len(d.Recommendations) != 2 {
			t.Fatalf("decision without reason or recommendations: %+v", d)
		}
	})
}
