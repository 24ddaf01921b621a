package std

import (
	"context"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// nullResource is std_null: it creates nothing outside state. It holds
// arbitrary inputs, copies them to outputs at apply, and is replaced when
// its triggers change. It is kept cheap because large-plan benchmarks use it
// by the tens of thousands.
type nullResource struct{}

var (
	triggersType = cty.Map(cty.String)
	nullType     = cty.Object(map[string]cty.Type{
		"triggers": triggersType, "inputs": cty.DynamicPseudoType, "id": cty.String, "outputs": cty.DynamicPseudoType,
	})
)

func (nullResource) schema() *providers.Schema {
	return &providers.Schema{
		Description: "A resource that does nothing: it holds values, and is replaced when its triggers change.",
		Attributes: map[string]*providers.Attribute{
			"triggers": {Type: triggersType, Optional: true, RequiresReplace: true,
				Description: "Arbitrary values; changing any of them replaces the resource."},
			"inputs": {Type: cty.DynamicPseudoType, Optional: true,
				Description: "Any value; changing it updates the resource in place."},
			"id": {Type: cty.String, Computed: true, Description: "A random hex identifier, kept until replacement."},
			"outputs": {Type: cty.DynamicPseudoType, Computed: true,
				Description: "A copy of inputs, made at apply."},
		},
	}
}

func (nullResource) validate(cty.Value) providers.Diagnostics { return nil }

// schemaOnly declares that validate has nothing to check.
func (nullResource) schemaOnly() {}

// schemaPlannedCreates declares that plan, for a create, plans the
// proposal: triggers and inputs as configured, id and outputs unknown.
func (nullResource) schemaPlannedCreates() {}

func (nullResource) plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	prior, proposed := req.PriorState, req.ProposedNewState
	triggers := attr(proposed, "triggers", triggersType)
	inputs := attr(proposed, "inputs", cty.DynamicPseudoType)
	id, outputs := cty.UnknownVal(cty.String), cty.DynamicVal
	var replace []cty.Path
	if !prior.IsNull() {
		if changed(attr(prior, "triggers", triggersType), triggers) {
			replace = []cty.Path{cty.GetAttrPath("triggers")}
		} else {
			id = attr(prior, "id", cty.String)
			if priorInputs := attr(prior, "inputs", cty.DynamicPseudoType); !changed(priorInputs, inputs) {
				outputs = attr(prior, "outputs", cty.DynamicPseudoType)
				if attr(proposed, "id", cty.String).RawEquals(id) && attr(proposed, "outputs", cty.DynamicPseudoType).RawEquals(outputs) {
					// The common no-op plan: the proposal is already the plan.
					return providers.PlanResourceChangeResponse{PlannedState: proposed}
				}
			}
		}
	}
	return providers.PlanResourceChangeResponse{
		PlannedState: cty.ObjectVal(map[string]cty.Value{
			"triggers": triggers, "inputs": inputs, "id": id, "outputs": outputs,
		}),
		RequiresReplace: replace,
	}
}

func (nullResource) apply(_ context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	planned := req.PlannedState
	if planned.IsNull() {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(nullType)}
	}
	id := attr(planned, "id", cty.String)
	if !id.IsKnown() || id.IsNull() {
		s, err := randomID()
		if err != nil {
			return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: providers.Diagnostics{
				providers.FromError("Cannot read random numbers", err)}}
		}
		id = cty.StringVal(s)
	}
	inputs := attr(planned, "inputs", cty.DynamicPseudoType)
	return providers.ApplyResourceChangeResponse{NewState: cty.ObjectVal(map[string]cty.Value{
		"triggers": attr(planned, "triggers", triggersType),
		"inputs":   inputs,
		"id":       id,
		"outputs":  inputs,
	})}
}

// read returns the state unchanged: a std_null exists only in state. A state
// without an id, though, was never created (apply always sets the id): the
// engine records such a placeholder while a create is in progress, and
// read reports it gone.
func (nullResource) read(_ context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	if id := attr(req.CurrentState, "id", cty.String); id.IsNull() {
		return providers.ReadResourceResponse{NewState: cty.NullVal(nullType)}
	}
	return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}
}

// importState adopts the ID as the id of a std_null with no values.
func (nullResource) importState(_ context.Context, id string) (cty.Value, providers.Diagnostics) {
	if id == "" {
		return cty.NilVal, providers.Diagnostics{providers.Errorf("Invalid import ID", "Import a std_null with a non-empty ID; it becomes the resource's id.")}
	}
	return cty.ObjectVal(map[string]cty.Value{
		"triggers": cty.NullVal(triggersType),
		"inputs":   cty.NullVal(cty.DynamicPseudoType),
		"id":       cty.StringVal(id),
		"outputs":  cty.NullVal(cty.DynamicPseudoType),
	}), nil
}

var (
	_ schemaOnly           = nullResource{}
	_ schemaPlannedCreates = nullResource{}
)
