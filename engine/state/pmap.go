package state

// A persistent hash map, so that a snapshot of a State costs nothing and a
// change after it copies only the path to what changed.
//
// A State's resources, and each resource's instances, are hash array mapped
// tries: 64-way nodes indexed by 6 bits of the key's hash at each level.
// Nodes are never changed once another State may see them: each node
// records the editor that made it, and a map changes a node in place only
// when it is the node's editor; otherwise it copies the node (and the
// nodes above it). Taking a snapshot just forgets the editor, so both the
// snapshot and the original copy what they change from then on. A change
// therefore costs O(log₆₄ n) node copies, once per snapshot, and a snapshot
// O(1) whatever the size of the state.

import (
	"hash/maphash"
	"iter"
	"math/bits"
)

// editor identifies the State allowed to change the nodes it made in
// place. It must not be of size zero: distinct editors need distinct
// addresses.
type editor struct{ _ byte }

// hashSeed seeds the hashes of every map in the process, so that maps with
// the same keys have the same shape and diff cheaply.
var hashSeed = maphash.MakeSeed()

const (
	pmapBits  = 6
	pmapWidth = 1 << pmapBits
	hashBits  = 64
)

// pmap is a persistent map from K to V. Its zero value is empty. Copying a
// pmap value shares its nodes; both copies stay correct as long as each is
// changed only with its own editor (or nil, which copies every node it
// changes).
type pmap[K comparable, V comparable] struct {
	root *pnode[K, V]
	n    int
}

// pnode is a trie node. Below hashBits of depth, where the whole hash is
// used up, a node is a collision list: bitmap is 0 and slots hold entries
// with the same hash.
type pnode[K comparable, V comparable] struct {
	owner  *editor
	bitmap uint64
	slots  []pslot[K, V] // one per set bit, in bit order
}

// pslot is a subtree (child != nil) or an entry.
type pslot[K comparable, V comparable] struct {
	child *pnode[K, V]
	hash  uint64
	key   K
	val   V
}

func hashOf[K comparable](k K) uint64 {
	return maphash.Comparable(hashSeed, k)
}

// Len returns the number of entries.
func (m *pmap[K, V]) Len() int { return m.n }

// Get returns the value for k.
func (m *pmap[K, V]) Get(k K) (V, bool) {
	return m.root.get(hashOf(k), k)
}

// get looks k, of hash h, up below n.
func (n *pnode[K, V]) get(h uint64, k K) (V, bool) {
	for shift := uint(0); n != nil; shift += pmapBits {
		if shift >= hashBits {
			for i := range n.slots {
				if n.slots[i].key == k {
					return n.slots[i].val, true
				}
			}
			break
		}
		bit := uint64(1) << ((h >> shift) & (pmapWidth - 1))
		if n.bitmap&bit == 0 {
			break
		}
		s := &n.slots[bits.OnesCount64(n.bitmap&(bit-1))]
		if s.child == nil {
			if s.key == k {
				return s.val, true
			}
			break
		}
		n = s.child
	}
	var zero V
	return zero, false
}

// Set maps k to v, changing in place the nodes ed made.
func (m *pmap[K, V]) Set(ed *editor, k K, v V) {
	var added bool
	m.root, added = m.root.set(ed, 0, hashOf(k), k, v)
	if added {
		m.n++
	}
}

// Delete removes k, changing in place the nodes ed made.
func (m *pmap[K, V]) Delete(ed *editor, k K) {
	if m.root == nil {
		return
	}
	root, removed := m.root.delete(ed, 0, hashOf(k), k)
	if !removed {
		return
	}
	m.n--
	if m.n == 0 {
		root = nil
	}
	m.root = root
}

// All yields every entry, in no particular order.
func (m *pmap[K, V]) All() iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		m.root.each(yield)
	}
}

// Keys yields every key, in no particular order.
func (m *pmap[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		m.root.each(func(k K, _ V) bool { return yield(k) })
	}
}

func (n *pnode[K, V]) each(yield func(K, V) bool) bool {
	if n == nil {
		return true
	}
	for i := range n.slots {
		s := &n.slots[i]
		if s.child != nil {
			if !s.child.each(yield) {
				return false
			}
		} else if !yield(s.key, s.val) {
			return false
		}
	}
	return true
}

// editable returns n, or a copy of n that ed may change when n is not ed's.
func (n *pnode[K, V]) editable(ed *editor, extra int) *pnode[K, V] {
	if ed != nil && n.owner == ed {
		return n
	}
	c := &pnode[K, V]{owner: ed, bitmap: n.bitmap, slots: make([]pslot[K, V], len(n.slots), len(n.slots)+extra)}
	copy(c.slots, n.slots)
	return c
}

