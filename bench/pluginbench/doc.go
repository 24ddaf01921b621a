// Package pluginbench measures what running a provider out of process
// costs, against the targets of DESIGN.md §4: starting a plugin up to its
// first answer (Launch + GetSchema, target under 20 ms) and the overhead
// added to each resource's plan and apply (target under 50 µs amortized),
// both with the std provider served by plugins/internal/testplugin.
//
// BenchmarkEngine measures the target as stated: the engine planning and
// applying 10,000 std_null resources through the plugin and in process.
// BenchmarkPlanApply and BenchmarkRoundTrip measure the provider calls
// alone. Besides wall time they report CPU time (bp's and the plugin's),
// which tells the protocol's cost apart from the machine's load.
//
// Run: go test -run '^$' -bench . -benchtime 20x ./bench/pluginbench
// (BenchmarkEngine takes about 35 s per operation: -bench Engine -benchtime 2x).
package pluginbench
