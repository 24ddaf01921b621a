package providertest

import (
	"context"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// runner drives one resource type through the engine's calls, reporting
// broken promises. Each step method returns ok=false when it failed in a way
// that makes the following steps meaningless.
type runner struct {
	t        tester
	p        providers.Interface
	ctx      context.Context
	typeName string
	schema   *providers.Schema
	ty       cty.Type
	// schemaPlans are the types the provider declares schema-planned.
	schemaPlans schemaPlans
}

func (r *runner) lifeCycle(c Case) {
	r.t.Helper()
	create, ok := r.config("create", c.Create)
	if !ok {
		return
	}
	state, ok := r.create("create", create)
	if !ok {
		return
	}
	config := create
	if c.Update != nil {
		if config, ok = r.config("update", c.Update); !ok {
			return
		}
		if state, ok = r.update(c, state, config); !ok {
			return
		}
	}
	if c.ImportID != nil {
		r.importCheck(c, state)
	}
	r.delete(c, state)
}

// config builds and validates a case's configuration.
func (r *runner) config(step string, c Config) (cty.Value, bool) {
	r.t.Helper()
	v, err := c.value(r.schema)
	if err != nil {
		r.t.Errorf("%s: the case's configuration is wrong: %v", step, err)
		return cty.NilVal, false
	}
	resp := r.p.ValidateResourceConfig(r.ctx, providers.ValidateResourceConfigRequest{TypeName: r.typeName, Config: v})
	if resp.Diagnostics.HasErrors() {
		r.t.Errorf("%s: ValidateResourceConfig: %v", step, resp.Diagnostics.Err())
		return cty.NilVal, false
	}
	return v, true
}

// create plans and applies a create, then checks reads and a second plan.
func (r *runner) create(step string, config cty.Value) (cty.Value, bool) {
	r.t.Helper()
	null := cty.NullVal(r.ty)
	r.planUnknowns(step+": plan with unknown values", null, config)
	plan, ok := r.plan(step+": plan", null, config)
	if !ok {
		return cty.NilVal, false
	}
	if len(plan.RequiresReplace) > 0 {
		r.t.Errorf("%s: plan: a create has RequiresReplace %s; it must be empty", step, formatPaths(plan.RequiresReplace))
	}
	placeholder := nullUnknowns(plan.PlannedState)
	if got, ok := r.read(step+": read placeholder before apply", placeholder); ok && !got.IsNull() {
		r.t.Errorf("%s: read placeholder before apply: ReadResource found an object that was never created; it must return null", step)
	}
	state, ok := r.apply(step+": apply", null, plan.PlannedState, config, plan.PlannedPrivate)
	if !ok {
		return cty.NilVal, false
	}
	r.readEquals(step+": read", state)
	if got, ok := r.read(step+": read placeholder", placeholder); ok && !got.IsNull() {
		r.compare(step+": read placeholder", "state", state, "read value", got)
	}
	r.noChange(step+": plan again", state, config)
	return state, true
}

// update changes the object to config, in place or by replacement.
func (r *runner) update(c Case, prior, config cty.Value) (cty.Value, bool) {
	r.t.Helper()
	r.planUnknowns("update: plan with unknown values", prior, config)
	plan, ok := r.plan("update: plan", prior, config)
	if !ok {
		return cty.NilVal, false
	}
	if !c.UpdateReplaces {
		if len(plan.RequiresReplace) > 0 {
			r.t.Errorf("update: plan: the case expects an in-place update, but the plan requires replacement because of %s", formatPaths(plan.RequiresReplace))
			return cty.NilVal, false
		}
		if len(mismatches(prior, plan.PlannedState)) == 0 {
			r.t.Errorf("update: plan: the update configuration plans no change; make the case's Update differ from Create")
			return cty.NilVal, false
		}
		state, ok := r.apply("update: apply", prior, plan.PlannedState, config, plan.PlannedPrivate)
		if !ok {
			return cty.NilVal, false
		}
		r.readEquals("update: read", state)
		r.noChange("update: plan again", state, config)
		return state, true
	}
	if len(plan.RequiresReplace) == 0 {
		r.t.Errorf("update: plan: the case expects a replacement, but RequiresReplace is empty")
		return cty.NilVal, false
	}
	if _, ok := r.apply("update: apply (destroy half of replacement)", prior, cty.NullVal(r.ty), cty.NullVal(r.ty), nil); !ok {
		return cty.NilVal, false
	}
	return r.create("update: create half of replacement", config)
}

// importCheck imports the object by ID, reads it as the engine does, and
// compares it with state.
func (r *runner) importCheck(c Case, state cty.Value) {
	r.t.Helper()
	id := c.ImportID(state)
	resp := r.p.ImportResourceState(r.ctx, providers.ImportResourceStateRequest{TypeName: r.typeName, ID: id})
	if resp.Diagnostics.HasErrors() {
		r.t.Errorf("import %q: ImportResourceState: %v", id, resp.Diagnostics.Err())
		return
	}
	if len(resp.Imported) != 1 {
		r.t.Errorf("import %q: ImportResourceState returned %d objects, want 1", id, len(resp.Imported))
		return
	}
	imp := resp.Imported[0]
	if imp.TypeName != r.typeName {
		r.t.Errorf("import %q: the imported object has type %q, want %q", id, imp.TypeName, r.typeName)
	}
	if !r.conforms(fmt.Sprintf("import %q: imported state", id), imp.State) {
		return
	}
	got, ok := r.readWith(fmt.Sprintf("import %q: read", id), imp.State, imp.Private)
	if !ok {
		return
	}
	if got.IsNull() {
		r.t.Errorf("import %q: read: ReadResource of the imported object returned null; the object exists", id)
		return
	}
	r.compare(fmt.Sprintf("import %q", id), "state", without(state, c.ImportIgnore), "imported value", without(got, c.ImportIgnore))
}

// delete plans and applies a destroy, reads after it, and deletes again.
func (r *runner) delete(c Case, state cty.Value) {
	r.t.Helper()
	null := cty.NullVal(r.ty)
	req := providers.PlanResourceChangeRequest{TypeName: r.typeName, PriorState: state, ProposedNewState: null, Config: null}
	resp := r.p.PlanResourceChange(r.ctx, req)
	r.checkSchemaPlan("delete: plan", req, resp)
	switch {
	case resp.Diagnostics.HasErrors():
		r.t.Errorf("delete: plan: PlanResourceChange: %v", resp.Diagnostics.Err())
	case resp.PlannedState == cty.NilVal || !resp.PlannedState.IsNull():
		r.t.Errorf("delete: plan: the planned state of a destroy must be null, got %#v", resp.PlannedState)
	}
	if _, ok := r.apply("delete: apply", state, null, null, nil); !ok {
		return
	}
	if !c.StateOnly {
		if got, ok := r.read("delete: read after delete", state); ok && !got.IsNull() {
			r.t.Errorf("delete: read after delete: ReadResource still returns the object; it must return null once the object is gone")
		}
	}
	r.apply("delete: apply again", state, null, null, nil)
}

// plan validates nothing (config did) and checks the planned state keeps the
// configuration.
func (r *runner) plan(step string, prior, config cty.Value) (providers.PlanResourceChangeResponse, bool) {
	r.t.Helper()
	proposed := providers.ProposedNewObject(r.schema, prior, config)
	req := providers.PlanResourceChangeRequest{TypeName: r.typeName, PriorState: prior, ProposedNewState: proposed, Config: config}
	resp := r.p.PlanResourceChange(r.ctx, req)
	r.checkSchemaPlan(step, req, resp)
	if resp.Diagnostics.HasErrors() {
		r.t.Errorf("%s: PlanResourceChange: %v", step, resp.Diagnostics.Err())
		return resp, false
	}
	if !r.conforms(step+": planned state", resp.PlannedState) {
		return resp, false
	}
	if resp.PlannedState.IsNull() {
		r.t.Errorf("%s: the planned state is null, but the configuration is not", step)
		return resp, false
	}
	for _, name := range sortedKeys(r.schema.Attributes) {
		if a := r.schema.Attributes[name]; a.Computed {
			continue
		}
		path := cty.GetAttrPath(name)
		if len(mismatches(proposed.GetAttr(name), resp.PlannedState.GetAttr(name))) > 0 {
			r.t.Errorf("%s: planned value differs from configuration at %s (a non-Computed attribute must be planned as configured): configured %s, planned %s",
				step, name, r.show(path, proposed.GetAttr(name)), r.show(path, resp.PlannedState.GetAttr(name)))
		}
	}
	return resp, true
}

// apply applies planned over prior and checks that the result keeps the
// plan's promises.
func (r *runner) apply(step string, prior, planned, config cty.Value, private []byte) (cty.Value, bool) {
	r.t.Helper()
	resp := r.p.ApplyResourceChange(r.ctx, providers.ApplyResourceChangeRequest{
		TypeName: r.typeName, PriorState: prior, PlannedState: planned, Config: config, PlannedPrivate: private,
	})
	if resp.Diagnostics.HasErrors() {
		r.t.Errorf("%s: ApplyResourceChange: %v", step, resp.Diagnostics.Err())
		return cty.NilVal, false
	}
	if !r.conforms(step+": new state", resp.NewState) {
		return cty.NilVal, false
	}
	if planned.IsNull() {
		if !resp.NewState.IsNull() {
			r.t.Errorf("%s: a delete must return a null new state", step)
			return cty.NilVal, false
		}
		return resp.NewState, true
	}
	if resp.NewState.IsNull() {
		r.t.Errorf("%s: the new state is null, but the plan was to create or update the object", step)
		return cty.NilVal, false
	}
	ok := true
	if !resp.NewState.IsWhollyKnown() {
		r.t.Errorf("%s: the new state still holds unknown values; apply must decide every value", step)
		ok = false
	}
	for _, path := range providers.PlanApplyMismatches(planned, resp.NewState) {
		r.t.Errorf("%s: planned value differs from applied value at %s: planned %s, applied %s",
			step, pathString(path), r.show(path, valueAt(planned, path)), r.show(path, valueAt(resp.NewState, path)))
		ok = false
	}
	return resp.NewState, ok
}

// read reads state and returns what the provider reports.
func (r *runner) read(step string, state cty.Value) (cty.Value, bool) {
	r.t.Helper()
	return r.readWith(step, state, nil)
}

func (r *runner) readWith(step string, state cty.Value, private []byte) (cty.Value, bool) {
	r.t.Helper()
	resp := r.p.ReadResource(r.ctx, providers.ReadResourceRequest{TypeName: r.typeName, CurrentState: state, Private: private})
	if resp.Diagnostics.HasErrors() {
		r.t.Errorf("%s: ReadResource: %v", step, resp.Diagnostics.Err())
		return cty.NilVal, false
	}
	if !r.conforms(step+": new state", resp.NewState) {
		return cty.NilVal, false
	}
	if !resp.NewState.IsWhollyKnown() {
		r.t.Errorf("%s: ReadResource returned unknown values", step)
		return cty.NilVal, false
	}
	return resp.NewState, true
}

// readEquals checks that reading state right after apply returns it.
func (r *runner) readEquals(step string, state cty.Value) {
	r.t.Helper()
	got, ok := r.read(step, state)
	switch {
	case !ok:
	case got.IsNull():
		r.t.Errorf("%s: ReadResource returned null right after apply; the object must exist", step)
	default:
		r.compare(step, "applied value", state, "read value", got)
	}
}

// noChange checks that planning the configuration just applied plans no
// change.
func (r *runner) noChange(step string, state, config cty.Value) {
	r.t.Helper()
	plan, ok := r.plan(step, state, config)
	if !ok {
		return
	}
	if len(plan.RequiresReplace) > 0 {
		r.t.Errorf("%s: planning the applied configuration again requires replacement because of %s", step, formatPaths(plan.RequiresReplace))
	}
	r.compare(step+" (expected no change)", "state", state, "planned value", plan.PlannedState)
}

// compare reports every path where got differs from want.
func (r *runner) compare(step, wantName string, want cty.Value, gotName string, got cty.Value) {
	r.t.Helper()
	for _, path := range mismatches(want, got) {
		r.t.Errorf("%s: %s differs from %s at %s: %s %s, %s %s", step, gotName, wantName, pathString(path),
			wantName, r.show(path, valueAt(want, path)), gotName, r.show(path, valueAt(got, path)))
	}
}

// conforms reports whether v has the resource type's type.
func (r *runner) conforms(what string, v cty.Value) bool {
	r.t.Helper()
	if v == cty.NilVal {
		r.t.Errorf("%s: no value returned (cty.NilVal); return a null of the schema's type instead", what)
		return false
	}
	if errs := v.Type().TestConformance(r.ty); len(errs) > 0 {
		r.t.Errorf("%s: the value does not conform to the schema: %v", what, errs)
		return false
	}
	return true
}

// show renders v for a message, hiding values at or below a Sensitive
// attribute.
func (r *runner) show(path cty.Path, v cty.Value) string {
	if len(path) > 0 {
		if step, ok := path[0].(cty.GetAttrStep); ok {
			if a := r.schema.Attributes[step.Name]; a != nil && a.Sensitive {
				return "(sensitive value)"
			}
		}
	}
	if v == cty.NilVal {
		return "(missing)"
	}
	return fmt.Sprintf("%#v", v)
}

// mismatches returns the paths where got differs from want; unknown values
// in want match anything known.
func mismatches(want, got cty.Value) []cty.Path {
	return providers.PlanApplyMismatches(want, got)
}

// nullUnknowns returns v with every unknown value replaced by a null: the
// placeholder the engine records while a create is in progress.
func nullUnknowns(v cty.Value) cty.Value {
	out, _ := cty.Transform(v, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return cty.NullVal(v.Type()), nil
		}
		return v, nil
	})
	return out
}

// without returns the object v with the named attributes set to null.
func without(v cty.Value, names []string) cty.Value {
	if len(names) == 0 || v.IsNull() || !v.IsKnown() {
		return v
	}
	attrs := v.AsValueMap()
	for _, n := range names {
		if old, ok := attrs[n]; ok {
			attrs[n] = cty.NullVal(old.Type())
		}
	}
	return cty.ObjectVal(attrs)
}

// valueAt returns the value at path in v, or cty.NilVal when there is none.
func valueAt(v cty.Value, path cty.Path) cty.Value {
	got, err := path.Apply(v)
	if err != nil {
		return cty.NilVal
	}
	return got
}

// pathString formats path for messages; the empty path is the whole object.
func pathString(path cty.Path) string {
	if len(path) == 0 {
		return "(the whole object)"
	}
	return providers.FormatPath(path)
}

func formatPaths(paths []cty.Path) string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = pathString(p)
	}
	return strings.Join(out, ", ")
}
