package engine

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
)

// planResource plans every instance of a managed resource in every
// instance of its module: the instances the blueprint declares, the ones
// in state it no longer declares (count or for_each shrank, or the module
// instance is gone), and objects left deposed by an earlier
// create_before_destroy.
func (w *walker) planResource(ctx context.Context, n *node) error {
	r := n.resource
	pi, ts, err := w.resourceType(ctx, n)
	if err != nil {
		return err
	}
	var failed atomic.Bool
	fail := func() { failed.Store(true) }
	complete := true
	current := map[string]bool{}
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		current[mi.addr] = true
		exp, keys, d := expand(w.e.scope(w.vals, n.cfg, mi, nil), r.Count, r.ForEach)
		w.addDiags(d)
		if d.HasErrors() {
			fail()
			continue
		}
		raddr := stateAddr(mi.addr, r)
		wanted := make(map[state.InstanceKey]bool, len(keys))
		for _, k := range keys {
			wanted[k.key] = true
		}
		var gone []state.InstanceKey
		w.priorMu.Lock()
		if sr := w.prior.Resource(raddr); sr != nil {
			for _, k := range sr.Keys() {
				if !wanted[k] {
					gone = append(gone, k)
				}
			}
		}
		w.priorMu.Unlock()
		reason := "no longer in the blueprint"
		switch {
		case r.Count != nil:
			reason = "its index is beyond the current count"
		case r.ForEach != nil:
			reason = "its key is no longer in for_each"
		}
		vals := make([]cty.Value, len(keys))
		complete = w.parallel(ctx, len(keys)+len(gone), func(ctx context.Context, i int) {
			if i >= len(keys) {
				if err := w.planDelete(ctx, pi, raddr.Instance(gone[i-len(keys)]), reason, r); err != nil {
					fail()
				}
				return
			}
			v, ok := w.planInstance(ctx, n, pi, ts, mi, raddr.Instance(keys[i].key), &keys[i])
			if !ok {
				fail()
			}
			vals[i] = v
		}) && complete
		instances := make(map[state.InstanceKey]cty.Value, len(keys))
		for i, k := range keys {
			instances[k.key] = vals[i]
		}
		w.vals.setResource(mi.addr, resourceKey(r), exp, instances)
		w.planDeposed(raddr)
	}
	// Objects of module instances that no longer exist.
	var orphans []state.InstanceAddr
	w.priorMu.Lock()
	for _, raddr := range w.priorByKey[n.key()] {
		if current[raddr.Module] {
			continue
		}
		if sr := w.prior.Resource(raddr); sr != nil {
			for _, k := range sr.Keys() {
				orphans = append(orphans, raddr.Instance(k))
			}
		}
	}
	w.priorMu.Unlock()
	complete = w.parallel(ctx, len(orphans), func(ctx context.Context, i int) {
		if err := w.planDelete(ctx, pi, orphans[i], "its module instance is no longer in the blueprint", r); err != nil {
			fail()
		}
	}) && complete
	for _, raddr := range w.priorByKey[n.key()] {
		if !current[raddr.Module] {
			w.planDeposed(raddr)
		}
	}
	switch {
	case failed.Load():
		return errNodeFailed
	case !complete:
		return errNodeInterrupted
	}
	return nil
}

