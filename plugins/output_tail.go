package plugins

import (
	"bytes"
	"strings"
	"sync"
)

const (
	// tailLines is how many of a plugin's last output lines are kept for
	// crash reports.
	tailLines = 30
	// maxLineLen cuts longer output lines, so the tail stays small.
	maxLineLen = 1024
)

// outputTail keeps the last lines a plugin process wrote to stderr (and to
// the stdout and stderr streams go-plugin relays), for crash reports. The
// first line of a Go panic or fatal error is kept even after it scrolls out,
// since a stack trace alone rarely says what went wrong.
type outputTail struct {
	mu    sync.Mutex
	ring  [tailLines]string
	next  int // total lines added; ring[next%tailLines] is the oldest once full
	panic string
	// panicSeq is the line number of panic; meaningful when panic != "".
	panicSeq int
}

func (t *outputTail) add(line string) {
	if len(line) > maxLineLen {
		line = line[:maxLineLen] + "…"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.panic == "" && (strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ")) {
		t.panic, t.panicSeq = line, t.next
	}
	t.ring[t.next%tailLines] = line
	t.next++
}

// lines returns the kept lines, oldest first.
func (t *outputTail) lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	first := max(0, t.next-tailLines)
	var out []string
	if t.panic != "" && t.panicSeq < first {
		out = append(out, t.panic, "…")
	}
	for i := first; i < t.next; i++ {
		out = append(out, t.ring[i%tailLines])
	}
	return out
}

// writer returns an io.Writer that splits what it is given into lines, adds
// each to t and passes it to log (which may be nil). Each source of output
// needs its own writer, since a line may arrive in pieces.
func (t *outputTail) writer(log func(line string)) *lineWriter {
	return &lineWriter{tail: t, log: log}
}

// lineWriter is one source of plugin output; see [outputTail.writer].
type lineWriter struct {
	tail *outputTail
	log  func(string)

	mu      sync.Mutex
	partial []byte
}

// Write records every complete line in p; it never fails.
func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			if len(w.partial) > maxLineLen {
				w.emit(w.partial)
			}
			break
		}
		w.emit(append(w.partial, p[:i]...))
		p = p[i+1:]
	}
	return n, nil
}

func (w *lineWriter) emit(line []byte) {
	s := strings.TrimRight(string(line), "\r")
	w.partial = w.partial[:0]
	w.tail.add(s)
	if w.log != nil {
		w.log(s)
	}
}
