package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"

	// The benchmarks plan std_null resources.
	_ "github.com/blueprint-engine/bp/providers/std"
)

// Shape is how a generated blueprint declares its resources.
type Shape string

// The shapes PlanScale generates.
const (
	// Count is one resource block with count = N.
	Count Shape = "count"
	// Blocks is N separate resource blocks.
	Blocks Shape = "blocks"
)

// PlanCase is one plan benchmark: N std_null resources of a shape, planned
// with refresh off from an empty state (every resource a create) or from a
// state that already holds them all (every resource a no-op).
type PlanCase struct {
	Shape Shape
	N     int
	// Deployed plans against a state holding every resource.
	Deployed bool
}

func (c PlanCase) String() string {
	st := "empty"
	if c.Deployed {
		st = "deployed"
	}
	return fmt.Sprintf("%s/%s/%d", c.Shape, st, c.N)
}

// PlanResult is what one run of a PlanCase measured.
type PlanResult struct {
	Case PlanCase
	// Load is the time to load the blueprint, not part of Plan.
	Load time.Duration
	// Plan is the wall time of Engine.Plan.
	Plan time.Duration
	// PeakHeap is the largest live heap seen during Plan, in bytes.
	PeakHeap uint64
	// Allocated is the bytes allocated during Plan.
	Allocated uint64
	// Changes is the number of resource changes in the plan.
	Changes int
}

// Blueprint writes the blueprint of c to a new directory under parent and
// returns the directory.
func (c PlanCase) Blueprint(parent string) (string, error) {
	dir, err := os.MkdirTemp(parent, "plan-")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	switch c.Shape {
	case Count:
		fmt.Fprintf(&b, "resource \"std_null\" \"r\" {\n  count  = %d\n  inputs = { index = count.index, name = \"r-${count.index}\" }\n}\n", c.N)
	case Blocks:
		b.Grow(c.N * 80)
		for i := range c.N {
			fmt.Fprintf(&b, "resource \"std_null\" \"r%d\" {\n  inputs = { index = %d, name = \"r-%d\" }\n}\n", i, i, i)
		}
	default:
		return "", fmt.Errorf("unknown shape %q", c.Shape)
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(b.String()), 0o644)
}

// State returns the state of c: empty, or holding every resource as an
// apply would have recorded it.
func (c PlanCase) State() *state.State {
	s := state.New()
	if !c.Deployed {
		return s
	}
	obj := func(i int) *state.Object {
		inputs := cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i)), "name": cty.StringVal(fmt.Sprintf("r-%d", i))})
		return &state.Object{Value: cty.ObjectVal(map[string]cty.Value{
			"triggers": cty.NullVal(cty.Map(cty.String)),
			"inputs":   inputs,
			"id":       cty.StringVal(fmt.Sprintf("%016x", i)),
			"outputs":  inputs,
		})}
	}
	for i := range c.N {
		var addr state.InstanceAddr
		if c.Shape == Count {
			addr = state.ResourceAddr{Mode: state.Managed, Type: "std_null", Name: "r"}.Instance(state.IntKey(i))
		} else {
			addr = state.ResourceAddr{Mode: state.Managed, Type: "std_null", Name: fmt.Sprintf("r%d", i)}.Instance(state.NoKey)
		}
		s.SetInstance(addr, "provider.std", obj(i))
	}
	return s
}

// RunPlan generates c's blueprint under tmp, loads it and plans it once
// with refresh off.
func RunPlan(ctx context.Context, tmp string, c PlanCase) (PlanResult, error) {
	res := PlanResult{Case: c}
	dir, err := c.Blueprint(tmp)
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	cfg, diags := blueprint.NewLoader().LoadDir(dir)
	if diags.HasErrors() {
		return res, fmt.Errorf("load: %s", diags.Error())
	}
	res.Load = time.Since(start)
	prior := c.State()
	e := engine.New(engine.Options{Config: cfg})
	defer e.Close()

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := samplePeakHeap()
	start = time.Now()
	p, diags := e.Plan(ctx, prior, engine.PlanOptions{SkipRefresh: true})
	res.Plan = time.Since(start)
	res.PeakHeap = stop()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	res.Allocated = after.TotalAlloc - before.TotalAlloc
	if diags.HasErrors() {
		return res, fmt.Errorf("plan: %s", diags.Error())
	}
	res.Changes = len(p.Changes)
	if res.Changes != c.N {
		return res, fmt.Errorf("plan has %d changes, want %d", res.Changes, c.N)
	}
	return res, nil
}

// samplePeakHeap samples the live heap every millisecond until the returned
// function is called, which returns the largest value seen.
func samplePeakHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	var (
		mu   sync.Mutex
		peak = read()
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				v := read()
				mu.Lock()
				peak = max(peak, v)
				mu.Unlock()
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		v := read()
		mu.Lock()
		defer mu.Unlock()
		return max(peak, v)
	}
}

// Slope is the log-log slope of time between two sizes: 1 for linear
// growth, 2 for quadratic.
func Slope(n1 int, t1 time.Duration, n2 int, t2 time.Duration) float64 {
	return math.Log(float64(t2)/float64(t1)) / math.Log(float64(n2)/float64(n1))
}
