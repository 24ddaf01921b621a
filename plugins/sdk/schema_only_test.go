package sdk_test

import (
	"context"
	"slices"
	"testing"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/sdk"
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// TestSchemaOnlyResourceTypes checks which resource types the SDK declares
// to have nothing to validate beyond the schema, and that such a type's
// ValidateResourceConfig indeed reports nothing for configurations that
// the SDK would otherwise check.
func TestSchemaOnlyResourceTypes(t *testing.T) {
	noop := func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil }
	resource := func(attrs sdk.Attributes, blocks sdk.Blocks, validate func(*sdk.ResourceData) sdk.Diagnostics) *sdk.Resource {
		return &sdk.Resource{Attributes: attrs, Blocks: blocks, Validate: validate, Create: noop, Read: noop, Delete: noop}
	}
	optional := sdk.Attributes{"name": {Type: sdk.String, Optional: true}, "size": {Type: sdk.Number, Optional: true}}
	tests := []struct {
		name      string
		resources map[string]*sdk.Resource
		want      []string
	}{
		{"optional attributes only", map[string]*sdk.Resource{"demo_a": resource(optional, nil, nil)}, []string{"demo_a"}},
		{"a Validate function", map[string]*sdk.Resource{
			"demo_a": resource(optional, nil, func(*sdk.ResourceData) sdk.Diagnostics { return nil }),
		}, nil},
		{"a Required attribute", map[string]*sdk.Resource{
			"demo_a": resource(sdk.Attributes{"name": {Type: sdk.String, Required: true}}, nil, nil),
		}, nil},
		{"an Int attribute", map[string]*sdk.Resource{
			"demo_a": resource(sdk.Attributes{"n": {Type: sdk.Int, Optional: true}}, nil, nil),
		}, nil},
		{"a map of Int", map[string]*sdk.Resource{
			"demo_a": resource(sdk.Attributes{"n": {Type: sdk.Map(sdk.Int), Optional: true}}, nil, nil),
		}, nil},
		{"a Required attribute in a nested block", map[string]*sdk.Resource{
			"demo_a": resource(optional, sdk.Blocks{"rule": {Nesting: sdk.BlockList,
				Blocks: sdk.Blocks{"match": {Nesting: sdk.BlockSingle,
					Attributes: sdk.Attributes{"v": {Type: sdk.String, Required: true}}}}}}, nil),
		}, nil},
		{"optional nested blocks", map[string]*sdk.Resource{
			"demo_a": resource(optional, sdk.Blocks{"rule": {Nesting: sdk.BlockList,
				Attributes: sdk.Attributes{"v": {Type: sdk.String, Optional: true}}}}, nil),
		}, []string{"demo_a"}},
		{"several, sorted", map[string]*sdk.Resource{
			"demo_c": resource(optional, nil, nil),
			"demo_b": resource(sdk.Attributes{"name": {Type: sdk.String, Required: true}}, nil, nil),
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
			v, ok := iface.(plugins.SchemaOnlyValidator)
			if !ok {
				t.Fatal("the SDK's provider does not implement plugins.SchemaOnlyValidator")
			}
			got := v.SchemaOnlyResourceTypes()
			if !slices.Equal(got, tc.want) {
				t.Fatalf("SchemaOnlyResourceTypes() = %q, want %q", got, tc.want)
			}
			schema := iface.GetSchema(context.Background()).Schema
			for _, name := range got {
				ty := schema.ResourceTypes[name].ImpliedType()
				for _, config := range []cty.Value{cty.NullVal(ty), cty.UnknownVal(ty), nullAttributes(ty)} {
					resp := iface.ValidateResourceConfig(context.Background(), providers.ValidateResourceConfigRequest{TypeName: name, Config: config})
					if len(resp.Diagnostics) > 0 {
						t.Errorf("%s is declared schema-only, but ValidateResourceConfig(%#v) = %v", name, config, resp.Diagnostics)
					}
				}
			}
		})
	}
}

// nullAttributes is an object of type ty with every attribute null.
func nullAttributes(ty cty.Type) cty.Value {
	attrs := map[string]cty.Value{}
	for name, aty := range ty.AttributeTypes() {
		attrs[name] = cty.NullVal(aty)
	}
	return cty.ObjectVal(attrs)
}
