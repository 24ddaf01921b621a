// Package powerdns is the built-in "powerdns" provider: it manages the zones
// and records of a PowerDNS authoritative server through its HTTP API. It is
// what the self-hosted realization of the portable kinds dns_zone and
// dns_record uses, so its resource types carry those names, unprefixed: a
// blueprint's dns_zone and dns_record resolve to them directly.
//
// A dns_record with a routing block becomes a PowerDNS LUA record whose
// answer depends on health checks (failover) or on weights (weighted); the
// server must run with enable-lua-records=yes for those to answer.
//
// Blueprints select it with `source = "builtin/powerdns"`; its provider block
// takes api_url, api_key and server_id. Importing this package registers it.
// The package does not run or configure the server itself.
package powerdns

import (
	"context"
	"sync"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() {
	providers.RegisterBuiltin("powerdns", func() providers.Interface { return New() })
}

// resourceType is one resource type of the provider. The Provider dispatches
// to it by type name after handling what every type shares (unknown type
// names, planned destroys, an unconfigured provider).
type resourceType interface {
	schema() *providers.Schema
	validate(config cty.Value) providers.Diagnostics
	// plan is called with a non-null ProposedNewState.
	plan(req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse
	apply(ctx context.Context, c *client, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse
	// read is called with a non-null CurrentState.
	read(ctx context.Context, c *client, req providers.ReadResourceRequest) providers.ReadResourceResponse
	importState(ctx context.Context, c *client, id string) (cty.Value, providers.Diagnostics)
}

// Provider is the powerdns provider. All of its methods are safe for
// concurrent use.
type Provider struct {
	types  map[string]resourceType
	schema providers.ProviderSchema

	// stopped is cancelled by Stop and Close; in-flight API calls end with it.
	stopped context.Context
	stop    context.CancelFunc

	mu     sync.Mutex
	client *client // nil until Configure succeeds
}

// Resource type names. They are the portable kinds' names (DESIGN §1): the
// engine looks a portable resource's type up in its provider's schema as
// written.
const (
	typeZone   = "dns_zone"
	typeRecord = "dns_record"
)

// New returns a powerdns provider, ready for Configure.
func New() *Provider {
	p := &Provider{types: map[string]resourceType{
		typeZone:   zoneResource{},
		typeRecord: &recordResource{},
	}}
	p.stopped, p.stop = context.WithCancel(context.Background())
	p.schema = providers.ProviderSchema{
		Provider:      providerSchema(),
		ResourceTypes: make(map[string]*providers.Schema, len(p.types)),
		DataSources:   map[string]*providers.Schema{},
	}
	for name, rt := range p.types {
		p.schema.ResourceTypes[name] = rt.schema()
	}
	return p
}

// GetSchema returns the provider's schemas. The caller must not modify them.
func (p *Provider) GetSchema(context.Context) providers.GetSchemaResponse {
	return providers.GetSchemaResponse{Schema: p.schema}
}

// ValidateProviderConfig checks the provider block's known values.
func (p *Provider) ValidateProviderConfig(_ context.Context, req providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	_, diags := parseConfig(req.Config, false)
	return providers.ValidateProviderConfigResponse{Diagnostics: diags}
}

// ValidateResourceConfig checks values the schema cannot: names, record
// contents, routing combinations.
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

// ValidateDataSourceConfig rejects every data source: the provider has none.
func (p *Provider) ValidateDataSourceConfig(_ context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	return providers.ValidateDataSourceConfigResponse{Diagnostics: noDataSource(req.TypeName)}
}

// Configure checks the provider block and prepares the API client. It does
// not contact the server: the first resource call does, and reports an
// unreachable server or a wrong key then.
func (p *Provider) Configure(_ context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	cfg, diags := parseConfig(req.Config, true)
	if diags.HasErrors() {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	c := newClient(cfg, p.stopped)
	p.mu.Lock()
	p.client = c
	p.mu.Unlock()
	return providers.ConfigureResponse{Diagnostics: diags}
}

// PlanResourceChange plans a create, update, replacement or destroy. It
// makes no API calls.
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

// ApplyResourceChange creates, updates or deletes a zone or record.
func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	c, diags := p.configured()
	if c == nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	return rt.apply(ctx, c, req)
}

// ReadResource refreshes a zone or record from the server; a null NewState
// means it is gone.
func (p *Provider) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: diags}
	}
	if req.CurrentState.IsNull() {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}
	}
	c, diags := p.configured()
	if c == nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: diags}
	}
	return rt.read(ctx, c, req)
}

// ImportResourceState adopts an existing zone (ID: its name) or record (ID:
// "zone/name/type", for example "example.test/www/A").
func (p *Provider) ImportResourceState(ctx context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	c, diags := p.configured()
	if c == nil {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	state, diags := rt.importState(ctx, c, req.ID)
	if diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	return providers.ImportResourceStateResponse{
		Imported:    []providers.ImportedResource{{TypeName: req.TypeName, State: state}},
		Diagnostics: diags,
	}
}

// ReadDataSource fails: the provider has no data sources.
func (p *Provider) ReadDataSource(_ context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	return providers.ReadDataSourceResponse{Diagnostics: noDataSource(req.TypeName)}
}

// Stop cancels every in-flight API call.
func (p *Provider) Stop(context.Context) error {
	p.stop()
	return nil
}

// Close cancels in-flight calls and drops idle connections.
func (p *Provider) Close() error {
	p.stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		p.client.http.CloseIdleConnections()
	}
	return nil
}

func (p *Provider) configured() (*client, providers.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil {
		return nil, providers.Diagnostics{providers.Errorf("Provider not configured",
			"The powerdns provider was called before Configure succeeded; this is a bug in the engine, or the provider block has errors reported above.")}
	}
	return p.client, nil
}

func (p *Provider) resourceType(name string) (resourceType, providers.Diagnostics) {
	if rt, ok := p.types[name]; ok {
		return rt, nil
	}
	return nil, providers.Diagnostics{providers.Errorf("Unsupported resource type",
		"The powerdns provider has no resource type %q; it offers %s and %s.", name, typeZone, typeRecord)}
}

func noDataSource(name string) providers.Diagnostics {
	return providers.Diagnostics{providers.Errorf("Unsupported data source",
		"The powerdns provider has no data source %q; it offers no data sources.", name)}
}

var _ providers.Interface = (*Provider)(nil)
