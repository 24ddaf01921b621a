package plugins

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// server is the plugin side of the protocol: it decodes each request, calls
// the provider and encodes the response. Problems converting values become
// diagnostics, never gRPC errors, so bp can show them like any other.
type server struct {
	proto.UnimplementedProviderServer
	p    providers.Interface
	meta Metadata

	loadMu sync.Mutex
	schema atomic.Pointer[serverSchema]
}

// serverSchema is the provider's schema, loaded on first use.
type serverSchema struct {
	typed *typedSchema
	diags providers.Diagnostics
	wire  *proto.GetSchema_Response
}

func newServer(p providers.Interface, meta Metadata) *server {
	meta.ProtocolVersion = ProtocolVersion
	return &server{p: p, meta: meta}
}

// loadSchema returns the provider's schema, asking the provider once: its
// GetSchema must return the same result on every call.
func (s *server) loadSchema(ctx context.Context) *serverSchema {
	if sc := s.schema.Load(); sc != nil {
		return sc
	}
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	if sc := s.schema.Load(); sc != nil {
		return sc
	}
	resp := s.p.GetSchema(ctx)
	diags := resp.Diagnostics
	wire, err := encodeProviderSchema(resp.Schema)
	if err != nil {
		diags = diags.Append(providers.Errorf("Invalid provider schema",
			"The provider %s declares a schema that the plugin protocol cannot carry: %v. This is a bug in the provider; please report it to its author.",
			s.meta.Name, err))
	}
	planned, plannedCreates := schemaPlannedTypes(s.p, resp.Schema)
	sc := &serverSchema{
		typed: newTypedSchema(s.meta.Name, resp.Schema),
		diags: diags,
		wire: &proto.GetSchema_Response{
			Schema: wire, Diagnostics: encodeDiagnostics(diags),
			SchemaOnlyResourceTypes:    schemaOnlyTypes(s.p, resp.Schema),
			SchemaPlannedResourceTypes: planned,
			SchemaPlannedCreateTypes:   plannedCreates,
		},
	}
	s.schema.Store(sc)
	return sc
}

func (s *server) resourceType(ctx context.Context, name string) (cty.Type, providers.Diagnostics) {
	sc := s.loadSchema(ctx)
	if sc.diags.HasErrors() {
		return cty.NilType, sc.diags
	}
	return sc.typed.resourceType(name)
}

func (s *server) dataSourceType(ctx context.Context, name string) (cty.Type, providers.Diagnostics) {
	sc := s.loadSchema(ctx)
	if sc.diags.HasErrors() {
		return cty.NilType, sc.diags
	}
	return sc.typed.dataSourceType(name)
}

func (s *server) providerType(ctx context.Context) (cty.Type, providers.Diagnostics) {
	sc := s.loadSchema(ctx)
	if sc.diags.HasErrors() {
		return cty.NilType, sc.diags
	}
	return sc.typed.provider, nil
}

// badRequest reports a request value the plugin could not decode.
func (s *server) badRequest(err error) providers.Diagnostics {
	return providers.Diagnostics{providers.Errorf("Invalid plugin request",
		"The provider plugin %s could not decode a value bp sent: %v. bp and the plugin disagree about the protocol or the schema; rebuild the plugin against this version of bp.",
		s.meta.Name, err)}
}

// badResponse reports a value the provider returned that cannot be sent.
func (s *server) badResponse(typeName string, err error) providers.Diagnostic {
	return providers.Errorf("Invalid provider response",
		"The provider %s returned a value for %s that does not fit its schema: %v. This is a bug in the provider; please report it to its author.",
		s.meta.Name, typeName, err)
}

func (s *server) GetMetadata(context.Context, *proto.GetMetadata_Request) (*proto.GetMetadata_Response, error) {
	return &proto.GetMetadata_Response{
		Name: s.meta.Name, Version: s.meta.Version, ProtocolVersion: int32(s.meta.ProtocolVersion),
	}, nil
}

func (s *server) GetSchema(ctx context.Context, _ *proto.GetSchema_Request) (*proto.GetSchema_Response, error) {
	return s.loadSchema(ctx).wire, nil
}

