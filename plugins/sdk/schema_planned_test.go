package sdk_test

import (
	"context"
	"slices"
	"testing"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/sdk"
	"github.com/blueprint-engine/bp/plugins/sdk/providertest"
	"github.com/zclconf/go-cty/cty"
)

// TestSchemaPlannedResourceTypes checks which resource types the SDK
// declares schema-planned, and runs those through the conformance kit,
// which compares each of their plans with schemaplan's.
func TestSchemaPlannedResourceTypes(t *testing.T) {
	noop := func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil }
	create := func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
		d.SetID("x")
		return nil
	}
	resource := func(attrs sdk.Attributes, blocks sdk.Blocks, modify sdk.CRUDFunc) *sdk.Resource {
		return &sdk.Resource{Attributes: attrs, Blocks: blocks, PlanModify: modify, Create: create, Read: noop, Update: noop, Delete: noop}
	}
	optional := sdk.Attributes{
		"name": {Type: sdk.String, Optional: true, ForceNew: true},
		"size": {Type: sdk.Number, Optional: true, Default: 3},
		"tags": {Type: sdk.Map(sdk.String), Optional: true},
		"when": {Type: sdk.String, Optional: true, Computed: true},
	}
	rule := sdk.Blocks{"rule": {Nesting: sdk.BlockList, Attributes: sdk.Attributes{
		"port": {Type: sdk.Number, Optional: true, ForceNew: true}, "label": {Type: sdk.String, Optional: true, Default: "any"},
	}}}
	tests := []struct {
		name      string
		resources map[string]*sdk.Resource
		want      []string
	}{
		{"optional attributes only", map[string]*sdk.Resource{"demo_a": resource(optional, nil, nil)}, []string{"demo_a"}},
		{"optional nested blocks", map[string]*sdk.Resource{"demo_a": resource(optional, rule, nil)}, []string{"demo_a"}},
		{"a PlanModify", map[string]*sdk.Resource{"demo_a": resource(optional, nil, noop)}, nil},
		{"a Required attribute", map[string]*sdk.Resource{
			"demo_a": resource(sdk.Attributes{"name": {Type: sdk.String, Required: true}}, nil, nil),
		}, nil},
		{"an Int attribute", map[string]*sdk.Resource{
			"demo_a": resource(sdk.Attributes{"n": {Type: sdk.Int, Optional: true}}, nil, nil),
		}, nil},
		{"several, sorted", map[string]*sdk.Resource{
			"demo_c": resource(optional, nil, nil),
			"demo_b": resource(optional, nil, noop),
			"demo_a": resource(nil, nil, nil),
		}, []string{"demo_a", "demo_c"}},
		{"declared incorrectly", map[string]*sdk.Resource{
			"demo_a":  resource(optional, nil, nil),
			"other_b": resource(optional, nil, nil),
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			iface := (&sdk.Provider{Name: "demo", Resources: tc.resources}).Interface()
			v, ok := iface.(plugins.SchemaPlanner)
			if !ok {
				t.Fatal("the SDK's provider does not implement plugins.SchemaPlanner")
			}
			if got := v.SchemaPlannedResourceTypes(); !slices.Equal(got, tc.want) {
				t.Fatalf("SchemaPlannedResourceTypes() = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("kit", func(t *testing.T) {
		iface := (&sdk.Provider{Name: "demo", Resources: map[string]*sdk.Resource{"demo_a": resource(optional, rule, nil)}}).Interface()
		rules := func(ports ...int) cty.Value {
			var vs []cty.Value
			for _, p := range ports {
				vs = append(vs, cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(int64(p)), "label": cty.NullVal(cty.String)}))
			}
			return cty.ListVal(vs)
		}
		providertest.Run(t, iface,
			// Read keeps the state: the objects exist only there (StateOnly).
			providertest.Case{Name: "in place", ResourceType: "demo_a",
				Create: providertest.Config{"name": "a", "tags": map[string]string{"k": "v"}, "rule": rules(80)},
				Update: providertest.Config{"name": "a", "size": 5, "when": "now", "rule": rules(80)}, StateOnly: true},
			providertest.Case{Name: "replaced by an attribute", ResourceType: "demo_a",
				Create: providertest.Config{"name": "a"}, Update: providertest.Config{"name": "b"}, UpdateReplaces: true, StateOnly: true},
			providertest.Case{Name: "replaced by a block", ResourceType: "demo_a",
				Create: providertest.Config{"rule": rules(80)}, Update: providertest.Config{"rule": rules(80, 443)}, UpdateReplaces: true, StateOnly: true},
		)
	})
}
