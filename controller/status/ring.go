package status

// Ring keeps the last N values pushed to it. Its zero value holds nothing;
// make one with NewRing. It is not safe for concurrent use.
type Ring[T any] struct {
	buf  []T
	next int
	full bool
}

// NewRing returns a Ring that keeps the last n values (at least 1).
func NewRing[T any](n int) *Ring[T] {
	return &Ring[T]{buf: make([]T, max(n, 1))}
}

// Push adds v, dropping the oldest value when the ring is full.
func (r *Ring[T]) Push(v T) {
	if len(r.buf) == 0 {
		return
	}
	r.buf[r.next] = v
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
}

// Len returns how many values the ring holds.
func (r *Ring[T]) Len() int {
	if r.full {
		return len(r.buf)
	}
	return r.next
}

// Values returns the held values, oldest first, in a new slice.
func (r *Ring[T]) Values() []T {
	if !r.full {
		return append([]T(nil), r.buf[:r.next]...)
	}
	return append(append([]T(nil), r.buf[r.next:]...), r.buf[:r.next]...)
}
