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
	obj := &state.Object{Value: read.NewState, Private: read.Private}
	if ts := pi.typeSchema(r.Mode, r.Type); ts != nil {
		obj.SensitivePaths = ts.SensitivePaths(read.NewState)
	}
	w.priorMu.Lock()
	w.prior.SetInstance(addr, providerStateName(pi.key), obj)
	w.priorMu.Unlock()
	return id, nil
}
