package dag

// Graph is a directed graph of vertices of type V whose edges mean "depends
// on". The zero value is an empty graph ready to use.
//
// Vertices are listed in the order they were added, and each vertex's edges
// in the order they were connected, so everything derived from a graph built
// the same way (orders, cycles, DOT output) is the same on every run.
//
// A Graph is not safe for concurrent mutation; concurrent reads are safe
// while nothing mutates it.
type Graph[V comparable] struct {
	ids   map[V]int32 // live vertex → slot
	slots []slot[V]   // in insertion order; removed vertices leave dead slots
	dead  int         // number of dead slots
	edges int         // number of edges
}

// slot is one vertex and its edges in both directions.
type slot[V comparable] struct {
	v          V
	live       bool
	deps       idSet // what this vertex depends on
	dependents idSet // what depends on this vertex
}

// Edge is one dependency: Dependent depends on Dependency.
type Edge[V comparable] struct {
	Dependent  V
	Dependency V
}

// New returns an empty graph. It is the same as the zero Graph.
func New[V comparable]() *Graph[V] { return &Graph[V]{} }

// Len returns the number of vertices.
func (g *Graph[V]) Len() int { return len(g.slots) - g.dead }

// EdgeCount returns the number of edges.
func (g *Graph[V]) EdgeCount() int { return g.edges }

// Add adds v to the graph and reports whether it was new. Adding a vertex
// that is already present changes nothing.
func (g *Graph[V]) Add(v V) bool {
	if _, ok := g.ids[v]; ok {
		return false
	}
	if g.ids == nil {
		g.ids = make(map[V]int32)
	}
	g.ids[v] = int32(len(g.slots))
	g.slots = append(g.slots, slot[V]{v: v, live: true})
	return true
}

// Has reports whether v is in the graph.
func (g *Graph[V]) Has(v V) bool {
	_, ok := g.ids[v]
	return ok
}

// Remove deletes v and every edge to or from it, and reports whether v was
// present. It costs O(degree of v) amortized.
func (g *Graph[V]) Remove(v V) bool {
	id, ok := g.ids[v]
	if !ok {
		return false
	}
	s := &g.slots[id]
	gone := s.deps.len() + s.dependents.len()
	if s.deps.has(id) {
		gone-- // a self-edge is in both sets but is one edge
	}
	g.edges -= gone
	s.deps.each(func(d int32) { g.slots[d].dependents.remove(id) })
	s.dependents.each(func(d int32) { g.slots[d].deps.remove(id) })
	*s = slot[V]{}
	delete(g.ids, v)
	g.dead++
	if g.dead > 32 && g.dead > len(g.slots)/2 {
		g.compact()
	}
	return true
}

// compact drops dead slots and renumbers the live ones, keeping their order.
func (g *Graph[V]) compact() {
	remap := make([]int32, len(g.slots))
	live := g.slots[:0]
	for i := range g.slots {
		if !g.slots[i].live {
			remap[i] = -1
			continue
		}
		remap[i] = int32(len(live))
		live = append(live, g.slots[i])
	}
	clear(g.slots[len(live):])
	g.slots = live
	g.dead = 0
	for i := range g.slots {
		s := &g.slots[i]
		s.deps.renumber(remap)
		s.dependents.renumber(remap)
		g.ids[s.v] = int32(i)
	}
}

// Connect records that dependent depends on dependency, adding either vertex
// if it is not in the graph yet, and reports whether the edge was new.
// Connecting the same pair twice keeps one edge. A vertex connected to itself
// is a cycle: Cycles reports it and TopologicalOrder and Walk refuse the
// graph.
func (g *Graph[V]) Connect(dependent, dependency V) bool {
	g.Add(dependent)
	g.Add(dependency)
	from, to := g.ids[dependent], g.ids[dependency]
	if !g.slots[from].deps.add(to) {
		return false
	}
	g.slots[to].dependents.add(from)
	g.edges++
	return true
}

// Disconnect removes the edge from dependent to dependency and reports
// whether it was present. The vertices stay.
func (g *Graph[V]) Disconnect(dependent, dependency V) bool {
	from, ok1 := g.ids[dependent]
	to, ok2 := g.ids[dependency]
	if !ok1 || !ok2 || !g.slots[from].deps.remove(to) {
		return false
	}
	g.slots[to].dependents.remove(from)
	g.edges--
	return true
}

// HasEdge reports whether dependent depends directly on dependency.
func (g *Graph[V]) HasEdge(dependent, dependency V) bool {
	from, ok1 := g.ids[dependent]
	to, ok2 := g.ids[dependency]
	return ok1 && ok2 && g.slots[from].deps.has(to)
}

