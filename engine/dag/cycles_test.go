package dag

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestCycles(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
		want  [][]string
	}{
		{
			name:  "none",
			specs: []string{"c->b", "b->a", "c->a", "d"},
		},
		{
			name:  "empty graph",
			specs: nil,
		},
		{
			name:  "2-cycle",
			specs: []string{"a->b", "b->a"},
			want:  [][]string{{"a", "b"}},
		},
		{
			name:  "3-cycle follows the edges",
			specs: []string{"a", "b", "c", "a->c", "c->b", "b->a"},
			want:  [][]string{{"a", "c", "b"}},
		},
		{
			name:  "two separate cycles ordered by first member",
			specs: []string{"x", "a", "y->x", "x->y", "a->b", "b->c", "c->a"},
			want:  [][]string{{"x", "y"}, {"a", "b", "c"}},
		},
		{
			name:  "self-loop",
			specs: []string{"a->a", "b->a"},
			want:  [][]string{{"a"}},
		},
		{
			name:  "cycle plus tail",
			specs: []string{"tail->a", "a->b", "b->c", "c->a", "c->sink"},
			want:  [][]string{{"a", "b", "c"}},
		},
		{
			name:  "self-loop inside a larger cycle is one component",
			specs: []string{"a->b", "b->a", "b->b"},
			want:  [][]string{{"a", "b"}},
		},
		{
			name:  "figure eight is one component",
			specs: []string{"a->b", "b->a", "b->c", "c->b"},
			want:  [][]string{{"a", "b", "c"}},
		},
		{
			name:  "self-loop and cycle reported apart",
			specs: []string{"s->s", "p->q", "q->p", "p->s"},
			want:  [][]string{{"s"}, {"p", "q"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := build(t, tc.specs...)
			got := g.Cycles()
			if !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Fatalf("Cycles() = %v, want %v", got, tc.want)
			}
			for _, c := range got {
				checkIsCycle(t, g, c)
			}
			_, err := g.TopologicalOrder()
			if (err != nil) != (len(tc.want) > 0) {
				t.Fatalf("TopologicalOrder() error = %v, but Cycles() = %v", err, got)
			}
		})
	}
}

// checkIsCycle verifies that the members of c all reach one another through
// dependency edges, and that a cycle reported as simple (each member's next
// one is a dependency) is closed.
func checkIsCycle[V comparable](t *testing.T, g *Graph[V], c []V) {
	t.Helper()
	if len(c) == 1 {
		if !g.HasEdge(c[0], c[0]) {
			t.Fatalf("single-member cycle %v has no self-edge", c)
		}
		return
	}
	for _, v := range c {
		anc := g.Ancestors(v)
		for _, w := range c {
			if w != v && !contains(anc, w) {
				t.Fatalf("%v in cycle %v does not depend on %v", v, c, w)
			}
		}
	}
}

func TestCycleError(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
		want  string
	}{
		{
			name:  "one cycle",
			specs: []string{"a->b", "b->c", "c->a"},
			want:  "dependency cycle: a → b → c → a; remove one dependency from each cycle",
		},
		{
			name:  "two cycles",
			specs: []string{"a->a", "x->y", "y->x"},
			want:  "2 dependency cycles: a → a; x → y → x; remove one dependency from each cycle",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := build(t, tc.specs...).TopologicalOrder()
			var ce *CycleError[string]
			if !errors.As(err, &ce) {
				t.Fatalf("TopologicalOrder() error = %v, want a *CycleError", err)
			}
			if err.Error() != tc.want {
				t.Fatalf("Error() = %q\nwant      %q", err.Error(), tc.want)
			}
		})
	}
}

func TestTopologicalOrder(t *testing.T) {
	tests := []struct {
		name  string
		specs []string
		want  []string
	}{
		{"empty", nil, []string{}},
		{"chain", []string{"c->b", "b->a"}, []string{"a", "b", "c"}},
		{"diamond", []string{"d->b", "d->c", "b->a", "c->a"}, []string{"a", "b", "c", "d"}},
		{"independent vertices keep insertion order", []string{"z", "y", "x"}, []string{"z", "y", "x"}},
		{
			name:  "ready vertices follow in the order they become ready",
			specs: []string{"app->db", "app->net", "db->net", "dns->lb", "lb->app", "mon"},
			want:  []string{"net", "mon", "db", "app", "lb", "dns"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := build(t, tc.specs...)
			got, err := g.TopologicalOrder()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("TopologicalOrder() = %v, want %v", got, tc.want)
			}
			checkOrder(t, g, got)
		})
	}
}

// checkOrder verifies that order lists every vertex once, each after all of
// its dependencies.
func checkOrder[V comparable](t testing.TB, g *Graph[V], order []V) {
	t.Helper()
	pos := make(map[V]int, len(order))
	for i, v := range order {
		if _, dup := pos[v]; dup {
			t.Fatalf("%v appears twice in the order", v)
		}
		pos[v] = i
	}
	if len(pos) != g.Len() {
		t.Fatalf("order has %d vertices, graph has %d", len(pos), g.Len())
	}
	for _, e := range g.Edges() {
		if pos[e.Dependency] >= pos[e.Dependent] {
			t.Fatalf("%v comes before its dependency %v", e.Dependent, e.Dependency)
		}
	}
}

// TestLongChain runs the algorithms on a 100,000-vertex chain, deep enough
// to overflow any recursion, and then on the same chain closed into a cycle.
func TestLongChain(t *testing.T) {
	const n = 100_000
	g := chain(n)
	if c := g.Cycles(); c != nil {
		t.Fatalf("Cycles() on a chain found %d cycles", len(c))
	}
	order, err := g.TopologicalOrder()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range order {
		if v != i {
			t.Fatalf("order[%d] = %d", i, v)
		}
	}
	if got := len(g.Ancestors(n - 1)); got != n-1 {
		t.Fatalf("Ancestors of the last vertex: %d, want %d", got, n-1)
	}

	g.Connect(0, n-1)
	cycles := g.Cycles()
	if len(cycles) != 1 || len(cycles[0]) != n {
		t.Fatalf("closed chain: got %d cycles, want one of %d", len(cycles), n)
	}
	// Starting from vertex 0 and following dependencies: 0 → n-1 → n-2 → … → 1.
	for i, v := range cycles[0] {
		want := (n - i) % n
		if v != want {
			t.Fatalf("cycle[%d] = %d, want %d", i, v, want)
		}
	}
	if _, err := g.TopologicalOrder(); err == nil {
		t.Fatal("TopologicalOrder() on a cycle returned no error")
	}
}

func ExampleGraph_Cycles() {
	g := New[string]()
	g.Connect("web", "db")
	g.Connect("db", "network")
	g.Connect("network", "web")
	g.Connect("dns", "web")
	fmt.Println(g.Cycles())
	// Output: [[web db network]]
}
