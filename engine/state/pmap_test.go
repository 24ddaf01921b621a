package state

import (
	"fmt"
	"maps"
	"testing"
)

// pmapOp is one change to a map under test: set key to val, or delete key
// when del.
type pmapOp struct {
	key int
	val int
	del bool
}

// opsFromBytes turns fuzz input into changes over a small key space, so
// that sets, overwrites and deletes of the same keys all happen.
func opsFromBytes(data []byte) []pmapOp {
	var ops []pmapOp
	for i := 0; i+1 < len(data); i += 2 {
		ops = append(ops, pmapOp{key: int(data[i]) % 97, val: int(data[i+1]), del: data[i+1]%5 == 0})
	}
	return ops
}

// checkPmap compares m with want: Len, Get of every key that is or was
// in want, and All.
func checkPmap(t *testing.T, what string, m *pmap[int, int], want map[int]int) {
	t.Helper()
	if m.Len() != len(want) {
		t.Fatalf("%s: Len() = %d, want %d", what, m.Len(), len(want))
	}
	for k := range 97 {
		got, ok := m.Get(k)
		w, wok := want[k]
		if ok != wok || got != w {
			t.Fatalf("%s: Get(%d) = %d, %v; want %d, %v", what, k, got, ok, w, wok)
		}
	}
	all := maps.Collect(m.All())
	if !maps.Equal(all, want) {
		t.Fatalf("%s: All() = %v, want %v", what, all, want)
	}
}

// runPmapOps applies ops to a pmap and to a Go map, taking a snapshot (a
// copy of the pmap value, with the editor forgotten) every few changes, and
// checks that the map always matches and that no snapshot ever changes, and
// that pmapDiff between consecutive snapshots reports exactly the keys that
// differ.
func runPmapOps(t *testing.T, ops []pmapOp, every int) {
	var m pmap[int, int]
	want := map[int]int{}
	ed := &editor{}
	type snap struct {
		m    pmap[int, int]
		want map[int]int
	}
	var snaps []snap
	for i, op := range ops {
		if op.del {
			m.Delete(ed, op.key)
			delete(want, op.key)
		} else {
			m.Set(ed, op.key, op.val)
			want[op.key] = op.val
		}
		checkPmap(t, fmt.Sprintf("after change %d", i), &m, want)
		if every > 0 && i%every == 0 {
			snaps = append(snaps, snap{m, maps.Clone(want)})
			ed = &editor{}
		}
	}
	for i, s := range snaps {
		checkPmap(t, fmt.Sprintf("snapshot %d", i), &s.m, s.want)
		if i == 0 {
			continue
		}
		prev := snaps[i-1]
		got := map[int]bool{}
		pmapDiff(&prev.m, &s.m, func(k, av int, inA bool, bv int, inB bool) {
			if got[k] {
				t.Errorf("snapshot %d: pmapDiff reported %d twice", i, k)
			}
			got[k] = true
			if pv, ok := prev.want[k]; ok != inA || pv != av {
				t.Errorf("snapshot %d: pmapDiff gave %d: %d, %v on the left; want %d, %v", i, k, av, inA, pv, ok)
			}
			if sv, ok := s.want[k]; ok != inB || sv != bv {
				t.Errorf("snapshot %d: pmapDiff gave %d: %d, %v on the right; want %d, %v", i, k, bv, inB, sv, ok)
			}
		})
		for k := range 97 {
			pv, pok := prev.want[k]
			sv, sok := s.want[k]
			if differ := pok != sok || pv != sv; differ != got[k] {
				t.Errorf("snapshot %d: key %d differs: %v, but pmapDiff reported it: %v", i, k, differ, got[k])
			}
		}
	}
}

func TestPmap(t *testing.T) {
	seq := func(n int, f func(i int) pmapOp) []pmapOp {
		ops := make([]pmapOp, n)
		for i := range ops {
			ops[i] = f(i)
		}
		return ops
	}
	tests := []struct {
		name  string
		ops   []pmapOp
		every int
	}{
		{"empty", nil, 1},
		{"one key set and deleted", []pmapOp{{key: 1, val: 1}, {key: 1, del: true}}, 1},
		{"delete of a missing key", []pmapOp{{key: 1, val: 1}, {key: 2, del: true}}, 1},
		{"all keys, snapshot after each", seq(97, func(i int) pmapOp { return pmapOp{key: i, val: i} }), 1},
		{"all keys, then all deleted", seq(194, func(i int) pmapOp { return pmapOp{key: i % 97, val: i, del: i >= 97} }), 7},
		{"overwrites without snapshots", seq(300, func(i int) pmapOp { return pmapOp{key: i % 13, val: i} }), 0},
		{"set the same value again", []pmapOp{{key: 5, val: 1}, {key: 5, val: 1}, {key: 5, val: 2}}, 1},
		{"churn", seq(1000, func(i int) pmapOp { return pmapOp{key: i * 31 % 97, val: i, del: i%3 == 0} }), 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runPmapOps(t, tc.ops, tc.every) })
	}
}

