package plugins

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/plugins/schemaplan"
	"github.com/blueprint-engine/bp/providers"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// schemaPlanningFake is a fakeProvider that plans with schemaplan, as a
// provider declaring its types schema-planned promises to, and declares
// the types in all and creates.
type schemaPlanningFake struct {
	*fakeProvider
	all, creates []string
}

func (f *schemaPlanningFake) SchemaPlannedResourceTypes() []string { return f.all }
func (f *schemaPlanningFake) SchemaPlannedCreateTypes() []string   { return f.creates }

func (f *schemaPlanningFake) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	f.fakeProvider.PlanResourceChange(ctx, req) // recorded
	s := f.schema.ResourceTypes[req.TypeName]
	return schemaplan.Plan(s, s.ImpliedType(), req)
}

var (
	_ SchemaPlanner       = (*schemaPlanningFake)(nil)
	_ SchemaCreatePlanner = (*schemaPlanningFake)(nil)
)

// TestSchemaPlannedTypes checks what the schema response declares for what
// a provider implements.
func TestSchemaPlannedTypes(t *testing.T) {
	tests := []struct {
		name             string
		all, creates     []string
		wantAll, wantNew []string
	}{
		{"none", nil, nil, nil, nil},
		{"all", []string{"test_widget"}, nil, []string{"test_widget"}, nil},
		{"creates", nil, []string{"test_widget"}, nil, []string{"test_widget"}},
		{"both: all wins", []string{"test_widget"}, []string{"test_widget"}, []string{"test_widget"}, nil},
		{"duplicates and unknown names", []string{"test_nope", "test_widget", "test_widget"}, []string{"test_nope"}, []string{"test_widget"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &schemaPlanningFake{fakeProvider: &fakeProvider{schema: widgetSchema()}, all: tc.all, creates: tc.creates}
			wire := newServer(p, Metadata{}).loadSchema(context.Background()).wire
			if !slices.Equal(wire.SchemaPlannedResourceTypes, tc.wantAll) || !slices.Equal(wire.SchemaPlannedCreateTypes, tc.wantNew) {
				t.Errorf("declared %q for all plans and %q for creates, want %q and %q",
					wire.SchemaPlannedResourceTypes, wire.SchemaPlannedCreateTypes, tc.wantAll, tc.wantNew)
			}
		})
	}
	t.Run("a provider implementing neither", func(t *testing.T) {
		wire := newServer(&fakeProvider{schema: widgetSchema()}, Metadata{}).loadSchema(context.Background()).wire
		if len(wire.SchemaPlannedResourceTypes)+len(wire.SchemaPlannedCreateTypes) > 0 {
			t.Errorf("declared %q and %q, want nothing", wire.SchemaPlannedResourceTypes, wire.SchemaPlannedCreateTypes)
		}
	})
}

// TestSchemaPlannedPlans checks that the Client plans the types the plugin
// declares schema-planned itself, within what was declared and only after
// Configure succeeded, and that its plans are the very answers the plugin
// gives on the wire when it is asked.
func TestSchemaPlannedPlans(t *testing.T) {
	prior := widget(nil)
	config := widget(map[string]cty.Value{"id": cty.NullVal(cty.String), "size": cty.NullVal(cty.Number)})
	renamed := widget(map[string]cty.Value{"name": cty.StringVal("w2"), "id": cty.NullVal(cty.String)})
	unknowns := widget(map[string]cty.Value{
		"id": cty.NullVal(cty.String), "name": cty.UnknownVal(cty.String), "tags": cty.UnknownVal(cty.Map(cty.String)),
		"rule": cty.UnknownVal(cty.List(ruleType)),
	})
	null := cty.NullVal(widgetType)
	type request struct{ prior, config cty.Value }
	tests := []struct {
		name         string
		all, creates []string
		req          request
		unconfigured bool // Configure is not called
		fails        bool // Configure fails
		cancelled    bool // the call fails as cancelled, as a call to the plugin does
		typeName     string
		asked        bool   // the plugin sees the plan
		wantErr      string // part of an expected error
	}{
		{name: "create, declared for all plans", all: []string{"test_widget"}, req: request{null, config}},
		{name: "create, declared for creates", creates: []string{"test_widget"}, req: request{null, config}},
		{name: "create with unknown values", creates: []string{"test_widget"}, req: request{null, unknowns}},
		{name: "update, declared for all plans", all: []string{"test_widget"}, req: request{prior, config}},
		{name: "update, declared for creates", creates: []string{"test_widget"}, req: request{prior, config}, asked: true},
		{name: "replacement", all: []string{"test_widget"}, req: request{prior, renamed}},
		{name: "update with unknown values", all: []string{"test_widget"}, req: request{prior, unknowns}},
		{name: "destroy", all: []string{"test_widget"}, req: request{prior, null}},
		{name: "not declared", req: request{null, config}, asked: true},
		{name: "not configured", all: []string{"test_widget"}, req: request{null, config}, unconfigured: true, asked: true},
		{name: "configure failed", all: []string{"test_widget"}, req: request{null, config}, fails: true, asked: true},
		{name: "cancelled", all: []string{"test_widget"}, req: request{null, config}, cancelled: true, wantErr: "cancel"},
		{name: "unknown type", all: []string{"test_widget"}, req: request{null, config}, typeName: "test_gadget", wantErr: "Unsupported resource type"},
	}
	schema := widgetSchema().ResourceTypes["test_widget"]
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			declaring := &schemaPlanningFake{fakeProvider: &fakeProvider{schema: widgetSchema()}, all: tc.all, creates: tc.creates}
			asking := &schemaPlanningFake{fakeProvider: &fakeProvider{schema: widgetSchema()}}
			c, _, _, _ := connect(t, declaring)
			reference, _, _, _ := connect(t, asking)
			if !tc.unconfigured {
				if tc.fails {
					declaring.respondWith(providers.ConfigureResponse{Diagnostics: providers.Diagnostics{providers.Errorf("No", "Not today.")}})
				}
				c.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(configType)})
				reference.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(configType)})
				declaring.respondWith(nil)
			}
			typeName := tc.typeName
			if typeName == "" {
				typeName = "test_widget"
			}
			req := providers.PlanResourceChangeRequest{
				TypeName: typeName, PriorState: tc.req.prior, Config: tc.req.config,
				ProposedNewState: providers.ProposedNewObject(schema, tc.req.prior, tc.req.config),
			}
			if tc.cancelled {
				cctx, cancel := context.WithCancel(ctx)
				cancel()
				ctx = cctx
			}
			before := c.Stats()
			got := c.PlanResourceChange(ctx, req)
			asked := slices.ContainsFunc(declaring.received(), func(r any) bool {
				_, ok := r.(providers.PlanResourceChangeRequest)
				return ok
			})
			if asked != tc.asked {
				t.Errorf("the plugin was asked: %v, want %v", asked, tc.asked)
			}
			if tc.wantErr != "" {
				if err := got.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("diagnostics = %v, want an error about %q", got.Diagnostics, tc.wantErr)
				}
				return
			}
			want := reference.PlanResourceChange(ctx, req)
			if len(asking.received()) == 0 {
				t.Fatal("the reference plugin was not asked")
			}
			if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
				t.Errorf("the Client's plan differs from the plugin's (-plugin +client):\n%s", diff)
			}
			local := int64(1)
			if tc.asked {
				local = 0
			}
			if n := c.Stats().SchemaPlans - before.SchemaPlans; n != local {
				t.Errorf("Stats().SchemaPlans grew by %d, want %d", n, local)
			}
		})
	}
}
