package engine

import (
	"context"
	"sort"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// planDelete plans the deletion of one instance's current object, after
// refreshing it (an object already gone needs no deletion). r is the
// resource's declaration, nil for a resource no longer declared.
func (w *walker) planDelete(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, reason string, r *blueprint.Resource) error {
	w.priorMu.Lock()
	obj := w.prior.Object(addr)
	provider := ""
	if sr := w.prior.Resource(addr.Resource); sr != nil {
		provider = providerKeyFromState(sr.Provider)
	}
	w.priorMu.Unlock()
	if obj == nil {
		return nil
	}
	if pi != nil {
		provider = pi.key
	}
	creating := obj.Status == state.Creating
	// A placeholder left by an interrupted create is resolved even without
	// refresh: there may be nothing to delete. Without a provider, the
	// apply resolves it (see deleteObject).
	if (w.refresh || creating) && pi != nil {
		var rng hcl.Range
		if r != nil {
			rng = r.DeclRange
		}
		var now *state.Object
		var diags hcl.Diagnostics
		if creating {
			now, diags = w.resolveCreating(ctx, pi, addr, obj, nil, rng)
		} else {
			now, diags = w.refreshObject(ctx, pi, addr, obj, rng, nil)
		}
		if diags.HasErrors() {
			return w.fail(diags)
		}
		if now == nil {
			return nil
		}
		obj = now
	}
	if w.mode == plan.RefreshOnly {
		return nil
	}
	if r != nil && r.Lifecycle.PreventDestroy {
		return w.fail(preventDestroy(addr, r))
	}
	w.addChange(&plan.ResourceChange{
		Addr: addr, Provider: provider, Action: plan.Delete,
		Before: obj.Value, BeforeSensitive: obj.SensitivePaths, After: cty.NullVal(obj.Value.Type()), Reason: reason,
	})
	return nil
}

// planDeposed plans the deletion of the deposed objects of every instance
// of a resource: objects an interrupted or failed create_before_destroy
// replacement left behind.
func (w *walker) planDeposed(raddr state.ResourceAddr) {
	if w.mode == plan.RefreshOnly {
		return
	}
	w.priorMu.Lock()
	defer w.priorMu.Unlock()
	sr := w.prior.Resource(raddr)
	if sr == nil {
		return
	}
	for _, k := range sr.Keys() {
		inst := sr.Instance(k)
		for _, dk := range inst.DeposedKeys() {
			obj := inst.Deposed[dk]
			w.addChange(&plan.ResourceChange{
				Addr: raddr.Instance(k), Provider: providerKeyFromState(sr.Provider), Action: plan.Delete, Deposed: dk,
				Before: obj.Value, BeforeSensitive: obj.SensitivePaths, After: cty.NullVal(obj.Value.Type()),
				Reason: "it was replaced, but an earlier apply did not delete it",
			})
		}
	}
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
	var addrs []state.InstanceAddr
	w.priorMu.Lock()
	for _, raddr := range w.priorByKey[n.deleteKey] {
		sr := w.prior.Resource(raddr)
		if sr == nil {
			continue
		}
		for _, k := range sr.Keys() {
			addr := raddr.Instance(k)
			if raddr.Mode == state.Data {
				w.prior.RemoveInstance(addr)
				continue
			}
			addrs = append(addrs, addr)
		}
	}
	w.priorMu.Unlock()
	var failed atomic.Bool
	complete := w.parallel(ctx, len(addrs), func(ctx context.Context, i int) {
		if err := w.planDelete(ctx, pi, addrs[i], "no longer in the blueprint", nil); err != nil {
			failed.Store(true)
		}
	})
	for _, raddr := range w.priorByKey[n.deleteKey] {
		if raddr.Mode == state.Managed {
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

// planDestroy plans the deletion of everything in prior.
func (w *walker) planDestroy(prior *state.State) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range prior.Resources() {
		if r.Addr.Mode == state.Data {
			// A data source's result is no object to delete: destroying
			// just forgets it.
			for _, k := range r.Keys() {
				w.prior.RemoveInstance(r.Addr.Instance(k))
			}
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
			if inst.Current != nil && cfgRes != nil && cfgRes.Lifecycle.PreventDestroy {
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
