package main

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWithInterrupt sends this process SIGINT twice: the first cancels the
// context and says so, the second exits with status 130.
func TestWithInterrupt(t *testing.T) {
	exited := make(chan int, 1)
	exitNow = func(code int) { exited <- code }
	defer func() { exitNow = exitNowDefault }()

	var stderr lockedBuffer
	c := &cli{stderr: &stderr}
	ctx, stop := c.withInterrupt(context.Background())
	defer stop()

	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the first interrupt did not cancel the context")
	}
	if !strings.Contains(stderr.String(), interruptMessage) {
		t.Errorf("stderr after one interrupt: %q", stderr.String())
	}
	select {
	case code := <-exited:
		t.Fatalf("exited with %d after one interrupt", code)
	case <-time.After(50 * time.Millisecond):
	}

	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-exited:
		if code != exitInterrupted {
			t.Errorf("exit status %d, want %d", code, exitInterrupted)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	if !strings.Contains(stderr.String(), secondInterrupt) {
		t.Errorf("stderr after two interrupts: %q", stderr.String())
	}
}

// TestWithInterruptStop checks that stop ends the watcher without a signal.
func TestWithInterruptStop(t *testing.T) {
	c := &cli{stderr: &lockedBuffer{}}
	ctx, stop := c.withInterrupt(context.Background())
	stop()
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("stop did not cancel the context")
	}
}