func (n *pnode[K, V]) set(ed *editor, shift uint, h uint64, k K, v V) (*pnode[K, V], bool) {
	if n == nil {
		n = &pnode[K, V]{owner: ed}
	}
	if shift >= hashBits {
		for i := range n.slots {
			if n.slots[i].key == k {
				if n.slots[i].val == v {
					return n, false
				}
				n = n.editable(ed, 0)
				n.slots[i].val = v
				return n, false
			}
		}
		n = n.editable(ed, 1)
		n.slots = append(n.slots, pslot[K, V]{hash: h, key: k, val: v})
		return n, true
	}
	bit := uint64(1) << ((h >> shift) & (pmapWidth - 1))
	i := bits.OnesCount64(n.bitmap & (bit - 1))
	if n.bitmap&bit == 0 {
		n = n.editable(ed, 1)
		n.bitmap |= bit
		n.slots = append(n.slots, pslot[K, V]{})
		copy(n.slots[i+1:], n.slots[i:])
		n.slots[i] = pslot[K, V]{hash: h, key: k, val: v}
		return n, true
	}
	s := n.slots[i]
	switch {
	case s.child != nil:
		child, added := s.child.set(ed, shift+pmapBits, h, k, v)
		if child != s.child {
			n = n.editable(ed, 0)
			n.slots[i].child = child
		}
		return n, added
	case s.key == k:
		if s.val != v {
			n = n.editable(ed, 0)
			n.slots[i].val = v
		}
		return n, false
	default:
		// Two entries share this slot: push both one level down.
		child, _ := (*pnode[K, V])(nil).set(ed, shift+pmapBits, s.hash, s.key, s.val)
		child, _ = child.set(ed, shift+pmapBits, h, k, v)
		n = n.editable(ed, 0)
		n.slots[i] = pslot[K, V]{child: child}
		return n, true
	}
}

// delete removes k below n and returns what replaces n: nil when nothing
// is left. A subtree left with a single entry is folded into its parent,
// so a map's shape depends only on its keys.
func (n *pnode[K, V]) delete(ed *editor, shift uint, h uint64, k K) (*pnode[K, V], bool) {
	var i int
	var bit uint64 // the bit to clear, for an entry in a trie node
	if shift >= hashBits {
		i = -1
		for j := range n.slots {
			if n.slots[j].key == k {
				i = j
			}
		}
		if i < 0 {
			return n, false
		}
	} else {
		bit = uint64(1) << ((h >> shift) & (pmapWidth - 1))
		if n.bitmap&bit == 0 {
			return n, false
		}
		i = bits.OnesCount64(n.bitmap & (bit - 1))
		if s := n.slots[i]; s.child != nil {
			child, removed := s.child.delete(ed, shift+pmapBits, h, k)
			if !removed {
				return n, false
			}
			n = n.editable(ed, 0)
			if len(child.slots) == 1 && child.slots[0].child == nil {
				n.slots[i] = child.slots[0]
			} else {
				n.slots[i].child = child
			}
			return n, true
		} else if s.key != k {
			return n, false
		}
	}
	n = n.editable(ed, 0)
	n.bitmap &^= bit
	n.slots = append(n.slots[:i], n.slots[i+1:]...)
	n.slots[len(n.slots):cap(n.slots)][0] = pslot[K, V]{}
	return n, true
}

// pmapDiff calls fn for every key whose entry differs between a and b:
// present in one only, or with different values. Subtrees a and b share
// are skipped, so diffing a map against an earlier version of itself costs
// what changed between them, not the size of the map.
func pmapDiff[K comparable, V comparable](a, b *pmap[K, V], fn func(k K, av V, inA bool, bv V, inB bool)) {
	diffNodes(a.root, b.root, 0, fn)
}

func diffNodes[K comparable, V comparable](a, b *pnode[K, V], shift uint, fn func(K, V, bool, V, bool)) {
	if a == b {
		return
	}
	if a == nil || b == nil || shift >= hashBits {
		diffEntries(a, b, fn)
		return
	}
	for all := a.bitmap | b.bitmap; all != 0; all &= all - 1 {
		bit := all & -all
		var sa, sb *pslot[K, V]
		if a.bitmap&bit != 0 {
			sa = &a.slots[bits.OnesCount64(a.bitmap&(bit-1))]
		}
		if b.bitmap&bit != 0 {
			sb = &b.slots[bits.OnesCount64(b.bitmap&(bit-1))]
		}
		switch {
		case sa != nil && sb != nil && sa.child != nil && sb.child != nil:
			diffNodes(sa.child, sb.child, shift+pmapBits, fn)
		case sa != nil && sb != nil && sa.child == nil && sb.child == nil && sa.key == sb.key:
			if sa.val != sb.val {
				fn(sa.key, sa.val, true, sb.val, true)
			}
		default:
			diffEntries(slotNode(sa), slotNode(sb), fn)
		}
	}
}

// slotNode returns the entries of slot s as a node.
func slotNode[K comparable, V comparable](s *pslot[K, V]) *pnode[K, V] {
	switch {
	case s == nil:
		return nil
	case s.child != nil:
		return s.child
	default:
		return &pnode[K, V]{slots: []pslot[K, V]{*s}}
	}
}

// diffEntries compares two small subtrees entry by entry.
func diffEntries[K comparable, V comparable](a, b *pnode[K, V], fn func(K, V, bool, V, bool)) {
	inB := map[K]V{}
	b.each(func(k K, v V) bool { inB[k] = v; return true })
	a.each(func(k K, av V) bool {
		bv, ok := inB[k]
		if !ok || av != bv {
			fn(k, av, true, bv, ok)
		}
		delete(inB, k)
		return true
	})
	var zero V
	for k, bv := range inB {
		fn(k, zero, false, bv, true)
	}
}
