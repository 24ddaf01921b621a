package std

import (
	"slices"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestNullLifecycle(t *testing.T) {
	h := newHarness(t, "std_null")
	cfg := func(trigger string, inputs cty.Value) cty.Value {
		return h.config(map[string]cty.Value{
			"triggers": cty.MapVal(map[string]cty.Value{"t": cty.StringVal(trigger)}),
			"inputs":   inputs,
		})
	}
	in1 := cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1"), "n": cty.ListVal([]cty.Value{cty.NumberIntVal(1)})})
	in2 := cty.StringVal("two")

	planned := h.plan(cty.NullVal(h.ty), cfg("x", in1)).PlannedState
	if planned.GetAttr("id").IsKnown() || planned.GetAttr("outputs").IsKnown() {
		t.Fatalf("planned create = %#v, want unknown id and outputs", planned)
	}
	state := h.apply(cty.NullVal(h.ty), planned, cfg("x", in1))
	if !state.GetAttr("outputs").RawEquals(in1) || len(state.GetAttr("id").AsString()) != 16 {
		t.Fatalf("created %#v, want outputs = inputs and a 16-digit id", state)
	}
	if got := h.read(state); !got.RawEquals(state) {
		t.Fatalf("read = %#v, want state unchanged", got)
	}
	h.wantNoChange(state, cfg("x", in1))

	t.Run("inputs change in place", func(t *testing.T) {
		resp := h.plan(state, cfg("x", in2))
		if len(resp.RequiresReplace) > 0 || resp.PlannedState.GetAttr("outputs").IsKnown() ||
			!resp.PlannedState.GetAttr("id").RawEquals(state.GetAttr("id")) {
			t.Fatalf("planned %#v replace %v, want same id, unknown outputs, no replace", resp.PlannedState, resp.RequiresReplace)
		}
		state = h.apply(state, resp.PlannedState, cfg("x", in2))
		if !state.GetAttr("outputs").RawEquals(in2) {
			t.Fatalf("outputs = %#v, want %#v", state.GetAttr("outputs"), in2)
		}
	})
	t.Run("unknown inputs", func(t *testing.T) {
		resp := h.plan(state, cfg("x", cty.UnknownVal(cty.String)))
		if resp.PlannedState.GetAttr("outputs").IsKnown() {
			t.Fatalf("outputs planned known from unknown inputs: %#v", resp.PlannedState)
		}
	})
	t.Run("triggers change requires replace", func(t *testing.T) {
		resp := h.plan(state, cfg("y", in2))
		if got := formatPaths(resp.RequiresReplace); !slices.Equal(got, []string{"triggers"}) {
			t.Fatalf("RequiresReplace = %v, want [triggers]", got)
		}
		created := h.create(cfg("y", in2))
		if created.GetAttr("id").RawEquals(state.GetAttr("id")) {
			t.Fatal("replacement kept the old id")
		}
		h.destroy(state)
	})
}

func TestNullImport(t *testing.T) {
	h := newHarness(t, "std_null")
	state, diags := h.importID("abc")
	if diags.HasErrors() || state.GetAttr("id").AsString() != "abc" {
		t.Fatalf("import = %#v, %v", state, diags)
	}
	if _, diags := h.importID(""); !diags.HasErrors() {
		t.Error("import of an empty ID succeeded")
	}
}

// BenchmarkNullPlan measures the no-change plan of one std_null, the unit of
// the large-plan benchmarks.
func BenchmarkNullPlan(b *testing.B) {
	h := newHarness(b, "std_null")
	config := h.config(map[string]cty.Value{
		"triggers": cty.MapVal(map[string]cty.Value{"t": cty.StringVal("x")}),
		"inputs":   cty.StringVal("v"),
	})
	state := cty.ObjectVal(map[string]cty.Value{
		"triggers": config.GetAttr("triggers"), "inputs": cty.StringVal("v"),
		"id": cty.StringVal("0123456789abcdef"), "outputs": cty.StringVal("v"),
	})
	b.ReportAllocs()
	for b.Loop() {
		resp := h.p.PlanResourceChange(b.Context(), planRequest(h, state, config))
		if resp.Diagnostics.HasErrors() {
			b.Fatal(resp.Diagnostics.Err())
		}
	}
}
