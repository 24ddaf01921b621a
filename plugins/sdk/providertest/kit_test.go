package providertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins/sdk"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
)

// recorder is a tester that collects failures instead of failing, so tests
// can assert what the kit reports.
type recorder struct {
	prefix string
	errs   *[]string
}

func (r recorder) Helper() {}

func (r recorder) Errorf(format string, args ...any) {
	*r.errs = append(*r.errs, r.prefix+fmt.Sprintf(format, args...))
}

func (r recorder) Run(name string, f func(tester)) bool {
	f(recorder{prefix: r.prefix + name + ": ", errs: r.errs})
	return true
}

// memProvider is a correct provider, written with the SDK, that keeps items
// in memory: the base the broken providers below break.
func memProvider() providers.Interface {
	type item struct{ value string }
	type store struct {
		sync.Mutex
		items map[string]item
	}
	p := &sdk.Provider{
		Name: "mem",
		Configure: func(context.Context, *sdk.ResourceData) (any, sdk.Diagnostics) {
			return &store{items: map[string]item{}}, nil
		},
		Resources: map[string]*sdk.Resource{"mem_item": {
			Attributes: sdk.Attributes{
				"name":  {Type: sdk.String, Required: true, ForceNew: true},
				"value": {Type: sdk.String, Optional: true, Default: ""},
			},
			Create: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				s := meta.(*store)
				s.Lock()
				defer s.Unlock()
				s.items[d.GetString("name")] = item{d.GetString("value")}
				d.SetID(d.GetString("name"))
				return nil
			},
			Read: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				s := meta.(*store)
				s.Lock()
				defer s.Unlock()
				it, ok := s.items[d.GetString("name")]
				if !ok {
					d.SetGone()
					return nil
				}
				d.SetID(d.GetString("name"))
				d.Set("value", it.value)
				return nil
			},
			Update: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				s := meta.(*store)
				s.Lock()
				defer s.Unlock()
				s.items[d.GetString("name")] = item{d.GetString("value")}
				return nil
			},
			Delete: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				s := meta.(*store)
				s.Lock()
				defer s.Unlock()
				delete(s.items, d.GetString("name"))
				return nil
			},
			Import: func(_ context.Context, id string, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.Set("name", id)
				return nil
			},
		}},
	}
	return p.Interface()
}

// broken wraps a provider and changes one call's response.
type broken struct {
	providers.Interface
	schema func(providers.GetSchemaResponse) providers.GetSchemaResponse
	plan   func(providers.PlanResourceChangeRequest, providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse
	apply  func(providers.ApplyResourceChangeRequest, providers.ApplyResourceChangeResponse) providers.ApplyResourceChangeResponse
	read   func(providers.ReadResourceRequest, providers.ReadResourceResponse) providers.ReadResourceResponse
	imp    func(providers.ImportResourceStateResponse) providers.ImportResourceStateResponse
}

func (b broken) GetSchema(ctx context.Context) providers.GetSchemaResponse {
	resp := b.Interface.GetSchema(ctx)
	if b.schema != nil {
		resp = b.schema(resp)
	}
	return resp
}

func (b broken) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	resp := b.Interface.PlanResourceChange(ctx, req)
	if b.plan != nil {
		resp = b.plan(req, resp)
	}
	return resp
}

func (b broken) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	resp := b.Interface.ApplyResourceChange(ctx, req)
	if b.apply != nil {
		resp = b.apply(req, resp)
	}
	return resp
}

func (b broken) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	resp := b.Interface.ReadResource(ctx, req)
	if b.read != nil {
		resp = b.read(req, resp)
	}
	return resp
}

func (b broken) ImportResourceState(ctx context.Context, req providers.ImportResourceStateRequest) providers.ImportResourceStateResponse {
	resp := b.Interface.ImportResourceState(ctx, req)
	if b.imp != nil {
		resp = b.imp(resp)
	}
	return resp
}

