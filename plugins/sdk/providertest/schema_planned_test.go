package providertest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/sdk"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
)

// declaring wraps a provider and declares resource types schema-planned,
// rightly or not.
type declaring struct {
	providers.Interface
	all, creates []string
}

func (d declaring) SchemaPlannedResourceTypes() []string { return d.all }
func (d declaring) SchemaPlannedCreateTypes() []string   { return d.creates }

var (
	_ plugins.SchemaPlanner       = declaring{}
	_ plugins.SchemaCreatePlanner = declaring{}
)

// notesProvider is an SDK provider whose resource type the SDK declares
// schema-planned: no PlanModify, no Required or Int attribute.
func notesProvider() providers.Interface {
	type store = map[string]string
	noop := func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil }
	p := &sdk.Provider{
		Name:      "notes",
		Configure: func(context.Context, *sdk.ResourceData) (any, sdk.Diagnostics) { return store{}, nil },
		Resources: map[string]*sdk.Resource{"notes_note": {
			Attributes: sdk.Attributes{
				"title": {Type: sdk.String, Optional: true, ForceNew: true},
				"text":  {Type: sdk.String, Optional: true, Default: "empty"},
				"tags":  {Type: sdk.List(sdk.String), Optional: true},
				"size":  {Type: sdk.Number, Computed: true},
			},
			Create: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				d.SetID(d.GetString("title"))
				d.Set("size", float64(len(d.GetString("text"))))
				meta.(store)[d.ID()] = d.GetString("text")
				return nil
			},
			Read: noop,
			Update: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				meta.(store)[d.ID()] = d.GetString("text")
				return nil
			},
			Delete: noop,
		}},
	}
	return p.Interface()
}

var noteCase = Case{
	ResourceType: "notes_note",
	Create:       Config{"title": "a", "tags": []string{"x"}},
	Update:       Config{"title": "a", "text": "more", "tags": []string{"x", "y"}},
	StateOnly:    true,
}

// TestKitChecksSchemaPlans checks that the kit compares every plan of a
// type declared schema-planned with schemaplan's, and reports each
// difference.
func TestKitChecksSchemaPlans(t *testing.T) {
	const declared = "the provider declares the type schema-planned"
	tests := []struct {
		name  string
		p     providers.Interface
		c     Case
		wants []string // each must appear in one reported failure; none means no failure
	}{
		{name: "SDK provider without PlanModify", p: notesProvider(), c: noteCase},
		{name: "SDK provider replaced", p: notesProvider(),
			c: Case{ResourceType: "notes_note", Create: Config{"title": "a"}, Update: Config{"title": "b"}, UpdateReplaces: true, StateOnly: true}},
		{name: "std_null declared for creates", p: std.New(),
			c: Case{ResourceType: "std_null", Create: Config{"inputs": cty.StringVal("one")}, Update: Config{"inputs": cty.StringVal("two")}, StateOnly: true}},
		{
			name: "std_null declared for every plan",
			p:    declaring{Interface: std.New(), all: []string{"std_null"}},
			c:    Case{ResourceType: "std_null", Create: Config{"inputs": cty.StringVal("one")}, Update: Config{"inputs": cty.StringVal("two")}, StateOnly: true},
			wants: []string{
				"std_null: update: plan: " + declared + " (bp plans it without asking the provider), but its planned value differs from the schema plan at outputs",
				"std_null: update: plan with unknown values: " + declared,
			},
		},
		{
			name: "a warning",
			p: declaring{Interface: broken{Interface: std.New(), plan: func(_ providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				resp.Diagnostics = resp.Diagnostics.Append(providers.Warningf("Careful", "Something."))
				return resp
			}}, creates: []string{"std_null"}},
			c:     Case{ResourceType: "std_null", Create: Config{"inputs": cty.True}, StateOnly: true},
			wants: []string{"create: plan: " + declared + " (bp plans it without asking the provider), but its plan has diagnostics"},
		},
		{
			name: "a value decided at plan time",
			p: declaring{Interface: broken{Interface: std.New(), plan: func(req providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				if req.PriorState.IsNull() {
					resp.PlannedState = setAttr(resp.PlannedState, "outputs", cty.StringVal("early"))
				}
				return resp
			}}, creates: []string{"std_null"}},
			c:     Case{ResourceType: "std_null", Create: Config{"inputs": cty.True}, StateOnly: true},
			wants: []string{`create: plan: ` + declared + ` (bp plans it without asking the provider), but its planned value differs from the schema plan at outputs: schema plan cty.DynamicVal, provider cty.StringVal("early")`},
		},
		{
			name: "an unknown refined",
			p: declaring{Interface: broken{Interface: std.New(), plan: func(req providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				resp.PlannedState = setAttr(resp.PlannedState, "id", cty.UnknownVal(cty.String).RefineNotNull())
				return resp
			}}, creates: []string{"std_null"}},
			c:     Case{ResourceType: "std_null", Create: Config{"inputs": cty.True}, StateOnly: true},
			wants: []string{"create: plan: " + declared + " (bp plans it without asking the provider), but its planned value differs from the schema plan at id: schema plan cty.UnknownVal(cty.String), provider cty.UnknownVal(cty.String).RefineNotNull()"},
		},
		{
			name: "private data",
			p: declaring{Interface: broken{Interface: std.New(), plan: func(_ providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				resp.PlannedPrivate = []byte("mine")
				return resp
			}}, creates: []string{"std_null"}},
			c:     Case{ResourceType: "std_null", Create: Config{"inputs": cty.True}, StateOnly: true},
			wants: []string{"create: plan: " + declared + " (bp plans it without asking the provider), but its PlannedPrivate is not the PriorPrivate"},
		},
		{
			name: "replacement paths",
			p: declaring{Interface: broken{Interface: notesProvider(), plan: func(_ providers.PlanResourceChangeRequest, resp providers.PlanResourceChangeResponse) providers.PlanResourceChangeResponse {
				if len(resp.RequiresReplace) > 0 {
					resp.RequiresReplace = append(resp.RequiresReplace, cty.GetAttrPath("text"))
				}
				return resp
			}}, all: []string{"notes_note"}},
			c:     Case{ResourceType: "notes_note", Create: Config{"title": "a"}, Update: Config{"title": "b", "text": "t"}, UpdateReplaces: true, StateOnly: true},
			wants: []string{"update: plan: " + declared + " (bp plans it without asking the provider), but its RequiresReplace differs from the schema plan's: schema plan [title], provider [title, text]"},
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
				if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, want) }) {
					t.Errorf("the kit did not report %q; it reported:\n%s", want, strings.Join(errs, "\n"))
				}
			}
		})
	}
}

// TestSDKDeclaresSchemaPlans checks that the SDK declares a type without
// PlanModify and without checks schema-planned, and the kit's memProvider
// (a Required attribute) not.
func TestSDKDeclaresSchemaPlans(t *testing.T) {
	if got := declaredSchemaPlans(notesProvider()); !slices.Equal(got.all, []string{"notes_note"}) || len(got.creates) > 0 {
		t.Errorf("notes declares %+v, want notes_note for all plans", got)
	}
	if got := declaredSchemaPlans(memProvider()); len(got.all)+len(got.creates) > 0 {
		t.Errorf("mem declares %+v, want nothing", got)
	}
}
