package bench

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkPlan plans N std_null resources with refresh off, declared with
// count and as separate blocks, against an empty and a deployed state.
// ns/op includes generating and loading the blueprint; plan-ns/op is
// Engine.Plan alone, and peak-B the peak live heap during it.
func BenchmarkPlan(b *testing.B) {
	for _, shape := range []Shape{Count, Blocks} {
		for _, deployed := range []bool{false, true} {
			for _, n := range []int{1000, 10000} {
				c := PlanCase{Shape: shape, N: n, Deployed: deployed}
				b.Run(c.String(), func(b *testing.B) {
					var peak uint64
					var planTime time.Duration
					runs := 0
					for b.Loop() {
						r, err := RunPlan(context.Background(), b.TempDir(), c)
						if err != nil {
							b.Fatal(err)
						}
						peak = max(peak, r.PeakHeap)
						planTime += r.Plan
						runs++
					}
					b.ReportMetric(float64(planTime.Nanoseconds())/float64(runs), "plan-ns/op")
					b.ReportMetric(float64(peak), "peak-B")
				})
			}
		}
	}
}

func TestPlanCases(t *testing.T) {
	for _, shape := range []Shape{Count, Blocks} {
		for _, deployed := range []bool{false, true} {
			c := PlanCase{Shape: shape, N: 20, Deployed: deployed}
			t.Run(c.String(), func(t *testing.T) {
				r, err := RunPlan(context.Background(), t.TempDir(), c)
				if err != nil {
					t.Fatal(err)
				}
				if r.Changes != c.N || r.Plan <= 0 || r.PeakHeap == 0 {
					t.Errorf("result %+v", r)
				}
			})
		}
	}
	if _, err := (PlanCase{Shape: "odd", N: 1}).Blueprint(t.TempDir()); err == nil {
		t.Errorf("an unknown shape was accepted")
	}
}

func TestSlope(t *testing.T) {
	tests := []struct {
		n1, n2 int
		t1, t2 int64
		want   float64
	}{
		{1000, 10000, 100, 1000, 1},
		{1000, 10000, 100, 10000, 2},
		{1000, 2000, 100, 100, 0},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			got := Slope(tc.n1, time.Duration(tc.t1)*time.Millisecond, tc.n2, time.Duration(tc.t2)*time.Millisecond)
			if got < tc.want-1e-9 || got > tc.want+1e-9 {
				t.Errorf("Slope = %v, want %v", got, tc.want)
			}
		})
	}
}
