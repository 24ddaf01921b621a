package autoscale

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// epsilon absorbs floating-point noise in current × observed / target, so
// that an exact 3 × 0.7 / 0.7 does not round up to 4.
const epsilon = 1e-9

// recommend evaluates every metric of the policy against the newest usable
// sample of it.
func (p Policy) recommend(now time.Time, current int, samples []Sample) []Recommendation {
	recs := make([]Recommendation, len(p.Metrics))
	for i, m := range p.Metrics {
		r := Recommendation{Metric: m.Name, Target: m.Target}
		if s, ok := latest(samples, m.Name); ok {
			r.Observed, r.ObservedAt = s.Value, s.At
			r.Fresh = now.Sub(s.At) <= p.staleAfter()
		}
		if r.Fresh {
			r.Desired = p.track(current, r.Observed, m.Target)
		}
		recs[i] = r
	}
	return recs
}

// track is target tracking for one metric. An empty group is treated as one
// member, so that load measured with no members can still start the group.
func (p Policy) track(current int, observed, target float64) int {
	ratio := observed / target
	if math.Abs(ratio-1) <= p.Tolerance {
		return current
	}
	n := math.Ceil(float64(max(current, 1))*ratio - epsilon)
	// A group far beyond any real Max saturates instead of overflowing.
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(n)
}

// combine returns the highest recommendation among fresh metrics, whether
// any metric was fresh, and the names of those that were not.
func combine(recs []Recommendation) (highest int, anyFresh bool, missing []string) {
	for _, r := range recs {
		if !r.Fresh {
			missing = append(missing, r.Metric)
			continue
		}
		if !anyFresh || r.Desired > highest {
			highest = r.Desired
		}
		anyFresh = true
	}
	return highest, anyFresh, missing
}

// describe renders the recommendations for a Reason:
// "rps 180 (target 100) asks for 4, latency has no fresh sample".
func describe(recs []Recommendation) string {
	parts := make([]string, len(recs))
	for i, r := range recs {
		if !r.Fresh {
			if r.ObservedAt.IsZero() {
				parts[i] = fmt.Sprintf("%s has no sample", r.Metric)
			} else {
				parts[i] = fmt.Sprintf("%s has no fresh sample (last %s at %s)", r.Metric, readable(r.Observed), r.ObservedAt.UTC().Format(time.RFC3339))
			}
			continue
		}
		parts[i] = fmt.Sprintf("%s %s (target %s) asks for %d", r.Metric, readable(r.Observed), readable(r.Target), r.Desired)
	}
	return strings.Join(parts, ", ")
}

// readable rounds v to three significant digits for a log line, without
// an exponent: 1220.47 → "1220", 14.033 → "14", 1.2468 → "1.25",
// 0.03512 → "0.0351".
func readable(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	decimals := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	scale := math.Pow(10, float64(decimals))
	return strconv.FormatFloat(math.Round(v*scale)/scale, 'f', -1, 64)
}
