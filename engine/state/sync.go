package state

import (
	"context"
	"errors"
	"sync"
)

// Sync shares one State between the goroutines of an apply walk and keeps
// it durable in a Backend.
//
// Every Update is applied under a mutex and is in the backend before Update
// returns. Writes are coalesced: while one write is in flight, the updates
// that arrive wait, and the next write stores the state with all of them, so
// N concurrent updates cost a few writes, not N. The caller must hold the
// backend's lock for as long as it uses the Sync.
type Sync struct {
	backend Backend

	mu      sync.Mutex
	done    *sync.Cond // signalled when a write finishes
	state   *State
	applied uint64 // updates applied to state
	durable uint64 // updates contained in the last successful write
	writing bool
	// failedUpTo and failErr describe the last failed write: updates up to
	// failedUpTo that no later write contained get failErr.
	failedUpTo uint64
	failErr    error
}

// NewSync returns a Sync that owns s (the caller must stop using s
// directly) and writes it to backend.
func NewSync(s *State, backend Backend) *Sync {
	sy := &Sync{backend: backend, state: s}
	sy.done = sync.NewCond(&sy.mu)
	return sy
}

// Update applies fn to the state and returns once a write containing the
// change has completed. fn runs under the Sync's mutex, so it must be quick
// and must not call the Sync. It must change objects only through State
// methods (see Object).
//
// When the write fails, Update returns the error; the change stays in the
// in-memory state and is part of the next successful write.
func (sy *Sync) Update(fn func(*State)) error {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	fn(sy.state)
	sy.applied++
	mine := sy.applied
	for {
		switch {
		case sy.durable >= mine:
			return nil
		case sy.failedUpTo >= mine:
			return sy.failErr
		case !sy.writing:
			sy.write()
		default:
			sy.done.Wait()
		}
	}
}

// write stores a snapshot of the state with every update applied so far.
// It is called with sy.mu held and releases it while the backend writes.
func (sy *Sync) write() {
	sy.writing = true
	upTo := sy.applied
	snap := sy.state.snapshot()
	err := errors.New("the state backend panicked while writing")
	defer func() {
		sy.writing = false
		if err != nil {
			sy.failedUpTo, sy.failErr = upTo, err
		} else {
			sy.durable = upTo
			sy.state.Serial, sy.state.Lineage, sy.state.Version = snap.Serial, snap.Lineage, snap.Version
		}
		sy.done.Broadcast()
	}()
	sy.mu.Unlock()
	defer sy.mu.Lock()
	// A write must finish even when the command is being interrupted: that
	// is when it matters most.
	err = sy.backend.Write(context.Background(), snap)
}

// Snapshot returns a deep copy of the current state.
func (sy *Sync) Snapshot() *State {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	return sy.state.DeepCopy()
}

// View calls fn with the current state under the Sync's mutex, for lookups
// that should not copy the whole state. fn must not modify the state or keep
// references to it after returning.
func (sy *Sync) View(fn func(*State)) {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	fn(sy.state)
}
