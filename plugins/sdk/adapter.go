package sdk

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// Interface returns a new, unconfigured instance of the provider as the
// engine's [providers.Interface], for use in-process (tests, built-in
// providers) or behind [Serve]. Mistakes in the declarations — a Default that
// does not fit its Type, a missing Create, a resource type name without the
// provider's prefix — make every call fail with a diagnostic naming them.
func (p *Provider) Interface() providers.Interface {
	return newAdapter(p)
}

// typeInfo is one object's schema as the engine sees it and as the author
// declared it.
type typeInfo struct {
	schema *providers.Schema
	decl   object
	ty     cty.Type
}

// adapter implements providers.Interface on top of a Provider.
type adapter struct {
	p           *Provider
	schema      providers.ProviderSchema
	buildErr    error
	config      typeInfo
	resources   map[string]typeInfo
	dataSources map[string]typeInfo

	mu         sync.RWMutex
	configured bool
	meta       any

	stopCtx context.Context
	stop    context.CancelFunc
}

func newAdapter(p *Provider) *adapter {
	a := &adapter{p: p, resources: map[string]typeInfo{}, dataSources: map[string]typeInfo{}}
	a.stopCtx, a.stop = context.WithCancel(context.Background())
	var errs []error
	build := func(what, description string, o object, forceNewAll bool) typeInfo {
		s, err := buildSchema(description, o, forceNewAll)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
			s = &providers.Schema{}
		}
		return typeInfo{schema: s, decl: o, ty: s.ImpliedType()}
	}
	a.config = build("provider configuration", p.Description, object{attrs: p.Config}, false)
	a.schema = providers.ProviderSchema{
		Provider:      a.config.schema,
		ResourceTypes: map[string]*providers.Schema{},
		DataSources:   map[string]*providers.Schema{},
	}
	for _, name := range sortedKeys(p.Resources) {
		r := p.Resources[name]
		what := fmt.Sprintf("resource type %q", name)
		if r == nil || r.Create == nil || r.Read == nil || r.Delete == nil {
			errs = append(errs, fmt.Errorf("%s: Create, Read and Delete must be set", what))
			continue
		}
		attrs := maps.Clone(r.Attributes)
		if attrs == nil {
			attrs = Attributes{}
		}
		if _, ok := attrs["id"]; !ok {
			attrs["id"] = &Attribute{Type: String, Computed: true, Description: "The object's identifier."}
		}
		ti := build(what, r.Description, object{attrs, r.Blocks}, r.Update == nil)
		a.resources[name], a.schema.ResourceTypes[name] = ti, ti.schema
	}
	for _, name := range sortedKeys(p.DataSources) {
		ds := p.DataSources[name]
		what := fmt.Sprintf("data source %q", name)
		if ds == nil || ds.Read == nil {
			errs = append(errs, fmt.Errorf("%s: Read must be set", what))
			continue
		}
		ti := build(what, ds.Description, object{ds.Attributes, ds.Blocks}, false)
		a.dataSources[name], a.schema.DataSources[name] = ti, ti.schema
	}
	for _, name := range append(sortedKeys(p.Resources), sortedKeys(p.DataSources)...) {
		if p.Name != "" && name != p.Name && !strings.HasPrefix(name, p.Name+"_") {
			errs = append(errs, fmt.Errorf("type %q: its name must start with the provider name, %q", name, p.Name+"_"))
		}
	}
	errs = append(errs, a.schema.InternalValidate())
	a.buildErr = errors.Join(errs...)
	return a
}

// invalid reports the author's declaration mistakes, if any.
func (a *adapter) invalid() Diagnostics {
	if a.buildErr == nil {
		return nil
	}
	return Error("Invalid provider", fmt.Sprintf("Provider %q is declared incorrectly: %s. Report this to the provider's author.", a.p.Name, a.buildErr))
}

// GetSchema returns the schemas built from the declarations.
func (a *adapter) GetSchema(context.Context) providers.GetSchemaResponse {
	return providers.GetSchemaResponse{Schema: a.schema, Diagnostics: a.invalid()}
}

// ValidateProviderConfig checks Required and Int attributes.
func (a *adapter) ValidateProviderConfig(_ context.Context, req providers.ValidateProviderConfigRequest) providers.ValidateProviderConfigResponse {
	return providers.ValidateProviderConfigResponse{Diagnostics: append(a.invalid(), checkConfig(nil, a.config.decl, req.Config)...)}
}

// ValidateResourceConfig checks Required and Int attributes, then runs the
// resource's Validate.
func (a *adapter) ValidateResourceConfig(ctx context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	ti, diags := a.lookup("resource type", a.resources, req.TypeName, false)
	if diags.HasErrors() {
		return providers.ValidateResourceConfigResponse{Diagnostics: diags}
	}
	return providers.ValidateResourceConfigResponse{Diagnostics: a.validate(ctx, ti, req.Config, a.p.Resources[req.TypeName].Validate)}
}

// ValidateDataSourceConfig checks Required and Int attributes, then runs the
// data source's Validate.
func (a *adapter) ValidateDataSourceConfig(ctx context.Context, req providers.ValidateDataSourceConfigRequest) providers.ValidateDataSourceConfigResponse {
	ti, diags := a.lookup("data source", a.dataSources, req.TypeName, false)
	if diags.HasErrors() {
		return providers.ValidateDataSourceConfigResponse{Diagnostics: diags}
	}
	return providers.ValidateDataSourceConfigResponse{Diagnostics: a.validate(ctx, ti, req.Config, a.p.DataSources[req.TypeName].Validate)}
}

