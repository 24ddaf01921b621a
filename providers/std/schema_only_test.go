package std

import (
	"context"
	"slices"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// TestSchemaOnlyResourceTypes checks that std declares std_null, and only
// it, to have nothing to validate, and that its validation indeed finds
// nothing, whatever the configuration.
func TestSchemaOnlyResourceTypes(t *testing.T) {
	p := New()
	got := p.SchemaOnlyResourceTypes()
	if want := []string{"std_null"}; !slices.Equal(got, want) {
		t.Fatalf("SchemaOnlyResourceTypes() = %q, want %q", got, want)
	}
	configs := []struct {
		name   string
		config cty.Value
	}{
		{"null", cty.NullVal(nullType)},
		{"unknown", cty.UnknownVal(nullType)},
		{"full", cty.ObjectVal(map[string]cty.Value{
			"triggers": cty.MapVal(map[string]cty.Value{"a": cty.StringVal("")}),
			"inputs":   cty.ObjectVal(map[string]cty.Value{"n": cty.NumberFloatVal(-1.5)}),
			"id":       cty.NullVal(cty.String), "outputs": cty.NullVal(cty.DynamicPseudoType),
		})},
	}
	for _, tc := range configs {
		t.Run(tc.name, func(t *testing.T) {
			resp := p.ValidateResourceConfig(context.Background(), providers.ValidateResourceConfigRequest{TypeName: "std_null", Config: tc.config})
			if len(resp.Diagnostics) > 0 {
				t.Errorf("ValidateResourceConfig = %v, want nothing", resp.Diagnostics)
			}
		})
	}
}
