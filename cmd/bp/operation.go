package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// mode returns the plan mode the flags ask for, or an error when they ask
// for two.
func (o *operationFlags) mode() (plan.Mode, error) {
	switch {
	case o.destroy && o.refreshOnly:
		return "", errors.New("-destroy and -refresh-only cannot be used together: choose one kind of plan")
	case o.destroy:
		return plan.Destroy, nil
	case o.refreshOnly:
		if !o.refresh {
			return "", errors.New("-refresh-only and -refresh=false cannot be used together: a refresh-only plan is the refresh")
		}
		return plan.RefreshOnly, nil
	}
	return plan.Normal, nil
}

// check reports flags with values that make no sense.
func (o *operationFlags) check() error {
	if o.parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1, not %d", o.parallelism)
	}
	if o.lock.timeout < 0 {
		return fmt.Errorf("-lock-timeout cannot be negative (%s)", o.lock.timeout)
	}
	return nil
}

// makePlan plans the session's blueprint against prior. It prints the
// diagnostics and returns an exitCode error when planning fails, and prints
// warnings otherwise.
func (s *session) makePlan(ctx context.Context, e *engine.Engine, prior *state.State, mode plan.Mode, refresh bool) (*plan.Plan, error) {
	p, diags := e.Plan(ctx, prior, engine.PlanOptions{Mode: mode, SkipRefresh: !refresh})
	if diags.HasErrors() || p == nil || p.Errored {
		if !diags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Planning failed",
				Detail: "The plan stopped on errors; fix them and plan again."})
		}
		return nil, s.fail(diags)
	}
	s.warn(diags)
	return p, nil
}

// needsApply reports whether applying p would change anything, the state
// included: changes to objects or outputs, or drift to record.
func needsApply(p *plan.Plan) bool {
	return p.HasChanges() || len(p.Drift) > 0
}
