package main

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

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
// included: changes to objects or outputs, or drift to record (which a plan
// without changes still has when the blueprint ignores what drifted).
func needsApply(p *plan.Plan) bool {
	return p.HasChanges() || len(p.Drift) > 0
}
