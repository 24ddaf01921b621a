package engine

import (
	"time"

	"github.com/blueprint-engine/bp/engine/plan"
)

// Hooks receive progress events from a walk, for live output. Methods are
// called from many goroutines at once and must be quick.
type Hooks interface {
	// PreRefresh is called before an object is read from its provider.
	PreRefresh(addr string)
	// PreApply is called before a change is made to an object.
	PreApply(addr string, action plan.Action)
	// PostApply is called after a change, with its error if it failed.
	PostApply(addr string, action plan.Action, err error, elapsed time.Duration)
}

// NopHooks ignores every event.
type NopHooks struct{}

// PreRefresh does nothing.
func (NopHooks) PreRefresh(string) {}

// PreApply does nothing.
func (NopHooks) PreApply(string, plan.Action) {}

// PostApply does nothing.
func (NopHooks) PostApply(string, plan.Action, error, time.Duration) {}

var _ Hooks = NopHooks{}
