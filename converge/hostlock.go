package converge

import (
	"context"
	"sync"
)

// hostLocks serializes converges of one host within this process: two
// configure blocks (two Runs) that target the same machine share its
// pending-notify file and its package manager's lock, so they take turns
// while different hosts still converge in parallel. Processes are kept
// apart by the state lock.
var hostLocks = &keyedMutex{held: map[string]chan struct{}{}}

// keyedMutex is a set of mutexes, one per key, created on demand and
// dropped when released.
type keyedMutex struct {
	mu   sync.Mutex
	held map[string]chan struct{} // closed when the holder unlocks
}

// lock waits until key is free or ctx ends, and returns the function that
// frees it.
func (m *keyedMutex) lock(ctx context.Context, key string) (unlock func(), err error) {
	for {
		m.mu.Lock()
		released, busy := m.held[key]
		if !busy {
			mine := make(chan struct{})
			m.held[key] = mine
			m.mu.Unlock()
			return func() {
				m.mu.Lock()
				delete(m.held, key)
				m.mu.Unlock()
				close(mine)
			}, nil
		}
		m.mu.Unlock()
		select {
		case <-released:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
}

// hostKey identifies the machine a target reaches: its address and port,
// behind the bastions it is reached through.
func (t Target) hostKey() string {
	key := t.addr()
	for b := t.Bastion; b != nil; b = b.Bastion {
		key = b.addr() + " > " + key
	}
	return key
}
