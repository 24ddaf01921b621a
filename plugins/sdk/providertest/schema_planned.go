package providertest

import (
	"bytes"
	"slices"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/schemaplan"
	"github.com/blueprint-engine/bp/providers"
)

// schemaPlans are the resource types a provider declares schema-planned
// (plugins.SchemaPlanner, plugins.SchemaCreatePlanner): bp, running it as
// a plugin, makes their plans itself with schemaplan.Plan, so the
// provider's own plans must be exactly those.
type schemaPlans struct{ all, creates []string }

func declaredSchemaPlans(p providers.Interface) schemaPlans {
	var s schemaPlans
	if v, ok := p.(plugins.SchemaPlanner); ok {
		s.all = v.SchemaPlannedResourceTypes()
	}
	if v, ok := p.(plugins.SchemaCreatePlanner); ok {
		s.creates = v.SchemaPlannedCreateTypes()
	}
	return s
}

// covers reports whether the plan of a typeName object from prior must be
// the schema plan.
func (s schemaPlans) covers(typeName string, prior cty.Value) bool {
	return slices.Contains(s.all, typeName) || slices.Contains(s.creates, typeName) && (prior == cty.NilVal || prior.IsNull())
}

// checkSchemaPlan reports every way resp, the provider's answer to req,
// differs from the schema plan bp makes in its place, if the provider
// declared the type schema-planned for req.
func (r *runner) checkSchemaPlan(step string, req providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) {
	r.t.Helper()
	if !r.schemaPlans.covers(r.typeName, req.PriorState) {
		return
	}
	want := schemaplan.Plan(r.schema, r.ty, req)
	const declared = "the provider declares the type schema-planned (bp plans it without asking the provider)"
	if len(resp.Diagnostics) > 0 {
		r.t.Errorf("%s: %s, but its plan has diagnostics, which bp would never show: %v", step, declared, resp.Diagnostics)
	}
	if resp.PlannedState != cty.NilVal {
		for _, path := range exactDiffs(nil, want.PlannedState, resp.PlannedState) {
			r.t.Errorf("%s: %s, but its planned value differs from the schema plan at %s: schema plan %s, provider %s", step, declared,
				pathString(path), r.show(path, valueAt(want.PlannedState, path)), r.show(path, valueAt(resp.PlannedState, path)))
		}
	}
	if got, want := formatPaths(resp.RequiresReplace), formatPaths(want.RequiresReplace); got != want {
		r.t.Errorf("%s: %s, but its RequiresReplace differs from the schema plan's: schema plan [%s], provider [%s]", step, declared, want, got)
	}
	if !bytes.Equal(resp.PlannedPrivate, want.PlannedPrivate) {
		r.t.Errorf("%s: %s, but its PlannedPrivate is not the PriorPrivate, as in the schema plan", step, declared)
	}
}

// planUnknowns plans config with each of its non-null top-level values
// unknown, from prior, for a type declared schema-planned for such a plan:
// the engine plans with unknown values whenever a value depends on another
// resource's.
func (r *runner) planUnknowns(step string, prior, config cty.Value) {
	r.t.Helper()
	if !r.schemaPlans.covers(r.typeName, prior) || config.IsNull() || !config.IsKnown() {
		return
	}
	attrs := config.AsValueMap()
	for name, v := range attrs {
		if _, isAttr := r.schema.Attributes[name]; isAttr && !v.IsNull() {
			attrs[name] = cty.UnknownVal(v.Type())
		}
	}
	config = cty.ObjectVal(attrs)
	req := providers.PlanResourceChangeRequest{
		TypeName: r.typeName, PriorState: prior, Config: config,
		ProposedNewState: providers.ProposedNewObject(r.schema, prior, config),
	}
	resp := r.p.PlanResourceChange(r.ctx, req)
	r.checkSchemaPlan(step, req, resp)
}

// exactDiffs returns the paths below base of the innermost values where a
// and b differ in any way, unknown values and their refinements included.
func exactDiffs(base cty.Path, a, b cty.Value) []cty.Path {
	if a.RawEquals(b) {
		return nil
	}
	ty := a.Type()
	if !a.IsKnown() || !b.IsKnown() || a.IsNull() || b.IsNull() {
		return []cty.Path{base}
	}
	// Objects holding dynamic values differ in type where they differ in
	// value: compare them attribute by attribute all the same.
	sameAttrs := ty.IsObjectType() && b.Type().IsObjectType() &&
		slices.Equal(sortedKeys(ty.AttributeTypes()), sortedKeys(b.Type().AttributeTypes()))
	if !sameAttrs && !ty.Equals(b.Type()) {
		return []cty.Path{base}
	}
	switch {
	case sameAttrs:
		var out []cty.Path
		for _, name := range sortedKeys(ty.AttributeTypes()) {
			out = append(out, exactDiffs(base.GetAttr(name), a.GetAttr(name), b.GetAttr(name))...)
		}
		return out
	case ty.IsListType() || ty.IsMapType() || ty.IsTupleType():
		if a.LengthInt() != b.LengthInt() {
			return []cty.Path{base}
		}
		var out []cty.Path
		for it := a.ElementIterator(); it.Next(); {
			k, av := it.Element()
			if !b.HasIndex(k).True() {
				return []cty.Path{base}
			}
			out = append(out, exactDiffs(base.Index(k), av, b.Index(k))...)
		}
		return out
	default:
		return []cty.Path{base}
	}
}
