package providertest

import (
	"context"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// Run checks p's schema, configures p as when the blueprint has no provider
// block (a null configuration), and runs every case as a subtest of t.
// Failures are reported with t.Errorf, naming the step and the attribute
// path. Run does not close p.
func Run(t *testing.T, p providers.Interface, cases ...Case) {
	t.Helper()
	run(testingT{t}, p, nil, cases)
}

// RunWithConfig is [Run] with a provider block holding config.
func RunWithConfig(t *testing.T, p providers.Interface, config Config, cases ...Case) {
	t.Helper()
	if config == nil {
		config = Config{}
	}
	run(testingT{t}, p, config, cases)
}

// tester is the part of *testing.T the kit uses; the kit's own tests record
// failures through it.
type tester interface {
	Helper()
	Errorf(format string, args ...any)
	Run(name string, f func(tester)) bool
}

type testingT struct{ *testing.T }

func (t testingT) Run(name string, f func(tester)) bool {
	return t.T.Run(name, func(t *testing.T) { f(testingT{t}) })
}

func run(t tester, p providers.Interface, config Config, cases []Case) {
	t.Helper()
	ctx := context.Background()
	resp := p.GetSchema(ctx)
	if resp.Diagnostics.HasErrors() {
		t.Errorf("GetSchema: %v", resp.Diagnostics.Err())
		return
	}
	if err := resp.Schema.InternalValidate(); err != nil {
		t.Errorf("GetSchema: the schema is invalid: %v", err)
		return
	}
	cfg := cty.NullVal(resp.Schema.Provider.ImpliedType())
	if config != nil {
		var err error
		if cfg, err = config.value(resp.Schema.Provider); err != nil {
			t.Errorf("provider configuration: %v", err)
			return
		}
	}
	if diags := p.ValidateProviderConfig(ctx, providers.ValidateProviderConfigRequest{Config: cfg}).Diagnostics; diags.HasErrors() {
		t.Errorf("ValidateProviderConfig: %v", diags.Err())
		return
	}
	if diags := p.Configure(ctx, providers.ConfigureRequest{Config: cfg}).Diagnostics; diags.HasErrors() {
		t.Errorf("Configure: %v", diags.Err())
		return
	}
	declared := declaredSchemaPlans(p)
	for _, c := range cases {
		name := c.Name
		if name == "" {
			name = c.ResourceType
		}
		t.Run(name, func(t tester) {
			s := resp.Schema.ResourceTypes[c.ResourceType]
			if s == nil {
				t.Errorf("GetSchema: the provider has no resource type %q", c.ResourceType)
				return
			}
			r := &runner{t: t, p: p, ctx: ctx, typeName: c.ResourceType, schema: s, ty: s.ImpliedType(), schemaPlans: declared}
			r.lifeCycle(c)
		})
	}
}
