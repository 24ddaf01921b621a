package schemaplan

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// Plan returns the schema plan of req for a resource type whose schema is s
// and whose values have type ty (s.ImpliedType(), which callers keep rather
// than build on every call). The plan is:
//
//   - for a destroy (a null ProposedNewState), a null PlannedState;
//   - RequiresReplace: the paths of the schema's RequiresReplace attributes
//     whose values differ between PriorState and ProposedNewState
//     ([providers.Schema.RequiresReplaceChanges]); none for a create;
//   - when RequiresReplace is not empty, the PlannedState of the create half
//     of the replacement, proposed afresh from Config with no prior state
//     ([providers.ProposedNewObject]), so that its Computed values are
//     decided anew; a null Config stands for ProposedNewState;
//   - otherwise the ProposedNewState itself;
//   - PlannedPrivate is PriorPrivate; there are no diagnostics.
//
// Plan never fails; it expects values conforming to ty, as the engine
// passes them.
func Plan(s *providers.Schema, ty cty.Type, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	if isNull(req.ProposedNewState) {
		return providers.PlanResourceChangeResponse{PlannedState: cty.NullVal(ty)}
	}
	prior, proposed, config := req.PriorState, req.ProposedNewState, req.Config
	if prior == cty.NilVal {
		prior = cty.NullVal(ty)
	}
	if isNull(config) {
		config = proposed
	}
	replace := s.RequiresReplaceChanges(prior, proposed)
	if len(replace) > 0 {
		proposed = providers.ProposedNewObject(s, cty.NullVal(ty), config)
	}
	return providers.PlanResourceChangeResponse{
		PlannedState: proposed, RequiresReplace: replace, PlannedPrivate: req.PriorPrivate,
	}
}

func isNull(v cty.Value) bool { return v == cty.NilVal || v.IsNull() }
