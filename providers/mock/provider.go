// Package mock is an in-memory provider for testing the engine. It holds
// objects in a map, logs every call, and lets a test inject failures and
// delays, change or delete objects "outside Blueprint" to simulate drift, and
// measure how many calls ran at once.
//
// Its default schema (see [DefaultSchema]) has one resource type, mock_thing
// (name: required, replaces on change; value: optional, in place; secret:
// optional, sensitive; id: computed, "mock_thing-N"), and one data source,
// mock_data (name: required; id and value computed: name and
// "value-of-NAME"). Any schema may be used instead, provided every resource
// type has a computed string attribute "id".
//
// The mock also checks the engine's side of the [providers.Interface]
// contract: resource calls before Configure, a second Configure, calls after
// Close and concurrent calls about the same object are reported by
// [Provider.Violations] (and the offending call fails).
//
// It is not registered as a built-in provider; tests construct it with [New].
package mock

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// Provider is an in-memory [providers.Interface]. All methods, including the
// test controls, are safe for concurrent use.
type Provider struct {
	schema providers.ProviderSchema

	mu            sync.Mutex
	configured    bool
	config        cty.Value
	closed        bool
	objects       map[objectKey]cty.Value
	nextID        map[string]int
	calls         []Call
	violations    []string
	busyObjects   map[objectKey]bool
	applyFailures map[nameKey]error
	hook          Hook
	dataSources   map[string]func(config cty.Value) (cty.Value, error)

	delay       atomic.Int64 // time.Duration
	inFlight    atomic.Int64
	maxInFlight atomic.Int64
	stopOnce    sync.Once
	stopCh      chan struct{}
}

type objectKey struct{ typeName, id string }

type nameKey struct{ typeName, name string }

// New returns a mock provider with [DefaultSchema].
func New() *Provider { return NewWithSchema(DefaultSchema()) }

// NewWithSchema returns a mock provider with the given schemas. Every
// resource type must have a Computed string attribute "id"; the mock
// assigns it as TYPE-N at create and uses it to find objects.
func NewWithSchema(schema providers.ProviderSchema) *Provider {
	return &Provider{
		schema:        schema,
		objects:       map[objectKey]cty.Value{},
		nextID:        map[string]int{},
		busyObjects:   map[objectKey]bool{},
		applyFailures: map[nameKey]error{},
		dataSources:   map[string]func(cty.Value) (cty.Value, error){},
		stopCh:        make(chan struct{}),
	}
}

// GetSchema returns the provider's schemas.
func (p *Provider) GetSchema(ctx context.Context) providers.GetSchemaResponse {
	diags := p.begin(ctx, MethodGetSchema, "", struct{}{}, false)
	return providers.GetSchemaResponse{Schema: p.schema, Diagnostics: diags}
}

// ValidateProviderConfig accepts any configuration.
func (p *Provider) ValidateProviderConfig(ctx context.Context, req providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	return providers.ValidateProviderConfigResponse{Diagnostics: p.begin(ctx, MethodValidateProviderConfig, "", req, false)}
}

// ValidateResourceConfig rejects unknown type names and, for mock_thing, an
// empty name.
func (p *Provider) ValidateResourceConfig(ctx context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	diags := p.begin(ctx, MethodValidateResourceConfig, req.TypeName, req, false)
	if _, d := p.resourceSchema(req.TypeName); d != nil {
		return providers.ValidateResourceConfigResponse{Diagnostics: diags.Append(d...)}
	}
	if req.TypeName == "mock_thing" && !attrIsNull(req.Config, "name") && req.Config.IsKnown() &&
		req.Config.GetAttr("name").IsKnown() && stringAttr(req.Config, "name") == "" {
		diags = diags.Append(providers.AttributeErrorf(cty.GetAttrPath("name"), "Empty name", "A mock_thing needs a non-empty name."))
	}
	return providers.ValidateResourceConfigResponse{Diagnostics: diags}
}

