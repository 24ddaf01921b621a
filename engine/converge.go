package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// ConvergeOptions choose which configure blocks Converge runs.
type ConvergeOptions struct {
	// Targets are configure block addresses ("configure.web"); empty means
	// every configure block.
	Targets []string
	// ForgetHostKeys are addresses ("host:port") whose host keys, recorded
	// at first contact, are forgotten before converging: those hosts are
	// trusted anew and their current keys recorded (a machine rebuilt on
	// purpose at the same address).
	ForgetHostKeys []string
}

// Converge runs only the configuration step: every configure block (or
// the targeted ones) converges its hosts as the state records them, and no
// resource is created, changed or deleted. Resource changes the blueprint
// would need are left for `bp apply`; a warning counts them. The caller
// holds the state lock.
func (e *Engine) Converge(ctx context.Context, prior *state.State, st *state.Sync, opts ConvergeOptions) hcl.Diagnostics {
	p, diags := e.Plan(ctx, prior, PlanOptions{SkipRefresh: true})
	if diags.HasErrors() {
		return diags
	}
	known := map[string]bool{}
	for _, h := range p.HostChanges {
		known[h.Configure] = true
	}
	for _, t := range opts.Targets {
		if !known[t] {
			return append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No such configure block",
				Detail: fmt.Sprintf("-target %q names no configure block with hosts; the blueprint has %s.", t, knownList(known))})
		}
	}
	pending := 0
	var kept []*plan.ResourceChange
	for _, c := range p.Changes {
		if c.Deposed != "" || c.Action == plan.Delete {
			if c.Action != plan.NoOp {
				pending++
			}
			continue
		}
		if c.Action != plan.NoOp && c.Action != plan.Read {
			pending++
			nc := *c
			nc.Action, nc.After, nc.AfterSensitive = plan.NoOp, c.Before, c.BeforeSensitive
			c = &nc
		}
		kept = append(kept, c)
	}
	p.Changes, p.HostChanges = kept, nil
	if d := forgetHostKeys(p, opts.ForgetHostKeys); d.HasErrors() {
		return append(diags, d...)
	}
	if pending > 0 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Resource changes left for bp apply",
			Detail: fmt.Sprintf("The blueprint needs %d resource change(s) that bp converge does not make; hosts were converged as they are now. Run bp apply to make them.", pending)})
	}
	w := e.applyWalker(p, st)
	if len(opts.Targets) > 0 {
		w.configureOnly = map[string]bool{}
		for _, t := range opts.Targets {
			w.configureOnly[t] = true
		}
	}
	return append(diags, e.runApply(ctx, w, p)...)
}

func knownList(m map[string]bool) string {
	if len(m) == 0 {
		return "none"
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	return strings.Join(names, ", ")
}
