package engine

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
)

// Apply carries out p. Every object a provider reports created or changed
// is written through st before Apply moves on, so an error, an interrupt
// (ctx cancelled: nothing new starts, provider calls in progress finish
// and are recorded) or a crash leaves a state that tells the truth. A
// create is written before the provider is asked, as a state.Creating
// placeholder, so that even a crash during the create leaves a record of
// what may exist; the next plan asks the provider whether it does. When a
// change fails, the changes that depend on it are skipped and the others
// go ahead. The caller holds the state lock.
func (e *Engine) Apply(ctx context.Context, p *plan.Plan, st *state.Sync) hcl.Diagnostics {
	if p.Errored {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot apply an incomplete plan",
			Detail: "The plan stopped on errors. Fix them and make a new plan."}}
	}
	return e.runApply(ctx, e.applyWalker(p, st), p)
}

// applyWalker returns the walker that applies p through st.
func (e *Engine) applyWalker(p *plan.Plan, st *state.Sync) *walker {
	w := newWalker(e, phaseApply, p.Mode, newValues(p.Variables))
	w.plan, w.sync = p, st
	w.byAddr, w.deposed = map[string]*plan.ResourceChange{}, map[string]state.DeposedKey{}
	w.deleteChanges = map[string][]*plan.ResourceChange{}
	for _, c := range p.Changes {
		if c.Deposed == "" {
			w.byAddr[c.Addr.String()] = c
		}
		if c.Deposed != "" || c.Action.Deletes() {
			path, _ := configPath(c.Addr.Resource.Module)
			k := path + "|" + resourceAddrKey(c.Addr.Resource)
			w.deleteChanges[k] = append(w.deleteChanges[k], c)
		}
	}
	return w
}

// runApply walks the apply graph of p with w.
func (e *Engine) runApply(ctx context.Context, w *walker, p *plan.Plan) hcl.Diagnostics {
	st := w.sync
	// Start from the refreshed state the plan was made against.
	if err := st.Update(func(s *state.State) {
		lineage, serial, version := s.Lineage, s.Serial, s.Version
		outputs := s.Outputs
		*s = *p.PriorState.DeepCopy()
		s.Lineage, s.Serial, s.Version = lineage, serial, version
		if p.Mode != plan.RefreshOnly {
			s.Outputs = outputs
		}
	}); err != nil {
		return stateWriteError(err)
	}
	if p.Mode == plan.RefreshOnly {
		return nil
	}
	if diags := e.realize(ctx); diags.HasErrors() {
		return diags
	}
	gr, diags := buildGraph(ctx, e.root, p.PriorState, p, phaseApply)
	if diags.HasErrors() {
		return diags
	}
	w.resDeps = gr.resourceDeps()
	w.walk(ctx, gr, w.applyNode)
	diags = append(diags, w.diags...)
	if p.Mode == plan.Destroy && !diags.HasErrors() {
		if err := st.Update(func(s *state.State) {
			for name := range s.Outputs {
				s.RemoveOutput(name)
			}
		}); err != nil {
			diags = append(diags, stateWriteError(err)...)
		}
	}
	return diags
}

func (w *walker) applyNode(ctx context.Context, n *node) error {
	if done, err := w.execCommon(ctx, n); done {
		return err
	}
	switch n.kind {
	case nodeResource:
		return w.applyResource(ctx, n)
	case nodeData:
		return w.readData(ctx, n)
	case nodeOutput:
		vals, err := w.evalOutput(n)
		if err != nil {
			return err
		}
		for name, v := range vals {
			unmarked, _ := v.UnmarkDeep()
			if !unmarked.IsWhollyKnown() {
				continue
			}
			out := &state.Output{Value: unmarked, Sensitive: n.output.Sensitive || len(mustSensitive(v)) > 0}
			if err := w.sync.Update(func(s *state.State) { s.SetOutput(name, out) }); err != nil {
				return w.fail(stateWriteError(err))
			}
		}
		return nil
	case nodeDelete:
		return w.applyDeletes(ctx, n)
	case nodeConfigure:
		return w.applyConfigure(ctx, n)
	}
	return nil
}

func mustSensitive(v cty.Value) []cty.Path {
	_, p := sensitivePaths(v)
	return p
}

