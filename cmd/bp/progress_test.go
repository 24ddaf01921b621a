package main

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/engine/plan"
)

// lockedBuffer is a bytes.Buffer safe for the progress ticker goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressLines(t *testing.T) {
	tests := []struct {
		name    string
		action  plan.Action
		err     error
		elapsed time.Duration
		want    string
	}{
		{"create", plan.Create, nil, 1500 * time.Millisecond, "a.b: Creating...\na.b: Creation complete after 1s\n"},
		{"replace creates", plan.DeleteThenCreate, nil, 0, "a.b: Creating...\na.b: Creation complete after 0s\n"},
		{"update", plan.Update, nil, 65 * time.Second, "a.b: Modifying...\na.b: Modifications complete after 1m5s\n"},
		{"delete", plan.Delete, nil, 0, "a.b: Destroying...\na.b: Destruction complete after 0s\n"},
		{"failed create", plan.Create, errors.New("boom"), 2 * time.Second, "a.b: Creating...\na.b: Creation failed after 2s; see the error below.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out lockedBuffer
			p := newProgress(&out)
			p.PreApply("a.b", tc.action)
			p.PostApply("a.b", tc.action, tc.err, tc.elapsed)
			if got := out.String(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestProgressCounts(t *testing.T) {
	p := newProgress(&lockedBuffer{})
	for _, step := range []struct {
		action plan.Action
		err    error
	}{
		{plan.Create, nil}, {plan.CreateThenDelete, nil}, {plan.Delete, nil}, {plan.Update, nil},
		{plan.Update, nil}, {plan.Create, errors.New("failed")},
	} {
		p.PreApply("x.y", step.action)
		p.PostApply("x.y", step.action, step.err, 0)
	}
	if a, c, d := p.counts(); a != 2 || c != 2 || d != 1 {
		t.Errorf("counts = %d added, %d changed, %d destroyed; want 2, 2, 1", a, c, d)
	}
}

func TestProgressStillRunning(t *testing.T) {
	var out lockedBuffer
	p := newProgress(&out)
	p.interval = 20 * time.Millisecond
	p.PreApply("std_file.slow", plan.Create)
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(out.String(), "Still creating") < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	p.PostApply("std_file.slow", plan.Create, nil, time.Second)
	got := out.String()
	if !regexp.MustCompile(`(?m)^std_file\.slow: Still creating\.\.\. \[0s elapsed\]$`).MatchString(got) {
		t.Fatalf("no still-running line:\n%s", got)
	}
	// Nothing is reported after the operation ended.
	time.Sleep(60 * time.Millisecond)
	if after := out.String(); after != got || !strings.HasSuffix(after, "std_file.slow: Creation complete after 1s\n") {
		t.Errorf("lines after the end:\n%s", after)
	}
}

func TestProgressRefresh(t *testing.T) {
	var out lockedBuffer
	p := newProgress(&out)
	p.PreRefresh("std_null.a")
	p.refresh = false
	p.PreRefresh("std_null.b")
	if got, want := out.String(), "std_null.a: Refreshing state...\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
