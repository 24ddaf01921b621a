package sdk

import (
	"context"
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins/schemaplan"
	"github.com/blueprint-engine/bp/providers"
)

// PlanResourceChange checks Required and Int attributes, then plans from
// the schema (package plugins/schemaplan: Computed attributes unknown on
// create and prior on update, as the proposal already holds them;
// replacement when a ForceNew attribute changes, planned as a create), then
// runs the resource's PlanModify. Without PlanModify, and with no Required
// or Int attribute to check, the plan is schemaplan's alone, which is why
// bp may make it without calling the plugin (see SchemaPlannedResourceTypes).
func (a *adapter) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	ti, diags := a.lookup("resource type", a.resources, req.TypeName, true)
	if diags.HasErrors() {
		return providers.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, Diagnostics: diags}
	}
	if isNull(req.ProposedNewState) {
		return providers.PlanResourceChangeResponse{PlannedState: cty.NullVal(ti.ty)}
	}
	config := req.Config
	if isNull(config) {
		config = req.ProposedNewState
	}
	if diags := checkConfig(nil, ti.decl, config); diags.HasErrors() {
		return providers.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, Diagnostics: diags}
	}
	plan := schemaplan.Plan(ti.schema, ti.ty, req)
	modify := a.p.Resources[req.TypeName].PlanModify
	if modify == nil {
		return plan
	}
	// A replacement is a new object: PlanModify sees it as a create.
	prior := orNull(req.PriorState, ti.ty)
	if len(plan.RequiresReplace) > 0 {
		prior = cty.NullVal(ti.ty)
	}
	proposed := plan.PlannedState
	d := newResourceData(ti.schema, proposed, prior)
	d.planning = true
	diags = a.run(ctx, "PlanModify", d, modify)
	planned := d.value()
	for _, name := range sortedKeys(ti.schema.Attributes) {
		if !ti.schema.Attributes[name].Computed && modified(proposed.GetAttr(name), planned.GetAttr(name)) {
			diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath(name), "Provider bug",
				"PlanModify of %s changed %q, which is not Computed and so must be planned as configured. Report this to the provider's author.", req.TypeName, name))
		}
	}
	plan.PlannedState, plan.Diagnostics = planned, diags
	return plan
}

// ApplyResourceChange dispatches to Delete (null PlannedState), Create (null
// PriorState) or Update.
func (a *adapter) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	ti, diags := a.lookup("resource type", a.resources, req.TypeName, true)
	if diags.HasErrors() {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	r, prior := a.p.Resources[req.TypeName], orNull(req.PriorState, ti.ty)
	switch {
	case isNull(req.PlannedState):
		if prior.IsNull() {
			return providers.ApplyResourceChangeResponse{NewState: prior}
		}
		diags := a.run(ctx, "Delete", newResourceData(ti.schema, prior, prior), r.Delete)
		if diags.HasErrors() {
			return providers.ApplyResourceChangeResponse{NewState: prior, Diagnostics: diags}
		}
		return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(ti.ty), Diagnostics: diags}

	case prior.IsNull():
		d := newResourceData(ti.schema, req.PlannedState, cty.NilVal)
		diags := a.run(ctx, "Create", d, r.Create)
		if d.ID() == "" {
			if !diags.HasErrors() {
				diags = diags.Append(providers.Errorf("Provider bug",
					"Create of %s returned without setting the id, so the object cannot be found again. Report this to the provider's author.", req.TypeName))
			}
			return providers.ApplyResourceChangeResponse{NewState: cty.NullVal(ti.ty), Diagnostics: diags}
		}
		return providers.ApplyResourceChangeResponse{NewState: unknownsToNull(d.value()), Private: req.PlannedPrivate, Diagnostics: diags}

	case r.Update == nil:
		// Every configurable attribute is ForceNew, so an in-place update
		// only ever takes Computed values planned from the prior state.
		return providers.ApplyResourceChangeResponse{NewState: unknownsToNull(req.PlannedState), Private: req.PlannedPrivate}

	default:
		d := newResourceData(ti.schema, req.PlannedState, prior)
		diags := a.run(ctx, "Update", d, r.Update)
		if diags.HasErrors() {
			return providers.ApplyResourceChangeResponse{NewState: prior, Diagnostics: diags}
		}
		return providers.ApplyResourceChangeResponse{NewState: unknownsToNull(d.value()), Private: req.PlannedPrivate, Diagnostics: diags}
	}
}