// planInstance plans one instance and returns the value references to it
// see (planned, unknown where known only after apply).
func (w *walker) planInstance(ctx context.Context, n *node, pi *providerInstance, ts *typeSchema, mi moduleInstance, addr state.InstanceAddr, k *instanceKey) (cty.Value, bool) {
	r := n.resource
	ty := ts.ty
	what := "plan of " + addr.String()
	cfgVal, diags := w.e.scope(w.vals, n.cfg, mi, k).EvalBody(r.Config, ts.spec)
	if diags.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ty), false
	}
	cfgVal, cfgSensitive := sensitivePaths(cfgVal)
	vresp := pi.iface.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: r.Type, Config: cfgVal})
	diags = append(diags, providerDiags(vresp.Diagnostics, what, r.Config, r.DeclRange)...)
	if diags.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ty), false
	}

	cfgSecrets := ts.configSecrets(cfgVal, cfgSensitive)
	prior, importID, interrupted, d := w.priorObject(ctx, pi, addr, r, cfgSecrets)
	diags = append(diags, d...)
	w.addDiags(diags)
	if d.HasErrors() {
		return cty.UnknownVal(ty), false
	}
	if w.mode == plan.RefreshOnly {
		if prior == nil {
			return cty.NullVal(ty), true
		}
		return markSensitive(prior.Value, prior.SensitivePaths), true
	}
	tainted := prior != nil && prior.Status == state.Tainted
	// A forced replacement is planned as a new object, like a tainted one.
	forced := w.replace.take(addr) && prior != nil
	priorVal := cty.NullVal(ty)
	var priorPrivate []byte
	if prior != nil && !tainted && !forced {
		priorVal, priorPrivate = prior.Value, prior.Private
		cfgVal = ignoreChanges(cfgVal, priorVal, r.Lifecycle)
	}
	proposed := providers.ProposedNewObject(ts.Schema, priorVal, cfgVal)
	resp := pi.iface.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: r.Type, PriorState: priorVal, ProposedNewState: proposed, Config: cfgVal, PriorPrivate: priorPrivate,
	})
	if pd := providerDiags(resp.Diagnostics, what, r.Config, r.DeclRange); len(pd) > 0 {
		w.addDiags(pd)
		if pd.HasErrors() {
			return cty.UnknownVal(ty), false
		}
	}
	planned := resp.PlannedState
	if planned == cty.NilVal || planned.IsNull() {
		w.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Provider planned no object",
			Detail:  fmt.Sprintf("Provider %q planned a null object for %s; this is a bug in the provider.", pi.key, addr),
			Subject: r.DeclRange.Ptr()}})
		return cty.UnknownVal(ty), false
	}
	change := &plan.ResourceChange{
		Addr: addr, Provider: pi.key, Before: priorVal, After: planned,
		AfterSensitive: ts.sensitiveResult(planned, cfgVal, cfgSensitive),
		Private:        resp.PlannedPrivate, ImportID: importID,
	}
	if prior != nil {
		change.Before, change.BeforeSensitive = prior.Value, prior.SensitivePaths
	}
	if prev, ok := w.movedTo[addr.String()]; ok {
		change.PrevAddr = &prev
	}
	replaceAction := plan.DeleteThenCreate
	if r.Lifecycle.CreateBeforeDestroy || w.forceCBD[n] {
		replaceAction = plan.CreateThenDelete
	}
	switch {
	case prior == nil:
		change.Action = plan.Create
	case interrupted:
		change.Action, change.Reason = replaceAction, "an earlier apply was interrupted while creating it"
	case tainted:
		change.Action, change.Reason = replaceAction, "it is tainted: an earlier apply failed part-way"
	case forced:
		change.Action, change.Reason = replaceAction, "its replacement was requested with -replace"
	case priorVal.RawEquals(planned):
		change.Action = plan.NoOp
		w.keepSensitive(addr, pi.key, prior, change)
	case len(resp.RequiresReplace) > 0:
		change.Action, change.RequiresReplace = replaceAction, resp.RequiresReplace
	default:
		change.Action = plan.Update
	}
	if change.Action.Deletes() && r.Lifecycle.PreventDestroy {
		w.addDiags(preventDestroy(addr, r))
		return cty.UnknownVal(ty), false
	}
	w.addChange(change)
	return markSensitive(planned, change.AfterSensitive), true
}

// priorObject returns the instance's object before planning: imported when
// an import block asks for it, refreshed from the provider unless refresh is
// off, and moved already by moved blocks. A placeholder left by an
// interrupted create is always resolved, refresh or not; interrupted
// reports that the object returned was adopted from one. cfgSecrets are the
// sensitive values of the configuration (see refreshObject).
func (w *walker) priorObject(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, r *blueprint.Resource, cfgSecrets secrets) (obj *state.Object, importID string, interrupted bool, diags hcl.Diagnostics) {
	w.priorMu.Lock()
	obj = w.prior.Object(addr)
	w.priorMu.Unlock()
	if obj != nil && obj.Status == state.Creating {
		obj, diags = w.resolveCreating(ctx, pi, addr, obj, cfgSecrets, r.DeclRange)
		if diags.HasErrors() || obj != nil {
			// Resolving read the object: no refresh needed.
			return obj, "", obj != nil, diags
		}
	}
	if obj == nil {
		if im := w.imports[addr.String()]; im != nil {
			id, diags := w.importObject(ctx, pi, addr, r, im)
			if diags.HasErrors() {
				return nil, "", false, diags
			}
			w.priorMu.Lock()
			obj = w.prior.Object(addr)
			w.priorMu.Unlock()
			// The import just read the object: no refresh needed.
			return obj, id, false, nil
		}
	}
	if obj == nil || !w.refresh {
		return obj, "", false, nil
	}
	obj, diags = w.refreshObject(ctx, pi, addr, obj, r.DeclRange, cfgSecrets)
	return obj, "", false, diags
}

