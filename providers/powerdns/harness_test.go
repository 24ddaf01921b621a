package powerdns

import (
	"context"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// harness drives one resource type the way the engine does: validate,
// propose, plan, apply, read — checking the contracts of
// providers.Interface on the way.
type harness struct {
	t        testing.TB
	p        *Provider
	typeName string
	schema   *providers.Schema
	ty       cty.Type
}

// newProvider returns a provider configured for apiURL and key.
func newProvider(t testing.TB, apiURL, key string) *Provider {
	t.Helper()
	p := New()
	cfg := cty.ObjectVal(map[string]cty.Value{
		"api_url": cty.StringVal(apiURL), "api_key": cty.StringVal(key), "server_id": cty.StringVal("localhost"),
	})
	if d := p.ValidateProviderConfig(context.Background(), providers.ValidateProviderConfigRequest{Config: cfg}).Diagnostics; d.HasErrors() {
		t.Fatalf("ValidateProviderConfig: %v", d.Err())
	}
	if resp := p.Configure(context.Background(), providers.ConfigureRequest{Config: cfg}); resp.Diagnostics.HasErrors() {
		t.Fatalf("Configure: %v", resp.Diagnostics.Err())
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func newHarness(t testing.TB, p *Provider, typeName string) *harness {
	t.Helper()
	s := p.GetSchema(context.Background()).Schema.ResourceTypes[typeName]
	if s == nil {
		t.Fatalf("no schema for %s", typeName)
	}
	if err := s.InternalValidate(); err != nil {
		t.Fatalf("schema of %s: %v", typeName, err)
	}
	return &harness{t: t, p: p, typeName: typeName, schema: s, ty: s.ImpliedType()}
}

// config returns a configuration object: the given attributes, all others
// (and the routing block, unless given) null.
func (h *harness) config(attrs map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{}
	for name, a := range h.schema.Attributes {
		m[name] = cty.NullVal(a.Type)
	}
	for name, b := range h.schema.Blocks {
		m[name] = cty.NullVal(b.ImpliedType())
	}
	for k, v := range attrs {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

func (h *harness) validate(config cty.Value) providers.Diagnostics {
	return h.p.ValidateResourceConfig(context.Background(), providers.ValidateResourceConfigRequest{TypeName: h.typeName, Config: config}).Diagnostics
}

// plan validates config and plans it against prior, failing on errors.
func (h *harness) plan(prior, config cty.Value) providers.PlanResourceChangeResponse {
	h.t.Helper()
	if !config.IsNull() {
		if diags := h.validate(config); diags.HasErrors() {
			h.t.Fatalf("validate: %v", diags.Err())
		}
	}
	resp := h.p.PlanResourceChange(context.Background(), providers.PlanResourceChangeRequest{
		TypeName:         h.typeName,
		PriorState:       prior,
		ProposedNewState: providers.ProposedNewObject(h.schema, prior, config),
		Config:           config,
	})
	if resp.Diagnostics.HasErrors() {
		h.t.Fatalf("plan: %v", resp.Diagnostics.Err())
	}
	h.conforms("planned state", resp.PlannedState)
	return resp
}

// apply applies planned over prior, checking that the result keeps the
// plan's promises and is wholly known.
func (h *harness) apply(prior, planned, config cty.Value) cty.Value {
	h.t.Helper()
	resp := h.p.ApplyResourceChange(context.Background(), providers.ApplyResourceChangeRequest{
		TypeName: h.typeName, PriorState: prior, PlannedState: planned, Config: config,
	})
	if resp.Diagnostics.HasErrors() {
		h.t.Fatalf("apply: %v", resp.Diagnostics.Err())
	}
	h.conforms("new state", resp.NewState)
	if planned.IsNull() != resp.NewState.IsNull() {
		h.t.Fatalf("apply returned null=%v for planned null=%v", resp.NewState.IsNull(), planned.IsNull())
	}
	if !resp.NewState.IsWhollyKnown() {
		h.t.Fatalf("apply returned unknown values: %#v", resp.NewState)
	}
	if bad := providers.PlanApplyMismatches(planned, resp.NewState); len(bad) > 0 {
		h.t.Fatalf("applied value differs from planned at %v\nplanned: %#v\napplied: %#v", bad, planned, resp.NewState)
	}
	return resp.NewState
}

// create plans and applies config from nothing.
func (h *harness) create(config cty.Value) cty.Value {
	h.t.Helper()
	planned := h.plan(cty.NullVal(h.ty), config)
	if len(planned.RequiresReplace) > 0 {
		h.t.Fatalf("create planned a replacement of %v", planned.RequiresReplace)
	}
	return h.apply(cty.NullVal(h.ty), planned.PlannedState, config)
}

// update plans config over state, requires an in-place update, and applies.
func (h *harness) update(state, config cty.Value) cty.Value {
	h.t.Helper()
	planned := h.plan(state, config)
	if len(planned.RequiresReplace) > 0 {
		h.t.Fatalf("update planned a replacement of %v", planned.RequiresReplace)
	}
	return h.apply(state, planned.PlannedState, config)
}

func (h *harness) destroy(state cty.Value) {
	h.t.Helper()
	planned := h.plan(state, cty.NullVal(h.ty))
	if !planned.PlannedState.IsNull() {
		h.t.Fatalf("planned destroy = %#v, want null", planned.PlannedState)
	}
	h.apply(state, planned.PlannedState, cty.NullVal(h.ty))
}

func (h *harness) read(state cty.Value) cty.Value {
	h.t.Helper()
	resp := h.p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: h.typeName, CurrentState: state})
	if resp.Diagnostics.HasErrors() {
		h.t.Fatalf("read: %v", resp.Diagnostics.Err())
	}
	h.conforms("read state", resp.NewState)
	return resp.NewState
}

func (h *harness) importID(id string) (cty.Value, providers.Diagnostics) {
	resp := h.p.ImportResourceState(context.Background(), providers.ImportResourceStateRequest{TypeName: h.typeName, ID: id})
	if resp.Diagnostics.HasErrors() {
		return cty.NilVal, resp.Diagnostics
	}
	if len(resp.Imported) != 1 || resp.Imported[0].TypeName != h.typeName {
		h.t.Fatalf("import returned %d objects, want one %s", len(resp.Imported), h.typeName)
	}
	h.conforms("imported state", resp.Imported[0].State)
	return resp.Imported[0].State, resp.Diagnostics
}

func (h *harness) conforms(what string, v cty.Value) {
	h.t.Helper()
	if errs := v.Type().TestConformance(h.ty); len(errs) > 0 {
		h.t.Fatalf("%s does not conform to the schema: %v", what, errs)
	}
}

// wantNoChange fails unless planning config over state changes nothing.
func (h *harness) wantNoChange(state, config cty.Value) {
	h.t.Helper()
	resp := h.plan(state, config)
	if len(resp.RequiresReplace) > 0 || !resp.PlannedState.RawEquals(state) {
		h.t.Fatalf("planned a change with nothing changed:\nstate:   %#v\nplanned: %#v\nreplace: %v", state, resp.PlannedState, resp.RequiresReplace)
	}
}