// applyResource applies the planned change of every instance of a managed
// resource, in every instance of its module.
func (w *walker) applyResource(ctx context.Context, n *node) error {
	r := n.resource
	pi, ts, err := w.resourceType(ctx, n)
	if err != nil {
		return err
	}
	var failed atomic.Bool
	complete := true
	deps := w.dependencyAddrs(n)
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		exp, keys, d := expand(w.e.scope(w.vals, n.cfg, mi, nil), r.Count, r.ForEach)
		w.addDiags(d)
		if d.HasErrors() {
			failed.Store(true)
			continue
		}
		raddr := stateAddr(mi.addr, r)
		instances, done := w.eachInstance(ctx, keys, ts.ty, &failed, func(ctx context.Context, k *instanceKey) (cty.Value, bool) {
			return w.applyInstance(ctx, n, pi, ts, mi, raddr.Instance(k.key), k, deps)
		})
		complete = done && complete
		w.vals.setResource(mi.addr, resourceKey(r), exp, instances)
	}
	switch {
	case failed.Load():
		return errNodeFailed
	case !complete:
		return errNodeInterrupted
	}
	return nil
}

// dependencyAddrs lists the resources n depends on, as recorded in state for
// ordering later deletions.
func (w *walker) dependencyAddrs(n *node) []state.ResourceAddr {
	var out []state.ResourceAddr
	for _, d := range w.resDeps[n] {
		for _, mi := range w.vals.moduleInstances(pathKey(d.cfg.Path)) {
			out = append(out, stateAddr(mi.addr, d.resource))
		}
	}
	return out
}