// ValidateDataSourceConfig rejects unknown data source names.
func (p *Provider) ValidateDataSourceConfig(ctx context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	diags := p.begin(ctx, MethodValidateDataSourceConfig, req.TypeName, req, false)
	if _, ok := p.schema.DataSources[req.TypeName]; !ok {
		diags = diags.Append(providers.Errorf("Unsupported data source", "The mock provider has no data source %q.", req.TypeName))
	}
	return providers.ValidateDataSourceConfigResponse{Diagnostics: diags}
}

// Configure records the configuration. A second call is a contract
// violation and fails.
func (p *Provider) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	diags := p.begin(ctx, MethodConfigure, "", req, false)
	if diags.HasErrors() {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.configured {
		p.violations = append(p.violations, "Configure called more than once")
		return providers.ConfigureResponse{Diagnostics: diags.Append(providers.Errorf("Provider already configured",
			"Configure was called twice; the engine must call it exactly once per provider instance."))}
	}
	p.configured, p.config = true, req.Config
	return providers.ConfigureResponse{Diagnostics: diags}
}

// PlanResourceChange plans from the proposal: RequiresReplace attributes
// that changed force replacement, and a create or replacement leaves
// Computed attributes not set in config unknown.
func (p *Provider) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	id := stringAttr(req.PriorState, "id")
	diags := p.begin(ctx, MethodPlanResourceChange, req.TypeName, req, true)
	defer p.end()
	if diags.HasErrors() {
		return providers.PlanResourceChangeResponse{Diagnostics: diags}
	}
	schema, d := p.resourceSchema(req.TypeName)
	if d != nil {
		return providers.PlanResourceChangeResponse{Diagnostics: diags.Append(d...)}
	}
	release, d := p.claim(req.TypeName, id)
	defer release()
	if diags = diags.Append(d...).Append(p.pause(ctx)...); diags.HasErrors() {
		return providers.PlanResourceChangeResponse{Diagnostics: diags}
	}
	planned := req.ProposedNewState
	if planned.IsNull() {
		return providers.PlanResourceChangeResponse{PlannedState: planned, Diagnostics: diags}
	}
	replace := schema.RequiresReplaceChanges(req.PriorState, planned)
	if len(replace) > 0 {
		unknown := map[string]cty.Value{}
		for name, a := range schema.Attributes {
			if a.Computed && attrIsNull(req.Config, name) {
				unknown[name] = cty.UnknownVal(a.Type)
			}
		}
		planned = withAttrs(planned, unknown)
	}
	return providers.PlanResourceChangeResponse{PlannedState: planned, RequiresReplace: replace, PlannedPrivate: req.PriorPrivate, Diagnostics: diags}
}

// ApplyResourceChange creates, updates or deletes the object in memory,
// giving unknown planned values the zero value of their type and a new
// object the id TYPE-N.
func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	id := stringAttr(req.PriorState, "id")
	diags := p.begin(ctx, MethodApplyResourceChange, req.TypeName, req, true)
	defer p.end()
	fail := providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	if diags.HasErrors() {
		return fail
	}
	if _, d := p.resourceSchema(req.TypeName); d != nil {
		fail.Diagnostics = diags.Append(d...)
		return fail
	}
	release, d := p.claim(req.TypeName, id)
	defer release()
	if fail.Diagnostics = diags.Append(d...).Append(p.pause(ctx)...); fail.Diagnostics.HasErrors() {
		return fail
	}
	name := stringAttr(req.PlannedState, "name")
	if req.PlannedState.IsNull() {
		name = stringAttr(req.PriorState, "name")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.applyFailures[nameKey{req.TypeName, name}]; err != nil {
		fail.Diagnostics = diags.Append(providers.FromError("Injected apply failure", err))
		return fail
	}
	switch {
	case req.PlannedState.IsNull():
		delete(p.objects, objectKey{req.TypeName, id})
		return providers.ApplyResourceChangeResponse{NewState: req.PlannedState, Diagnostics: diags}
	case req.PriorState.IsNull():
		p.nextID[req.TypeName]++
		id = fmt.Sprintf("%s-%d", req.TypeName, p.nextID[req.TypeName])
		state := fillUnknowns(withAttrs(req.PlannedState, map[string]cty.Value{"id": cty.StringVal(id)}))
		p.objects[objectKey{req.TypeName, id}] = state
		return providers.ApplyResourceChangeResponse{NewState: state, Private: req.PlannedPrivate, Diagnostics: diags}
	default:
		if _, ok := p.objects[objectKey{req.TypeName, id}]; !ok {
			fail.Diagnostics = diags.Append(providers.Errorf("Object not found",
				"The %s with id %q no longer exists, so it cannot be updated. Refresh the state to plan its creation.", req.TypeName, id))
			return fail
		}
		state := fillUnknowns(withAttrs(req.PlannedState, map[string]cty.Value{"id": cty.StringVal(id)}))
		p.objects[objectKey{req.TypeName, id}] = state
		return providers.ApplyResourceChangeResponse{NewState: state, Private: req.PlannedPrivate, Diagnostics: diags}
	}
}

