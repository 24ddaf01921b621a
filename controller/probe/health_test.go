package probe

import (
	"strings"
	"testing"
	"time"
)

func TestStateObserve(t *testing.T) {
	th := Thresholds{Healthy: 2, Unhealthy: 3}
	tests := []struct {
		name    string
		results string // '+' success, '-' failure
		want    []Health
		changes string // 'x' where a transition happened
	}{
		{"new target needs two successes", "++", []Health{Unknown, Healthy}, ".x"},
		{"new target needs three failures", "---", []Health{Unknown, Unknown, Unhealthy}, "..x"},
		{"a failure resets the success streak", "+-+", []Health{Unknown, Unknown, Unknown}, "..."},
		{"one blip does not make a healthy target unhealthy", "++-+--+", []Health{Unknown, Healthy, Healthy, Healthy, Healthy, Healthy, Healthy}, ".x....."},
		{"three failures do", "++---", []Health{Unknown, Healthy, Healthy, Healthy, Unhealthy}, ".x..x"},
		{"recovery needs the healthy threshold", "---+-++", []Health{Unknown, Unknown, Unhealthy, Unhealthy, Unhealthy, Unhealthy, Healthy}, "..x...x"},
		{"staying healthy is no transition", "++++", []Health{Unknown, Healthy, Healthy, Healthy}, ".x.."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s State
			for i, c := range tc.results {
				at := time.Unix(int64(i), 0)
				var tr *Transition
				s, tr = s.Observe(th, at, Result{OK: c == '+'})
				if s.Health != tc.want[i] {
					t.Fatalf("after %q: %s, want %s", tc.results[:i+1], s.Health, tc.want[i])
				}
				if (tr != nil) != (tc.changes[i] == 'x') {
					t.Fatalf("after %q: transition %+v, want one: %v", tc.results[:i+1], tr, tc.changes[i] == 'x')
				}
				if tr != nil && (tr.To != s.Health || !tr.At.Equal(at) || !s.Since.Equal(at) || tr.From == tr.To) {
					t.Fatalf("transition %+v inconsistent with state %+v", tr, s)
				}
				if s.Successes != 0 && s.Failures != 0 {
					t.Fatalf("both streaks counting: %+v", s)
				}
			}
		})
	}
}

func TestThresholdsValidate(t *testing.T) {
	tests := []struct {
		name string
		th   Thresholds
		ok   bool
	}{
		{"default", DefaultThresholds, true},
		{"ones", Thresholds{1, 1}, true},
		{"zero healthy", Thresholds{0, 2}, false},
		{"negative unhealthy", Thresholds{2, -1}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.th.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "must be at least 1") {
				t.Errorf("error %q does not say what is allowed", err)
			}
		})
	}
}

func TestHealthString(t *testing.T) {
	for h, want := range map[Health]string{Unknown: "unknown", Healthy: "healthy", Unhealthy: "unhealthy"} {
		if h.String() != want {
			t.Errorf("%d.String() = %s, want %s", h, h, want)
		}
	}
}
