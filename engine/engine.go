package engine

import (
	"context"
	"os"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/dag"
	"github.com/blueprint-engine/bp/engine/state"
)

// Options configure an Engine.
type Options struct {
	// Config is the loaded blueprint.
	Config *blueprint.Config
	// Variables are the root module's prepared variable values
	// (blueprint.PrepareVariables).
	Variables map[string]cty.Value
	// Providers starts providers; BuiltinResolver when nil.
	Providers ProviderResolver
	// Parallelism bounds concurrent operations; dag.DefaultParallelism when 0.
	Parallelism int
	// Hooks receive progress events; NopHooks when nil. Hooks that also
	// implement HostHooks receive host configuration events.
	Hooks Hooks
	// Hosts converges the hosts of configure blocks. When nil, plans list
	// hosts without checking them and applies that have hosts to converge
	// fail.
	Hosts HostConfigurer
	// SelfHosted returns the self-hosted realization of a portable kind
	// (load_balancer, dns_zone, ...), used for portable resources whose
	// provider does not implement them. When nil, there are none.
	SelfHosted func(kind string) (*blueprint.SelfHosted, error)
}

// Engine plans and applies one blueprint. It starts each provider once and
// reuses it for every call; Close shuts them down.
type Engine struct {
	root        *blueprint.Config
	vars        map[string]cty.Value
	provs       *providerSet
	parallelism int
	hooks       Hooks
	hosts       HostConfigurer
	cwd         string
	selfHosted  func(kind string) (*blueprint.SelfHosted, error)

	realizeOnce  sync.Once
	realizeDiags hcl.Diagnostics
}

// New returns an Engine for opts.
func New(opts Options) *Engine {
	resolver := opts.Providers
	if resolver == nil {
		resolver = BuiltinResolver{}
	}
	hooks := opts.Hooks
	if hooks == nil {
		hooks = NopHooks{}
	}
	par := opts.Parallelism
	if par <= 0 {
		par = dag.DefaultParallelism
	}
	cwd, _ := os.Getwd()
	vars := opts.Variables
	if vars == nil {
		vars = map[string]cty.Value{}
	}
	return &Engine{
		root:        opts.Config,
		vars:        vars,
		provs:       &providerSet{resolver: resolver, byKey: map[string]*providerInstance{}},
		parallelism: par,
		hooks:       hooks,
		hosts:       opts.Hosts,
		cwd:         cwd,
		selfHosted:  opts.SelfHosted,
	}
}

// Close shuts down every provider the engine started.
func (e *Engine) Close() { e.provs.closeAll() }

// GraphDOT returns the plan graph of the blueprint in Graphviz form.
func (e *Engine) GraphDOT(ctx context.Context, prior *state.State) (string, hcl.Diagnostics) {
	if prior == nil {
		prior = state.New()
	}
	if diags := e.realize(ctx); diags.HasErrors() {
		return "", diags
	}
	gr, diags := buildGraph(ctx, e.root, prior, nil, phasePlan)
	return gr.DOT(), diags
}

// scope returns the evaluation scope of a module instance.
func (e *Engine) scope(vs *values, c *blueprint.Config, mi moduleInstance, ik *instanceKey) *blueprint.Scope {
	s := &blueprint.Scope{
		Data:      &scopeData{vs: vs, mod: mi.addr, config: c},
		ModuleDir: c.Module.Dir,
		RootDir:   e.root.Module.Dir,
		CWD:       e.cwd,
	}
	if ik != nil {
		s.CountIndex, s.EachKey, s.EachValue = ik.countIdx, ik.eachKey, ik.eachValue
	}
	return s
}
