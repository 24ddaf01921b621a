package engine

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/state"
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
