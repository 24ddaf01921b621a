package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// exitInterrupted is the exit status after a second interrupt, as shells
// report a process ended by SIGINT (128 + 2).
const exitInterrupted = 130

// exitNow ends the process; tests replace it.
var exitNow = exitNowDefault

// exitNowDefault is os.Exit.
var exitNowDefault = os.Exit

// Messages printed on interrupts.
const (
	interruptMessage = "Interrupt received. Stopping gracefully: finishing operations in progress and saving state..."
	secondInterrupt  = "Two interrupts received. Exiting immediately. Objects being created may not be recorded in state."
)

// withInterrupt returns a context that the first SIGINT or SIGTERM cancels,
// after saying so on standard error: the engine then starts nothing new,
// lets the operations in progress finish and records them in state. A
// second signal exits at once with status 130. stop restores the default
// signal handling.
func (c *cli) withInterrupt(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-signals:
		case <-done:
			return
		}
		fmt.Fprintln(c.stderr, interruptMessage)
		cancel()
		select {
		case <-signals:
		case <-done:
			return
		}
		fmt.Fprintln(c.stderr, secondInterrupt)
		exitNow(exitInterrupted)
	}()
	return ctx, func() {
		signal.Stop(signals)
		close(done)
		cancel()
	}
}