// keepSensitive hides in the unchanged object of a no-op change whatever
// the plan hides: the configuration may have marked a value sensitive that
// the object, recorded before, shows.
func (w *walker) keepSensitive(addr state.InstanceAddr, provider string, prior *state.Object, c *plan.ResourceChange) {
	paths := unionPaths(prior.SensitivePaths, c.AfterSensitive)
	if len(paths) == len(prior.SensitivePaths) {
		return
	}
	c.BeforeSensitive, c.AfterSensitive = paths, paths
	updated := prior.DeepCopy()
	updated.SensitivePaths = paths
	w.priorMu.Lock()
	w.prior.SetInstance(addr, providerStateName(provider), updated)
	w.priorMu.Unlock()
}

// refreshObject reads obj, the current object of addr, from its provider,
// records drift, updates the working state, and returns the object as it
// is now (nil when it is gone). Besides the schema's sensitive attributes,
// the refreshed object hides every value equal to one the object hid
// before or to one of more, the sensitive values of its configuration.
func (w *walker) refreshObject(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, obj *state.Object, rng hcl.Range, more secrets) (*state.Object, hcl.Diagnostics) {
	w.e.hooks.PreRefresh(addr.String())
	resp := pi.iface.ReadResource(ctx, providers.ReadResourceRequest{TypeName: addr.Resource.Type, CurrentState: obj.Value, Private: obj.Private})
	if diags := providerDiags(resp.Diagnostics, "refresh of "+addr.String(), nil, rng); diags.HasErrors() {
		return nil, diags
	}
	newVal := resp.NewState
	if newVal == cty.NilVal || newVal.IsNull() {
		w.recordDrift(addr, pi.key, obj, nil, "deleted outside bp")
		w.priorMu.Lock()
		w.prior.SetInstance(addr, providerStateName(pi.key), nil)
		w.priorMu.Unlock()
		return nil, nil
	}
	sensitive := unionPaths(obj.SensitivePaths, copiedSecrets(newVal, objectSecrets(obj, more)))
	if ts := pi.typeSchema(blueprint.ManagedResourceMode, addr.Resource.Type); ts != nil {
		sensitive = unionPaths(sensitive, ts.SensitivePaths(newVal))
	}
	if newVal.RawEquals(obj.Value) && string(resp.Private) == string(obj.Private) && len(sensitive) == len(obj.SensitivePaths) {
		return obj, nil
	}
	updated := obj.DeepCopy()
	updated.Value, updated.Private, updated.SensitivePaths = newVal, resp.Private, sensitive
	if !newVal.RawEquals(obj.Value) {
		w.recordDrift(addr, pi.key, obj, updated, "changed outside bp")
	}
	w.priorMu.Lock()
	w.prior.SetInstance(addr, providerStateName(pi.key), updated)
	w.priorMu.Unlock()
	return updated, nil
}

func (w *walker) recordDrift(addr state.InstanceAddr, provider string, before, after *state.Object, reason string) {
	c := &plan.ResourceChange{Addr: addr, Provider: provider, Before: before.Value, BeforeSensitive: before.SensitivePaths, Reason: reason}
	if after == nil {
		c.Action, c.After = plan.Delete, cty.NullVal(before.Value.Type())
	} else {
		c.Action, c.After, c.AfterSensitive = plan.Update, after.Value, after.SensitivePaths
	}
	w.mu.Lock()
	w.drift = append(w.drift, c)
	w.mu.Unlock()
}

// ignoreChanges keeps the prior values of the attributes lifecycle tells
// bp to ignore.
func ignoreChanges(cfg, prior cty.Value, lc blueprint.Lifecycle) cty.Value {
	if lc.IgnoreAllChanges {
		return prior
	}
	if len(lc.IgnoreChanges) == 0 || prior.IsNull() || !cfg.Type().IsObjectType() {
		return cfg
	}
	attrs := cfg.AsValueMap()
	for _, tr := range lc.IgnoreChanges {
		if len(tr) == 0 {
			continue
		}
		var name string
		switch s := tr[0].(type) {
		case hcl.TraverseRoot:
			name = s.Name
		case hcl.TraverseAttr:
			name = s.Name
		}
		if _, ok := attrs[name]; ok && prior.Type().HasAttribute(name) {
			attrs[name] = prior.GetAttr(name)
		}
	}
	return cty.ObjectVal(attrs)
}

func preventDestroy(addr state.InstanceAddr, r *blueprint.Resource) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Instance cannot be destroyed",
		Detail: fmt.Sprintf("%s has lifecycle.prevent_destroy set, but the plan would destroy it. To go ahead, "+
			"remove prevent_destroy from its lifecycle block, or change the plan so it keeps the object.", addr),
		Subject: r.DeclRange.Ptr(),
	}}
}
