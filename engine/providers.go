package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/providers"
)

// ProviderResolver starts providers. The engine asks once per provider
// configuration (a name, or name.alias) and reuses the instance for every
// call of the command.
type ProviderResolver interface {
	// Provider returns a new instance of the provider with this local name,
	// from source ("builtin/std", or a plugin source).
	Provider(name, source string) (providers.Interface, error)
}

// BuiltinResolver resolves the providers compiled into bp.
type BuiltinResolver struct{}

// Provider returns a built-in provider, or an error naming the ones there are.
func (BuiltinResolver) Provider(name, source string) (providers.Interface, error) {
	builtin := strings.TrimPrefix(source, providers.BuiltinSourcePrefix)
	if builtin == source {
		return nil, fmt.Errorf("provider %q comes from %q, which is not a built-in provider; plugin providers are not supported by this resolver", name, source)
	}
	p, ok := providers.Builtin(builtin)
	if !ok {
		return nil, fmt.Errorf("there is no built-in provider %q; the built-in providers are %s", builtin, strings.Join(providers.BuiltinNames(), ", "))
	}
	return p, nil
}

// providerInstance is one provider configuration of the blueprint.
type providerInstance struct {
	key    string // "std" or "local.east"
	name   string
	source string
	config *blueprint.Provider // nil when the blueprint has no provider block
	iface  providers.Interface
	schema *providers.ProviderSchema

	configureOnce sync.Once
	configured    bool
	configDiags   hcl.Diagnostics

	typesMu sync.Mutex
	types   map[typeKey]*typeSchema
}

type typeKey struct {
	mode blueprint.ResourceMode
	name string
}

// typeSchema is a resource type's or data source's schema with what the
// engine derives from it, computed once per provider instance rather than
// once per resource instance.
type typeSchema struct {
	*providers.Schema
	// spec decodes a resource body of this type.
	spec hcldec.Spec
	// ty is the object type of the type's values.
	ty cty.Type
}

// typeSchema returns the schema of a resource type or data source, or nil
// when the provider has none of that name.
func (pi *providerInstance) typeSchema(mode blueprint.ResourceMode, name string) *typeSchema {
	pi.typesMu.Lock()
	defer pi.typesMu.Unlock()
	k := typeKey{mode, name}
	if ts, ok := pi.types[k]; ok {
		return ts
	}
	types := pi.schema.ResourceTypes
	if mode == blueprint.DataResourceMode {
		types = pi.schema.DataSources
	}
	var ts *typeSchema
	if s := types[name]; s != nil {
		ts = &typeSchema{Schema: s, spec: blueprint.SpecForSchema(s), ty: s.ImpliedType()}
	}
	if pi.types == nil {
		pi.types = map[typeKey]*typeSchema{}
	}
	pi.types[k] = ts
	return ts
}

// providerSet holds the provider instances of one engine run.
type providerSet struct {
	resolver ProviderResolver
	mu       sync.Mutex
	byKey    map[string]*providerInstance
}

// get returns the provider instance for key, starting it and fetching its
// schema on first use.
func (ps *providerSet) get(ctx context.Context, root *blueprint.Config, key string, rng hcl.Range) (*providerInstance, hcl.Diagnostics) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if pi, ok := ps.byKey[key]; ok {
		return pi, nil
	}
	name, _, _ := strings.Cut(key, ".")
	source := providers.BuiltinSourcePrefix + name
	if s := root.Module.Settings; s != nil {
		if rp, ok := s.RequiredProviders[name]; ok {
			source = rp.Source
		}
	}
	iface, err := ps.resolver.Provider(name, source)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Provider not available",
			Detail:   fmt.Sprintf("Cannot start provider %q: %s.", key, err),
			Subject:  rng.Ptr(),
		}}
	}
	resp := iface.GetSchema(ctx)
	if resp.Diagnostics.HasErrors() {
		return nil, providerDiags(resp.Diagnostics, "provider "+key, nil, rng)
	}
	schema := resp.Schema
	if schema.Provider == nil {
		schema.Provider = &providers.Schema{}
	}
	pi := &providerInstance{key: key, name: name, source: source, iface: iface, schema: &schema,
		config: root.Module.Providers[key]}
	ps.byKey[key] = pi
	return pi, nil
}

