package sdk_test

import (
	"context"
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins/sdk"
	"github.com/blueprint-engine/bp/providers"
)

// A provider with one resource type whose Computed text is decided at
// create. A plugin's main would call sdk.Serve(p); here the engine's calls
// are made by hand to show what the SDK plans and applies.
func Example() {
	p := &sdk.Provider{
		Name:    "hello",
		Version: "0.1.0",
		Resources: map[string]*sdk.Resource{"hello_greeting": {
			Description: "A greeting, kept only in state.",
			Attributes: sdk.Attributes{
				"name": {Type: sdk.String, Required: true, ForceNew: true, Description: "Who to greet."},
				"text": {Type: sdk.String, Computed: true, Description: "The greeting."},
			},
			Create: func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.SetID(d.GetString("name"))
				d.Set("text", "Hello, "+d.GetString("name")+"!")
				return nil
			},
			Read:   func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil },
			Delete: func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil },
		}},
	}

	ctx := context.Background()
	iface := p.Interface()
	iface.Configure(ctx, providers.ConfigureRequest{})
	schema := iface.GetSchema(ctx).Schema.ResourceTypes["hello_greeting"]
	null := cty.NullVal(schema.ImpliedType())
	config := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("world"), "id": cty.NullVal(cty.String), "text": cty.NullVal(cty.String),
	})
	plan := iface.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: "hello_greeting", PriorState: null, Config: config,
		ProposedNewState: providers.ProposedNewObject(schema, null, config),
	})
	fmt.Println("planned text known:", plan.PlannedState.GetAttr("text").IsKnown())
	applied := iface.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{
		TypeName: "hello_greeting", PriorState: null, PlannedState: plan.PlannedState, Config: config,
	})
	fmt.Println("id:", applied.NewState.GetAttr("id").AsString())
	fmt.Println("text:", applied.NewState.GetAttr("text").AsString())
	// Output:
	// planned text known: false
	// id: world
	// text: Hello, world!
}