func (s *server) ValidateProviderConfig(ctx context.Context, req *proto.ValidateProviderConfig_Request) (*proto.ValidateProviderConfig_Response, error) {
	ty, diags := s.providerType(ctx)
	if diags.HasErrors() {
		return &proto.ValidateProviderConfig_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	config := c.decode("config", req.Config)
	if c.err != nil {
		return &proto.ValidateProviderConfig_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.ValidateProviderConfig(ctx, providers.ValidateProviderConfigRequest{Config: config})
	return &proto.ValidateProviderConfig_Response{Diagnostics: encodeDiagnostics(resp.Diagnostics)}, nil
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *proto.ValidateResourceConfig_Request) (*proto.ValidateResourceConfig_Response, error) {
	ty, diags := s.resourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return &proto.ValidateResourceConfig_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	config := c.decode("config", req.Config)
	if c.err != nil {
		return &proto.ValidateResourceConfig_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: req.TypeName, Config: config})
	return &proto.ValidateResourceConfig_Response{Diagnostics: encodeDiagnostics(resp.Diagnostics)}, nil
}

func (s *server) ValidateDataSourceConfig(ctx context.Context, req *proto.ValidateDataSourceConfig_Request) (*proto.ValidateDataSourceConfig_Response, error) {
	ty, diags := s.dataSourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return &proto.ValidateDataSourceConfig_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	config := c.decode("config", req.Config)
	if c.err != nil {
		return &proto.ValidateDataSourceConfig_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.ValidateDataSourceConfig(ctx, providers.ValidateDataSourceConfigRequest{TypeName: req.TypeName, Config: config})
	return &proto.ValidateDataSourceConfig_Response{Diagnostics: encodeDiagnostics(resp.Diagnostics)}, nil
}

func (s *server) Configure(ctx context.Context, req *proto.Configure_Request) (*proto.Configure_Response, error) {
	ty, diags := s.providerType(ctx)
	if diags.HasErrors() {
		return &proto.Configure_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	config := c.decode("config", req.Config)
	if c.err != nil {
		return &proto.Configure_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.Configure(ctx, providers.ConfigureRequest{Config: config})
	return &proto.Configure_Response{Diagnostics: encodeDiagnostics(resp.Diagnostics)}, nil
}

func (s *server) PlanResourceChange(ctx context.Context, req *proto.PlanResourceChange_Request) (*proto.PlanResourceChange_Response, error) {
	ty, diags := s.resourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return &proto.PlanResourceChange_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	preq := providers.PlanResourceChangeRequest{
		TypeName:         req.TypeName,
		PriorState:       c.decode("prior state", req.PriorState),
		ProposedNewState: c.decode("proposed new state", req.ProposedNewState),
		Config:           c.decode("config", req.Config),
		PriorPrivate:     req.PriorPrivate,
	}
	if c.err != nil {
		return &proto.PlanResourceChange_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.PlanResourceChange(ctx, preq)
	out := &proto.PlanResourceChange_Response{
		PlannedState:   c.encode("planned state", resp.PlannedState),
		PlannedPrivate: resp.PlannedPrivate,
	}
	var err error
	if out.RequiresReplace, err = encodePaths(resp.RequiresReplace); err != nil && c.err == nil {
		c.err = err
	}
	if c.err != nil {
		resp.Diagnostics = resp.Diagnostics.Append(s.badResponse(req.TypeName, c.err))
	}
	out.Diagnostics = encodeDiagnostics(resp.Diagnostics)
	return out, nil
}

func (s *server) ApplyResourceChange(ctx context.Context, req *proto.ApplyResourceChange_Request) (*proto.ApplyResourceChange_Response, error) {
	ty, diags := s.resourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return &proto.ApplyResourceChange_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	areq := providers.ApplyResourceChangeRequest{
		TypeName:       req.TypeName,
		PriorState:     c.decode("prior state", req.PriorState),
		PlannedState:   c.decode("planned state", req.PlannedState),
		Config:         c.decode("config", req.Config),
		PlannedPrivate: req.PlannedPrivate,
	}
	if c.err != nil {
		return &proto.ApplyResourceChange_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.ApplyResourceChange(ctx, areq)
	out := &proto.ApplyResourceChange_Response{
		NewState: c.encode("new state", resp.NewState),
		Private:  resp.Private,
	}
	if c.err != nil {
		resp.Diagnostics = resp.Diagnostics.Append(s.badResponse(req.TypeName, c.err))
	}
	out.Diagnostics = encodeDiagnostics(resp.Diagnostics)
	return out, nil
}

func (s *server) ReadResource(ctx context.Context, req *proto.ReadResource_Request) (*proto.ReadResource_Response, error) {
	ty, diags := s.resourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return &proto.ReadResource_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	rreq := providers.ReadResourceRequest{
		TypeName:     req.TypeName,
		CurrentState: c.decode("current state", req.CurrentState),
		Private:      req.Private,
	}
	if c.err != nil {
		return &proto.ReadResource_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.ReadResource(ctx, rreq)
	out := &proto.ReadResource_Response{
		NewState: c.encode("new state", resp.NewState),
		Private:  resp.Private,
	}
	if c.err != nil {
		resp.Diagnostics = resp.Diagnostics.Append(s.badResponse(req.TypeName, c.err))
	}
	out.Diagnostics = encodeDiagnostics(resp.Diagnostics)
	return out, nil
}

func (s *server) ImportResourceState(ctx context.Context, req *proto.ImportResourceState_Request) (*proto.ImportResourceState_Response, error) {
	if _, diags := s.resourceType(ctx, req.TypeName); diags.HasErrors() {
		return &proto.ImportResourceState_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	resp := s.p.ImportResourceState(ctx, providers.ImportResourceStateRequest{TypeName: req.TypeName, ID: req.Id})
	out := &proto.ImportResourceState_Response{}
	for _, imp := range resp.Imported {
		ty, diags := s.resourceType(ctx, imp.TypeName)
		if diags.HasErrors() {
			resp.Diagnostics = resp.Diagnostics.Append(s.badResponse(imp.TypeName, diags.Err()))
			continue
		}
		c := valueCodec{ty: ty}
		state := c.encode("imported state", imp.State)
		if c.err != nil {
			resp.Diagnostics = resp.Diagnostics.Append(s.badResponse(imp.TypeName, c.err))
			continue
		}
		out.Imported = append(out.Imported, &proto.ImportResourceState_ImportedResource{
			TypeName: imp.TypeName, State: state, Private: imp.Private,
		})
	}
	out.Diagnostics = encodeDiagnostics(resp.Diagnostics)
	return out, nil
}

func (s *server) ReadDataSource(ctx context.Context, req *proto.ReadDataSource_Request) (*proto.ReadDataSource_Response, error) {
	ty, diags := s.dataSourceType(ctx, req.TypeName)
	if diags.HasErrors() {
		return &proto.ReadDataSource_Response{Diagnostics: encodeDiagnostics(diags)}, nil
	}
	c := valueCodec{ty: ty}
	config := c.decode("config", req.Config)
	if c.err != nil {
		return &proto.ReadDataSource_Response{Diagnostics: encodeDiagnostics(s.badRequest(c.err))}, nil
	}
	resp := s.p.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: req.TypeName, Config: config})
	out := &proto.ReadDataSource_Response{State: c.encode("state", resp.State)}
	if c.err != nil {
		resp.Diagnostics = resp.Diagnostics.Append(s.badResponse(req.TypeName, c.err))
	}
	out.Diagnostics = encodeDiagnostics(resp.Diagnostics)
	return out, nil
}

func (s *server) Stop(ctx context.Context, _ *proto.Stop_Request) (*proto.Stop_Response, error) {
	if err := s.p.Stop(ctx); err != nil {
		return &proto.Stop_Response{Error: err.Error()}, nil
	}
	return &proto.Stop_Response{}, nil
}

var _ proto.ProviderServer = (*server)(nil)