// setAttr returns the object v with attribute name set to nv; a null v stays
// null.
func setAttr(v cty.Value, name string, nv cty.Value) cty.Value {
	if v.IsNull() || !v.IsKnown() {
		return v
	}
	m := v.AsValueMap()
	m[name] = nv
	return cty.ObjectVal(m)
}

var memCase = Case{
	ResourceType: "mem_item",
	Create:       Config{"name": "a", "value": "one"},
	Update:       Config{"name": "a", "value": "two"},
	ImportID:     func(s cty.Value) string { return s.GetAttr("name").AsString() },
}

func TestKitReportsBrokenProviders(t *testing.T) {
	tests := []struct {
		name  string
		p     providers.Interface
		c     Case
		wants []string // each must appear in one reported failure; none means no failure
	}{
		{name: "correct provider", p: memProvider(), c: memCase},
		{
			name: "correct provider replaced",
			p:    memProvider(),
			c:    Case{ResourceType: "mem_item", Create: Config{"name": "a"}, Update: Config{"name": "b"}, UpdateReplaces: true},
		},
		{
			name: "apply differs from plan",
			p: broken{Interface: memProvider(), apply: func(req providers.ApplyResourceChangeRequest, resp providers.ApplyResourceChangeResponse) providers.ApplyResourceChangeResponse {
				resp.NewState = setAttr(resp.NewState, "value", cty.StringVal("surprise"))
				return resp
			}},
			c: memCase,
			wants: []string{
				`mem_item: create: apply: planned value differs from applied value at value: planned cty.StringVal("one"), applied cty.StringVal("surprise")`,
			},
		},
		{
			name: "apply leaves unknowns",
			p: broken{Interface: memProvider(), apply: func(req providers.ApplyResourceChangeRequest, resp providers.ApplyResourceChangeResponse) providers.ApplyResourceChangeResponse {
				resp.NewState = setAttr(resp.NewState, "id", cty.UnknownVal(cty.String))
				return resp
			}},
			c:     memCase,
			wants: []string{"create: apply: the new state still holds unknown values"},
		},
		{
			name: "read after delete still finds the object",
			p: broken{Interface: memProvider(), read: func(req providers.ReadResourceRequest, resp providers.ReadResourceResponse) providers.ReadResourceResponse {
				if resp.NewState.IsNull() && !req.CurrentState.GetAttr("id").IsNull() {
					resp.NewState = req.CurrentState
				}
				return resp
			}},
			c:     memCase,
			wants: []string{"mem_item: delete: read after delete: ReadResource still returns the object"},
		},
		{
			name: "read differs from applied",
			p: broken{Interface: memProvider(), read: func(req providers.ReadResourceRequest, resp providers.ReadResourceResponse) providers.ReadResourceResponse {
				resp.NewState = setAttr(resp.NewState, "value", cty.StringVal("drift"))
				return resp
			}},
			c:     memCase,
			wants: []string{`create: read: read value differs from applied value at value: applied value cty.StringVal("one"), read value cty.StringVal("drift")`},
		},
		{
			name: "plan never settles",
			p: broken{Interface: memProvider(), plan: func(req providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				resp.PlannedState = setAttr(resp.PlannedState, "id", cty.UnknownVal(cty.String))
				return resp
			}},
			c:     memCase,
			wants: []string{"create: plan again (expected no change): planned value differs from state at id"},
		},
		{
			name: "plan ignores configuration",
			p: broken{Interface: memProvider(), plan: func(req providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				resp.PlannedState = setAttr(resp.PlannedState, "value", cty.StringVal("mine"))
				return resp
			}},
			c:     memCase,
			wants: []string{"create: plan: planned value differs from configuration at value"},
		},
		{
			name: "replaces what should update in place",
			p: broken{Interface: memProvider(), plan: func(req providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				if !req.PriorState.IsNull() && !req.ProposedNewState.IsNull() && !req.PriorState.GetAttr("value").RawEquals(req.ProposedNewState.GetAttr("value")) {
					resp.RequiresReplace = []cty.Path{cty.GetAttrPath("value")}
				}
				return resp
			}},
			c:     memCase,
			wants: []string{"update: plan: the case expects an in-place update, but the plan requires replacement because of value"},
		},
		{
			name:  "update expected to replace",
			p:     memProvider(),
			c:     Case{ResourceType: "mem_item", Create: memCase.Create, Update: memCase.Update, UpdateReplaces: true},
			wants: []string{"update: plan: the case expects a replacement, but RequiresReplace is empty"},
		},
		{
			name: "delete not idempotent",
			p: broken{Interface: memProvider(), apply: func(req providers.ApplyResourceChangeRequest, resp providers.ApplyResourceChangeResponse) providers.ApplyResourceChangeResponse {
				if req.PlannedState.IsNull() {
					resp.Diagnostics = resp.Diagnostics.Append(providers.Errorf("Cannot delete", "gone"))
				}
				return resp
			}},
			c:     Case{ResourceType: "mem_item", Create: memCase.Create},
			wants: []string{"delete: apply: ApplyResourceChange: Cannot delete: gone"},
		},
		{
			// Read never refreshes value, and import does not recover it.
			name: "import loses a value",
			p: broken{Interface: memProvider(),
				read: func(req providers.ReadResourceRequest, resp providers.ReadResourceResponse) providers.ReadResourceResponse {
					resp.NewState = setAttr(resp.NewState, "value", req.CurrentState.GetAttr("value"))
					return resp
				},
				imp: func(resp providers.ImportResourceStateResponse) providers.ImportResourceStateResponse {
					for i := range resp.Imported {
						resp.Imported[i].State = setAttr(resp.Imported[i].State, "value", cty.NullVal(cty.String))
					}
					return resp
				},
			},
			c:     memCase,
			wants: []string{`import "a": imported value differs from state at value: state cty.StringVal("two"), imported value cty.NullVal(cty.String)`},
		},
		{
			name: "invalid schema",
			p: broken{Interface: memProvider(), schema: func(resp providers.GetSchemaResponse) providers.GetSchemaResponse {
				resp.Schema.ResourceTypes = map[string]*providers.Schema{"mem_item": {Attributes: map[string]*providers.Attribute{
					"name": {Type: cty.String, Required: true, Computed: true},
				}}}
				return resp
			}},
			c:     memCase,
			wants: []string{`GetSchema: the schema is invalid: resource type "mem_item": attribute "name": cannot be both Required and Computed`},
		},
		{
			name:  "unknown resource type",
			p:     memProvider(),
			c:     Case{ResourceType: "mem_nothing"},
			wants: []string{`GetSchema: the provider has no resource type "mem_nothing"`},
		},
		{
			name:  "wrong case configuration",
			p:     memProvider(),
			c:     Case{ResourceType: "mem_item", Create: Config{"nmae": "a"}},
			wants: []string{`create: the case's configuration is wrong: the schema declares no attribute or block "nmae"`},
		},
		{
			name:  "std_null read after delete",
			p:     std.New(),
			c:     Case{ResourceType: "std_null", Create: Config{"inputs": cty.True}},
			wants: []string{"std_null: delete: read after delete: ReadResource still returns the object"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errs []string
			run(recorder{errs: &errs}, tc.p, nil, []Case{tc.c})
			if len(tc.wants) == 0 && len(errs) > 0 {
				t.Errorf("the kit reported failures for a correct provider:\n%s", strings.Join(errs, "\n"))
			}
			for _, want := range tc.wants {
				found := false
				for _, e := range errs {
					found = found || strings.Contains(e, want)
				}
				if !found {
					t.Errorf("the kit did not report %q; it reported:\n%s", want, strings.Join(errs, "\n"))
				}
			}
		})
	}
}
