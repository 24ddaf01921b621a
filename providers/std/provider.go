// Package std is the built-in "std" provider: resources that need no cloud
// and no credentials — local files (std_file), random secrets (std_random) and
// a resource that holds values and does nothing else (std_null, the plain
// node for wiring and for large-plan benchmarks), and the size of a machine
// group (std_group_size, used by the self-hosted machine_group).
//
// Blueprints select it with `source = "builtin/std"`; its provider block takes
// no arguments. Importing this package registers it.
package std

import (
	"context"
	"slices"
	"sync/atomic"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() {
	providers.RegisterBuiltin("std", func() providers.Interface { return New() })
}

// resourceType is one std resource type. The Provider dispatches to it by
// type name after handling what every type shares (unknown type names,
// planned destroys).
type resourceType interface {
	schema() *providers.Schema
	validate(config cty.Value) providers.Diagnostics
	// plan is called with a non-null ProposedNewState.
	plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse
	apply(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse
	// read is called with a non-null CurrentState.
	read(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse
	importState(ctx context.Context, id string) (cty.Value, providers.Diagnostics)
}

// schemaOnly is implemented by the resource types whose validate always
// returns nil: they have nothing to check beyond the schema.
type schemaOnly interface {
	resourceType
	schemaOnly()
}

// schemaPlannedCreates is implemented by the resource types whose plan of
// a create is the schema plan (package plugins/schemaplan): the proposal,
// Computed values unknown, nothing else decided.
type schemaPlannedCreates interface {
	resourceType
	schemaPlannedCreates()
}

// Provider is the std provider. It holds no connections; all of its methods
// are safe for concurrent use.
type Provider struct {
	types      map[string]resourceType
	schema     providers.ProviderSchema
	configured atomic.Bool
}

// New returns a std provider, ready for Configure.
func New() *Provider {
	p := &Provider{types: map[string]resourceType{
		"std_file":   fileResource{},
		"std_random": randomResource{},
		"std_null":   nullResource{},

		"std_group_size": groupSizeResource{},
	}}
	p.schema = providers.ProviderSchema{
		Provider:      &providers.Schema{Description: "The std provider takes no arguments."},
		ResourceTypes: make(map[string]*providers.Schema, len(p.types)),
		DataSources:   map[string]*providers.Schema{},
	}
	for name, rt := range p.types {
		p.schema.ResourceTypes[name] = rt.schema()
	}
	return p
}

// GetSchema returns the std schemas. The caller must not modify them.
func (p *Provider) GetSchema(context.Context) providers.GetSchemaResponse {
	return providers.GetSchemaResponse{Schema: p.schema}
}

// SchemaOnlyResourceTypes names the std resource types that have nothing to
// validate beyond the schema (std_null), sorted. Served as a plugin, std
// thus spares bp a ValidateResourceConfig call per such resource (see
// plugins.SchemaOnlyValidator).
func (p *Provider) SchemaOnlyResourceTypes() []string {
	var names []string
	for name, rt := range p.types {
		if _, ok := rt.(schemaOnly); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// SchemaPlannedCreateTypes names the std resource types whose creates are
// planned from the schema alone (std_null), sorted, so that bp, running std
// as a plugin, plans them without a call (see plugins.SchemaCreatePlanner).
// Their updates are std's own: an update of std_null's inputs plans its
// outputs unknown.
func (p *Provider) SchemaPlannedCreateTypes() []string {
	var names []string
	for name, rt := range p.types {
		if _, ok := rt.(schemaPlannedCreates); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// ValidateProviderConfig accepts the empty provider block.
func (p *Provider) ValidateProviderConfig(context.Context, providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	return providers.ValidateProviderConfigResponse{}
}

// ValidateResourceConfig checks values the schema cannot: ranges and formats.
func (p *Provider) ValidateResourceConfig(_ context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ValidateResourceConfigResponse{Diagnostics: diags}
	}
	if req.Config.IsNull() || !req.Config.IsKnown() {
		return providers.ValidateResourceConfigResponse{}
	}
	return providers.ValidateResourceConfigResponse{Diagnostics: rt.validate(req.Config)}
}

// ValidateDataSourceConfig rejects every data source: std has none.
func (p *Provider) ValidateDataSourceConfig(_ context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	return providers.ValidateDataSourceConfigResponse{Diagnostics: noDataSource(req.TypeName)}
}

// Configure records that the provider is configured; std has no settings.
func (p *Provider) Configure(context.Context, providers.ConfigureRequest) providers.ConfigureResponse {
	p.configured.Store(true)
	return providers.ConfigureResponse{}
}

// PlanResourceChange plans a create, update, replacement or destroy.
func (p *Provider) PlanResourceChange(_ context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.PlanResourceChangeResponse{Diagnostics: diags}
	}
	if req.ProposedNewState.IsNull() {
		return providers.PlanResourceChangeResponse{PlannedState: req.ProposedNewState}
	}
	return rt.plan(req)
}

// ApplyResourceChange creates, updates or deletes an object.
func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	return rt.apply(ctx, req)
}

// ReadResource refreshes an object; a null NewState means it is gone.
func (p *Provider) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: diags}
	}
	if req.CurrentState.IsNull() {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}
	}
	return rt.read(ctx, req)
}

// ImportResourceState adopts an existing object: a file by path, a random
// value by its result, a null resource by its id.
func (p *Provider) ImportResourceState(ctx context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	state, diags := rt.importState(ctx, req.ID)
	if diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	return providers.ImportResourceStateResponse{
		Imported:    []providers.ImportedResource{{TypeName: req.TypeName, State: state}},
		Diagnostics: diags,
	}
}

// ReadDataSource fails: std has no data sources.
func (p *Provider) ReadDataSource(_ context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	return providers.ReadDataSourceResponse{Diagnostics: noDataSource(req.TypeName)}
}

// Stop returns at once: std calls are short and do not block.
func (p *Provider) Stop(context.Context) error { return nil }

// Close releases nothing; std holds no resources.
func (p *Provider) Close() error { return nil }

func (p *Provider) resourceType(name string) (resourceType, providers.Diagnostics) {
	if rt, ok := p.types[name]; ok {
		return rt, nil
	}
	return nil, providers.Diagnostics{providers.Errorf("Unsupported resource type",
		"The std provider has no resource type %q; it offers std_file, std_random, std_null and std_group_size.", name)}
}

func noDataSource(name string) providers.Diagnostics {
	return providers.Diagnostics{providers.Errorf("Unsupported data source",
		"The std provider has no data source %q; it offers no data sources.", name)}
}

var _ providers.Interface = (*Provider)(nil)
