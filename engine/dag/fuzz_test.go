package dag

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// model is a naive graph kept beside a Graph under test: ordered slices
// everywhere, so its answers are obviously right.
type model struct {
	order      []int
	deps, dnts map[int][]int
}

func (m *model) add(v int) {
	if !slices.Contains(m.order, v) {
		m.order = append(m.order, v)
	}
}

func (m *model) connect(a, b int) {
	m.add(a)
	m.add(b)
	if !slices.Contains(m.deps[a], b) {
		m.deps[a] = append(m.deps[a], b)
		m.dnts[b] = append(m.dnts[b], a)
	}
}

func (m *model) disconnect(a, b int) {
	m.deps[a] = slices.DeleteFunc(m.deps[a], func(x int) bool { return x == b })
	m.dnts[b] = slices.DeleteFunc(m.dnts[b], func(x int) bool { return x == a })
}

func (m *model) remove(v int) {
	for _, d := range slices.Clone(m.deps[v]) {
		m.disconnect(v, d)
	}
	for _, d := range slices.Clone(m.dnts[v]) {
		m.disconnect(d, v)
	}
	m.order = slices.DeleteFunc(m.order, func(x int) bool { return x == v })
}

// onCycle reports whether v can reach itself through dependency edges.
func (m *model) onCycle(v int) bool {
	seen := map[int]bool{}
	stack := slices.Clone(m.deps[v])
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == v {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, m.deps[x]...)
		}
	}
	return false
}

// FuzzGraph builds a graph from bytes — each triple is an operation and two
// vertices — alongside a naive model, then checks that the graph agrees with
// the model, that TopologicalOrder respects every edge and agrees with Cycles
// about acyclicity, and that a walk visits every vertex after its
// dependencies.
func FuzzGraph(f *testing.F) {
	f.Add([]byte{8, 0, 1, 2, 0, 2, 3})
	f.Add([]byte{4, 0, 0, 1, 0, 1, 0})
	f.Add([]byte{16, 0, 0, 0, 6, 0, 0, 0, 3, 4, 7, 3, 4})
	f.Add([]byte{40, 0, 1, 2, 0, 2, 3, 0, 3, 1, 0, 9, 10, 6, 2, 0, 5, 2, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := int(data[0])%64 + 1
		g := New[int]()
		m := &model{deps: map[int][]int{}, dnts: map[int][]int{}}
		for ops := data[1:]; len(ops) >= 3; ops = ops[3:] {
			a, b := int(ops[1])%n, int(ops[2])%n
			switch ops[0] % 8 {
			case 5:
				g.Add(a)
				m.add(a)
			case 6:
				g.Remove(a)
				m.remove(a)
			case 7:
				g.Disconnect(a, b)
				m.disconnect(a, b)
			default:
				g.Connect(a, b)
				m.connect(a, b)
			}
		}
		checkConsistent(t, g)
		if got := g.Vertices(); !slices.Equal(got, m.order) {
			t.Fatalf("Vertices() = %v, model %v", got, m.order)
		}
		for _, v := range m.order {
			if got := g.DependenciesOf(v); !slices.Equal(got, m.deps[v]) && len(got)+len(m.deps[v]) > 0 {
				t.Fatalf("DependenciesOf(%d) = %v, model %v", v, got, m.deps[v])
			}
			if got := g.DependentsOf(v); !slices.Equal(got, m.dnts[v]) && len(got)+len(m.dnts[v]) > 0 {
				t.Fatalf("DependentsOf(%d) = %v, model %v", v, got, m.dnts[v])
			}
		}

		cycles := g.Cycles()
		onCycle := map[int]bool{}
		for _, c := range cycles {
			for _, v := range c {
				if onCycle[v] {
					t.Fatalf("%d is in two cycles: %v", v, cycles)
				}
				onCycle[v] = true
			}
		}
		for _, v := range m.order {
			if onCycle[v] != m.onCycle(v) {
				t.Fatalf("Cycles() says %d on a cycle: %v; model says %v", v, onCycle[v], m.onCycle(v))
			}
		}

		order, err := g.TopologicalOrder()
		if (err != nil) != (len(cycles) > 0) {
			t.Fatalf("TopologicalOrder() error %v but Cycles() = %v", err, cycles)
		}
		if err != nil {
			return
		}
		checkOrder(t, g, order)
		for _, reverse := range []bool{false, true} {
			checkWalk(t, g, reverse)
		}
	})
}

// checkWalk walks g and fails if any vertex runs before its dependencies
// (dependents when reverse) have finished, or if any vertex does not succeed.
func checkWalk(t *testing.T, g *Graph[int], reverse bool) {
	done := map[int]*atomic.Bool{}
	for _, v := range g.Vertices() {
		done[v] = new(atomic.Bool)
	}
	res := g.Walk(context.Background(), WalkOptions{Parallelism: 4, Reverse: reverse}, func(_ context.Context, v int) error {
		before := g.DependenciesOf(v)
		if reverse {
			before = g.DependentsOf(v)
		}
		for _, d := range before {
			if !done[d].Load() {
				return fmt.Errorf("started before %d finished", d)
			}
		}
		done[v].Store(true)
		return nil
	})
	if err := res.Err(); err != nil || res.Count(Succeeded) != g.Len() {
		t.Fatalf("reverse=%v: %d of %d succeeded: %v", reverse, res.Count(Succeeded), g.Len(), err)
	}
}
