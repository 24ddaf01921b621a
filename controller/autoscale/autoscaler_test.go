package autoscale

import (
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)

// step is one evaluation in a scenario: at t0+at, the group has current
// members and the samples observed (metric → value, sampled age before
// the evaluation). begin/finish record a change before Decide runs.
type step struct {
	at      time.Duration
	current int
	obs     map[string]float64
	age     time.Duration
	begin   *[2]int
	finish  bool
	want    int
	cause   Cause
	reason  string // substring of Reason, optional
}

func rps(v float64) map[string]float64 { return map[string]float64{"rps": v} }

func begin(from, to int) *[2]int { return &[2]int{from, to} }

var onRPS = Policy{Min: 2, Max: 5, Metrics: []MetricTarget{{Name: "rps", Target: 100}}}

// with returns a copy of p changed by f; p's metrics are not shared.
func with(p Policy, f func(*Policy)) Policy {
	p.Metrics = append([]MetricTarget(nil), p.Metrics...)
	f(&p)
	return p
}

func TestDecide(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		steps  []step
	}{
		{"on target holds", onRPS, []step{
			{current: 2, obs: rps(100), want: 2, cause: CauseOnTarget, reason: "holding at 2: rps 100 (target 100) asks for 2"},
		}},
		{"target tracking scales out by the formula", onRPS, []step{
			{current: 2, obs: rps(180), want: 4, cause: CauseTarget, reason: "scale out 2 → 4: rps 180 (target 100) asks for 4"},
		}},
		{"just above target adds one member", onRPS, []step{
			{current: 3, obs: rps(101), want: 4, cause: CauseTarget},
		}},
		{"exact multiple does not round up", with(onRPS, func(p *Policy) { p.Metrics[0].Target = 0.7 }), []step{
			{current: 3, obs: rps(0.7), want: 3, cause: CauseOnTarget},
		}},
		{"clamped to max", onRPS, []step{
			{current: 2, obs: rps(1000), want: 5, cause: CauseTarget, reason: "rps 1000 (target 100) asks for 20, clamped to [2, 5]"},
		}},
		{"clamped to min", onRPS, []step{
			{current: 3, obs: rps(0), want: 2, cause: CauseTarget, reason: "scale in 3 → 2: rps 0 (target 100) asks for 0, clamped to [2, 5]"},
		}},
		{"at max under load holds", onRPS, []step{
			{current: 5, obs: rps(400), want: 5, cause: CauseOnTarget},
		}},
		{"below min is raised without data", onRPS, []step{
			{current: 0, want: 2, cause: CauseBounds, reason: "outside its bounds [2, 5]"},
		}},
		{"above max is lowered despite load", onRPS, []step{
			{current: 8, obs: rps(300), want: 5, cause: CauseBounds},
		}},
		{"empty group starts on load", with(onRPS, func(p *Policy) { p.Min = 0 }), []step{
			{current: 0, obs: rps(250), want: 3, cause: CauseTarget},
		}},
		{"tolerance absorbs small deviations", with(onRPS, func(p *Policy) { p.Tolerance = 0.1 }), []step{
			{current: 4, obs: rps(109), want: 4, cause: CauseOnTarget},
			{at: time.Minute, current: 4, obs: rps(91), want: 4, cause: CauseOnTarget},
			{at: 2 * time.Minute, current: 4, obs: rps(111), want: 5, cause: CauseTarget},
		}},
		{"no sample holds", onRPS, []step{
			{current: 4, want: 4, cause: CauseNoData, reason: "rps has no sample"},
		}},
		{"stale sample holds, never scales in", onRPS, []step{
			{current: 4, obs: rps(0), age: 3 * time.Minute, want: 4, cause: CauseNoData, reason: "rps has no fresh sample (last 0 at"},
		}},
		{"stale sample does not scale out either", onRPS, []step{
			{current: 2, obs: rps(900), age: 3 * time.Minute, want: 2, cause: CauseNoData},
		}},
		{"custom stale age", with(onRPS, func(p *Policy) { p.StaleAfter = 10 * time.Second }), []step{
			{current: 2, obs: rps(300), age: 11 * time.Second, want: 2, cause: CauseNoData},
			{at: time.Minute, current: 2, obs: rps(200), age: 10 * time.Second, want: 4, cause: CauseTarget},
		}},
		{"several metrics: the highest wins", Policy{Min: 1, Max: 10, Metrics: []MetricTarget{{Name: "rps", Target: 100}, {Name: "latency_ms", Target: 200}}}, []step{
			{current: 4, obs: map[string]float64{"rps": 50, "latency_ms": 400}, want: 8, cause: CauseTarget,
				reason: "scale out 4 → 8: rps 50 (target 100) asks for 2, latency_ms 400 (target 200) asks for 8"},
		}},
		{"several metrics: all low scales in", Policy{Min: 1, Max: 10, Metrics: []MetricTarget{{Name: "rps", Target: 100}, {Name: "latency_ms", Target: 200}}}, []step{
			{current: 4, obs: map[string]float64{"rps": 50, "latency_ms": 100}, want: 2, cause: CauseTarget},
		}},
		{"several metrics: one missing still scales out", Policy{Min: 1, Max: 10, Metrics: []MetricTarget{{Name: "rps", Target: 100}, {Name: "latency_ms", Target: 200}}}, []step{
			{current: 2, obs: map[string]float64{"rps": 300}, want: 6, cause: CauseTarget, reason: "latency_ms has no sample"},
		}},
		{"several metrics: one missing never scales in", Policy{Min: 1, Max: 10, Metrics: []MetricTarget{{Name: "rps", Target: 100}, {Name: "latency_ms", Target: 200}}}, []step{
			{current: 4, obs: map[string]float64{"rps": 10}, want: 4, cause: CauseNoData, reason: "never shrinks without data on latency_ms"},
		}},
		{"invalid values are no data", onRPS, []step{
			{current: 3, obs: rps(math.NaN()), want: 3, cause: CauseNoData},
			{at: time.Second, current: 3, obs: rps(-5), want: 3, cause: CauseNoData},
			{at: 2 * time.Second, current: 3, obs: rps(math.Inf(1)), want: 3, cause: CauseNoData},
		}},
		{"in progress holds", onRPS, []step{
			{current: 2, obs: rps(250), want: 5, cause: CauseTarget},
			{at: 10 * time.Second, current: 2, begin: begin(2, 5), obs: rps(900), want: 2, cause: CauseInProgress, reason: "the change from 2 to 5 started at"},
			{at: 20 * time.Second, current: 5, obs: rps(0), want: 5, cause: CauseInProgress},
		}},
		{"scale-out cooldown holds a second scale-out", with(onRPS, func(p *Policy) { p.Max = 10; p.ScaleOutCooldown = time.Minute }), []step{
			{current: 2, obs: rps(200), want: 4, cause: CauseTarget},
			{at: 0, current: 2, begin: begin(2, 4), finish: true, obs: rps(200), want: 2, cause: CauseCooldown, reason: "scale-out cooldown runs until 2026-01-02T03:01:00Z"},
			{at: 30 * time.Second, current: 4, obs: rps(200), want: 4, cause: CauseCooldown},
			{at: time.Minute, current: 4, obs: rps(200), want: 8, cause: CauseTarget},
		}},
		{"scale-out cooldown does not hold a scale-in", with(onRPS, func(p *Policy) { p.ScaleOutCooldown = time.Hour }), []step{
			{current: 4, begin: begin(2, 4), finish: true, obs: rps(50), want: 2, cause: CauseTarget},
		}},
		{"scale-in cooldown after a scale-out", with(onRPS, func(p *Policy) { p.ScaleInCooldown = 5 * time.Minute }), []step{
			{current: 4, begin: begin(2, 4), finish: true, obs: rps(10), want: 4, cause: CauseCooldown, reason: "scale-in cooldown runs until 2026-01-02T03:05:00Z"},
			{at: 4 * time.Minute, current: 4, obs: rps(10), want: 4, cause: CauseCooldown},
			{at: 5 * time.Minute, current: 4, obs: rps(10), want: 2, cause: CauseTarget},
		}},
		{"scale-in cooldown does not hold a scale-out", with(onRPS, func(p *Policy) { p.ScaleInCooldown = time.Hour }), []step{
			{current: 4, begin: begin(5, 4), finish: true, obs: rps(200), want: 5, cause: CauseTarget},
		}},
		{"cooldown runs from the finish, not the start", with(onRPS, func(p *Policy) { p.Max = 10; p.ScaleOutCooldown = time.Minute }), []step{
			{current: 2, begin: begin(2, 4), obs: rps(200), want: 2, cause: CauseInProgress},
			{at: 50 * time.Second, current: 4, finish: true, obs: rps(200), want: 4, cause: CauseCooldown},
			{at: 100 * time.Second, current: 4, obs: rps(200), want: 4, cause: CauseCooldown},
			{at: 110 * time.Second, current: 4, obs: rps(200), want: 8, cause: CauseTarget},
		}},
		{"stabilization: a dip does not shrink the group", with(onRPS, func(p *Policy) { p.Stabilization = 5 * time.Minute }), []step{
			{current: 4, obs: rps(100), want: 4, cause: CauseOnTarget},
			{at: time.Minute, current: 4, obs: rps(20), want: 4, cause: CauseStabilizing, reason: "but 4 was recommended at 2026-01-02T03:00:00Z, within the 5m0s stabilization window"},
			{at: 2 * time.Minute, current: 4, obs: rps(100), want: 4, cause: CauseOnTarget},
			{at: 6 * time.Minute, current: 4, obs: rps(20), want: 4, cause: CauseStabilizing},
			{at: 7*time.Minute + time.Second, current: 4, obs: rps(20), want: 2, cause: CauseTarget},
		}},
		{"stabilization: shrinks only to the window's highest", with(onRPS, func(p *Policy) { p.Min = 1; p.Max = 10; p.Stabilization = 3 * time.Minute }), []step{
			{current: 8, obs: rps(75), want: 6, cause: CauseTarget},
			{at: time.Minute, current: 8, obs: rps(25), want: 6, cause: CauseStabilizing, reason: "scale in 8 → 6: rps 25 (target 100) asks for 2; not below 6"},
			{at: 3*time.Minute + time.Second, current: 6, obs: rps(25), want: 2, cause: CauseTarget},
		}},
		{"flapping load never flaps the group", with(onRPS, func(p *Policy) {
			p.Max = 10
			p.ScaleInCooldown = 2 * time.Minute
			p.Stabilization = 5 * time.Minute
		}), []step{
			{current: 2, obs: rps(100), want: 2, cause: CauseOnTarget},
			{at: 30 * time.Second, current: 2, obs: rps(300), want: 6, cause: CauseTarget},
			{at: 30 * time.Second, current: 6, begin: begin(2, 6), finish: true, obs: rps(100), want: 6, cause: CauseOnTarget},
			{at: 60 * time.Second, current: 6, obs: rps(30), want: 6, cause: CauseCooldown},
			{at: 150 * time.Second, current: 6, obs: rps(100), want: 6, cause: CauseOnTarget},
			{at: 180 * time.Second, current: 6, obs: rps(30), want: 6, cause: CauseStabilizing},
			{at: 240 * time.Second, current: 6, obs: rps(100), want: 6, cause: CauseOnTarget},
			{at: 300 * time.Second, current: 6, obs: rps(30), want: 6, cause: CauseStabilizing},
			{at: 541 * time.Second, current: 6, obs: rps(30), want: 2, cause: CauseTarget},
		}},
		{"newest sample counts", onRPS, []step{
			{current: 2, obs: rps(500), age: time.Minute, want: 5, cause: CauseTarget},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.policy)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tc.steps {
				now := t0.Add(s.at)
				if s.begin != nil {
					if err := a.Begin(now, s.begin[0], s.begin[1]); err != nil {
						t.Fatalf("step %d: Begin: %v", i, err)
					}
				}
				if s.finish {
					if err := a.Finish(now); err != nil {
						t.Fatalf("step %d: Finish: %v", i, err)
					}
				}
				var samples []Sample
				for m, v := range s.obs {
					samples = append(samples, Sample{Metric: m, Value: v, At: now.Add(-s.age)})
				}
				d := a.Decide(now, s.current, samples)
				if d.Desired != s.want || d.Cause != s.cause {
					t.Fatalf("step %d: Desired %d (%s), want %d (%s)\nreason: %s", i, d.Desired, d.Cause, s.want, s.cause, d.Reason)
				}
				if !strings.Contains(d.Reason, s.reason) {
					t.Errorf("step %d: reason %q does not contain %q", i, d.Reason, s.reason)
				}
				wantDir := Hold
				if s.want > s.current {
					wantDir = ScaleOut
				} else if s.want < s.current {
					wantDir = ScaleIn
				}
				if d.Direction != wantDir || d.Changes() != (wantDir != Hold) {
					t.Errorf("step %d: direction %s, Changes %v; want %s", i, d.Direction, d.Changes(), wantDir)
				}
			}
		})
	}
}

func TestReadable(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{1220.47, "1220"}, {14.033184067447081, "14"}, {1.2468792930490467, "1.25"}, {0.03512, "0.0351"},
		{0, "0"}, {100, "100"}, {-2.5, "-2.5"}, {99.95, "100"},
	} {
		if got := readable(tc.v); got != tc.want {
			t.Errorf("readable(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