func FuzzPmap(f *testing.F) {
	f.Add([]byte{1, 1, 2, 2, 1, 5}, uint8(1))
	f.Add([]byte{0, 0, 0, 1, 96, 3, 96, 10}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, every uint8) {
		runPmapOps(t, opsFromBytes(data), int(every%8))
	})
}

// TestPmapCollisions checks the nodes for keys whose whole hashes are
// equal, which maphash makes too rare to meet by chance: every key gets
// the same hash here.
func TestPmapCollisions(t *testing.T) {
	const h = 0xdeadbeefcafef00d
	ed := &editor{}
	var root *pnode[string, int]
	keys := []string{"a", "b", "c", "d"}
	for i, k := range keys {
		root, _ = root.set(ed, 0, h, k, i)
	}
	before := root
	root, _ = root.set(&editor{}, 0, h, "b", 10)
	for i, k := range keys {
		want := i
		if k == "b" {
			want = 10
		}
		if got, ok := root.get(h, k); !ok || got != want {
			t.Errorf("get(%q) = %d, %v; want %d", k, got, ok, want)
		}
	}
	if got, _ := before.get(h, "b"); got != 1 {
		t.Errorf("a change with another editor changed the earlier version: get(b) = %d, want 1", got)
	}
	for _, k := range keys {
		var removed bool
		root, removed = root.delete(ed, 0, h, k)
		if !removed {
			t.Fatalf("delete(%q) removed nothing", k)
		}
		if _, ok := root.get(h, k); ok {
			t.Fatalf("%q is still there after delete", k)
		}
	}
	if len(root.slots) != 0 {
		t.Errorf("%d slots left after deleting every key", len(root.slots))
	}
	if _, ok := before.get(h, "d"); !ok {
		t.Error("deleting changed the earlier version")
	}
}

// nodesOf returns every node of m.
func nodesOf[K comparable, V comparable](m *pmap[K, V]) map[*pnode[K, V]]bool {
	seen := map[*pnode[K, V]]bool{}
	var walk func(n *pnode[K, V])
	walk = func(n *pnode[K, V]) {
		if n == nil {
			return
		}
		seen[n] = true
		for _, s := range n.slots {
			walk(s.child)
		}
	}
	walk(m.root)
	return seen
}

// TestPmapSharesUnchangedNodes checks that a change after a snapshot
// copies only the path to the changed key: at most one node per level.
func TestPmapSharesUnchangedNodes(t *testing.T) {
	for _, n := range []int{10, 1000, 100000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var m pmap[int, int]
			ed := &editor{}
			for i := range n {
				m.Set(ed, i, i)
			}
			snap := m
			old := nodesOf(&snap)
			m.Set(&editor{}, n/2, -1)
			fresh := 0
			for node := range nodesOf(&m) {
				if !old[node] {
					fresh++
				}
			}
			depth := 1
			for size := pmapWidth; size < n; size *= pmapWidth {
				depth++
			}
			// The hash spreads keys unevenly: allow two levels more than
			// a full trie of n keys has.
			if fresh > depth+2 {
				t.Errorf("changing 1 of %d keys made %d new nodes; want at most %d", n, fresh, depth+2)
			}
			if got, _ := snap.Get(n / 2); got != n/2 {
				t.Errorf("the snapshot sees the change: %d", got)
			}
			calls := 0
			pmapDiff(&snap, &m, func(int, int, bool, int, bool) { calls++ })
			if calls != 1 {
				t.Errorf("pmapDiff reported %d keys, want 1", calls)
			}
		})
	}
}

// BenchmarkPmapDiff measures diffing a map of 10,000 keys against its
// version before one change: what a journal record costs to compute.
func BenchmarkPmapDiff(b *testing.B) {
	var m pmap[int, int]
	ed := &editor{}
	for i := range benchInstances {
		m.Set(ed, i, i)
	}
	snap := m
	m.Set(&editor{}, 1, -1)
	for b.Loop() {
		pmapDiff(&snap, &m, func(int, int, bool, int, bool) {})
	}
}
