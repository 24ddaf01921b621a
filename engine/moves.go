package engine

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
)

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