func (a *adapter) validate(ctx context.Context, ti typeInfo, config cty.Value, validate func(*ResourceData) Diagnostics) Diagnostics {
	diags := checkConfig(nil, ti.decl, config)
	if validate == nil || config == cty.NilVal || config.IsNull() {
		return diags
	}
	d := newResourceData(ti.schema, config, cty.NilVal)
	return append(diags, a.protect(ctx, "Validate", d, func(context.Context) Diagnostics { return validate(d) })...)
}

// Configure applies Defaults to the provider block and calls the author's
// Configure, keeping the meta value it returns for every later call.
func (a *adapter) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	if diags := a.invalid(); diags != nil {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	config := withDefaults(a.config.schema, req.Config)
	diags := checkConfig(nil, a.config.decl, config)
	if diags.HasErrors() {
		return providers.ConfigureResponse{Diagnostics: diags}
	}
	var meta any
	if a.p.Configure != nil {
		d := newResourceData(a.config.schema, config, cty.NilVal)
		diags = append(diags, a.protect(ctx, "Configure", d, func(ctx context.Context) Diagnostics {
			var diags Diagnostics
			meta, diags = a.p.Configure(ctx, d)
			return diags
		})...)
	}
	if !diags.HasErrors() {
		a.mu.Lock()
		a.configured, a.meta = true, meta
		a.mu.Unlock()
	}
	return providers.ConfigureResponse{Diagnostics: diags}
}

// ReadDataSource applies Defaults and runs the data source's Read.
func (a *adapter) ReadDataSource(ctx context.Context, req providers.ReadDataSourceRequest) providers.ReadDataSourceResponse {
	ti, diags := a.lookup("data source", a.dataSources, req.TypeName, true)
	if diags.HasErrors() {
		return providers.ReadDataSourceResponse{Diagnostics: diags}
	}
	d := newResourceData(ti.schema, withDefaults(ti.schema, req.Config), cty.NilVal)
	diags = a.run(ctx, "Read", d, a.p.DataSources[req.TypeName].Read)
	return providers.ReadDataSourceResponse{State: unknownsToNull(d.value()), Diagnostics: diags}
}

// Stop cancels the context of every call in flight and of every later call.
func (a *adapter) Stop(context.Context) error {
	a.stop()
	return nil
}

// Close cancels calls in flight like Stop; the SDK holds nothing else.
func (a *adapter) Close() error {
	a.stop()
	return nil
}

// lookup finds a type's schema, failing when the provider is declared
// incorrectly, the type does not exist, or (if needConfigured) Configure has
// not succeeded yet.
func (a *adapter) lookup(kind string, types map[string]typeInfo, name string, needConfigured bool) (typeInfo, Diagnostics) {
	if diags := a.invalid(); diags != nil {
		return typeInfo{}, diags
	}
	ti, ok := types[name]
	if !ok {
		return typeInfo{}, Error("Unsupported "+kind, fmt.Sprintf("Provider %q has no %s %q; it offers %s.",
			a.p.Name, kind, name, orNone(sortedKeys(types))))
	}
	if needConfigured {
		a.mu.RLock()
		configured := a.configured
		a.mu.RUnlock()
		if !configured {
			return typeInfo{}, Error("Provider not configured", fmt.Sprintf(
				"Provider %q was called before Configure succeeded. This is a bug in the caller: the engine configures every provider first.", a.p.Name))
		}
	}
	return ti, nil
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// run calls one of the author's functions with the meta value.
func (a *adapter) run(ctx context.Context, what string, d *ResourceData, f CRUDFunc) Diagnostics {
	a.mu.RLock()
	meta := a.meta
	a.mu.RUnlock()
	return a.protect(ctx, what, d, func(ctx context.Context) Diagnostics { return f(ctx, d, meta) })
}

// protect runs f with a context that Stop cancels, turns a panic into an
// error diagnostic, and adds the SDK misuse recorded on d.
func (a *adapter) protect(ctx context.Context, what string, d *ResourceData, f func(context.Context) Diagnostics) (diags Diagnostics) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(a.stopCtx, cancel)
	defer stop()
	defer func() {
		if r := recover(); r != nil {
			diags = diags.Append(providers.Errorf("Provider bug",
				"Provider %q panicked in %s: %v. Report this to the provider's author, with this stack:\n%s", a.p.Name, what, r, debug.Stack()))
		}
		diags = append(diags, d.problems()...)
	}()
	return f(ctx)
}

// withDefaults returns config with every attribute present, Defaults in place
// of nulls, and Computed values null: the values a Configure or a data
// source's Read starts from.
func withDefaults(s *providers.Schema, config cty.Value) cty.Value {
	ty := s.ImpliedType()
	if config == cty.NilVal || config.IsNull() {
		attrs := map[string]cty.Value{}
		for name, t := range ty.AttributeTypes() {
			attrs[name] = cty.NullVal(t)
		}
		config = cty.ObjectVal(attrs)
	}
	return unknownsToNull(providers.ProposedNewObject(s, cty.NullVal(ty), config))
}

var _ providers.Interface = (*adapter)(nil)
