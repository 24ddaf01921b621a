// Package bench holds Blueprint's end-to-end benchmarks: plan and apply at
// scale, plugin overhead and host convergence, each measured against its
// target in DESIGN.md §4. `make bench` runs them and prints the figures.
package bench
