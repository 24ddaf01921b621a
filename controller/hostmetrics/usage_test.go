package hostmetrics

import (
	"math"
	"testing"
	"time"
)

func TestTracker(t *testing.T) {
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	vm := func(up, busy, total float64) Snapshot {
		return Snapshot{Source: SourceProc, Uptime: sec(up), Load1: 0.5, CPUBusy: busy, CPUTotal: total, MemoryUsed: 1 << 30, MemoryLimit: 4 << 30}
	}
	ct := func(up, busySeconds float64, runnable int) Snapshot {
		return Snapshot{Source: SourceCgroupV2, Uptime: sec(up), Runnable: runnable, CPUBusy: busySeconds, CPUTotal: up * 2,
			MemoryUsed: 3 << 28, MemoryLimit: 1 << 30}
	}
	decay := math.Exp(-10.0 / 60)
	tests := []struct {
		name  string
		snaps []Snapshot
		want  []Usage // NaN CPU where unknown
	}{
		{"vm: cpu from tick deltas, load and memory as read", []Snapshot{vm(100, 1000, 4000), vm(110, 1300, 4400), vm(120, 1300, 4800)},
			[]Usage{{0.5, math.NaN(), 25}, {0.5, 75, 25}, {0.5, 0, 25}}},
		{"container: cpu over its 2 CPUs, load decays like the kernel's", []Snapshot{ct(100, 10, 4), ct(110, 25, 0), ct(120, 45, 2)},
			[]Usage{{4, math.NaN(), 75}, {4 * decay, 75, 75}, {4*decay*decay + 2*(1-decay), 100, 75}}},
		{"reboot starts over", []Snapshot{vm(100, 1000, 4000), vm(5, 10, 40)}, []Usage{{0.5, math.NaN(), 25}, {0.5, math.NaN(), 25}}},
		{"a counter going back gives no cpu", []Snapshot{vm(100, 1000, 4000), vm(110, 900, 4400)}, []Usage{{0.5, math.NaN(), 25}, {0.5, math.NaN(), 25}}},
		{"source changed starts over", []Snapshot{ct(100, 10, 4), vm(110, 1300, 4400)}, []Usage{{4, math.NaN(), 75}, {0.5, math.NaN(), 25}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tr Tracker
			for i, s := range tc.snaps {
				got := tr.Observe(s)
				w := tc.want[i]
				if !same(got.Load1, w.Load1) || !same(got.CPU, w.CPU) || !same(got.Memory, w.Memory) {
					t.Errorf("snapshot %d: usage %+v, want %+v", i, got, w)
				}
			}
		})
	}
}

func same(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

func TestUsageMetric(t *testing.T) {
	u := Usage{Load1: 1.5, CPU: math.NaN(), Memory: 40}
	for _, tc := range []struct {
		name   string
		want   float64
		wantOK bool
	}{{LoadAverage, 1.5, true}, {CPU, 0, false}, {Memory, 40, true}, {"requests_per_member", 0, false}} {
		t.Run(tc.name, func(t *testing.T) {
			v, ok := u.Metric(tc.name)
			if ok != tc.wantOK || ok && v != tc.want {
				t.Errorf("Metric(%s) = %v, %v; want %v, %v", tc.name, v, ok, tc.want, tc.wantOK)
			}
		})
	}
}
