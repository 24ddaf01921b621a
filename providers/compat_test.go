package providers

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestPlanApplyMismatches(t *testing.T) {
	o := func(m map[string]cty.Value) cty.Value { return cty.ObjectVal(m) }
	tests := []struct {
		name             string
		planned, applied cty.Value
		want             string
	}{
		{"equal", o(vals{"a": str("x")}), o(vals{"a": str("x")}), ""},
		{"unknown filled", o(vals{"a": unknownStr}), o(vals{"a": str("x")}), ""},
		{"known changed", o(vals{"a": str("x"), "b": str("y")}), o(vals{"a": str("x"), "b": str("z")}), "b"},
		{"still unknown", o(vals{"a": unknownStr}), o(vals{"a": unknownStr}), "a"},
		{"null became value", o(vals{"a": cty.NullVal(cty.String)}), o(vals{"a": str("x")}), "a"},
		{"value became null", o(vals{"a": str("x")}), o(vals{"a": cty.NullVal(cty.String)}), "a"},
		{"both null", cty.NullVal(cty.EmptyObject), cty.NullVal(cty.EmptyObject), ""},
		{"list element", o(vals{"l": cty.ListVal([]cty.Value{str("a"), unknownStr})}), o(vals{"l": cty.ListVal([]cty.Value{str("b"), str("c")})}), "l[0]"},
		{"list length", o(vals{"l": cty.ListVal([]cty.Value{str("a")})}), o(vals{"l": cty.ListVal([]cty.Value{str("a"), str("b")})}), "l"},
		{"map key", o(vals{"m": cty.MapVal(vals{"k": str("1")})}), o(vals{"m": cty.MapVal(vals{"j": str("1")})}), `m["k"]`},
		{"known set differs", o(vals{"s": cty.SetVal([]cty.Value{str("a")})}), o(vals{"s": cty.SetVal([]cty.Value{str("b")})}), "s"},
		{"partly unknown set", o(vals{"s": cty.SetVal([]cty.Value{unknownStr, unknownStr})}), o(vals{"s": cty.SetVal([]cty.Value{str("b")})}), ""},
		{"dynamic filled", o(vals{"d": cty.DynamicVal}), o(vals{"d": cty.ListVal([]cty.Value{str("a")})}), ""},
		{"dynamic type changed", o(vals{"d": str("1")}), o(vals{"d": cty.NumberIntVal(1)}), "d"},
		{"attribute missing", o(vals{"a": str("x")}), o(vals{"b": str("x")}), "a b"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatPaths(PlanApplyMismatches(tc.planned, tc.applied)); got != tc.want {
				t.Errorf("PlanApplyMismatches() = %q, want %q", got, tc.want)
			}
		})
	}
}
