package engine

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
)

// A create is recorded before it happens: the engine writes a placeholder
// object (state.Creating) durably before calling the provider, so a crash
// while the provider creates leaves a record of what may exist. The next
// plan resolves the placeholder by asking the provider (see
// resolveCreating).

// placeholder returns the object recorded while the instance is being
// created: the planned value with every unknown replaced by null, so the
// attributes known at plan time identify what the provider may create.
func placeholder(planned cty.Value, deps []state.ResourceAddr, cbd bool) *state.Object {
	return &state.Object{
		Value:               unknownAsNull(planned),
		Dependencies:        deps,
		CreateBeforeDestroy: cbd,
		Status:              state.Creating,
	}
}

// unknownAsNull returns v with every unknown value replaced by a null of
// its type.
func unknownAsNull(v cty.Value) cty.Value {
	if v.IsWhollyKnown() {
		return v
	}
	out, err := cty.Transform(v, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return cty.NullVal(v.Type()), nil
		}
		return v, nil
	})
	if err != nil {
		// The callback returns no error; keep the value rather than fail.
		return v
	}
	return out
}

// dropPlaceholder removes the placeholder of addr, if it is still there,
// after a create that created nothing.
func (w *walker) dropPlaceholder(addr state.InstanceAddr) error {
	return w.sync.Update(func(s *state.State) {
		if obj := s.Object(addr); obj != nil && obj.Status == state.Creating {
			s.SetInstance(addr, "", nil)
		}
	})
}

// resolveCreating asks the provider about obj, a placeholder an interrupted
// apply left for addr. When the provider finds the object, it is returned
// with status Tainted: bp cannot tell whether the create finished (a
// machine may exist but never have been set up), so the plan replaces it.
// When the provider finds nothing, resolveCreating returns nil: nothing was
// created and the placeholder is dropped without a word. Either way the
// working state is updated.
//
// Providers are given the placeholder as CurrentState, with null where the
// plan did not know a value yet, and must tolerate that.
func (w *walker) resolveCreating(ctx context.Context, pi *providerInstance, addr state.InstanceAddr, obj *state.Object, more secrets, rng hcl.Range) (*state.Object, hcl.Diagnostics) {
	w.e.hooks.PreRefresh(addr.String())
	resp := pi.iface.ReadResource(ctx, providers.ReadResourceRequest{TypeName: addr.Resource.Type, CurrentState: obj.Value, Private: obj.Private})
	if diags := providerDiags(resp.Diagnostics, "read of "+addr.String(), nil, rng); diags.HasErrors() {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot tell whether an interrupted create happened",
			Detail: fmt.Sprintf("An earlier apply was interrupted while creating %s, and the provider could not read it to find out whether it exists. "+
				"Fix the error above and plan again; if you are sure the object does not exist, remove it with `bp state rm %s`.", addr, addr),
			Subject: rng.Ptr(),
		})
	}
	var adopted *state.Object
	if newVal := resp.NewState; newVal != cty.NilVal && !newVal.IsNull() {
		adopted = obj.DeepCopy()
		adopted.Value, adopted.Private, adopted.Status = newVal, resp.Private, state.Tainted
		adopted.SensitivePaths = unionPaths(obj.SensitivePaths, copiedSecrets(newVal, objectSecrets(obj, more)))
		if ts := pi.typeSchema(blueprint.ManagedResourceMode, addr.Resource.Type); ts != nil {
			adopted.SensitivePaths = unionPaths(adopted.SensitivePaths, ts.SensitivePaths(newVal))
		}
	}
	w.priorMu.Lock()
	w.prior.SetInstance(addr, providerStateName(pi.key), adopted)
	w.priorMu.Unlock()
	return adopted, nil
}

// resolveForDelete resolves obj, a placeholder the apply is to delete
// (current, or deposed under key deposed). It returns the object the
// provider found, to be deleted; when there is none, it removes the
// placeholder from the state and returns nil.
func (w *walker) resolveForDelete(ctx context.Context, pi *providerInstance, c *plan.ResourceChange, deposed state.DeposedKey, obj *state.Object) (*state.Object, error) {
	resp := pi.iface.ReadResource(ctx, providers.ReadResourceRequest{TypeName: c.Addr.Resource.Type, CurrentState: obj.Value, Private: obj.Private})
	if diags := providerDiags(resp.Diagnostics, "read of "+c.Addr.String(), nil, hcl.Range{}); diags.HasErrors() {
		return nil, w.fail(diags)
	}
	if newVal := resp.NewState; newVal != cty.NilVal && !newVal.IsNull() {
		found := obj.DeepCopy()
		found.Value, found.Private, found.Status = newVal, resp.Private, state.Tainted
		return found, nil
	}
	if err := w.sync.Update(func(s *state.State) {
		if deposed != "" {
			s.SetDeposed(c.Addr, deposed, "", nil)
		} else if cur := s.Object(c.Addr); cur != nil && cur.Status == state.Creating {
			s.SetInstance(c.Addr, "", nil)
		}
	}); err != nil {
		return nil, w.fail(stateWriteError(err))
	}
	return nil, nil
}
