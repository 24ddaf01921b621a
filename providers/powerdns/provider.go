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
// takes api_url, api_key and server_id, all optional: every resource may name
// its own server with api_url and api_key instead (the self-hosted dns_zone
// does, for the server it creates). Importing this package registers it.
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

	mu sync.Mutex
	// configured is set once Configure succeeded; defaults is the provider
	// block's server, possibly incomplete.
	configured bool
	defaults   config
	// clients holds one client per server and key, so that each checks its
	// server once.
	clients map[clientKey]*client
	// serverCalls holds each server's call lock, shared by its clients.
	serverCalls map[string]*sync.Mutex
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
	}, clients: map[clientKey]*client{}, serverCalls: map[string]*sync.Mutex{}}
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
	_, diags := parseConfig(req.Config)
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
	diags = validateServer(req.Config)
	return providers.ValidateResourceConfigResponse{Diagnostics: diags.Append(rt.validate(req.Config)...)}
}

// ValidateDataSourceConfig rejects every data source: the provider has none.
func (p *Provider) ValidateDataSourceConfig(_ context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	return providers.ValidateDataSourceConfigResponse{Diagnostics: noDataSource(req.TypeName)}
}

// Configure checks the provider block and keeps its server as the default
// of resources that name none. It does not contact the server: the first
// resource call does, and reports an unreachable server or a wrong key then.
// A missing block is fine when every resource names its server.
func (p *Provider) Configure(_ context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	cfg, diags := parseConfig(req.Config)
	if diags.HasErrors() {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	p.mu.Lock()
	p.defaults, p.configured = cfg, true
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
	resp := rt.plan(req)
	if resp.Diagnostics.HasErrors() {
		return resp
	}
	resp.RequiresReplace = append(resp.RequiresReplace, serverReplace(req.PriorState, req.ProposedNewState)...)
	return resp
}

// ApplyResourceChange creates, updates or deletes a zone or record.
func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	rt, diags := p.resourceType(req.TypeName)
	if rt == nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	// A delete goes to the server the object is on; a create or update to
	// the one planned.
	target := req.PlannedState
	if target.IsNull() {
		target = req.PriorState
	}
	c, diags := p.clientFor(target)
	if c == nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	if !req.PlannedState.IsNull() {
		// A server created in the same run may still be starting.
		if err := c.waitReachable(ctx, serverWait); err != nil {
			return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: providers.Diagnostics{diagnostic("Cannot reach the PowerDNS API", err)}}
		}
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
	c, diags := p.clientFor(req.CurrentState)
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
	// An imported object is looked up on the provider block's server.
	c, diags := p.clientFor(cty.NilVal)
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
	for _, c := range p.clients {
		c.http.CloseIdleConnections()
	}
	return nil
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