// Vertices returns every vertex in the order it was added.
func (g *Graph[V]) Vertices() []V {
	out := make([]V, 0, g.Len())
	for i := range g.slots {
		if g.slots[i].live {
			out = append(out, g.slots[i].v)
		}
	}
	return out
}

// Edges returns every edge, grouped by dependent in vertex order, each
// dependent's edges in the order they were connected.
func (g *Graph[V]) Edges() []Edge[V] {
	out := make([]Edge[V], 0, g.edges)
	for i := range g.slots {
		s := &g.slots[i]
		s.deps.each(func(d int32) {
			out = append(out, Edge[V]{Dependent: s.v, Dependency: g.slots[d].v})
		})
	}
	return out
}

// DependenciesOf returns the vertices v depends on directly, in the order
// they were connected; nil if v has none or is not in the graph.
func (g *Graph[V]) DependenciesOf(v V) []V {
	id, ok := g.ids[v]
	if !ok {
		return nil
	}
	return g.values(&g.slots[id].deps)
}

// DependentsOf returns the vertices that depend directly on v, in the order
// they were connected; nil if there are none or v is not in the graph.
func (g *Graph[V]) DependentsOf(v V) []V {
	id, ok := g.ids[v]
	if !ok {
		return nil
	}
	return g.values(&g.slots[id].dependents)
}

func (g *Graph[V]) values(s *idSet) []V {
	if s.len() == 0 {
		return nil
	}
	out := make([]V, 0, s.len())
	s.each(func(id int32) { out = append(out, g.slots[id].v) })
	return out
}

// Roots returns the vertices nothing depends on, in vertex order: the last
// ones a walk reaches.
func (g *Graph[V]) Roots() []V {
	var out []V
	for i := range g.slots {
		if s := &g.slots[i]; s.live && s.dependents.len() == 0 {
			out = append(out, s.v)
		}
	}
	return out
}

// Leaves returns the vertices that depend on nothing, in vertex order: the
// ones a walk starts with.
func (g *Graph[V]) Leaves() []V {
	var out []V
	for i := range g.slots {
		if s := &g.slots[i]; s.live && s.deps.len() == 0 {
			out = append(out, s.v)
		}
	}
	return out
}

// Ancestors returns every vertex v depends on, directly or transitively, in
// breadth-first order from v. It never includes v itself, even when v is on a
// cycle, and returns nil if v is not in the graph.
func (g *Graph[V]) Ancestors(v V) []V {
	return g.reach(v, func(s *slot[V]) *idSet { return &s.deps })
}

// Descendants returns every vertex that depends on v, directly or
// transitively, in breadth-first order from v: everything a failure of v
// would skip. It never includes v itself and returns nil if v is not in the
// graph.
func (g *Graph[V]) Descendants(v V) []V {
	return g.reach(v, func(s *slot[V]) *idSet { return &s.dependents })
}

func (g *Graph[V]) reach(v V, next func(*slot[V]) *idSet) []V {
	start, ok := g.ids[v]
	if !ok {
		return nil
	}
	seen := map[int32]struct{}{start: {}}
	queue := []int32{start}
	var out []V
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		next(&g.slots[id]).each(func(n int32) {
			if _, ok := seen[n]; ok {
				return
			}
			seen[n] = struct{}{}
			queue = append(queue, n)
			out = append(out, g.slots[n].v)
		})
	}
	return out
}

// Clone returns an independent copy of g with the same vertices and edges in
// the same order.
func (g *Graph[V]) Clone() *Graph[V] {
	return g.copy(false)
}

// Reverse returns a copy of g with every edge flipped: wherever A depended on
// B, B depends on A. Vertex order is kept. Walking the reversed graph visits
// dependents before their dependencies, the order for destroying things.
func (g *Graph[V]) Reverse() *Graph[V] {
	return g.copy(true)
}

func (g *Graph[V]) copy(flip bool) *Graph[V] {
	c := &Graph[V]{
		ids:   make(map[V]int32, g.Len()),
		slots: make([]slot[V], 0, g.Len()),
		edges: g.edges,
	}
	remap := make([]int32, len(g.slots))
	for i := range g.slots {
		if s := &g.slots[i]; s.live {
			remap[i] = int32(len(c.slots))
			c.ids[s.v] = remap[i]
			c.slots = append(c.slots, slot[V]{v: s.v, live: true})
		}
	}
	for i := range g.slots {
		s := &g.slots[i]
		if !s.live {
			continue
		}
		n := &c.slots[remap[i]]
		n.deps, n.dependents = s.deps.mapped(remap), s.dependents.mapped(remap)
		if flip {
			n.deps, n.dependents = n.dependents, n.deps
		}
	}
	return c
}
