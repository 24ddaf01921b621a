package dag

// TopologicalOrder returns every vertex after all of its dependencies.
// Vertices that depend on nothing come first, in vertex order, and the rest
// follow as their dependencies complete, so the order is the same on every
// run for a graph built the same way. If the graph has a cycle it returns a
// *CycleError naming every cycle and no order.
func (g *Graph[V]) TopologicalOrder() ([]V, error) {
	s := g.snapshot(false)
	ids := s.order()
	if len(ids) < s.len() {
		return nil, &CycleError[V]{Cycles: nameCycles(s, s.cycles())}
	}
	out := make([]V, len(ids))
	for i, id := range ids {
		out[i] = s.vs[id]
	}
	return out, nil
}

func nameCycles[V comparable](s *snapshot[V], comps [][]int32) [][]V {
	out := make([][]V, len(comps))
	for i, c := range comps {
		out[i] = make([]V, len(c))
		for j, id := range c {
			out[i][j] = s.vs[id]
		}
	}
	return out
}
