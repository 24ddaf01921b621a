package plugins

import (
	"context"
	"errors"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/plugins/schemaplan"
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// cannotSend reports a value bp could not encode for the plugin.
func (c *Client) cannotSend(typeName string, err error) providers.Diagnostics {
	return providers.Diagnostics{providers.Errorf("Invalid value for provider",
		"bp could not encode a value for %s to send to the provider plugin %q: %v. This is a bug in bp; please report it.",
		typeName, c.name, err)}
}

// cannotRead reports a response value bp could not decode.
func (c *Client) cannotRead(typeName string, err error) providers.Diagnostic {
	return providers.Errorf("Invalid plugin response",
		"The provider plugin %q (%s) sent a value for %s that bp cannot decode: %v. The plugin and bp disagree about the protocol or the schema; install a release of the plugin built for this version of bp.",
		c.name, c.path, typeName, err)
}

// GetSchema returns the plugin's schemas, asked for once and then kept. The
// caller must not modify them.
func (c *Client) GetSchema(ctx context.Context) providers.GetSchemaResponse {
	sc, diags := c.loadSchema(ctx)
	if diags.HasErrors() {
		return providers.GetSchemaResponse{Diagnostics: diags}
	}
	return sc.resp
}

// ValidateProviderConfig asks the plugin to check the provider block.
func (c *Client) ValidateProviderConfig(ctx context.Context, req providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	ts, diags := c.typed(ctx)
	if diags.HasErrors() {
		return providers.ValidateProviderConfigResponse{Diagnostics: diags}
	}
	v := valueCodec{ty: ts.provider}
	wreq := &proto.ValidateProviderConfig_Request{Config: v.encode("config", req.Config)}
	if v.err != nil {
		return providers.ValidateProviderConfigResponse{Diagnostics: c.cannotSend("the provider configuration", v.err)}
	}
	resp, err := c.rpc.ValidateProviderConfig(ctx, wreq)
	if err != nil {
		return providers.ValidateProviderConfigResponse{Diagnostics: c.callDiagnostics(ctx, "ValidateProviderConfig", err)}
	}
	return providers.ValidateProviderConfigResponse{Diagnostics: decodeDiagnostics(resp.Diagnostics)}
}

// ValidateResourceConfig asks the plugin to check a resource block, unless
// the plugin declared that it has nothing to check for the type beyond the
// schema (see [SchemaOnlyValidator]): then it accepts the block itself.
func (c *Client) ValidateResourceConfig(ctx context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	sc, diags := c.loadSchema(ctx)
	if diags.HasErrors() {
		return providers.ValidateResourceConfigResponse{Diagnostics: diags}
	}
	if sc.resp.Diagnostics.HasErrors() {
		return providers.ValidateResourceConfigResponse{Diagnostics: sc.resp.Diagnostics}
	}
	ty, diags := sc.typed.resourceType(req.TypeName)
	if diags.HasErrors() {
		return providers.ValidateResourceConfigResponse{Diagnostics: diags}
	}
	if sc.schemaOnly.has(req.TypeName) {
		c.stats.skippedValidations.Add(1)
		return providers.ValidateResourceConfigResponse{}
	}
	v := valueCodec{ty: ty}
	wreq := &proto.ValidateResourceConfig_Request{TypeName: req.TypeName, Config: v.encode("config", req.Config)}
	if v.err != nil {
		return providers.ValidateResourceConfigResponse{Diagnostics: c.cannotSend(req.TypeName, v.err)}
	}
	resp, err := c.rpc.ValidateResourceConfig(ctx, wreq)
	if err != nil {
		return providers.ValidateResourceConfigResponse{Diagnostics: c.callDiagnostics(ctx, "ValidateResourceConfig", err)}
	}
	return providers.ValidateResourceConfigResponse{Diagnostics: decodeDiagnostics(resp.Diagnostics)}
}

// ValidateDataSourceConfig asks the plugin to check a data block.
func (c *Client) ValidateDataSourceConfig(ctx context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	ts, diags := c.typed(ctx)
	if diags.HasErrors() {
		return providers.ValidateDataSourceConfigResponse{Diagnostics: diags}
	}
	ty, diags := ts.dataSourceType(req.TypeName)
	if diags.HasErrors() {
		return providers.ValidateDataSourceConfigResponse{Diagnostics: diags}
	}
	v := valueCodec{ty: ty}
	wreq := &proto.ValidateDataSourceConfig_Request{TypeName: req.TypeName, Config: v.encode("config", req.Config)}
	if v.err != nil {
		return providers.ValidateDataSourceConfigResponse{Diagnostics: c.cannotSend(req.TypeName, v.err)}
	}
	resp, err := c.rpc.ValidateDataSourceConfig(ctx, wreq)
	if err != nil {
		return providers.ValidateDataSourceConfigResponse{Diagnostics: c.callDiagnostics(ctx, "ValidateDataSourceConfig", err)}
	}
	return providers.ValidateDataSourceConfigResponse{Diagnostics: decodeDiagnostics(resp.Diagnostics)}
}

// Configure gives the plugin its configuration.
func (c *Client) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	ts, diags := c.typed(ctx)
	if diags.HasErrors() {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	v := valueCodec{ty: ts.provider}
	wreq := &proto.Configure_Request{Config: v.encode("config", req.Config)}
	if v.err != nil {
		return providers.ConfigureResponse{Diagnostics: c.cannotSend("the provider configuration", v.err)}
	}
	resp, err := c.rpc.Configure(ctx, wreq)
	if err != nil {
		return providers.ConfigureResponse{Diagnostics: c.callDiagnostics(ctx, "Configure", err)}
	}
	out := providers.ConfigureResponse{Diagnostics: decodeDiagnostics(resp.Diagnostics)}
	if !out.Diagnostics.HasErrors() {
		c.configured.Store(true)
	}
	return out
}

// PlanResourceChange asks the plugin to plan a change, unless the plugin
// declared the type schema-planned for the request (see [SchemaPlanner]):
// then, once Configure has succeeded through this Client, it makes the plan
// itself with schemaplan.Plan, the code the plugin would run.
//
// A request identical on the wire to one the plugin answered before
// without diagnostics is answered, once, with that same answer and no
// call: the engine plans every change again at apply time, mostly with the
// very same request. (Safe because planning must have no side effects and
// its known values must be what apply produces; see planCache.) The kept
// answers take at most 16 MiB, counted by their size on the wire.
func (c *Client) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	sc, diags := c.loadSchema(ctx)
	if !diags.HasErrors() && sc.resp.Diagnostics.HasErrors() {
		diags = sc.resp.Diagnostics
	}
	if diags.HasErrors() {
		return providers.PlanResourceChangeResponse{Diagnostics: diags}
	}
	ty, diags := sc.typed.resourceType(req.TypeName)
	if diags.HasErrors() {
		return providers.PlanResourceChangeResponse{Diagnostics: diags}
	}
	// A cancelled call must fail as cancelled, as the plugin would make it.
	if sc.schemaPlans.covers(req.TypeName, req.PriorState) && c.configured.Load() && ctx.Err() == nil {
		c.stats.schemaPlans.Add(1)
		return schemaplan.Plan(sc.typed.schema.ResourceTypes[req.TypeName], ty, req)
	}
	v := valueCodec{ty: ty}
	wreq := &proto.PlanResourceChange_Request{
		TypeName:         req.TypeName,
		PriorState:       v.encode("prior state", req.PriorState),
		ProposedNewState: v.encode("proposed new state", req.ProposedNewState),
		Config:           v.encode("config", req.Config),
		PriorPrivate:     req.PriorPrivate,
	}
	if v.err != nil {
		return providers.PlanResourceChangeResponse{Diagnostics: c.cannotSend(req.TypeName, v.err)}
	}
	key, cacheable := planKey(wreq)
	resp, cached := c.cachedPlan(ctx, key, cacheable)
	if !cached {
		var err error
		if resp, err = c.rpc.PlanResourceChange(ctx, wreq); err != nil {
			return providers.PlanResourceChangeResponse{Diagnostics: c.callDiagnostics(ctx, "PlanResourceChange", err)}
		}
	}
	out := providers.PlanResourceChangeResponse{
		PlannedState:   v.decode("planned state", resp.PlannedState),
		PlannedPrivate: resp.PlannedPrivate,
		Diagnostics:    decodeDiagnostics(resp.Diagnostics),
	}
	var err error
	if out.RequiresReplace, err = decodePaths(resp.RequiresReplace); err != nil {
		v.err = errors.Join(v.err, err)
	}
	if v.err != nil {
		out.Diagnostics = out.Diagnostics.Append(c.cannotRead(req.TypeName, v.err))
	}
	switch {
	case cached:
		c.stats.cachedPlans.Add(1)
	case cacheable && len(out.Diagnostics) == 0:
		c.plans.put(key, resp)
	}
	return out
}

