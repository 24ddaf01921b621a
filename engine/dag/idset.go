package dag

// smallSet is the size up to which an idSet finds members by scanning its
// slice; above it, the set keeps a position index. Most vertices have only a
// few edges, and a short scan is cheaper than a map for them.
const smallSet = 8

// idSet is a set of vertex ids that remembers insertion order. Add, remove
// and membership are O(1) amortized; iteration is in the order ids were added.
type idSet struct {
	items   []int32         // members in insertion order; removed slots hold -1
	index   map[int32]int32 // member → position in items; nil while the set is small
	removed int             // number of -1 holes in items
}

func (s *idSet) len() int { return len(s.items) - s.removed }

func (s *idSet) find(id int32) int {
	if s.index != nil {
		if i, ok := s.index[id]; ok {
			return int(i)
		}
		return -1
	}
	for i, x := range s.items {
		if x == id {
			return i
		}
	}
	return -1
}

func (s *idSet) has(id int32) bool { return s.find(id) >= 0 }

// add inserts id and reports whether it was new.
func (s *idSet) add(id int32) bool {
	if s.find(id) >= 0 {
		return false
	}
	s.items = append(s.items, id)
	if s.index != nil {
		s.index[id] = int32(len(s.items) - 1)
	} else if len(s.items) > smallSet {
		s.reindex()
	}
	return true
}

// remove deletes id and reports whether it was present.
func (s *idSet) remove(id int32) bool {
	i := s.find(id)
	if i < 0 {
		return false
	}
	s.items[i] = -1
	s.removed++
	if s.index != nil {
		delete(s.index, id)
	}
	if s.removed > len(s.items)/2 {
		s.compact()
	}
	return true
}

// each calls fn for every member in insertion order.
func (s *idSet) each(fn func(id int32)) {
	for _, x := range s.items {
		if x >= 0 {
			fn(x)
		}
	}
}

// compact drops the holes left by remove, keeping the order of the members.
func (s *idSet) compact() {
	live := s.items[:0]
	for _, x := range s.items {
		if x >= 0 {
			live = append(live, x)
		}
	}
	clear(s.items[len(live):])
	s.items = live
	s.removed = 0
	s.reindex()
}

// renumber rewrites every member through remap (old id → new id), which must
// keep every member (no -1 results for live members).
func (s *idSet) renumber(remap []int32) {
	live := s.items[:0]
	for _, x := range s.items {
		if x >= 0 {
			live = append(live, remap[x])
		}
	}
	s.items = live
	s.removed = 0
	s.reindex()
}

func (s *idSet) reindex() {
	if len(s.items) <= smallSet {
		s.index = nil
		return
	}
	s.index = make(map[int32]int32, len(s.items))
	for i, x := range s.items {
		if x >= 0 {
			s.index[x] = int32(i)
		}
	}
}

// mapped returns an independent copy of s with every member rewritten
// through remap (old id → new id).
func (s *idSet) mapped(remap []int32) idSet {
	c := idSet{}
	if s.len() > 0 {
		c.items = make([]int32, 0, s.len())
		s.each(func(id int32) { c.items = append(c.items, remap[id]) })
		c.reindex()
	}
	return c
}
