// Package bench holds Blueprint's end-to-end benchmarks: plan and apply at
// scale, plugin overhead and host convergence, each measured against its
// target in DESIGN.md §4. `make bench` runs them and prints the figures.
//
// The plan benchmark (PlanCase, RunPlan; BenchmarkPlan and the planbench
// command) generates blueprints of N std_null resources, declared with
// count and as N blocks, and plans them with refresh off against an empty
// and a fully deployed state, reporting time, peak live heap and the
// log-log slope between sizes.
package bench
