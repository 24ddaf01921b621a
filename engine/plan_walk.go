package engine

import (
	"context"

	"fmt"
	"github.com/agext/levenshtein"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
)

// PlanOptions choose what kind of plan to make.
type PlanOptions struct {
	Mode plan.Mode
	// SkipRefresh plans from the recorded state without reading objects.
	SkipRefresh bool
}

// Plan compares the blueprint with prior (the last state, which Plan does
// not modify) and returns the changes that would make them match.
func (e *Engine) Plan(ctx context.Context, prior *state.State, opts PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	if opts.Mode == "" {
		opts.Mode = plan.Normal
	}
	if prior == nil {
		prior = state.New()
	}
	w := &walker{
		e: e, ph: phasePlan, mode: opts.Mode, vals: newValues(e.vars),
		refresh: !opts.SkipRefresh, prior: prior.DeepCopy(),
		movedTo: map[string]state.InstanceAddr{}, imports: map[string]*blueprint.Import{},
	}
	p := &plan.Plan{Mode: opts.Mode, Variables: e.vars, StateLineage: prior.Lineage, StateSerial: prior.Serial}
	if opts.Mode == plan.Destroy {
		diags := w.planDestroy(prior)
		p.Changes, p.PriorState = w.changes, w.prior
		p.Errored = diags.HasErrors()
		p.Sort()
		return p, diags
	}
	diags := w.applyMoves()
	diags = append(diags, w.collectImports()...)
	if diags.HasErrors() {
		p.Errored = true
		return p, diags
	}
	gr, gDiags := buildGraph(ctx, e.root, w.prior, nil, phasePlan)
	diags = append(diags, gDiags...)
	if diags.HasErrors() {
		p.Errored = true
		return p, diags
	}
	w.walk(ctx, gr, w.planNode)
	diags = append(diags, w.diags...)
	p.Changes, p.Drift, p.Outputs, p.PriorState = w.changes, w.drift, w.outputs, w.prior
	if opts.Mode == plan.RefreshOnly {
		p.Changes = nil
	}
	p.Errored = diags.HasErrors()
	p.Sort()
	return p, diags
}

func (w *walker) planNode(ctx context.Context, n *node) error {
	if done, err := w.execCommon(ctx, n); done {
		return err
	}
	switch n.kind {
	case nodeResource:
		return w.planResource(ctx, n)
	case nodeData:
		return w.readData(ctx, n, false)
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
	}
	return nil
}

// provider returns the configured provider instance of n.
func (w *walker) provider(ctx context.Context, key string, rng hcl.Range) (*providerInstance, hcl.Diagnostics) {
	pi, diags := w.e.provs.get(ctx, w.e.root, key, rng)
	if diags.HasErrors() {
		return nil, diags
	}
	if !pi.configured {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Provider not configured",
			Detail: fmt.Sprintf("Provider %q failed to configure; see the errors above.", key), Subject: rng.Ptr()}}
	}
	return pi, nil
}

