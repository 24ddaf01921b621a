package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A second bp run on the same state waits for the first, names its pid,
// and takes over when the first stops; a waiting one stops when asked to.
func TestRunLeadership(t *testing.T) {
	defer func(d time.Duration) { leaderPoll = d }(leaderPoll)
	leaderPoll = 10 * time.Millisecond
	path := filepath.Join(t.TempDir(), "bp.state.run.lock")
	var mu sync.Mutex
	var logs []string
	logf := func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, fmt.Sprintf(f, a...))
	}
	first, err := takeLeadership(context.Background(), path, logf)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); strings.TrimSpace(string(data)) != fmt.Sprint(os.Getpid()) {
		t.Errorf("lock file holds %q, want this pid", data)
	}

	t.Run("a waiting run stops when asked", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := takeLeadership(ctx, path, logf); err == nil {
			t.Fatal("took the lock another holder has")
		}
	})

	got := make(chan *leadership)
	go func() {
		l, err := takeLeadership(context.Background(), path, logf)
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	select {
	case <-got:
		t.Fatal("the second run took the lock while the first holds it")
	case <-time.After(100 * time.Millisecond):
	}
	first.release()
	select {
	case l := <-got:
		l.release()
	case <-time.After(5 * time.Second):
		t.Fatal("the second run did not take over")
	}
	mu.Lock()
	defer mu.Unlock()
	want := fmt.Sprintf("another bp run (pid %d) is in charge; waiting", os.Getpid())
	if !strings.Contains(strings.Join(logs, "\n"), want) || !strings.Contains(strings.Join(logs, "\n"), "now in charge") {
		t.Errorf("log = %q, want %q and a takeover", logs, want)
	}
}