// cachedPlan returns the plan cache's answer to the request of key, if the
// request is cacheable, ctx is still live (a cancelled call must fail as
// cancelled), and the cache has one.
func (c *Client) cachedPlan(ctx context.Context, key string, cacheable bool) (*proto.PlanResourceChange_Response, bool) {
	if !cacheable || ctx.Err() != nil {
		return nil, false
	}
	return c.plans.take(key)
}

// ApplyResourceChange asks the plugin to apply a planned change. When the
// call itself fails (the plugin crashed), NewState is the PriorState: bp
// cannot tell what the plugin did.
func (c *Client) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	ty, diags := c.resourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	v := valueCodec{ty: ty}
	wreq := &proto.ApplyResourceChange_Request{
		TypeName:       req.TypeName,
		PriorState:     v.encode("prior state", req.PriorState),
		PlannedState:   v.encode("planned state", req.PlannedState),
		Config:         v.encode("config", req.Config),
		PlannedPrivate: req.PlannedPrivate,
	}
	if v.err != nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: c.cannotSend(req.TypeName, v.err)}
	}
	resp, err := c.rpc.ApplyResourceChange(ctx, wreq)
	if err != nil {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: c.callDiagnostics(ctx, "ApplyResourceChange", err)}
	}
	out := providers.ApplyResourceChangeResponse{
		NewState:    v.decode("new state", resp.NewState),
		Private:     resp.Private,
		Diagnostics: decodeDiagnostics(resp.Diagnostics),
	}
	if v.err != nil {
		out.NewState = req.PriorState
		out.Diagnostics = out.Diagnostics.Append(c.cannotRead(req.TypeName, v.err))
	}
	return out
}