// ReadResource runs Read; SetGone or an empty id give a null NewState. On
// errors the current state is kept.
func (a *adapter) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	ti, diags := a.lookup("resource type", a.resources, req.TypeName, true)
	if diags.HasErrors() {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, Diagnostics: diags}
	}
	if isNull(req.CurrentState) {
		return providers.ReadResourceResponse{NewState: cty.NullVal(ti.ty)}
	}
	state, gone, diags := a.read(ctx, ti, req.TypeName, req.CurrentState)
	switch {
	case diags.HasErrors():
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, Diagnostics: diags}
	case gone:
		return providers.ReadResourceResponse{NewState: cty.NullVal(ti.ty), Diagnostics: diags}
	}
	return providers.ReadResourceResponse{NewState: state, Private: req.Private, Diagnostics: diags}
}

func (a *adapter) read(ctx context.Context, ti typeInfo, typeName string, current cty.Value) (cty.Value, bool, Diagnostics) {
	d := newResourceData(ti.schema, current, current)
	diags := a.run(ctx, "Read", d, a.p.Resources[typeName].Read)
	return unknownsToNull(d.value()), d.gone || d.ID() == "", diags
}

// ImportResourceState sets the id to the import ID, runs Import if there is
// one, then Read; an object Read does not find is an error.
func (a *adapter) ImportResourceState(ctx context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	ti, diags := a.lookup("resource type", a.resources, req.TypeName, true)
	if diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	if req.ID == "" {
		return providers.ImportResourceStateResponse{Diagnostics: Error("Invalid import ID",
			fmt.Sprintf("The import ID of a %s is empty; set id in the import block to the object's ID.", req.TypeName))}
	}
	d := newResourceData(ti.schema, cty.NullVal(ti.ty), cty.NilVal)
	d.SetID(req.ID)
	if imp := a.p.Resources[req.TypeName].Import; imp != nil {
		diags = a.run(ctx, "Import", d, func(ctx context.Context, d *ResourceData, meta any) Diagnostics {
			return imp(ctx, req.ID, d, meta)
		})
		if diags.HasErrors() {
			return providers.ImportResourceStateResponse{Diagnostics: diags}
		}
	}
	state, gone, readDiags := a.read(ctx, ti, req.TypeName, d.value())
	diags = append(diags, readDiags...)
	if gone && !diags.HasErrors() {
		diags = diags.Append(providers.Errorf("Cannot import "+req.TypeName,
			"There is no %s with ID %q to import. Check the ID, or let Blueprint create the object instead.", req.TypeName, req.ID))
	}
	if diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	return providers.ImportResourceStateResponse{
		Imported:    []providers.ImportedResource{{TypeName: req.TypeName, State: state}},
		Diagnostics: diags,
	}
}

// modified reports whether PlanModify changed a proposed value; a value
// unknown before and after counts as unchanged.
func modified(proposed, planned cty.Value) bool {
	if !proposed.IsWhollyKnown() && !planned.IsWhollyKnown() {
		return false
	}
	return valuesDiffer(proposed, planned)
}

func isNull(v cty.Value) bool { return v == cty.NilVal || v.IsNull() }

// orNull returns v, or a null of ty when v is missing.
func orNull(v cty.Value, ty cty.Type) cty.Value {
	if v == cty.NilVal {
		return cty.NullVal(ty)
	}
	return v
}
