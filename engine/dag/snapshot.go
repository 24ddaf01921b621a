package dag

// snapshot is a compact, read-only copy of a graph's structure: vertices
// numbered densely 0..n-1 in vertex order, and edges in both directions as
// compressed adjacency arrays. The algorithms run on it so that they index
// slices instead of maps and so that a walk is unaffected by later changes to
// the graph.
type snapshot[V comparable] struct {
	vs     []V
	depOff []int32 // dependencies of i are depAdj[depOff[i]:depOff[i+1]]
	depAdj []int32
	dntOff []int32 // dependents of i are dntAdj[dntOff[i]:dntOff[i+1]]
	dntAdj []int32
}

// snapshot copies g's structure in O(V+E). With flip set, dependencies and
// dependents trade places, as in Reverse.
func (g *Graph[V]) snapshot(flip bool) *snapshot[V] {
	n := g.Len()
	s := &snapshot[V]{
		vs:     make([]V, 0, n),
		depOff: make([]int32, 1, n+1),
		depAdj: make([]int32, 0, g.edges),
		dntOff: make([]int32, 1, n+1),
		dntAdj: make([]int32, 0, g.edges),
	}
	remap := make([]int32, len(g.slots))
	for i := range g.slots {
		if g.slots[i].live {
			remap[i] = int32(len(s.vs))
			s.vs = append(s.vs, g.slots[i].v)
		}
	}
	for i := range g.slots {
		sl := &g.slots[i]
		if !sl.live {
			continue
		}
		deps, dnts := &sl.deps, &sl.dependents
		if flip {
			deps, dnts = dnts, deps
		}
		for _, d := range deps.items {
			if d >= 0 {
				s.depAdj = append(s.depAdj, remap[d])
			}
		}
		for _, d := range dnts.items {
			if d >= 0 {
				s.dntAdj = append(s.dntAdj, remap[d])
			}
		}
		s.depOff = append(s.depOff, int32(len(s.depAdj)))
		s.dntOff = append(s.dntOff, int32(len(s.dntAdj)))
	}
	return s
}

func (s *snapshot[V]) len() int { return len(s.vs) }

func (s *snapshot[V]) deps(i int32) []int32 { return s.depAdj[s.depOff[i]:s.depOff[i+1]] }

func (s *snapshot[V]) dependents(i int32) []int32 { return s.dntAdj[s.dntOff[i]:s.dntOff[i+1]] }

// order returns the vertices in dependency order (Kahn's algorithm: each
// vertex after all its dependencies, ties in vertex order as they become
// ready). It returns fewer than len() vertices when the graph has a cycle.
func (s *snapshot[V]) order() []int32 {
	n := s.len()
	pending := make([]int32, n)
	queue := make([]int32, 0, n)
	for i := range n {
		pending[i] = s.depOff[i+1] - s.depOff[i]
		if pending[i] == 0 {
			queue = append(queue, int32(i))
		}
	}
	for head := 0; head < len(queue); head++ {
		for _, d := range s.dependents(queue[head]) {
			if pending[d]--; pending[d] == 0 {
				queue = append(queue, d)
			}
		}
	}
	return queue
}