// resourceSchema returns the schema of a resource type, or a diagnostic
// naming the types the provider has.
func resourceSchema(pi *providerInstance, r *blueprint.Resource) (*providers.Schema, hcl.Diagnostics) {
	types := pi.schema.ResourceTypes
	what := "resource type"
	if r.Mode == blueprint.DataResourceMode {
		types, what = pi.schema.DataSources, "data source"
	}
	if s := types[r.Type]; s != nil {
		return s, nil
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

// planResource plans every instance of a managed resource in every
// instance of its module.
func (w *walker) planResource(ctx context.Context, n *node) error {
	r := n.resource
	pi, diags := w.provider(ctx, n.provider, r.DeclRange)
	if diags.HasErrors() {
		return w.fail(diags)
	}
	schema, diags := resourceSchema(pi, r)
	if diags.HasErrors() {
		return w.fail(diags)
	}
	spec := blueprint.SpecForSchema(schema)
	failed := false
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		exp, keys, d := expand(w.e.scope(w.vals, n.cfg, mi, nil), r.Count, r.ForEach)
		w.addDiags(d)
		if d.HasErrors() {
			failed = true
			continue
		}
		raddr := stateAddr(mi.addr, r)
		wanted := map[state.InstanceKey]bool{}
		for _, k := range keys {
			wanted[k.key] = true
		}
		// Instances in state that the expansion no longer has.
		w.priorMu.Lock()
		var gone []state.InstanceKey
		if sr := w.prior.Resource(raddr); sr != nil {
			for _, k := range sr.Keys() {
				if !wanted[k] {
					gone = append(gone, k)
				}
			}
		}
		w.priorMu.Unlock()
		for _, k := range gone {
			reason := "no longer in the blueprint"
			switch {
			case r.Count != nil:
				reason = "its index is beyond the current count"
			case r.ForEach != nil:
				reason = "its key is no longer in for_each"
			}
			if err := w.planDelete(ctx, pi, raddr.Instance(k), reason, r); err != nil {
				failed = true
			}
		}
		instances := map[state.InstanceKey]cty.Value{}
		for i := range keys {
			k := keys[i]
			v, ok := w.planInstance(ctx, n, pi, schema, spec, mi, raddr.Instance(k.key), &k)
			if !ok {
				failed = true
			}
			instances[k.key] = v
		}
		w.vals.setResource(mi.addr, resourceKey(r), exp, instances)
	}
	if failed || w.mode == plan.RefreshOnly {
		if failed {
			return errNodeFailed
		}
	}
	return nil
}

// planInstance plans one instance and returns the value references to it
// see (planned, unknown where known only after apply).
func (w *walker) planInstance(ctx context.Context, n *node, pi *providerInstance, schema *providers.Schema, spec interface{}, mi moduleInstance, addr state.InstanceAddr, k *instanceKey) (cty.Value, bool) {
	r := n.resource
	ty := schema.ImpliedType()
	scope := w.e.scope(w.vals, n.cfg, mi, k)
	cfgVal, diags := scope.EvalBody(r.Config, blueprint.SpecForSchema(schema))
	if diags.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ty), false
	}
	cfgVal, cfgSensitive := sensitivePaths(cfgVal)
	vresp := pi.iface.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: r.Type, Config: cfgVal})
	diags = append(diags, providerDiags(vresp.Diagnostics, "", r.Config, r.DeclRange)...)
	if diags.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ty), false
	}

	prior, importID, d := w.priorObject(ctx, pi, addr, r, ty)
	diags = append(diags, d...)
	if d.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ty), false
	}
	w.addDiags(diags)
	if w.mode == plan.RefreshOnly {
		if prior == nil {
			return cty.NullVal(ty), true
		}
		return markSensitive(prior.Value, prior.SensitivePaths), true
	}
	priorVal := cty.NullVal(ty)
	var priorPrivate []byte
	if prior != nil {
		priorVal, priorPrivate = prior.Value, prior.Private
		cfgVal = ignoreChanges(cfgVal, priorVal, r.Lifecycle)
	}
	proposed := providers.ProposedNewObject(schema, priorVal, cfgVal)
	resp := pi.iface.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: r.Type, PriorState: priorVal, ProposedNewState: proposed, Config: cfgVal, PriorPrivate: priorPrivate,
	})
	if pd := providerDiags(resp.Diagnostics, "", r.Config, r.DeclRange); len(pd) > 0 {
		w.addDiags(pd)
		if pd.HasErrors() {
			return cty.UnknownVal(ty), false
		}
	}
	planned := resp.PlannedState
	change := &plan.ResourceChange{
		Addr: addr, Provider: pi.key, Before: priorVal, After: planned,
		BeforeSensitive: nil, AfterSensitive: unionPaths(schema.SensitivePaths(planned), cfgSensitive),
		Private: resp.PlannedPrivate, ImportID: importID,
	}
	if prior != nil {
		change.BeforeSensitive = prior.SensitivePaths
	}
	if prev, ok := w.movedTo[addr.String()]; ok {
		prev := prev
		change.PrevAddr = &prev
	}
	switch {
	case prior == nil:
		change.Action = plan.Create
	case priorVal.RawEquals(planned):
		change.Action = plan.NoOp
	case len(resp.RequiresReplace) > 0:
		change.Action = plan.DeleteThenCreate
		if r.Lifecycle.CreateBeforeDestroy {
			change.Action = plan.CreateThenDelete
		}
		change.RequiresReplace = resp.RequiresReplace
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
// off, and moved already by moved blocks.
func (w *walker) priorObject(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, r *blueprint.Resource, ty cty.Type) (*state.Object, string, hcl.Diagnostics) {
	w.priorMu.Lock()
	obj := w.prior.Object(addr)
	w.priorMu.Unlock()
	var importID string
	if obj == nil {
		if im := w.imports[addr.String()]; im != nil {
			id, diags := w.importObject(ctx, pi, addr, r, im)
			if diags.HasErrors() {
				return nil, "", diags
			}
			w.priorMu.Lock()
			obj = w.prior.Object(addr)
			w.priorMu.Unlock()
			importID = id
		}
	}
	if obj == nil || !w.refresh {
		return obj, importID, nil
	}
	w.e.hooks.PreRefresh(addr.String())
	resp := pi.iface.ReadResource(ctx, providers.ReadResourceRequest{TypeName: r.Type, CurrentState: obj.Value, Private: obj.Private})
	if diags := providerDiags(resp.Diagnostics, "refresh of "+addr.String(), nil, r.DeclRange); diags.HasErrors() {
		return nil, "", diags
	}
	newVal := resp.NewState
	if newVal == cty.NilVal || newVal.IsNull() {
		w.recordDrift(addr, pi.key, obj, nil, "deleted outside bp")
		w.priorMu.Lock()
		w.prior.SetInstance(addr, providerStateName(pi.key), nil)
		w.priorMu.Unlock()
		return nil, importID, nil
	}
	if !newVal.RawEquals(obj.Value) {
		updated := obj.DeepCopy()
		updated.Value, updated.Private = newVal, resp.Private
		w.recordDrift(addr, pi.key, obj, updated, "changed outside bp")
		w.priorMu.Lock()
		w.prior.SetInstance(addr, providerStateName(pi.key), updated)
		w.priorMu.Unlock()
		obj = updated
	}
	return obj, importID, nil
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

// importObject adopts the object an import block names into the working
// state, and returns its ID.
func (w *walker) importObject(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, r *blueprint.Resource, im *blueprint.Import) (string, hcl.Diagnostics) {
	idVal, diags := w.e.scope(w.vals, w.e.root, moduleInstance{}, nil).EvalExpr(im.ID, cty.String)
	if diags.HasErrors() {
		return "", diags
	}
	if !idVal.IsWhollyKnown() || idVal.IsNull() {
		return "", hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid import id",
			Detail: "The import id must be a string known at plan time.", Subject: im.ID.Range().Ptr()}}
	}
	id := idVal.AsString()
	resp := pi.iface.ImportResourceState(ctx, providers.ImportResourceStateRequest{TypeName: r.Type, ID: id})
	if d := providerDiags(resp.Diagnostics, "import of "+addr.String(), nil, im.DeclRange); d.HasErrors() {
		return "", d
	}
	if len(resp.Imported) == 0 {
		return "", hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot import non-existent object",
			Detail: fmt.Sprintf("Provider %q found no %s with id %q. Check the id.", pi.key, r.Type, id), Subject: im.DeclRange.Ptr()}}
	}
	got := resp.Imported[0]
	read := pi.iface.ReadResource(ctx, providers.ReadResourceRequest{TypeName: r.Type, CurrentState: got.State, Private: got.Private})
	if d := providerDiags(read.Diagnostics, "import of "+addr.String(), nil, im.DeclRange); d.HasErrors() {
		return "", d
	}
	if read.NewState == cty.NilVal || read.NewState.IsNull() {
		return "", hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot import non-existent object",
			Detail: fmt.Sprintf("Provider %q found no %s with id %q. Check the id.", pi.key, r.Type, id), Subject: im.DeclRange.Ptr()}}
	}
	w.priorMu.Lock()
	w.prior.SetInstance(addr, providerStateName(pi.key), &state.Object{Value: read.NewState, Private: read.Private})
	w.priorMu.Unlock()
	return id, nil
}

