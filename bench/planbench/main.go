// Command planbench measures Engine.Plan on generated blueprints of 1,000,
// 10,000 and 50,000 std_null resources with refresh off, and prints the
// time, peak live heap and log-log slope of each shape against the targets
// of DESIGN.md §4 (10,000 resources under 2 s, slope at most 1.1).
//
// Usage: go run ./bench/planbench [-sizes 1000,10000,50000] [-runs 3]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/blueprint-engine/bp/bench"
)

func main() {
	sizesFlag := flag.String("sizes", "1000,10000,50000", "comma-separated resource counts")
	runs := flag.Int("runs", 3, "runs per case; the fastest is reported")
	flag.Parse()
	var sizes []int
	for _, s := range strings.Split(*sizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "planbench: bad size %q in -sizes\n", s)
			os.Exit(2)
		}
		sizes = append(sizes, n)
	}
	tmp, err := os.MkdirTemp("", "planbench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "planbench:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)

	fmt.Println("== plan, refresh off (fastest of", *runs, "runs; slope = log-log against the previous size)")
	fmt.Printf("%-8s %-9s %7s %10s %10s %10s %11s %6s\n", "shape", "state", "size", "load", "plan", "peak MiB", "alloc MiB", "slope")
	failed := false
	for _, shape := range []bench.Shape{bench.Count, bench.Blocks} {
		for _, deployed := range []bool{false, true} {
			var prev *bench.PlanResult
			for _, n := range sizes {
				c := bench.PlanCase{Shape: shape, N: n, Deployed: deployed}
				var best *bench.PlanResult
				for range *runs {
					r, err := bench.RunPlan(context.Background(), tmp, c)
					if err != nil {
						fmt.Fprintf(os.Stderr, "planbench: %s: %v\n", c, err)
						os.Exit(1)
					}
					if best == nil || r.Plan < best.Plan {
						best = &r
					}
				}
				slope := "-"
				if prev != nil {
					s := bench.Slope(prev.Case.N, prev.Plan, n, best.Plan)
					slope = fmt.Sprintf("%.2f", s)
					if s > 1.1 {
						slope += "!"
						failed = true
					}
				}
				mark := ""
				if n == 10000 && best.Plan > 2*time.Second {
					mark, failed = "!", true
				}
				st := "empty"
				if deployed {
					st = "deployed"
				}
				fmt.Printf("%-8s %-9s %7d %10s %10s %10.1f %11.1f %6s\n", shape, st, n,
					best.Load.Round(time.Millisecond), best.Plan.Round(time.Millisecond).String()+mark,
					float64(best.PeakHeap)/(1<<20), float64(best.Allocated)/(1<<20), slope)
				prev = best
			}
		}
	}
	if failed {
		fmt.Println("targets: 10,000 resources under 2s, slope <= 1.1 — MISSED where marked !")
	} else {
		fmt.Println("targets: 10,000 resources under 2s, slope <= 1.1 — met")
	}
}