// applyInstance applies one instance's change and returns its new value.
func (w *walker) applyInstance(ctx context.Context, n *node, pi *providerInstance, ts *typeSchema, mi moduleInstance, addr state.InstanceAddr, k *instanceKey, deps []state.ResourceAddr) (cty.Value, bool) {
	r := n.resource
	ty := ts.ty
	what := "apply of " + addr.String()
	change := w.byAddr[addr.String()]
	if change == nil {
		w.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Instance not in the plan",
			Detail:  fmt.Sprintf("%s is not part of the plan being applied; the blueprint or its inputs changed since the plan was made. Make a new plan.", addr),
			Subject: r.DeclRange.Ptr()}})
		return cty.UnknownVal(ty), false
	}
	if change.Action == plan.NoOp || change.Action == plan.Read {
		return markSensitive(change.After, change.AfterSensitive), true
	}
	provider := providerStateName(pi.key)
	cfgVal, diags := w.e.scope(w.vals, n.cfg, mi, k).EvalBody(r.Config, ts.spec)
	if diags.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ty), false
	}
	cfgVal, cfgSensitive := sensitivePaths(cfgVal)
	sensitiveIn := func(v cty.Value) []cty.Path { return ts.sensitiveResult(v, cfgVal, cfgSensitive) }
	cbd := change.Action == plan.CreateThenDelete || r.Lifecycle.CreateBeforeDestroy

	priorVal, priorPrivate := cty.NullVal(ty), []byte(nil)
	var deposedKey state.DeposedKey
	if change.Action == plan.CreateThenDelete {
		if err := w.sync.Update(func(s *state.State) {
			if s.Object(addr) != nil {
				deposedKey = s.Depose(addr)
			}
		}); err != nil {
			w.addDiags(stateWriteError(err))
			return cty.UnknownVal(ty), false
		}
		if deposedKey != "" {
			w.mu.Lock()
			w.deposed[addr.String()] = deposedKey
			w.mu.Unlock()
		}
	} else if change.Action == plan.Update {
		if obj := w.currentObject(addr); obj != nil {
			priorVal, priorPrivate = obj.Value, obj.Private
			cfgVal = ignoreChanges(cfgVal, priorVal, r.Lifecycle)
		}
	}

	proposed := providers.ProposedNewObject(ts.Schema, priorVal, cfgVal)
	presp := pi.iface.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: r.Type, PriorState: priorVal, ProposedNewState: proposed, Config: cfgVal, PriorPrivate: priorPrivate,
	})
	if d := providerDiags(presp.Diagnostics, what, r.Config, r.DeclRange); d.HasErrors() {
		w.addDiags(d)
		w.undepose(addr, deposedKey, pi.key)
		return cty.UnknownVal(ty), false
	}
	planned := presp.PlannedState
	if bad := planMismatches(change.After, planned); len(bad) > 0 {
		w.addDiags(inconsistent(addr, "final plan", "the plan made earlier", bad, r))
		w.undepose(addr, deposedKey, pi.key)
		return cty.UnknownVal(ty), false
	}

	action := change.Action
	// Record the create before it happens, so that a crash while the
	// provider works leaves a placeholder rather than an unknown object.
	recorded := false
	if action.Creates() {
		ph := placeholder(planned, deps, cbd)
		ph.SensitivePaths = sensitiveIn(ph.Value)
		err := w.sync.Update(func(s *state.State) {
			// The old object of a replacement is deleted or deposed by
			// now; never write over an object that exists.
			if cur := s.Object(addr); cur == nil || cur.Status == state.Creating {
				s.SetInstance(addr, provider, ph)
				recorded = true
			}
		})
		if err != nil {
			w.addDiags(stateWriteError(err))
			if recorded {
				_ = w.dropPlaceholder(addr) // the in-memory state must not keep it either
			}
			w.undepose(addr, deposedKey, pi.key)
			return cty.UnknownVal(ty), false
		}
	}
	w.e.hooks.PreApply(addr.String(), action)
	start := time.Now()
	resp := pi.iface.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{
		TypeName: r.Type, PriorState: priorVal, PlannedState: planned, Config: cfgVal, PlannedPrivate: presp.PlannedPrivate,
	})
	applyDiags := providerDiags(resp.Diagnostics, what, r.Config, r.DeclRange)
	newVal := resp.NewState
	var hookErr error
	if applyDiags.HasErrors() {
		hookErr = applyDiags.Errs()[0]
	}
	// Whatever the provider says exists is recorded, even on error: a
	// partly created object is saved as tainted so the next plan replaces
	// it; a failed update keeps the object as the provider reports it.
	if newVal != cty.NilVal && !newVal.IsNull() {
		obj := &state.Object{
			Value: newVal, Private: resp.Private, Dependencies: deps,
			SensitivePaths: sensitiveIn(newVal), CreateBeforeDestroy: cbd,
		}
		if applyDiags.HasErrors() && change.Action.Creates() {
			obj.Status = state.Tainted
		}
		if err := w.sync.Update(func(s *state.State) { s.SetInstance(addr, provider, obj) }); err != nil {
			applyDiags = append(applyDiags, stateWriteError(err)...)
		}
	} else {
		if !applyDiags.HasErrors() {
			applyDiags = append(applyDiags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Provider returned no object",
				Detail: fmt.Sprintf("Provider %q returned nothing after the %s of %s; this is a bug in the provider.", pi.key, action, addr), Subject: r.DeclRange.Ptr()})
		}
		// Nothing was created: the placeholder goes, and a replaced
		// object set aside comes back.
		if recorded {
			if err := w.dropPlaceholder(addr); err != nil {
				applyDiags = append(applyDiags, stateWriteError(err)...)
			}
		}
		w.undepose(addr, deposedKey, pi.key)
	}
	if !applyDiags.HasErrors() {
		if bad := providers.PlanApplyMismatches(planned, newVal); len(bad) > 0 {
			applyDiags = append(applyDiags, inconsistent(addr, "result after apply", "the planned value", bad, r)...)
		}
	}
	w.e.hooks.PostApply(addr.String(), action, hookErr, time.Since(start))
	w.addDiags(applyDiags)
	if applyDiags.HasErrors() {
		return cty.UnknownVal(ty), false
	}
	return markSensitive(newVal, sensitiveIn(newVal)), true
}

// undepose puts back the object deposed for a create_before_destroy
// replacement whose create failed without creating anything, so the
// instance keeps its working object.
func (w *walker) undepose(addr state.InstanceAddr, key state.DeposedKey, provider string) {
	if key == "" {
		return
	}
	w.mu.Lock()
	delete(w.deposed, addr.String())
	w.mu.Unlock()
	if err := w.sync.Update(func(s *state.State) {
		inst := s.Instance(addr)
		if inst == nil || inst.Current != nil || inst.Deposed[key] == nil {
			return
		}
		obj := inst.Deposed[key]
		s.SetDeposed(addr, key, "", nil)
		s.SetInstance(addr, providerStateName(provider), obj)
	}); err != nil {
		w.addDiags(stateWriteError(err))
	}
}

func (w *walker) currentObject(addr state.InstanceAddr) *state.Object {
	var obj *state.Object
	_ = w.sync.Update(func(s *state.State) {
		if o := s.Object(addr); o != nil {
			obj = o.DeepCopy()
		}
	})
	return obj
}

