// Package pluginbench measures what running a provider out of process
// costs, against the targets of DESIGN.md §4: starting a plugin up to its
// first answer (Launch + GetSchema, target under 20 ms) and the round trip
// added to each resource's plan and apply (target under 50 µs), both with
// the std provider served by plugins/internal/testplugin.
//
// Run: go test -run '^$' -bench . ./bench/pluginbench
package pluginbench
