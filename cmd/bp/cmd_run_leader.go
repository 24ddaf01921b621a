package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// leadership is the hold of one bp run on a state: an exclusive flock on a
// file next to the state, which holds the pid of its holder. The kernel
// releases it when the process ends, however it ends.
type leadership struct{ f *os.File }

// leaderPoll is how often a waiting bp run tries the lock again.
var leaderPoll = time.Second

// takeLeadership takes the lock file at path, waiting while another bp run
// holds it (saying so once through logf), until ctx ends.
func takeLeadership(ctx context.Context, path string, logf func(string, ...any)) (*leadership, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	said := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if !said {
			holder := "unknown"
			if data, err := os.ReadFile(path); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
					holder = strconv.Itoa(pid)
				}
			}
			logf("another bp run (pid %s) is in charge; waiting", holder)
			said = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(leaderPoll):
		}
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if said {
		logf("now in charge")
	}
	return &leadership{f: f}, nil
}

// release gives the lock up.
func (l *leadership) release() {
	l.f.Truncate(0)
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}
