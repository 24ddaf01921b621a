package dag

import (
	"errors"
	"fmt"
	"sync"
)

// Status is what happened to one vertex in a walk.
type Status uint8

const (
	// NotStarted: the walk stopped (its context was cancelled, or the graph
	// has a cycle) before the vertex's function was called.
	NotStarted Status = iota
	// Succeeded: the vertex's function returned nil.
	Succeeded
	// Failed: the vertex's function returned an error or panicked.
	Failed
	// Skipped: a dependency failed (directly or through another skipped
	// dependency), so the vertex's function was never called.
	Skipped
)

// String returns the status as a lower-case word, such as "skipped".
func (s Status) String() string {
	switch s {
	case NotStarted:
		return "not started"
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	case Skipped:
		return "skipped"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Outcome is the result of one vertex in a walk.
type Outcome[V comparable] struct {
	Status Status
	// Err is the error the vertex's function returned, when Status is Failed.
	Err error
	// Cause is the failed vertex that made this one skipped, when Status is
	// Skipped. It is a transitive dependency of this vertex (a dependent in a
	// reverse walk), never another skipped vertex.
	Cause V
}

// WalkResult records what a walk did to every vertex of the graph it walked.
type WalkResult[V comparable] struct {
	vertices    []V // in vertex order
	outcomes    []Outcome[V]
	cycle       *CycleError[V]
	interrupted error // the context's cause when it stopped the walk early

	indexOnce sync.Once
	index     map[V]int
}

// Outcome returns what happened to v, and false if v was not in the graph
// when the walk started.
func (r *WalkResult[V]) Outcome(v V) (Outcome[V], bool) {
	r.indexOnce.Do(func() {
		r.index = make(map[V]int, len(r.vertices))
		for i, x := range r.vertices {
			r.index[x] = i
		}
	})
	i, ok := r.index[v]
	if !ok {
		return Outcome[V]{}, false
	}
	return r.outcomes[i], true
}

// Status returns the status of v; NotStarted if v was not in the graph.
func (r *WalkResult[V]) Status(v V) Status {
	o, _ := r.Outcome(v)
	return o.Status
}

// With returns the vertices whose status is s, in vertex order.
func (r *WalkResult[V]) With(s Status) []V {
	var out []V
	for i, o := range r.outcomes {
		if o.Status == s {
			out = append(out, r.vertices[i])
		}
	}
	return out
}

// Count returns how many vertices have status s.
func (r *WalkResult[V]) Count(s Status) int {
	n := 0
	for _, o := range r.outcomes {
		if o.Status == s {
			n++
		}
	}
	return n
}

// Interrupted reports whether the walk's context was cancelled before every
// vertex had an outcome.
func (r *WalkResult[V]) Interrupted() bool { return r.interrupted != nil }

// Err returns nil if every vertex succeeded. Otherwise it returns the
// *CycleError that stopped the walk from starting, or the errors of every
// failed vertex (each a *VertexError, in vertex order) joined with the
// context's cause if the walk was interrupted.
func (r *WalkResult[V]) Err() error {
	if r.cycle != nil {
		return r.cycle
	}
	var errs []error
	for i, o := range r.outcomes {
		if o.Status == Failed {
			errs = append(errs, &VertexError[V]{Vertex: r.vertices[i], Err: o.Err})
		}
	}
	if r.interrupted != nil {
		errs = append(errs, fmt.Errorf("walk interrupted with %d vertices not started: %w",
			r.Count(NotStarted), r.interrupted))
	}
	return errors.Join(errs...)
}

// VertexError is the error of one failed vertex.
type VertexError[V comparable] struct {
	Vertex V
	Err    error
}

// Error returns the vertex (formatted with %v) and its error.
func (e *VertexError[V]) Error() string { return fmt.Sprintf("%v: %v", e.Vertex, e.Err) }

// Unwrap returns the vertex's error.
func (e *VertexError[V]) Unwrap() error { return e.Err }

// PanicError is the error recorded for a vertex whose function panicked.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the stack of the panicking goroutine
}

// Error reports the panic value; the stack is kept in Stack for logs.
func (e *PanicError) Error() string {
	return fmt.Sprintf("panic: %v", e.Value)
}

var (
	_ error = (*CycleError[string])(nil)
	_ error = (*VertexError[string])(nil)
	_ error = (*PanicError)(nil)
)
