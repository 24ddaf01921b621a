package dag

import (
	"context"
	"runtime/debug"
	"sync"
)

// DefaultParallelism is the number of vertex functions a walk runs at once
// when WalkOptions.Parallelism is not set.
const DefaultParallelism = 10

// WalkOptions controls a walk.
type WalkOptions struct {
	// Parallelism is the most vertex functions that run at the same time;
	// zero or less means DefaultParallelism.
	Parallelism int
	// Reverse walks dependents before their dependencies, the order for
	// destroying things; a failure then skips the vertex's dependencies.
	Reverse bool
}

// WalkFunc is called once for each vertex a walk visits. It may run on any
// goroutine, concurrently with calls for other vertices, and it is never
// called for a vertex until the calls for all of that vertex's dependencies
// have returned nil. It should return early when ctx is cancelled.
type WalkFunc[V comparable] func(ctx context.Context, v V) error

// Walk calls fn for every vertex, each once all of its dependencies have
// succeeded, with up to opts.Parallelism calls at a time, and returns what
// happened to every vertex.
//
// When fn fails (returns an error or panics) for a vertex, every vertex that
// depends on it, directly or transitively, is skipped, while vertices that do
// not depend on it carry on. When ctx is cancelled no new calls start; calls
// already running receive the cancelled ctx and the walk waits for them to
// return, then marks the remaining vertices NotStarted. If the graph has a
// cycle, Walk calls fn for nothing and the result's Err is a *CycleError.
//
// Walk works on a snapshot of the graph taken when it starts, holds no lock
// while fn runs, and leaves no goroutine behind when it returns.
func (g *Graph[V]) Walk(ctx context.Context, opts WalkOptions, fn WalkFunc[V]) *WalkResult[V] {
	s := g.snapshot(opts.Reverse)
	res := &WalkResult[V]{vertices: s.vs, outcomes: make([]Outcome[V], s.len())}
	if len(s.order()) < s.len() {
		res.cycle = &CycleError[V]{Cycles: nameCycles(s, g.snapshot(false).cycles())}
		return res
	}
	w := &walker[V]{
		s:         s,
		fn:        fn,
		ctx:       ctx,
		done:      ctx.Done(),
		outcomes:  res.outcomes,
		pending:   make([]int32, s.len()),
		ready:     make([]int32, 0, s.len()),
		remaining: s.len(),
	}
	w.cond.L = &w.mu
	for i := range s.len() {
		w.pending[i] = s.depOff[i+1] - s.depOff[i]
		if w.pending[i] == 0 {
			w.ready = append(w.ready, int32(i))
		}
	}
	w.run(max(opts.Parallelism, 0))
	if w.stopped && w.remaining > 0 {
		res.interrupted = context.Cause(ctx)
	}
	return res
}

// walker is the state of one walk, guarded by mu except for the fields set
// before the workers start.
type walker[V comparable] struct {
	s    *snapshot[V]
	fn   WalkFunc[V]
	ctx  context.Context
	done <-chan struct{}

	mu        sync.Mutex
	cond      sync.Cond // signalled when ready grows or the walk ends
	outcomes  []Outcome[V]
	pending   []int32 // per vertex: dependencies that have not yet succeeded
	ready     []int32 // FIFO of vertices whose dependencies all succeeded
	head      int     // ready[head:] are not yet started
	remaining int     // vertices without an outcome, including running ones
	waiting   int     // workers blocked in cond.Wait
	stopped   bool    // ctx was cancelled: start nothing new
}

// run starts the workers and returns once they have all exited.
func (w *walker[V]) run(parallelism int) {
	if w.remaining == 0 {
		return
	}
	if parallelism == 0 {
		parallelism = DefaultParallelism
	}
	// Wake waiting workers when ctx is cancelled, so they exit instead of
	// waiting for work that will never be started.
	afterDone := make(chan struct{})
	stop := context.AfterFunc(w.ctx, func() {
		defer close(afterDone)
		w.mu.Lock()
		w.stopped = true
		w.mu.Unlock()
		w.cond.Broadcast()
	})
	var wg sync.WaitGroup
	for range min(parallelism, w.remaining) {
		wg.Go(w.work)
	}
	wg.Wait()
	if !stop() {
		<-afterDone // the callback is running or has run; let it finish
	}
}

// work takes ready vertices one at a time until the walk ends or stops.
func (w *walker[V]) work() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for !w.stopped && w.remaining > 0 && w.head == len(w.ready) {
			w.waiting++
			w.cond.Wait()
			w.waiting--
		}
		if !w.stopped {
			select {
			case <-w.done:
				// Checked here as well as in the AfterFunc callback, which runs
				// asynchronously, so nothing starts once ctx.Err() is non-nil.
				w.stopped = true
				w.cond.Broadcast()
			default:
			}
		}
		if w.stopped || w.remaining == 0 {
			return
		}
		v := w.ready[w.head]
		w.head++
		w.mu.Unlock()
		err := w.call(v)
		w.mu.Lock()
		w.finish(v, err)
	}
}

// call runs fn for v, turning a panic into a *PanicError.
func (w *walker[V]) call(v int32) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return w.fn(w.ctx, w.s.vs[v])
}

// finish records v's outcome and releases or skips its dependents. The caller
// holds mu.
func (w *walker[V]) finish(v int32, err error) {
	w.remaining--
	if err != nil {
		w.outcomes[v] = Outcome[V]{Status: Failed, Err: err}
		w.skipDependents(v)
	} else {
		w.outcomes[v].Status = Succeeded
		newlyReady := 0
		for _, d := range w.s.dependents(v) {
			if w.pending[d]--; w.pending[d] == 0 {
				w.ready = append(w.ready, d)
				newlyReady++
			}
		}
		// This worker takes one of the new vertices itself; wake others for
		// the rest.
		for range min(newlyReady-1, w.waiting) {
			w.cond.Signal()
		}
	}
	if w.remaining == 0 {
		w.cond.Broadcast()
	}
}

// skipDependents marks every transitive dependent of the failed vertex that
// has no outcome yet as skipped because of it. None of them can be ready or
// running, since failed has not succeeded. The caller holds mu.
func (w *walker[V]) skipDependents(failed int32) {
	cause := w.s.vs[failed]
	stack := []int32{failed}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range w.s.dependents(v) {
			if w.outcomes[d].Status != NotStarted {
				continue // already skipped by this or an earlier failure
			}
			w.outcomes[d] = Outcome[V]{Status: Skipped, Cause: cause}
			w.remaining--
			stack = append(stack, d)
		}
	}
}
