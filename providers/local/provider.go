// Package local is the built-in "local" provider, Blueprint's embedded
// default: each `machine` is a system container on this host (its own IP
// address, systemd as PID 1, sshd, a vanilla Debian userland) created
// through the Docker Engine API. It drives any engine that speaks that API:
// Docker on a laptop, or rootful Podman's API service (see
// scripts/local-engine.sh), which is what our Debian machines run.
//
// The package also builds the machine images it runs (see [Engine.BuildImage]):
// no registry is needed. It is not a general container provider: containers
// here are machines, reached over SSH like cloud VMs.
//
// Blueprints select it with `source = "builtin/local"`, or get it by default
// for portable kinds when they require no other machine provider. Importing
// this package registers it.
package local

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

func init() {
	providers.RegisterBuiltin("local", func() providers.Interface { return New() })
}

// Resource and data source type names of the local provider.
const (
	// MachineType is the portable `machine` kind.
	MachineType = "machine"
	// ImageDataSource is `data "local_image"`.
	ImageDataSource = "local_image"
)

// Provider is the local provider. Its methods are safe for concurrent use
// once Configure has returned.
type Provider struct {
	schema providers.ProviderSchema

	mu     sync.Mutex // guards engine, config and progress
	engine *Engine
	config providerConfig
	// progress receives image build lines during apply; nil discards them.
	progress io.Writer
	// stop cancels in-flight calls (Stop, Close).
	stopCtx context.Context
	stop    context.CancelFunc
}

// New returns a local provider, ready for Configure.
func New() *Provider {
	ctx, cancel := context.WithCancel(context.Background())
	return &Provider{
		schema: providers.ProviderSchema{
			Provider:      providerSchema(),
			ResourceTypes: map[string]*providers.Schema{MachineType: machineSchema()},
			DataSources:   map[string]*providers.Schema{ImageDataSource: imageDataSchema()},
		},
		stopCtx: ctx,
		stop:    cancel,
	}
}

// SetProgress sets where image build progress goes when a machine's image
// is built during apply (one line per step); nil, the default, discards it.
// Call it before Configure; w must be safe for concurrent writes.
func (p *Provider) SetProgress(w io.Writer) {
	p.mu.Lock()
	p.progress = w
	p.mu.Unlock()
}

// GetSchema returns the local provider's schemas. The caller must not
// modify them.
func (p *Provider) GetSchema(context.Context) providers.GetSchemaResponse {
	return providers.GetSchemaResponse{Schema: p.schema}
}

// ValidateProviderConfig checks the project name's format.
func (p *Provider) ValidateProviderConfig(_ context.Context, req providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	_, diags := parseProviderConfig(req.Config)
	return providers.ValidateProviderConfigResponse{Diagnostics: diags}
}

// ValidateResourceConfig checks a machine's size, name and labels.
func (p *Provider) ValidateResourceConfig(_ context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	if req.TypeName != MachineType {
		return providers.ValidateResourceConfigResponse{Diagnostics: noResourceType(req.TypeName)}
	}
	if req.Config.IsNull() || !req.Config.IsKnown() {
		return providers.ValidateResourceConfigResponse{}
	}
	return providers.ValidateResourceConfigResponse{Diagnostics: validateMachine(req.Config)}
}

// ValidateDataSourceConfig checks the name of a local_image lookup.
func (p *Provider) ValidateDataSourceConfig(_ context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	if req.TypeName != ImageDataSource {
		return providers.ValidateDataSourceConfigResponse{Diagnostics: noDataSource(req.TypeName)}
	}
	return providers.ValidateDataSourceConfigResponse{}
}

// Configure connects to the container engine: the provider's host argument,
// else DOCKER_HOST, else the project's Podman socket, else the Docker socket.
// It fails with instructions when no engine answers.
func (p *Provider) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	cfg, diags := parseProviderConfig(req.Config)
	if diags.HasErrors() {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	e, err := Connect(ctx, ConnectOptions{Host: cfg.host})
	if err != nil {
		return providers.ConfigureResponse{Diagnostics: append(diags, providers.Errorf("No container engine", "%s", err))}
	}
	p.mu.Lock()
	p.engine, p.config = e, cfg
	p.mu.Unlock()
	return providers.ConfigureResponse{Diagnostics: diags}
}

// PlanResourceChange plans a machine's create, update, replacement or destroy.
func (p *Provider) PlanResourceChange(_ context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	if req.TypeName != MachineType {
		return providers.PlanResourceChangeResponse{Diagnostics: noResourceType(req.TypeName)}
	}
	if req.ProposedNewState.IsNull() {
		return providers.PlanResourceChangeResponse{PlannedState: req.ProposedNewState}
	}
	p.mu.Lock()
	project := p.config.project
	p.mu.Unlock()
	return planMachine(req, project)
}