// ReadResource returns the stored object, which may have been changed by
// [Provider.ModifyObject], or null when it is gone.
func (p *Provider) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	id := stringAttr(req.CurrentState, "id")
	diags := p.begin(ctx, MethodReadResource, req.TypeName, req, true)
	defer p.end()
	fail := providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, Diagnostics: diags}
	if diags.HasErrors() {
		return fail
	}
	schema, d := p.resourceSchema(req.TypeName)
	if d != nil {
		fail.Diagnostics = diags.Append(d...)
		return fail
	}
	release, d := p.claim(req.TypeName, id)
	defer release()
	if fail.Diagnostics = diags.Append(d...).Append(p.pause(ctx)...); fail.Diagnostics.HasErrors() {
		return fail
	}
	p.mu.Lock()
	obj, ok := p.objects[objectKey{req.TypeName, id}]
	p.mu.Unlock()
	if !ok {
		return providers.ReadResourceResponse{NewState: cty.NullVal(schema.ImpliedType()), Diagnostics: diags}
	}
	return providers.ReadResourceResponse{NewState: obj, Private: req.Private, Diagnostics: diags}
}

// ImportResourceState returns the stored object whose id is req.ID; use
// [Provider.SetObject] to create one "outside Blueprint" first.
func (p *Provider) ImportResourceState(ctx context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	diags := p.begin(ctx, MethodImportResourceState, req.TypeName, req, true)
	defer p.end()
	if diags = diags.Append(p.pause(ctx)...); diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	if _, d := p.resourceSchema(req.TypeName); d != nil {
		return providers.ImportResourceStateResponse{Diagnostics: diags.Append(d...)}
	}
	p.mu.Lock()
	obj, ok := p.objects[objectKey{req.TypeName, req.ID}]
	p.mu.Unlock()
	if !ok {
		return providers.ImportResourceStateResponse{Diagnostics: diags.Append(providers.Errorf("Cannot import",
			"There is no %s with id %q to import.", req.TypeName, req.ID))}
	}
	return providers.ImportResourceStateResponse{
		Imported:    []providers.ImportedResource{{TypeName: req.TypeName, State: obj}},
		Diagnostics: diags,
	}
}

// ReadDataSource returns the result of the function set with
// [Provider.SetDataSource], or else the config with its null Computed
// attributes filled: id is the name, value is "value-of-" + name, others
// take their zero value.
func (p *Provider) ReadDataSource(ctx context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	diags := p.begin(ctx, MethodReadDataSource, req.TypeName, req, true)
	defer p.end()
	if diags = diags.Append(p.pause(ctx)...); diags.HasErrors() {
		return providers.ReadDataSourceResponse{Diagnostics: diags}
	}
	schema, ok := p.schema.DataSources[req.TypeName]
	if !ok {
		return providers.ReadDataSourceResponse{Diagnostics: diags.Append(providers.Errorf("Unsupported data source",
			"The mock provider has no data source %q.", req.TypeName))}
	}
	p.mu.Lock()
	fn := p.dataSources[req.TypeName]
	p.mu.Unlock()
	if fn != nil {
		state, err := fn(req.Config)
		if err != nil {
			return providers.ReadDataSourceResponse{Diagnostics: diags.Append(providers.FromError("Data source read failed", err))}
		}
		return providers.ReadDataSourceResponse{State: state, Diagnostics: diags}
	}
	name := stringAttr(req.Config, "name")
	fill := map[string]cty.Value{}
	for attr, a := range schema.Attributes {
		if !a.Computed || !attrIsNull(req.Config, attr) {
			continue
		}
		switch {
		case attr == "id" && a.Type == cty.String:
			fill[attr] = cty.StringVal(name)
		case attr == "value" && a.Type == cty.String:
			fill[attr] = cty.StringVal("value-of-" + name)
		default:
			fill[attr] = zeroValue(a.Type)
		}
	}
	return providers.ReadDataSourceResponse{State: fillUnknowns(withAttrs(req.Config, fill)), Diagnostics: diags}
}

