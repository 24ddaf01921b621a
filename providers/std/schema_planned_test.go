package std

import (
	"context"
	"slices"
	"testing"

	"github.com/blueprint-engine/bp/plugins/schemaplan"
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// TestSchemaPlannedCreateTypes checks that std declares std_null, and only
// it, to plan its creates from the schema, and that std's own plan of a
// std_null create is exactly schemaplan's, whatever the configuration; and
// that an update is not, which is why std_null is declared for creates
// only.
func TestSchemaPlannedCreateTypes(t *testing.T) {
	p := New()
	if got, want := p.SchemaPlannedCreateTypes(), []string{"std_null"}; !slices.Equal(got, want) {
		t.Fatalf("SchemaPlannedCreateTypes() = %q, want %q", got, want)
	}
	schema := p.schema.ResourceTypes["std_null"]
	config := func(triggers, inputs cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{
			"triggers": triggers, "inputs": inputs, "id": cty.NullVal(cty.String), "outputs": cty.NullVal(cty.DynamicPseudoType),
		})
	}
	someTriggers := cty.MapVal(map[string]cty.Value{"t": cty.StringVal("1")})
	someInputs := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("a"), "n": cty.NumberIntVal(2)})
	tests := []struct {
		name   string
		config cty.Value
	}{
		{"empty", config(cty.NullVal(triggersType), cty.NullVal(cty.DynamicPseudoType))},
		{"triggers and inputs", config(someTriggers, someInputs)},
		{"unknown triggers", config(cty.UnknownVal(triggersType), someInputs)},
		{"unknown trigger value", config(cty.MapVal(map[string]cty.Value{"t": cty.UnknownVal(cty.String)}), someInputs)},
		{"unknown inputs", config(cty.NullVal(triggersType), cty.DynamicVal)},
		{"inputs with an unknown part", config(someTriggers, cty.ObjectVal(map[string]cty.Value{"x": cty.UnknownVal(cty.Number)}))},
		{"empty triggers", config(cty.MapValEmpty(cty.String), cty.StringVal("s"))},
		{"refined unknown input", config(someTriggers, cty.UnknownVal(cty.String).RefineNotNull())},
	}
	ctx := context.Background()
	prior := cty.NullVal(nullType)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := providers.PlanResourceChangeRequest{
				TypeName: "std_null", PriorState: prior, Config: tc.config,
				ProposedNewState: providers.ProposedNewObject(schema, prior, tc.config),
			}
			got := p.PlanResourceChange(ctx, req)
			want := schemaplan.Plan(schema, nullType, req)
			if !got.PlannedState.RawEquals(want.PlannedState) {
				t.Errorf("std planned %#v\nschemaplan planned %#v", got.PlannedState, want.PlannedState)
			}
			if len(got.RequiresReplace) != 0 || len(want.RequiresReplace) != 0 || len(got.Diagnostics) != 0 || got.PlannedPrivate != nil {
				t.Errorf("std: replace %v, diagnostics %v, private %q; schemaplan: replace %v; want all empty",
					got.RequiresReplace, got.Diagnostics, got.PlannedPrivate, want.RequiresReplace)
			}
		})
	}
	t.Run("an update is std's own", func(t *testing.T) {
		state := cty.ObjectVal(map[string]cty.Value{
			"triggers": someTriggers, "inputs": cty.StringVal("old"), "id": cty.StringVal("0123456789abcdef"), "outputs": cty.StringVal("old"),
		})
		cfg := config(someTriggers, cty.StringVal("new"))
		req := providers.PlanResourceChangeRequest{TypeName: "std_null", PriorState: state, Config: cfg,
			ProposedNewState: providers.ProposedNewObject(schema, state, cfg)}
		got, want := p.PlanResourceChange(ctx, req), schemaplan.Plan(schema, nullType, req)
		if got.PlannedState.RawEquals(want.PlannedState) {
			t.Errorf("std plans an update of std_null's inputs as schemaplan does (%#v); declare it for every plan instead of creates only", got.PlannedState)
		}
	})
}
