package dag

import (
	"slices"
	"testing"
)

func TestGraphQueries(t *testing.T) {
	// d depends on b and c, which both depend on a; e stands alone.
	g := build(t, "a", "b->a", "c->a", "d->b", "d->c", "e")
	checkConsistent(t, g)
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"Vertices in insertion order", g.Vertices(), []string{"a", "b", "c", "d", "e"}},
		{"DependenciesOf d in connect order", g.DependenciesOf("d"), []string{"b", "c"}},
		{"DependentsOf a in connect order", g.DependentsOf("a"), []string{"b", "c"}},
		{"DependenciesOf leaf", g.DependenciesOf("a"), nil},
		{"DependenciesOf missing", g.DependenciesOf("zz"), nil},
		{"Roots: nothing depends on them", g.Roots(), []string{"d", "e"}},
		{"Leaves: depend on nothing", g.Leaves(), []string{"a", "e"}},
		{"Ancestors of d", g.Ancestors("d"), []string{"b", "c", "a"}},
		{"Descendants of a", g.Descendants("a"), []string{"b", "c", "d"}},
		{"Descendants of root", g.Descendants("d"), nil},
		{"Ancestors of missing", g.Ancestors("zz"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Equal(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if g.Len() != 5 || g.EdgeCount() != 4 {
		t.Errorf("Len, EdgeCount = %d, %d; want 5, 4", g.Len(), g.EdgeCount())
	}
}

func TestZeroGraphIsUsable(t *testing.T) {
	var g Graph[string]
	if g.Has("a") || g.Len() != 0 || g.Remove("a") || g.Disconnect("a", "b") || g.HasEdge("a", "b") {
		t.Fatal("empty zero graph reports content")
	}
	if got := g.Cycles(); got != nil {
		t.Fatalf("Cycles() = %v", got)
	}
	if order, err := g.TopologicalOrder(); err != nil || len(order) != 0 {
		t.Fatalf("TopologicalOrder() = %v, %v", order, err)
	}
	g.Connect("a", "b")
	if !g.HasEdge("a", "b") || g.Len() != 2 {
		t.Fatal("Connect on the zero graph did not add the edge and its vertices")
	}
}

func TestAddAndConnectAreIdempotent(t *testing.T) {
	g := New[string]()
	if !g.Add("a") || g.Add("a") {
		t.Error("Add should report true once, then false")
	}
	if !g.Connect("a", "b") || g.Connect("a", "b") {
		t.Error("Connect should report true once, then false")
	}
	if g.EdgeCount() != 1 || !slices.Equal(g.DependenciesOf("a"), []string{"b"}) {
		t.Errorf("duplicate edge kept: EdgeCount %d, deps %v", g.EdgeCount(), g.DependenciesOf("a"))
	}
	checkConsistent(t, g)
}

func TestRemove(t *testing.T) {
	tests := []struct {
		name      string
		specs     []string
		remove    string
		wantVerts []string
		wantEdges []Edge[string]
	}{
		{
			name:      "middle of chain",
			specs:     []string{"c->b", "b->a"},
			remove:    "b",
			wantVerts: []string{"c", "a"},
		},
		{
			name:      "hub keeps other edges",
			specs:     []string{"x->hub", "hub->y", "x->y"},
			remove:    "hub",
			wantVerts: []string{"x", "y"},
			wantEdges: []Edge[string]{{"x", "y"}},
		},
		{
			name:      "self-edge counted once",
			specs:     []string{"a->a", "b->a"},
			remove:    "a",
			wantVerts: []string{"b"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := build(t, tc.specs...)
			if !g.Remove(tc.remove) {
				t.Fatal("Remove reported the vertex absent")
			}
			if g.Remove(tc.remove) {
				t.Fatal("second Remove reported the vertex present")
			}
			checkConsistent(t, g)
			if got := g.Vertices(); !slices.Equal(got, tc.wantVerts) {
				t.Errorf("Vertices() = %v, want %v", got, tc.wantVerts)
			}
			if got := g.Edges(); !slices.Equal(got, tc.wantEdges) && len(got)+len(tc.wantEdges) > 0 {
				t.Errorf("Edges() = %v, want %v", got, tc.wantEdges)
			}
		})
	}
}

// TestRemoveManyKeepsOrder removes enough vertices to make the graph and the
// large adjacency sets compact themselves, then checks that order and edges
// survived.
func TestRemoveManyKeepsOrder(t *testing.T) {
	g := New[int]()
	const n = 2000
	for i := 1; i < n; i++ {
		g.Connect(i, 0) // a hub with a large dependents set
		if i > 1 {
			g.Connect(i, i-1)
		}
	}
	for i := 1; i < n; i++ {
		if i%3 != 0 {
			g.Remove(i)
		}
	}
	checkConsistent(t, g)
	var want []int
	want = append(want, 0)
	for i := 3; i < n; i += 3 {
		want = append(want, i)
	}
	if got := g.Vertices(); !slices.Equal(got, want) {
		t.Fatalf("Vertices() after removals = %v…, want %v…", got[:5], want[:5])
	}
	if got := g.DependentsOf(0); !slices.Equal(got, want[1:]) {
		t.Fatalf("DependentsOf(0) lost order: %v…", got[:5])
	}
	if g.EdgeCount() != len(want)-1 {
		t.Fatalf("EdgeCount() = %d, want %d", g.EdgeCount(), len(want)-1)
	}
	// New vertices still go to the end.
	g.Connect(-1, 0)
	if vs := g.Vertices(); vs[len(vs)-1] != -1 {
		t.Fatalf("vertex added after compaction is not last: %v", vs[len(vs)-3:])
	}
	checkConsistent(t, g)
}

func TestDisconnect(t *testing.T) {
	g := build(t, "a->b", "a->c")
	if !g.Disconnect("a", "b") || g.Disconnect("a", "b") || g.Disconnect("b", "a") {
		t.Fatal("Disconnect should report true once for an existing edge only")
	}
	if !g.Has("b") || g.HasEdge("a", "b") || !g.HasEdge("a", "c") {
		t.Fatal("Disconnect removed the wrong thing")
	}
	checkConsistent(t, g)
}

func TestReverseAndClone(t *testing.T) {
	g := build(t, "b->a", "c->a", "c->b", "d")
	r := g.Reverse()
	checkConsistent(t, r)
	if !slices.Equal(r.Vertices(), g.Vertices()) {
		t.Errorf("Reverse changed vertex order: %v", r.Vertices())
	}
	// Vertex order is b, a, c, d: edges are grouped by dependent in that order.
	want := []Edge[string]{{"b", "c"}, {"a", "b"}, {"a", "c"}}
	if got := r.Edges(); !slices.Equal(got, want) {
		t.Errorf("Reverse().Edges() = %v, want %v", got, want)
	}
	c := g.Clone()
	checkConsistent(t, c)
	if !slices.Equal(c.Edges(), g.Edges()) || !slices.Equal(c.Vertices(), g.Vertices()) {
		t.Errorf("Clone differs: %v vs %v", c.Edges(), g.Edges())
	}
	c.Remove("a")
	r.Connect("d", "a")
	if !g.Has("a") || g.HasEdge("d", "a") || g.EdgeCount() != 3 {
		t.Error("changing a copy changed the original")
	}
}