// Stop makes every in-flight and later delayed call return at once with an
// error.
func (p *Provider) Stop(ctx context.Context) error {
	p.record(MethodStop, "", struct{}{})
	p.stopOnce.Do(func() { close(p.stopCh) })
	return nil
}

// Close marks the provider closed; later calls fail and are reported as
// violations.
func (p *Provider) Close() error {
	p.record(MethodClose, "", struct{}{})
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	return nil
}

// begin logs a call, checks the call order, runs the hook and, for resource
// calls, counts concurrency. A resource call must be paired with end.
func (p *Provider) begin(ctx context.Context, method, typeName string, req any, resourceCall bool) providers.Diagnostics {
	call := p.record(method, typeName, req)
	var diags providers.Diagnostics
	p.mu.Lock()
	closed, configured, hook := p.closed, p.configured, p.hook
	switch {
	case closed:
		p.violations = append(p.violations, method+" called after Close")
		diags = diags.Append(providers.Errorf("Provider closed", "%s was called after Close.", method))
	case resourceCall && !configured:
		p.violations = append(p.violations, method+" called before Configure")
		diags = diags.Append(providers.Errorf("Provider not configured", "%s was called before Configure.", method))
	}
	p.mu.Unlock()
	if resourceCall {
		n := p.inFlight.Add(1)
		for {
			m := p.maxInFlight.Load()
			if n <= m || p.maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
	}
	if diags.HasErrors() {
		return diags
	}
	if hook != nil {
		if err := hook(ctx, call); err != nil {
			return diags.Append(providers.FromError("Injected failure", err))
		}
	}
	return diags
}

// pause waits the delay set by SetDelay, returning an error early if ctx is
// cancelled or Stop is called.
func (p *Provider) pause(ctx context.Context) providers.Diagnostics {
	d := time.Duration(p.delay.Load())
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return providers.Diagnostics{providers.FromError("Call cancelled", ctx.Err())}
	case <-p.stopCh:
		return providers.Diagnostics{providers.FromError("Call cancelled", errStopped)}
	}
}

var errStopped = errors.New("the provider was asked to stop")

// end closes a resource call opened by begin.
func (p *Provider) end() { p.inFlight.Add(-1) }

// claim marks the object with this id as busy for the current call and
// returns the function that frees it. If another call holds the object it
// records a violation and returns an error instead (and a no-op release).
func (p *Provider) claim(typeName, id string) (release func(), diags providers.Diagnostics) {
	if id == "" {
		return func() {}, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	key := objectKey{typeName, id}
	if p.busyObjects[key] {
		p.violations = append(p.violations, fmt.Sprintf("concurrent calls about %s %q", typeName, id))
		return func() {}, providers.Diagnostics{providers.Errorf("Concurrent calls about one object",
			"Two calls about %s %q ran at the same time; the engine must serialize calls about one object.", typeName, id)}
	}
	p.busyObjects[key] = true
	return func() {
		p.mu.Lock()
		delete(p.busyObjects, key)
		p.mu.Unlock()
	}, nil
}

func (p *Provider) resourceSchema(typeName string) (*providers.Schema, providers.Diagnostics) {
	if s := p.schema.ResourceTypes[typeName]; s != nil {
		return s, nil
	}
	return nil, providers.Diagnostics{providers.Errorf("Unsupported resource type", "The mock provider has no resource type %q.", typeName)}
}

var _ providers.Interface = (*Provider)(nil)