// planDelete plans the deletion of one instance's current object.
func (w *walker) planDelete(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, reason string, r *blueprint.Resource) error {
	w.priorMu.Lock()
	obj := w.prior.Object(addr)
	w.priorMu.Unlock()
	if obj == nil {
		return nil
	}
	if w.refresh && pi != nil {
		w.e.hooks.PreRefresh(addr.String())
		resp := pi.iface.ReadResource(ctx, providers.ReadResourceRequest{TypeName: addr.Resource.Type, CurrentState: obj.Value, Private: obj.Private})
		if d := providerDiags(resp.Diagnostics, "refresh of "+addr.String(), nil, hcl.Range{}); d.HasErrors() {
			return w.fail(d)
		}
		if resp.NewState == cty.NilVal || resp.NewState.IsNull() {
			w.recordDrift(addr, pi.key, obj, nil, "deleted outside bp")
			w.priorMu.Lock()
			w.prior.SetInstance(addr, providerStateName(pi.key), nil)
			w.priorMu.Unlock()
			return nil
		}
	}
	if w.mode == plan.RefreshOnly {
		return nil
	}
	if r != nil && r.Lifecycle.PreventDestroy {
		return w.fail(preventDestroy(addr, r))
	}
	w.addChange(&plan.ResourceChange{
		Addr: addr, Provider: providerKeyFromStateOr(w.prior, addr, pi), Action: plan.Delete,
		Before: obj.Value, BeforeSensitive: obj.SensitivePaths, After: cty.NullVal(obj.Value.Type()), Reason: reason,
	})
	return nil
}