// closeAll closes every started provider.
func (ps *providerSet) closeAll() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, pi := range ps.byKey {
		_ = pi.iface.Close()
	}
}

// providerKeyFor returns the provider configuration key a resource uses.
func providerKeyFor(root *blueprint.Config, r *blueprint.Resource) string {
	if r.Provider != nil {
		return r.Provider.Key()
	}
	if name := r.ImpliedProvider(); name != "" {
		return name
	}
	return machineProvider(root)
}

// machineProvider chooses the provider of portable kinds: the only provider
// the blueprint requires other than the built-in std, or else the embedded
// default, local.
func machineProvider(root *blueprint.Config) string {
	var names []string
	if s := root.Module.Settings; s != nil {
		for name := range s.RequiredProviders {
			if name != "std" {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	if len(names) >= 1 {
		return names[0]
	}
	return "local"
}

// configure configures a provider instance once; later calls return the
// first result.
func (pi *providerInstance) configure(ctx context.Context, scope *blueprint.Scope) hcl.Diagnostics {
	pi.configureOnce.Do(func() {
		var body hcl.Body = hcl.EmptyBody()
		if pi.config != nil {
			body = pi.config.Config
		}
		val, diags := scope.EvalBody(body, blueprint.SpecForSchema(pi.schema.Provider))
		if diags.HasErrors() {
			pi.configDiags = diags
			return
		}
		val, _ = val.UnmarkDeep()
		vresp := pi.iface.ValidateProviderConfig(ctx, providers.ValidateProviderConfigRequest{Config: val})
		diags = append(diags, providerDiags(vresp.Diagnostics, "provider "+pi.key, body, rangeOf(pi.config))...)
		if diags.HasErrors() {
			pi.configDiags = diags
			return
		}
		cresp := pi.iface.Configure(ctx, providers.ConfigureRequest{Config: val})
		diags = append(diags, providerDiags(cresp.Diagnostics, "provider "+pi.key, body, rangeOf(pi.config))...)
		pi.configDiags = diags
		pi.configured = !diags.HasErrors()
	})
	return pi.configDiags
}

func rangeOf(p *blueprint.Provider) hcl.Range {
	if p == nil {
		return hcl.Range{}
	}
	return p.DeclRange
}

// providerDiags converts provider diagnostics into hcl ones, pointing at the
// attribute of body the provider named, else at rng.
func providerDiags(pd providers.Diagnostics, what string, body hcl.Body, rng hcl.Range) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range pd {
		sev := hcl.DiagError
		if d.Severity == providers.Warning {
			sev = hcl.DiagWarning
		}
		subject := rng
		if len(d.Attribute) > 0 && body != nil {
			if r, ok := attributeRange(body, d.Attribute); ok {
				subject = r
			}
		}
		detail := d.Detail
		if what != "" {
			detail = strings.TrimSpace(detail + " (from " + what + ")")
		}
		diag := &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: detail}
		if subject != (hcl.Range{}) {
			diag.Subject = subject.Ptr()
		}
		out = append(out, diag)
	}
	return out
}

// attributeRange finds the source range of the top-level attribute a path
// starts with.
func attributeRange(body hcl.Body, path cty.Path) (hcl.Range, bool) {
	step, ok := path[0].(cty.GetAttrStep)
	if !ok {
		return hcl.Range{}, false
	}
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: step.Name}}})
	if attr, ok := content.Attributes[step.Name]; ok {
		return attr.Expr.Range(), true
	}
	return hcl.Range{}, false
}
