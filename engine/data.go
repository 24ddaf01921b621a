package engine

import (
	"context"
	"sync/atomic"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
)

// readData reads every instance of a data source in every instance of its
// module. While planning, an instance whose configuration is known only
// after apply is planned as a Read and seen as unknown; the others are read
// at once. While applying, the planned reads happen and the other instances
// take the values read while planning.
func (w *walker) readData(ctx context.Context, n *node) error {
	r := n.resource
	pi, ts, err := w.resourceType(ctx, n)
	if err != nil {
		return err
	}
	var failed atomic.Bool
	complete := true
	current := map[string]bool{}
	for _, mi := range w.vals.moduleInstances(pathKey(n.cfg.Path)) {
		current[mi.addr] = true
		exp, keys, d := expand(w.e.scope(w.vals, n.cfg, mi, nil), r.Count, r.ForEach)
		w.addDiags(d)
		if d.HasErrors() {
			failed.Store(true)
			continue
		}
		raddr := stateAddr(mi.addr, r)
		instances, done := w.eachInstance(ctx, keys, ts.ty, &failed, func(ctx context.Context, k *instanceKey) (cty.Value, bool) {
			return w.dataInstance(ctx, n, pi, ts, mi, raddr.Instance(k.key), k)
		})
		complete = done && complete
		w.vals.setResource(mi.addr, resourceKey(r), exp, instances)
		if w.ph == phasePlan {
			w.forgetData(raddr, instances)
		}
	}
	if w.ph == phasePlan {
		for _, raddr := range w.priorByKey[n.key()] {
			if !current[raddr.Module] {
				w.forgetData(raddr, nil)
			}
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

// forgetData removes from the working state the instances of a data
// source that are not in keep: a data source's result is not an object to
// delete, just a value no longer needed.
func (w *walker) forgetData(raddr state.ResourceAddr, keep map[state.InstanceKey]cty.Value) {
	w.priorMu.Lock()
	defer w.priorMu.Unlock()
	sr := w.prior.Resource(raddr)
	if sr == nil {
		return
	}
	for _, k := range sr.Keys() {
		if _, ok := keep[k]; !ok {
			w.prior.RemoveInstance(raddr.Instance(k))
		}
	}
}

// dataInstance reads one data source instance, or plans its read, and
// returns its value.
func (w *walker) dataInstance(ctx context.Context, n *node, pi *providerInstance, ts *typeSchema, mi moduleInstance, addr state.InstanceAddr, k *instanceKey) (cty.Value, bool) {
	r := n.resource
	if w.ph == phaseApply {
		if c := w.byAddr[addr.String()]; c == nil || c.Action != plan.Read {
			if obj := w.plan.PriorState.Object(addr); obj != nil {
				return markSensitive(obj.Value, obj.SensitivePaths), true
			}
		}
	}
	what := "read of " + addr.String()
	cfgVal, diags := w.e.scope(w.vals, n.cfg, mi, k).EvalBody(r.Config, ts.spec)
	if diags.HasErrors() {
		w.addDiags(diags)
		return cty.UnknownVal(ts.ty), false
	}
	cfgVal, sens := sensitivePaths(cfgVal)
	if w.ph == phasePlan {
		vresp := pi.iface.ValidateDataSourceConfig(ctx, providers.ValidateDataSourceConfigRequest{TypeName: r.Type, Config: cfgVal})
		if d := providerDiags(vresp.Diagnostics, what, r.Config, r.DeclRange); len(d) > 0 {
			w.addDiags(d)
			if d.HasErrors() {
				return cty.UnknownVal(ts.ty), false
			}
		}
		if !cfgVal.IsWhollyKnown() {
			w.addChange(&plan.ResourceChange{Addr: addr, Provider: pi.key, Action: plan.Read,
				Before: cty.NullVal(ts.ty), After: cty.UnknownVal(ts.ty), Reason: "its configuration is known only after apply"})
			return cty.UnknownVal(ts.ty), true
		}
	}
	resp := pi.iface.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: r.Type, Config: cfgVal})
	if d := providerDiags(resp.Diagnostics, what, r.Config, r.DeclRange); len(d) > 0 {
		w.addDiags(d)
		if d.HasErrors() {
			return cty.UnknownVal(ts.ty), false
		}
	}
	sens = ts.sensitiveResult(resp.State, cfgVal, sens)
	obj := &state.Object{Value: resp.State, SensitivePaths: sens}
	if w.ph == phaseApply {
		if err := w.sync.Update(func(s *state.State) { s.SetInstance(addr, providerStateName(pi.key), obj) }); err != nil {
			w.addDiags(stateWriteError(err))
			return cty.UnknownVal(ts.ty), false
		}
	} else {
		w.priorMu.Lock()
		w.prior.SetInstance(addr, providerStateName(pi.key), obj)
		w.priorMu.Unlock()
	}
	return markSensitive(resp.State, sens), true
}