func inconsistent(addr state.InstanceAddr, what, against string, paths []cty.Path, r *blueprint.Resource) hcl.Diagnostics {
	var names []string
	for _, p := range paths {
		names = append(names, providers.FormatPath(p))
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Provider produced inconsistent " + what,
		Detail: fmt.Sprintf("For %s the provider's %s differs from %s at %v: planned value differs from applied value. "+
			"This is a bug in the provider; the object as the provider reported it is recorded in state.", addr, what, against, names),
		Subject: r.DeclRange.Ptr(),
	}}
}

// applyDeletes deletes the objects the plan deletes for one resource:
// current objects of deleted and replaced instances, and deposed objects.
func (w *walker) applyDeletes(ctx context.Context, n *node) error {
	pi, diags := w.provider(ctx, n.provider, n.rng)
	if diags.HasErrors() {
		return w.fail(diags)
	}
	changes := w.deleteChanges[n.deleteKey]
	var failed atomic.Bool
	complete := w.parallel(ctx, len(changes), func(ctx context.Context, i int) {
		c := changes[i]
		var deposed state.DeposedKey
		switch {
		case c.Deposed != "":
			deposed = c.Deposed
		case c.Action == plan.Delete || c.Action == plan.DeleteThenCreate:
		case c.Action == plan.CreateThenDelete:
			w.mu.Lock()
			deposed = w.deposed[c.Addr.String()]
			w.mu.Unlock()
			if deposed == "" {
				return // the create half failed; the old object stays current
			}
		default:
			return
		}
		if err := w.deleteObject(ctx, pi, c, deposed); err != nil {
			failed.Store(true)
		}
	})
	switch {
	case failed.Load():
		return errNodeFailed
	case !complete:
		return errNodeInterrupted
	}
	return nil
}

func (w *walker) deleteObject(ctx context.Context, pi *providerInstance, c *plan.ResourceChange, deposed state.DeposedKey) error {
	var obj *state.Object
	_ = w.sync.Update(func(s *state.State) {
		inst := s.Instance(c.Addr)
		if inst == nil {
			return
		}
		if deposed != "" {
			obj = inst.Deposed[deposed]
		} else {
			obj = inst.Current
		}
		if obj != nil {
			obj = obj.DeepCopy()
		}
	})
	if obj == nil {
		return nil // already gone
	}
	if obj.Status == state.Creating {
		// A placeholder of an interrupted create that the plan did not
		// resolve (a destroy plan reads nothing): is there anything to
		// delete?
		found, err := w.resolveForDelete(ctx, pi, c, deposed, obj)
		if err != nil || found == nil {
			return err
		}
		obj = found
	}
	w.e.hooks.PreApply(c.Addr.String(), plan.Delete)
	start := time.Now()
	resp := pi.iface.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{
		TypeName: c.Addr.Resource.Type, PriorState: obj.Value, PlannedState: cty.NullVal(obj.Value.Type()),
		Config: cty.NullVal(obj.Value.Type()), PlannedPrivate: obj.Private,
	})
	diags := providerDiags(resp.Diagnostics, "delete of "+c.Addr.String(), nil, hcl.Range{})
	if !diags.HasErrors() && resp.NewState != cty.NilVal && !resp.NewState.IsNull() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Provider did not delete the object",
			Detail: fmt.Sprintf("Provider %q returned an object after deleting %s; this is a bug in the provider. The object stays in state.", pi.key, c.Addr)})
	}
	var hookErr error
	if diags.HasErrors() {
		hookErr = diags.Errs()[0]
	} else if err := w.sync.Update(func(s *state.State) {
		if deposed != "" {
			s.SetDeposed(c.Addr, deposed, "", nil)
		} else {
			s.SetInstance(c.Addr, "", nil)
		}
	}); err != nil {
		diags = append(diags, stateWriteError(err)...)
	}
	w.e.hooks.PostApply(c.Addr.String(), plan.Delete, hookErr, time.Since(start))
	if diags.HasErrors() {
		return w.fail(diags)
	}
	return nil
}

func stateWriteError(err error) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Failed to save state",
		Detail:   fmt.Sprintf("Writing the state failed: %s. Objects changed since the last successful write may be missing from the state; fix the problem and run bp again.", err),
	}}
}
