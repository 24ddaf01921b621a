package dag

import (
	"fmt"
	"slices"
	"strings"
)

// Cycles returns every dependency cycle in the graph: each strongly connected
// component of more than one vertex, and each vertex connected to itself. It
// returns nil for an acyclic graph.
//
// The members of a cycle are listed starting from the one added to the graph
// first and then following dependency edges, so for a simple cycle each
// member depends on the next and the last depends on the first. Cycles are
// ordered by their first member. The result is the same on every run for a
// graph built the same way. It costs O(V+E) and uses no recursion.
func (g *Graph[V]) Cycles() [][]V {
	s := g.snapshot(false)
	comps := s.cycles()
	if len(comps) == 0 {
		return nil
	}
	return nameCycles(s, comps)
}

// cycles finds the strongly connected components with Tarjan's algorithm,
// run with an explicit stack, and returns those that are cycles with their
// members in cycle order.
func (s *snapshot[V]) cycles() [][]int32 {
	n := s.len()
	const unvisited = -1
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = unvisited
	}
	type frame struct{ v, next int32 } // next: position in depAdj still to explore
	var (
		counter int32
		stack   []int32 // Tarjan's component stack
		calls   []frame // the DFS "call stack"
		comps   [][]int32
	)
	visit := func(v int32) {
		index[v], low[v] = counter, counter
		counter++
		stack = append(stack, v)
		onStack[v] = true
		calls = append(calls, frame{v, s.depOff[v]})
	}
	for root := range int32(n) {
		if index[root] != unvisited {
			continue
		}
		visit(root)
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.next < s.depOff[v+1] {
				w := s.depAdj[f.next]
				f.next++
				if index[w] == unvisited {
					visit(w)
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				p := calls[len(calls)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			i := len(stack) - 1
			for stack[i] != v {
				i--
			}
			comp := stack[i:]
			stack = stack[:i]
			for _, m := range comp {
				onStack[m] = false
			}
			if len(comp) > 1 || slices.Contains(s.deps(v), v) {
				comps = append(comps, slices.Clone(comp))
			}
		}
	}
	for i, c := range comps {
		comps[i] = s.cycleOrder(c)
	}
	slices.SortFunc(comps, func(a, b []int32) int { return int(a[0] - b[0]) })
	return comps
}

// cycleOrder lists the members of one strongly connected component starting
// from the lowest-numbered one and following dependency edges depth first,
// which for a simple cycle is the cycle itself.
func (s *snapshot[V]) cycleOrder(comp []int32) []int32 {
	member := make(map[int32]bool, len(comp))
	for _, m := range comp {
		member[m] = true
	}
	start := slices.Min(comp)
	out := make([]int32, 0, len(comp))
	seen := map[int32]bool{start: true}
	out = append(out, start)
	type frame struct{ v, next int32 }
	calls := []frame{{start, s.depOff[start]}}
	for len(calls) > 0 {
		f := &calls[len(calls)-1]
		if f.next == s.depOff[f.v+1] {
			calls = calls[:len(calls)-1]
			continue
		}
		w := s.depAdj[f.next]
		f.next++
		if member[w] && !seen[w] {
			seen[w] = true
			out = append(out, w)
			calls = append(calls, frame{w, s.depOff[w]})
		}
	}
	return out
}

// CycleError is returned when an operation needs an acyclic graph and the
// graph has cycles. Cycles holds them as Graph.Cycles returns them.
type CycleError[V comparable] struct {
	Cycles [][]V
}

// Error names every member of every cycle, for example
// "dependency cycle: a → b → c → a".
func (e *CycleError[V]) Error() string {
	var b strings.Builder
	if len(e.Cycles) == 1 {
		b.WriteString("dependency cycle: ")
	} else {
		fmt.Fprintf(&b, "%d dependency cycles: ", len(e.Cycles))
	}
	for i, c := range e.Cycles {
		if i > 0 {
			b.WriteString("; ")
		}
		for _, v := range c {
			fmt.Fprintf(&b, "%v → ", v)
		}
		if len(c) > 0 {
			fmt.Fprintf(&b, "%v", c[0])
		}
	}
	b.WriteString("; remove one dependency from each cycle")
	return b.String()
}
