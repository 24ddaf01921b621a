package main

import (
	"io"
	"sync"
)

// syncWriter serializes writes to w, for writers shared by goroutines
// (providers report progress from each resource they apply) when w itself
// may not be safe for concurrent use, as a test's bytes.Buffer is not.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

var _ io.Writer = (*syncWriter)(nil)
