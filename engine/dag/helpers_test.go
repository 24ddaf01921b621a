package dag

import (
	"fmt"
	"strings"
	"testing"
)

// build returns a graph of string vertices from specs such as "a" (a lone
// vertex) and "a->b" (a depends on b), added in the order given.
func build(t testing.TB, specs ...string) *Graph[string] {
	t.Helper()
	g := New[string]()
	for _, s := range specs {
		from, to, ok := strings.Cut(s, "->")
		if !ok {
			g.Add(s)
			continue
		}
		g.Connect(from, to)
	}
	return g
}

// checkConsistent verifies the graph's internal bookkeeping through its
// public API: both directions of every edge agree and the counts match.
func checkConsistent[V comparable](t testing.TB, g *Graph[V]) {
	t.Helper()
	vs := g.Vertices()
	if len(vs) != g.Len() {
		t.Fatalf("Vertices() has %d, Len() = %d", len(vs), g.Len())
	}
	deps, dnts := 0, 0
	for _, v := range vs {
		if !g.Has(v) {
			t.Fatalf("Vertices() lists %v but Has is false", v)
		}
		for _, d := range g.DependenciesOf(v) {
			deps++
			if !g.Has(d) {
				t.Fatalf("%v depends on %v, which is not in the graph", v, d)
			}
			if !contains(g.DependentsOf(d), v) {
				t.Fatalf("%v depends on %v but is not among its dependents", v, d)
			}
		}
		for _, d := range g.DependentsOf(v) {
			dnts++
			if !g.HasEdge(d, v) {
				t.Fatalf("%v listed as dependent of %v but HasEdge is false", d, v)
			}
		}
	}
	if deps != g.EdgeCount() || dnts != g.EdgeCount() || len(g.Edges()) != g.EdgeCount() {
		t.Fatalf("edge counts disagree: dependencies %d, dependents %d, Edges %d, EdgeCount %d",
			deps, dnts, len(g.Edges()), g.EdgeCount())
	}
}

func contains[V comparable](s []V, v V) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// chain returns a graph of n int vertices where each depends on the previous.
func chain(n int) *Graph[int] {
	g := New[int]()
	g.Add(0)
	for i := 1; i < n; i++ {
		g.Connect(i, i-1)
	}
	return g
}

func names(vs []string) string { return fmt.Sprint(vs) }
