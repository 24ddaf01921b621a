package state

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// memBackend is a Backend in memory that counts writes and can be slow or
// failing.
type memBackend struct {
	delay time.Duration

	mu      sync.Mutex
	fail    error
	stored  *State
	writes  int
	writing atomic.Int32
	overlap atomic.Bool
}

func (m *memBackend) Read(context.Context) (*State, error) { return New(), nil }

func (m *memBackend) Write(_ context.Context, s *State) error {
	if m.writing.Add(1) > 1 {
		m.overlap.Store(true)
	}
	defer m.writing.Add(-1)
	time.Sleep(m.delay)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		err := m.fail
		m.fail = nil
		return err
	}
	s.Serial++
	m.stored = s.DeepCopy()
	m.writes++
	return nil
}

func (m *memBackend) has(addr InstanceAddr) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stored != nil && m.stored.Instance(addr) != nil
}

func (m *memBackend) Lock(context.Context, LockInfo) (string, error) { return "x", nil }
func (m *memBackend) Unlock(string) error                            { return nil }
func (m *memBackend) ForceUnlock(string) error                       { return nil }

var _ Backend = (*memBackend)(nil)

func TestSyncUpdateIsDurableAndCoalesced(t *testing.T) {
	be := &memBackend{delay: 20 * time.Millisecond}
	sy := NewSync(New(), be)
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			addr := mustAddr(t, fmt.Sprintf("t.a[%d]", i))
			if err := sy.Update(func(s *State) { s.SetInstance(addr, "p", obj("x")) }); err != nil {
				t.Error(err)
				return
			}
			if !be.has(addr) {
				t.Errorf("Update for %s returned before a write contained it", addr)
			}
		})
	}
	wg.Wait()
	if be.writes > 3 {
		t.Errorf("%d concurrent updates made %d writes; want them coalesced into at most 3", n, be.writes)
	}
	if be.overlap.Load() {
		t.Error("backend writes overlapped")
	}
	snap := sy.Snapshot()
	if snap.InstanceCount() != n || snap.Serial != uint64(be.writes) {
		t.Errorf("snapshot has %d instances at serial %d; want %d at %d", snap.InstanceCount(), snap.Serial, n, be.writes)
	}
}

func TestSyncWriteError(t *testing.T) {
	be := &memBackend{fail: errors.New("disk full")}
	sy := NewSync(New(), be)
	a, b := mustAddr(t, "t.a"), mustAddr(t, "t.b")
	err := sy.Update(func(s *State) { s.SetInstance(a, "p", obj("a")) })
	checkErr(t, err, "disk full")
	if err := sy.Update(func(s *State) { s.SetInstance(b, "p", obj("b")) }); err != nil {
		t.Fatal(err)
	}
	if !be.has(a) || !be.has(b) {
		t.Error("the change of a failed write is not in the next write")
	}
}

func TestSyncSnapshotAndViewAreIsolated(t *testing.T) {
	sy := NewSync(New(), &memBackend{})
	a := mustAddr(t, "t.a")
	if err := sy.Update(func(s *State) { s.SetInstance(a, "p", obj("1")) }); err != nil {
		t.Fatal(err)
	}
	snap := sy.Snapshot()
	snap.RemoveInstance(a)
	var found bool
	sy.View(func(s *State) { found = s.Instance(a) != nil })
	if !found {
		t.Error("changing a snapshot changed the Sync's state")
	}
}

// TestSyncWithLocalBackend runs concurrent updates against the real file
// backend (under -race this also checks the writer shares objects safely).
func TestSyncWithLocalBackend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bp.state")
	be := NewLocal(path)
	ctx := context.Background()
	s, err := be.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sy := NewSync(s, be)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 25 {
				addr := mustAddr(t, fmt.Sprintf("t.w%d[%d]", w, i))
				if err := sy.Update(func(s *State) { s.SetInstance(addr, "p", obj(addr.String())) }); err != nil {
					t.Error(err)
				}
				if i%5 == 0 {
					if err := sy.Update(func(s *State) { s.RemoveInstance(addr) }); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	got, err := NewLocal(path).Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, got, sy.Snapshot())
	if got.InstanceCount() != 8*20 {
		t.Errorf("file holds %d instances, want %d", got.InstanceCount(), 8*20)
	}
}

// machineObject is an object of typical size: a dozen attributes.
func machineObject(i int) *Object {
	return &Object{Value: cty.ObjectVal(map[string]cty.Value{
		"id":              cty.StringVal(fmt.Sprintf("m-%08d", i)),
		"image":           cty.StringVal("debian-12"),
		"size":            cty.StringVal("small"),
		"address":         cty.StringVal(fmt.Sprintf("10.0.%d.%d", i/250, i%250)),
		"private_address": cty.StringVal(fmt.Sprintf("192.168.%d.%d", i/250, i%250)),
		"host_key":        cty.StringVal("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlueprintBenchmarkHostKeyxxxxxxxxxxxxxxx"),
		"ssh_user":        cty.StringVal("root"),
		"labels":          cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("web"), "index": cty.StringVal(fmt.Sprint(i))}),
		"networks":        cty.ListVal([]cty.Value{cty.StringVal("default")}),
		"cpus":            cty.NumberIntVal(2),
		"memory_mb":       cty.NumberIntVal(2048),
	}), Dependencies: []ResourceAddr{{Type: "network", Name: "main"}}}
}

// BenchmarkSyncUpdate measures one durable Update on a local state of
// 10,000 instances, with the updates coming from `parallel` goroutines as
// in an apply walk. ns/op × 10,000 is the cost of recording 10,000 changes.
func BenchmarkSyncUpdate(b *testing.B) {
	const instances = 10_000
	for _, parallel := range []int{10, 100} {
		b.Run(fmt.Sprintf("instances=%d/parallel=%d", instances, parallel), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bp.state")
			s := New()
			for i := range instances {
				s.SetInstance(InstanceAddr{Resource: ResourceAddr{Type: "machine", Name: fmt.Sprintf("m%d", i%100)}, Key: IntKey(i)}, "provider.local", machineObject(i))
			}
			be := NewLocal(path)
			if err := be.Write(context.Background(), s); err != nil {
				b.Fatal(err)
			}
			sy := NewSync(s, be)
			var next atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			for range parallel {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						addr := InstanceAddr{Resource: ResourceAddr{Type: "machine", Name: fmt.Sprintf("m%d", i%100)}, Key: IntKey(i % instances)}
						o := machineObject(i)
						if err := sy.Update(func(s *State) { s.SetInstance(addr, "provider.local", o) }); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(sy.Snapshot().Serial-1)/float64(b.N), "writes/op")
		})
	}
}
