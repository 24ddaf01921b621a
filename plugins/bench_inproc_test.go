package plugins

import (
	"context"
	"fmt"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/zclconf/go-cty/cty"
)

// BenchmarkConnPlanApply plans and creates a std_null through gRPC within
// one process: the protocol's cost (value conversion, gRPC) without the
// process boundary and TLS. bench/pluginbench measures the real thing.
func BenchmarkConnPlanApply(b *testing.B) {
	ctx := context.Background()
	c, _, _, _ := connect(b, std.New())
	c.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(cty.EmptyObject)})
	schema := c.GetSchema(ctx).Schema.ResourceTypes["std_null"]
	prior := cty.NullVal(schema.ImpliedType())
	i := 0
	for b.Loop() {
		i++
		cfg := cty.ObjectVal(map[string]cty.Value{
			"triggers": cty.MapVal(map[string]cty.Value{"n": cty.StringVal(fmt.Sprint(i))}),
			"inputs":   cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(fmt.Sprintf("res-%d", i)), "size": cty.NumberIntVal(int64(i))}),
			"id":       cty.NullVal(cty.String),
			"outputs":  cty.NullVal(cty.DynamicPseudoType),
		})
		plan := c.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "std_null",
			PriorState: prior, ProposedNewState: providers.ProposedNewObject(schema, prior, cfg), Config: cfg})
		apply := c.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "std_null",
			PriorState: prior, PlannedState: plan.PlannedState, Config: cfg})
		if plan.Diagnostics.HasErrors() || apply.Diagnostics.HasErrors() {
			b.Fatal(plan.Diagnostics, apply.Diagnostics)
		}
	}
}

// BenchmarkConnRoundTrip is the floor of a call within one process.
func BenchmarkConnRoundTrip(b *testing.B) {
	c, _, _, _ := connect(b, std.New())
	for b.Loop() {
		if err := c.Stop(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