// ReadResource asks the plugin for an object's current state. When the
// call fails, NewState is the CurrentState, so the object is not taken for
// gone.
func (c *Client) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	ty, diags := c.resourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, Diagnostics: diags}
	}
	v := valueCodec{ty: ty}
	wreq := &proto.ReadResource_Request{
		TypeName:     req.TypeName,
		CurrentState: v.encode("current state", req.CurrentState),
		Private:      req.Private,
	}
	if v.err != nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private, Diagnostics: c.cannotSend(req.TypeName, v.err)}
	}
	resp, err := c.rpc.ReadResource(ctx, wreq)
	if err != nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private,
			Diagnostics: c.callDiagnostics(ctx, "ReadResource", err)}
	}
	out := providers.ReadResourceResponse{
		NewState:    v.decode("new state", resp.NewState),
		Private:     resp.Private,
		Diagnostics: decodeDiagnostics(resp.Diagnostics),
	}
	if v.err != nil {
		out.NewState, out.Private = req.CurrentState, req.Private
		out.Diagnostics = out.Diagnostics.Append(c.cannotRead(req.TypeName, v.err))
	}
	return out
}

// ImportResourceState asks the plugin to find an existing object.
func (c *Client) ImportResourceState(ctx context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	ts, diags := c.typed(ctx)
	if diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	if _, diags := ts.resourceType(req.TypeName); diags.HasErrors() {
		return providers.ImportResourceStateResponse{Diagnostics: diags}
	}
	resp, err := c.rpc.ImportResourceState(ctx, &proto.ImportResourceState_Request{TypeName: req.TypeName, Id: req.ID})
	if err != nil {
		return providers.ImportResourceStateResponse{Diagnostics: c.callDiagnostics(ctx, "ImportResourceState", err)}
	}
	out := providers.ImportResourceStateResponse{Diagnostics: decodeDiagnostics(resp.Diagnostics)}
	for _, imp := range resp.Imported {
		ty, diags := ts.resourceType(imp.TypeName)
		if diags.HasErrors() {
			out.Diagnostics = out.Diagnostics.Append(c.cannotRead(imp.TypeName, diags.Err()))
			continue
		}
		v := valueCodec{ty: ty}
		state := v.decode("imported state", imp.State)
		if v.err != nil {
			out.Diagnostics = out.Diagnostics.Append(c.cannotRead(imp.TypeName, v.err))
			continue
		}
		out.Imported = append(out.Imported, providers.ImportedResource{TypeName: imp.TypeName, State: state, Private: imp.Private})
	}
	return out
}

// ReadDataSource asks the plugin to read a data source.
func (c *Client) ReadDataSource(ctx context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	ts, diags := c.typed(ctx)
	if diags.HasErrors() {
		return providers.ReadDataSourceResponse{Diagnostics: diags}
	}
	ty, diags := ts.dataSourceType(req.TypeName)
	if diags.HasErrors() {
		return providers.ReadDataSourceResponse{Diagnostics: diags}
	}
	v := valueCodec{ty: ty}
	wreq := &proto.ReadDataSource_Request{TypeName: req.TypeName, Config: v.encode("config", req.Config)}
	if v.err != nil {
		return providers.ReadDataSourceResponse{Diagnostics: c.cannotSend(req.TypeName, v.err)}
	}
	resp, err := c.rpc.ReadDataSource(ctx, wreq)
	if err != nil {
		return providers.ReadDataSourceResponse{Diagnostics: c.callDiagnostics(ctx, "ReadDataSource", err)}
	}
	out := providers.ReadDataSourceResponse{
		State:       v.decode("state", resp.State),
		Diagnostics: decodeDiagnostics(resp.Diagnostics),
	}
	if v.err != nil {
		out.State = cty.NilVal
		out.Diagnostics = out.Diagnostics.Append(c.cannotRead(req.TypeName, v.err))
	}
	return out
}

// Stop asks the plugin to end its in-flight calls soon.
func (c *Client) Stop(ctx context.Context) error {
	resp, err := c.rpc.Stop(ctx, &proto.Stop_Request{})
	if err != nil {
		return c.callError(ctx, "Stop", err)
	}
	if resp.Error != "" {
		return errors.New(resp.Error)
	}
	return nil
}

func (c *Client) resourceType(ctx context.Context, name string) (cty.Type, providers.Diagnostics) {
	ts, diags := c.typed(ctx)
	if diags.HasErrors() {
		return cty.NilType, diags
	}
	return ts.resourceType(name)
}
