package engine

import (
	"context"
	"fmt"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// PlanOptions choose what kind of plan to make.
type PlanOptions struct {
	Mode plan.Mode
	// SkipRefresh plans from the recorded state without reading objects.
	SkipRefresh bool
	// GroupSizes sets the size of self-hosted machine groups of the root
	// module by address ("machine_group.web": 4), within their min and
	// max: how `bp run` resizes a group. The size stays in state; later
	// plans without it keep it until the group's desired changes.
	GroupSizes map[string]int
	// Replace forces these instances to be replaced (destroyed and
	// created again, or created first under create_before_destroy) even
	// when their configuration has not changed: Terraform's -replace, and
	// how `bp run` replaces a failed group member. An address that matches
	// no instance of the state is an error.
	Replace []state.InstanceAddr
}

// Plan compares the blueprint with prior (the last state, which Plan does
// not modify) and returns the changes that would make them match.
//
// Cancelling ctx interrupts the plan: provider calls in progress finish,
// nothing new starts, and the plan comes back Errored with an
// "Interrupted" diagnostic.
func (e *Engine) Plan(ctx context.Context, prior *state.State, opts PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	if opts.Mode == "" {
		opts.Mode = plan.Normal
	}
	if prior == nil {
		prior = state.New()
	}
	realizeDiags := e.realize(ctx)
	vars, sizeDiags := groupSizeInputs(e.root, e.vars, opts.GroupSizes)
	realizeDiags = append(realizeDiags, sizeDiags...)
	w := newWalker(e, phasePlan, opts.Mode, newValues(vars))
	w.refresh, w.prior = !opts.SkipRefresh, prior.DeepCopy()
	w.movedTo, w.imports = map[string]state.InstanceAddr{}, map[string]*blueprint.Import{}
	p := &plan.Plan{Mode: opts.Mode, Variables: vars, StateLineage: prior.Lineage, StateSerial: prior.Serial}
	p.Realizations = realizations(e.root)
	if opts.Mode == plan.Destroy {
		diags := w.planDestroy(prior)
		p.Changes, p.PriorState = w.changes, w.prior
		p.Errored = diags.HasErrors()
		p.Sort()
		return p, diags
	}
	diags := append(realizeDiags, w.applyMoves()...)
	diags = append(diags, w.collectImports()...)
	if diags.HasErrors() {
		p.Errored = true
		return p, diags
	}
	w.priorByKey = indexByConfigKey(w.prior)
	gr, gDiags := buildGraph(ctx, e.root, w.prior, nil, phasePlan)
	diags = append(diags, gDiags...)
	if diags.HasErrors() {
		p.Errored = true
		return p, diags
	}
	w.forceCBD = gr.forcedCreateBeforeDestroy()
	w.replace = newReplaceSet(opts.Replace)
	w.walk(ctx, gr, w.planNode)
	diags = append(diags, w.diags...)
	if opts.Mode == plan.Normal && !diags.HasErrors() && ctx.Err() == nil {
		diags = append(diags, w.replace.unmatched()...)
	}
	p.Changes, p.Drift, p.Outputs, p.PriorState = w.changes, w.drift, w.outputs, w.prior
	p.HostChanges = w.hostChanges
	if opts.Mode == plan.RefreshOnly {
		p.Changes = nil
	}
	p.Errored = diags.HasErrors()
	p.Sort()
	return p, diags
}

// indexByConfigKey indexes the resources of s by "path|type.name", the key
// of the resource declaration they belong to.
func indexByConfigKey(s *state.State) map[string][]state.ResourceAddr {
	out := map[string][]state.ResourceAddr{}
	for _, r := range s.Resources() {
		path, _ := configPath(r.Addr.Module)
		k := path + "|" + resourceAddrKey(r.Addr)
		out[k] = append(out[k], r.Addr)
	}
	return out
}

func (w *walker) planNode(ctx context.Context, n *node) error {
	if done, err := w.execCommon(ctx, n); done {
		return err
	}
	switch n.kind {
	case nodeResource:
		return w.planResource(ctx, n)
	case nodeData:
		return w.readData(ctx, n)
	case nodeOutput:
		vals, err := w.evalOutput(n)
		for name, v := range vals {
			oc := &plan.OutputChange{Name: name, After: v, Sensitive: n.output.Sensitive, Action: plan.Create, Before: cty.NullVal(cty.DynamicPseudoType)}
			if prev := w.prior.Output(name); prev != nil {
				oc.Before = prev.Value
				oc.Action = plan.Update
				if unmarked, _ := v.UnmarkDeep(); unmarked.IsWhollyKnown() && unmarked.RawEquals(prev.Value) {
					oc.Action = plan.NoOp
				}
			}
			w.mu.Lock()
			w.outputs = append(w.outputs, oc)
			w.mu.Unlock()
		}
		return err
	case nodeDelete:
		return w.planOrphan(ctx, n)
	case nodeConfigure:
		return w.planConfigure(ctx, n)
	}
	return nil
}

// provider returns the configured provider instance of n.
func (w *walker) provider(ctx context.Context, key string, rng hcl.Range) (*providerInstance, hcl.Diagnostics) {
	pi, diags := w.e.provs.get(context.WithoutCancel(ctx), w.e.root, key, rng)
	if diags.HasErrors() {
		return nil, diags
	}
	if !pi.configured {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Provider not configured",
			Detail: fmt.Sprintf("Provider %q failed to configure; see the errors above.", key), Subject: rng.Ptr()}}
	}
	return pi, nil
}

// resourceType returns the configured provider of a resource or data node
// and the schema of its type; on failure the diagnostics are recorded and the
// error stops the node.
func (w *walker) resourceType(ctx context.Context, n *node) (*providerInstance, *typeSchema, error) {
	pi, diags := w.provider(ctx, n.provider, n.resource.DeclRange)
	if diags.HasErrors() {
		return nil, nil, w.fail(diags)
	}
	ts, diags := resourceSchema(pi, n.resource)
	if diags.HasErrors() {
		return nil, nil, w.fail(diags)
	}
	return pi, ts, nil
}

// resourceSchema returns the schema of a resource type, or a diagnostic
// naming the types the provider has.
func resourceSchema(pi *providerInstance, r *blueprint.Resource) (*typeSchema, hcl.Diagnostics) {
	if ts := pi.typeSchema(r.Mode, r.Type); ts != nil {
		return ts, nil
	}
	types, what := pi.schema.ResourceTypes, "resource type"
	if r.Mode == blueprint.DataResourceMode {
		types, what = pi.schema.DataSources, "data source"
	}
	names := sortedNames(types)
	detail := fmt.Sprintf("Provider %q has no %s %q.", pi.key, what, r.Type)
	if s := nameSuggestion(r.Type, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	} else if len(names) > 0 {
		detail += fmt.Sprintf(" It offers: %v.", names)
	}
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported " + what, Detail: detail, Subject: r.TypeRange.Ptr()}}
}

func nameSuggestion(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(given, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