func providerKeyFromStateOr(s *state.State, addr state.InstanceAddr, pi *providerInstance) string {
	if pi != nil {
		return pi.key
	}
	if r := s.Resource(addr.Resource); r != nil {
		return providerKeyFromState(r.Provider)
	}
	return ""
}

// planOrphan plans the deletion of every object of a resource the
// blueprint no longer declares.
func (w *walker) planOrphan(ctx context.Context, n *node) error {
	var pi *providerInstance
	if n.provider != "" {
		p, diags := w.provider(ctx, n.provider, hcl.Range{})
		if diags.HasErrors() {
			return w.fail(diags)
		}
		pi = p
	}
	w.priorMu.Lock()
	var addrs []state.InstanceAddr
	for _, r := range w.prior.Resources() {
		path, _ := configPath(r.Addr.Module)
		if path+"|"+resourceAddrKey(r.Addr) != n.deleteKey {
			continue
		}
		for _, k := range r.Keys() {
			addrs = append(addrs, r.Addr.Instance(k))
		}
	}
	w.priorMu.Unlock()
	failed := false
	for _, addr := range addrs {
		if addr.Resource.Mode == state.Data {
			w.priorMu.Lock()
			w.prior.RemoveInstance(addr)
			w.priorMu.Unlock()
			continue
		}
		if err := w.planDelete(ctx, pi, addr, "no longer in the blueprint", nil); err != nil {
			failed = true
		}
	}
	if failed {
		return errNodeFailed
	}
	return nil
}

// readData reads a data source when its configuration is known; otherwise
// (while planning) it plans the read for apply.
func (w *walker) readData(ctx context.Context, n *node, applying bool) error {
	r := n.resource
	pi, diags := w.provider(ctx, n.provider, r.DeclRange)
	if diags.HasErrors() {
		return w.fail(diags)
	}
	schema, diags := resourceSchema(pi, r)
	if diags.HasErrors() {
		return w.fail(diags)
	}
	ty := schema.ImpliedType()
	failed := false
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		exp, keys, d := expand(w.e.scope(w.vals, n.cfg, mi, nil), r.Count, r.ForEach)
		w.addDiags(d)
		if d.HasErrors() {
			failed = true
			continue
		}
		instances := map[state.InstanceKey]cty.Value{}
		for i := range keys {
			k := keys[i]
			addr := stateAddr(mi.addr, r).Instance(k.key)
			cfgVal, d := w.e.scope(w.vals, n.cfg, mi, &k).EvalBody(r.Config, blueprint.SpecForSchema(schema))
			if d.HasErrors() {
				w.addDiags(d)
				failed = true
				continue
			}
			cfgVal, sens := sensitivePaths(cfgVal)
			if !cfgVal.IsWhollyKnown() {
				w.addChange(&plan.ResourceChange{Addr: addr, Provider: pi.key, Action: plan.Read,
					Before: cty.NullVal(ty), After: cty.UnknownVal(ty), Reason: "its configuration is known only after apply"})
				instances[k.key] = cty.UnknownVal(ty)
				continue
			}
			resp := pi.iface.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: r.Type, Config: cfgVal})
			if d := providerDiags(resp.Diagnostics, "", r.Config, r.DeclRange); d.HasErrors() {
				w.addDiags(d)
				failed = true
				continue
			}
			sens = unionPaths(sens, schema.SensitivePaths(resp.State))
			obj := &state.Object{Value: resp.State, SensitivePaths: sens}
			if applying {
				if err := w.sync.Update(func(s *state.State) { s.SetInstance(addr, providerStateName(pi.key), obj) }); err != nil {
					w.addDiags(stateWriteError(err))
					failed = true
				}
			} else {
				w.priorMu.Lock()
				w.prior.SetInstance(addr, providerStateName(pi.key), obj)
				w.priorMu.Unlock()
			}
			instances[k.key] = markSensitive(resp.State, sens)
		}
		w.vals.setResource(mi.addr, resourceKey(r), exp, instances)
	}
	if failed {
		return errNodeFailed
	}
	return nil
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

