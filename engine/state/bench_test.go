package state

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// benchInstances is the size of the counted resource the apply benchmarks
// create: the scale of the target in DESIGN.md §4.
const benchInstances = 10000

// discardBackend stores nothing and counts writes.
type discardBackend struct{ writes atomic.Int64 }

func (*discardBackend) Read(context.Context) (*State, error) { return New(), nil }
func (d *discardBackend) Write(_ context.Context, s *State) error {
	d.writes.Add(1)
	s.Serial++
	return nil
}
func (*discardBackend) Lock(context.Context, LockInfo) (string, error) { return "bench", nil }
func (*discardBackend) Unlock(string) error                            { return nil }
func (*discardBackend) ForceUnlock(string) error                       { return nil }

var _ Backend = (*discardBackend)(nil)

// benchApply records the creation of benchInstances instances of one
// counted resource the way an apply walk does: 10 goroutines, each create
// recording a placeholder and then the object, every Update durable. It
// reports the time and the state writes per instance.
func benchApply(b *testing.B, backend func(b *testing.B) (Backend, func() int64)) {
	addrs := make([]InstanceAddr, benchInstances)
	for i := range addrs {
		addrs[i] = mustAddr(b, fmt.Sprintf("std_null.r[%d]", i))
	}
	placeholder := &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.NullVal(cty.String)}), Status: Creating}
	var writes int64
	for b.Loop() {
		be, count := backend(b)
		sy := NewSync(New(), be)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(addrs) {
						return
					}
					addr := addrs[i]
					obj := &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(addr.String())})}
					for _, o := range []*Object{placeholder, obj} {
						if err := sy.Update(func(s *State) { s.SetInstance(addr, "provider.std", o) }); err != nil {
							b.Error(err)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		writes += count()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1000/float64(b.N)/benchInstances, "µs/instance")
	b.ReportMetric(float64(writes)/float64(b.N)/benchInstances, "writes/instance")
}

// BenchmarkSyncApply measures what Sync costs an apply of a counted
// resource when the backend costs nothing: the snapshots.
func BenchmarkSyncApply(b *testing.B) {
	benchApply(b, func(*testing.B) (Backend, func() int64) {
		d := &discardBackend{}
		return d, d.writes.Load
	})
}

// BenchmarkSyncApplyLocal measures the same apply into the local backend:
// the snapshots, the journal records and their syncs.
func BenchmarkSyncApplyLocal(b *testing.B) {
	benchApply(b, func(b *testing.B) (Backend, func() int64) {
		l := &countingLocal{Local: NewLocal(b.TempDir() + "/bp.state")}
		return l, l.writes.Load
	})
}

type countingLocal struct {
	*Local
	writes atomic.Int64
}

func (c *countingLocal) Write(ctx context.Context, s *State) error {
	c.writes.Add(1)
	return c.Local.Write(ctx, s)
}
