package state

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Backend stores one state and guards it with a lock.
//
// Contract:
//
//   - Read returns the stored state, or New() — an empty state with a fresh
//     lineage and serial 0 — when nothing is stored yet. It never returns a
//     nil state without an error.
//   - Write stores s atomically: after a crash at any point a later Read
//     returns either the previous state or s, never a mix, and once Write
//     returns nil the new state survives a crash of the machine. Write
//     increments s.Serial, sets s.Lineage when it is empty and s.Version to
//     FormatVersion, all in place, so the caller's copy matches what was
//     stored. It refuses a state of another lineage than the one it last
//     read or wrote, or one older than that, rather than lose data.
//   - Lock takes the lock for the whole of a command and returns its ID. If
//     another holder has it, Lock fails with a *LockedError describing the
//     holder (after retrying for the backend's lock timeout, if it has one).
//     A lock must not outlive its holder's process for good: when the
//     process dies the lock is released, or it can be broken with
//     ForceUnlock.
//   - Unlock releases the lock with the ID Lock returned.
//   - ForceUnlock breaks a lock held by someone else, but only when id is the
//     ID recorded by the holder, so a user cannot break a lock they have not
//     looked at.
//
// Write must not modify s beyond those header fields: Sync hands it
// snapshots that share unchanged resources with earlier snapshots.
//
// Callers hold the lock around Read and Write; backends need not check. The
// methods of one Backend may be called from several goroutines, but Write
// calls must not overlap (Sync serializes them).
type Backend interface {
	Read(ctx context.Context) (*State, error)
	Write(ctx context.Context, s *State) error
	Lock(ctx context.Context, info LockInfo) (lockID string, err error)
	Unlock(id string) error
	ForceUnlock(id string) error
}

// LockInfo describes a lock holder, for the person who runs into the lock.
type LockInfo struct {
	// ID identifies the lock for Unlock and `bp force-unlock`.
	ID string `json:"id"`
	// Operation is what the holder is doing: "apply", "plan", "state mv".
	Operation string `json:"operation"`
	// Who is user@host of the holder.
	Who string `json:"who"`
	// PID is the holder's process ID.
	PID int `json:"pid"`
	// Host is the holder's host name.
	Host string `json:"host"`
	// Created is when the lock was taken.
	Created time.Time `json:"created"`
	// Path is where the lock lives (a file, a table row), set by the backend.
	Path string `json:"path,omitempty"`
}

// NewLockInfo returns the description of the current process taking a lock
// for operation, with a fresh ID.
func NewLockInfo(operation string) LockInfo {
	info := LockInfo{Operation: operation}
	info.fill()
	return info
}

// fill sets every empty field that describes the current process.
func (info *LockInfo) fill() {
	if info.ID == "" {
		info.ID = uuid.NewString()
	}
	if info.Host == "" {
		info.Host, _ = os.Hostname()
		if info.Host == "" {
			info.Host = "unknown-host"
		}
	}
	if info.Who == "" {
		name := os.Getenv("USER")
		if u, err := user.Current(); err == nil && u.Username != "" {
			name = u.Username
		}
		if name == "" {
			name = "unknown"
		}
		info.Who = name + "@" + info.Host
	}
	if info.PID == 0 {
		info.PID = os.Getpid()
	}
	if info.Created.IsZero() {
		info.Created = time.Now().UTC()
	}
}

// LockedError is returned when a lock is held by someone else. Info is the
// holder's description; it is zero when the holder's record could not be
// read.
type LockedError struct {
	Info LockInfo
	// Waited is how long Lock retried before giving up.
	Waited time.Duration
	// Err is set when the holder's record could not be read.
	Err error
}

// Error says who holds the lock since when, and how to get past it.
func (e *LockedError) Error() string {
	var b strings.Builder
	b.WriteString("the state is locked")
	if e.Info.Path != "" {
		fmt.Fprintf(&b, " (%s)", e.Info.Path)
	}
	if e.Info.ID == "" {
		b.WriteString(" by another process, which did not record who it is")
		if e.Err != nil {
			fmt.Fprintf(&b, " (%v)", e.Err)
		}
		b.WriteString(". Wait for it to finish")
	} else {
		op := "an unnamed operation"
		if e.Info.Operation != "" {
			op = strconv.Quote(e.Info.Operation)
		}
		fmt.Fprintf(&b, ": %s (pid %d on %s) has held it since %s for %s, lock ID %s",
			e.Info.Who, e.Info.PID, e.Info.Host, e.Info.Created.Local().Format(time.RFC3339), op, e.Info.ID)
	}
	if e.Waited > 0 {
		fmt.Fprintf(&b, "; gave up after waiting %s", e.Waited.Round(time.Millisecond))
	}
	b.WriteString(". Another bp command is probably working on this state: wait for it, or retry with a lock timeout.")
	if e.Info.ID != "" {
		fmt.Fprintf(&b, " If you are sure no other bp process is running, remove the lock with: bp force-unlock %s", e.Info.ID)
	}
	return b.String()
}