// ApplyResourceChange creates, updates or deletes a machine.
func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if req.TypeName != MachineType {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: noResourceType(req.TypeName)}
	}
	e, project, diags := p.configured()
	if diags.HasErrors() {
		return providers.ApplyResourceChangeResponse{NewState: req.PriorState, Diagnostics: diags}
	}
	ctx, cancel := p.callContext(ctx)
	defer cancel()
	p.mu.Lock()
	m := &machines{engine: e, project: project, progress: p.progress}
	p.mu.Unlock()
	return m.apply(ctx, req)
}

// ReadResource refreshes a machine: a null NewState when its container is
// gone, running = false when it is stopped.
func (p *Provider) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	if req.TypeName != MachineType {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: noResourceType(req.TypeName)}
	}
	if req.CurrentState.IsNull() {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}
	}
	e, project, diags := p.configured()
	if diags.HasErrors() {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Diagnostics: diags}
	}
	ctx, cancel := p.callContext(ctx)
	defer cancel()
	m := &machines{engine: e, project: project}
	state, err := m.read(ctx, req.CurrentState)
	if err != nil {
		return providers.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private,
			Diagnostics: providers.Diagnostics{providers.FromError("Cannot read the machine", err)}}
	}
	return providers.ReadResourceResponse{NewState: state, Private: req.Private}
}

// ImportResourceState is not supported: a machine's SSH key lives only in
// state, so a container made elsewhere cannot be managed.
func (p *Provider) ImportResourceState(_ context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	return providers.ImportResourceStateResponse{Diagnostics: providers.Diagnostics{providers.Errorf("Import not supported",
		"The local provider cannot import %s %q: its SSH key pair is generated at create and exists only in state. Remove the container and let bp apply create the machine.", req.TypeName, req.ID)}}
}

// ReadDataSource looks up a local image.
func (p *Provider) ReadDataSource(ctx context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	if req.TypeName != ImageDataSource {
		return providers.ReadDataSourceResponse{Diagnostics: noDataSource(req.TypeName)}
	}
	e, _, diags := p.configured()
	if diags.HasErrors() {
		return providers.ReadDataSourceResponse{Diagnostics: diags}
	}
	ctx, cancel := p.callContext(ctx)
	defer cancel()
	return readImageData(ctx, e, req.Config)
}

// Stop cancels every in-flight call; they return promptly with an error.
func (p *Provider) Stop(context.Context) error {
	p.stop()
	return nil
}

// Close cancels in-flight calls and closes the engine connection.
func (p *Provider) Close() error {
	p.stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.engine == nil {
		return nil
	}
	err := p.engine.Close()
	p.engine = nil
	return err
}

// configured returns the engine and project, or an error before Configure.
func (p *Provider) configured() (*Engine, string, providers.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.engine == nil {
		return nil, "", providers.Diagnostics{providers.Errorf("Provider not configured",
			"The local provider was used before Configure succeeded; this is a bug in the caller.")}
	}
	return p.engine, p.config.project, nil
}

// callContext returns ctx, also cancelled by Stop.
func (p *Provider) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.stopCtx, cancel)
	return ctx, func() { stop(); cancel() }
}

func noResourceType(name string) providers.Diagnostics {
	return providers.Diagnostics{providers.Errorf("Unsupported resource type",
		"The local provider has no resource type %q; it offers %s.", name, MachineType)}
}

func noDataSource(name string) providers.Diagnostics {
	return providers.Diagnostics{providers.Errorf("Unsupported data source",
		"The local provider has no data source %q; it offers %s.", name, ImageDataSource)}
}

// quoteList formats names as "a", "b" or "c" for messages.
func quoteList(names []string) string {
	names = append([]string(nil), names...)
	sort.Strings(names)
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// stringAttr returns obj.name as a Go string and true when it is a known,
// non-null string.
func stringAttr(obj cty.Value, name string) (string, bool) {
	if obj.IsNull() || !obj.IsKnown() || !obj.Type().HasAttribute(name) {
		return "", false
	}
	v := obj.GetAttr(name)
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// attr returns obj.name, or a null of ty when obj is null or lacks it.
func attr(obj cty.Value, name string, ty cty.Type) cty.Value {
	if obj.IsNull() || !obj.IsKnown() || !obj.Type().HasAttribute(name) {
		return cty.NullVal(ty)
	}
	return obj.GetAttr(name)
}

var _ providers.Interface = (*Provider)(nil)
