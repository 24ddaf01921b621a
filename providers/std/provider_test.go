package std

import (
	"context"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func planRequest(h *harness, prior, config cty.Value) providers.PlanResourceChangeRequest {
	return providers.PlanResourceChangeRequest{
		TypeName: h.typeName, PriorState: prior, Config: config,
		ProposedNewState: providers.ProposedNewObject(h.schema, prior, config),
	}
}

func TestRegistered(t *testing.T) {
	p, ok := providers.Builtin("std")
	if !ok {
		t.Fatal(`Builtin("std") not found`)
	}
	if _, isStd := p.(*Provider); !isStd {
		t.Fatalf(`Builtin("std") = %T, want *std.Provider`, p)
	}
	ps := p.GetSchema(context.Background()).Schema
	if err := ps.InternalValidate(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"std_file", "std_random", "std_null"} {
		if ps.ResourceTypes[name] == nil {
			t.Errorf("schema lacks %s", name)
		}
	}
}

func TestUnsupportedTypes(t *testing.T) {
	p := New()
	ctx := context.Background()
	checks := map[string]providers.Diagnostics{
		"validate resource": p.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: "std_nope"}).Diagnostics,
		"plan":              p.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "std_nope"}).Diagnostics,
		"apply":             p.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "std_nope"}).Diagnostics,
		"read":              p.ReadResource(ctx, providers.ReadResourceRequest{TypeName: "std_nope"}).Diagnostics,
		"import":            p.ImportResourceState(ctx, providers.ImportResourceStateRequest{TypeName: "std_nope", ID: "x"}).Diagnostics,
		"validate data":     p.ValidateDataSourceConfig(ctx, providers.ValidateDataSourceConfigRequest{TypeName: "std_x"}).Diagnostics,
		"read data":         p.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: "std_x"}).Diagnostics,
	}
	for name, diags := range checks {
		t.Run(name, func(t *testing.T) {
			if !diags.HasErrors() {
				t.Fatal("no error for an unsupported type")
			}
		})
	}
}
