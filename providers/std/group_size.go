package std

import (
	"context"
	"math/big"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// groupSizeResource is std_group_size: the size of a machine group, kept in
// state so that a size chosen at run time (by `bp run`'s autoscaler, passed
// as override) survives later applies of the unchanged blueprint. It
// creates nothing outside state.
//
// Its plan is a pure function of the configuration and the prior state, so
// a size is known at plan time whenever desired, min, max and override are:
//
//   - override set: size = override, clamped to [min, max];
//   - else, the prior object has the same desired: size = prior size,
//     clamped (the controller's choice is kept);
//   - else: size = desired, clamped.
type groupSizeResource struct{}

var groupSizeType = cty.Object(map[string]cty.Type{
	"desired": cty.Number, "min": cty.Number, "max": cty.Number, "override": cty.Number, "size": cty.Number,
})

func (groupSizeResource) schema() *providers.Schema {
	return &providers.Schema{
		Description: "The size of a machine group: the blueprint's desired size until a controller overrides it, kept across applies.",
		Attributes: map[string]*providers.Attribute{
			"desired": {Type: cty.Number, Required: true,
				Description: "The size the blueprint asks for; a change of it resets the size to it."},
			"min": {Type: cty.Number, Required: true, Description: "The smallest size."},
			"max": {Type: cty.Number, Required: true, Description: "The largest size."},
			"override": {Type: cty.Number, Optional: true, Computed: true,
				Description: "A size chosen at run time (such as by an autoscaler); null keeps the size. Records the last override."},
			"size": {Type: cty.Number, Computed: true,
				Description: "The size: override, the kept size, or desired, within [min, max]."},
		},
	}
}

func (groupSizeResource) validate(config cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	for _, name := range []string{"desired", "min", "max", "override"} {
		v := attr(config, name, cty.Number)
		if v.IsNull() || !v.IsKnown() {
			continue
		}
		if _, ok := wholeCount(v); !ok {
			diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath(name), "Invalid group size",
				"%s must be a whole number from 0 up, such as 2; got %s.", name, v.AsBigFloat().Text('g', -1)))
		}
	}
	lo, okLo := wholeCount(attr(config, "min", cty.Number))
	hi, okHi := wholeCount(attr(config, "max", cty.Number))
	if okLo && okHi && lo > hi {
		diags = append(diags, providers.AttributeErrorf(cty.GetAttrPath("min"), "Invalid group bounds",
			"min (%d) is larger than max (%d); set min to at most max.", lo, hi))
	}
	return diags
}

func (groupSizeResource) plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	cfg, prior := req.ProposedNewState, req.PriorState
	desired := attr(cfg, "desired", cty.Number)
	lo, hi := attr(cfg, "min", cty.Number), attr(cfg, "max", cty.Number)
	override := attr(req.Config, "override", cty.Number)
	planned := func(override, size cty.Value) providers.PlanResourceChangeResponse {
		return providers.PlanResourceChangeResponse{PlannedState: cty.ObjectVal(map[string]cty.Value{
			"desired": desired, "min": lo, "max": hi, "override": override, "size": size,
		})}
	}
	switch {
	case !override.IsKnown():
		return planned(override, cty.UnknownVal(cty.Number))
	case !override.IsNull():
		return planned(override, clampSize(override, lo, hi))
	}
	// No override now: keep the last one on record, so that an apply after
	// a controller's change shows no difference.
	kept := attr(prior, "override", cty.Number)
	priorDesired := attr(prior, "desired", cty.Number)
	if !prior.IsNull() && desired.IsKnown() && !priorDesired.IsNull() && desired.Equals(priorDesired).True() {
		return planned(kept, clampSize(attr(prior, "size", cty.Number), lo, hi))
	}
	if !prior.IsNull() {
		kept = cty.NullVal(cty.Number) // desired changed: the blueprint takes over again
	}
	return planned(kept, clampSize(desired, lo, hi))
}

// clampSize returns n within [lo, hi], unknown when any of them is unknown.
// A null bound does not limit.
func clampSize(n, lo, hi cty.Value) cty.Value {
	if !n.IsKnown() || !lo.IsKnown() || !hi.IsKnown() || n.IsNull() {
		return cty.UnknownVal(cty.Number)
	}
	if !lo.IsNull() && n.LessThan(lo).True() {
		n = lo
	}
	if !hi.IsNull() && n.GreaterThan(hi).True() {
		n = hi
	}
	return n
}

// wholeCount returns v as an int when it is a known whole number from 0.
func wholeCount(v cty.Value) (int, bool) {
	if v.IsNull() || !v.IsKnown() {
		return 0, false
	}
	f := v.AsBigFloat()
	if f.Sign() < 0 || !f.IsInt() || f.Cmp(big.NewFloat(1<<31)) >= 0 {
		return 0, false
	}
	i, _ := f.Int64()
	return int(i), true
}

func (groupSizeResource) apply(_ context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if req.PlannedState.IsNull() {
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(groupSizeType)}
	}
	if !req.PlannedState.IsWhollyKnown() {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: providers.Diagnostics{
			providers.Errorf("Group size unknown at apply",
				"The size of the group depends on values that are still unknown; this is a bug in bp.")}}
	}
	return providers.ApplyResourceChangeResponse{NewState: req.PlannedState}
}

// read returns the state unchanged: a std_group_size exists only in state.
func (groupSizeResource) read(_ context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}
}

func (groupSizeResource) importState(context.Context, string) (cty.Value, providers.Diagnostics) {
	return cty.NilVal, providers.Diagnostics{providers.Errorf("Cannot import a std_group_size",
		"A std_group_size exists only in bp's state; there is nothing to import. Apply the blueprint to create it.")}
}

var _ resourceType = groupSizeResource{}