// applyMoves carries out the root module's moved blocks on the working
// state, remembering each instance's old address for the plan.
func (w *walker) applyMoves() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, mv := range w.e.root.Module.Moved {
		from, d1 := blueprint.ParseObjectAddr(mv.From)
		to, d2 := blueprint.ParseObjectAddr(mv.To)
		if d1.HasErrors() || d2.HasErrors() || from.Kind() == "module" {
			continue
		}
		fromRes := state.ResourceAddr{Mode: state.Managed, Type: from.Type, Name: from.Name}
		toRes := state.ResourceAddr{Mode: state.Managed, Type: to.Type, Name: to.Name}
		src := w.prior.Resource(fromRes)
		if src == nil {
			continue // already moved, or nothing to move
		}
		if from.Key == cty.NilVal && to.Key == cty.NilVal {
			if w.prior.Resource(toRes) != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Moved object still exists",
					Detail:  fmt.Sprintf("Cannot move %s to %s: both exist in the state. Remove the moved block or one of the objects (bp state rm).", from, to),
					Subject: mv.DeclRange.Ptr()})
				continue
			}
			keys := src.Keys()
			if err := w.prior.MoveResource(fromRes, toRes); err != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot move object", Detail: err.Error(), Subject: mv.DeclRange.Ptr()})
				continue
			}
			for _, k := range keys {
				w.movedTo[toRes.Instance(k).String()] = fromRes.Instance(k)
			}
			continue
		}
		src2, dst := fromRes.Instance(keyOf(from.Key)), toRes.Instance(keyOf(to.Key))
		if w.prior.Instance(src2) == nil {
			continue
		}
		if err := w.prior.Move(src2, dst); err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot move object", Detail: err.Error(), Subject: mv.DeclRange.Ptr()})
			continue
		}
		w.movedTo[dst.String()] = src2
	}
	return diags
}

func keyOf(v cty.Value) state.InstanceKey {
	if v == cty.NilVal {
		return state.NoKey
	}
	if v.Type() == cty.String {
		return state.StringKey(v.AsString())
	}
	i, _ := v.AsBigFloat().Int64()
	return state.IntKey(int(i))
}

// collectImports indexes the root module's import blocks by target address.
func (w *walker) collectImports() hcl.Diagnostics {
	for _, im := range w.e.root.Module.Imports {
		if im.To == nil {
			continue
		}
		to, d := blueprint.ParseObjectAddr(im.To)
		if d.HasErrors() {
			continue
		}
		addr := state.ResourceAddr{Mode: state.Managed, Type: to.Type, Name: to.Name}.Instance(keyOf(to.Key))
		w.imports[addr.String()] = im
	}
	return nil
}

// planDestroy plans the deletion of everything in prior.
func (w *walker) planDestroy(prior *state.State) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range prior.Resources() {
		if r.Addr.Mode == state.Data {
			continue
		}
		var cfgRes *blueprint.Resource
		if path, ok := configPath(r.Addr.Module); ok {
			if c := w.e.root.Descendant(splitPath(path)); c != nil {
				cfgRes = c.Module.ResourceByAddr(blueprint.ManagedResourceMode, r.Addr.Type, r.Addr.Name)
			}
		}
		for _, k := range r.Keys() {
			addr := r.Addr.Instance(k)
			inst := r.Instance(k)
			if cfgRes != nil && cfgRes.Lifecycle.PreventDestroy {
				diags = append(diags, preventDestroy(addr, cfgRes)...)
				continue
			}
			if inst.Current != nil {
				w.addChange(&plan.ResourceChange{Addr: addr, Provider: providerKeyFromState(r.Provider), Action: plan.Delete,
					Before: inst.Current.Value, BeforeSensitive: inst.Current.SensitivePaths, After: cty.NullVal(inst.Current.Value.Type())})
			}
			for _, dk := range inst.DeposedKeys() {
				obj := inst.Deposed[dk]
				w.addChange(&plan.ResourceChange{Addr: addr, Provider: providerKeyFromState(r.Provider), Action: plan.Delete, Deposed: dk,
					Before: obj.Value, BeforeSensitive: obj.SensitivePaths, After: cty.NullVal(obj.Value.Type())})
			}
		}
	}
	sort.SliceStable(w.changes, func(i, j int) bool { return state.CompareInstanceAddrs(w.changes[i].Addr, w.changes[j].Addr) < 0 })
	return diags
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
