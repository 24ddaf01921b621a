package schemaplan

import (
	"bytes"
	"slices"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

var schema = &providers.Schema{
	Attributes: map[string]*providers.Attribute{
		"name": {Type: cty.String, Required: true, RequiresReplace: true},
		"size": {Type: cty.Number, Optional: true, Default: cty.NumberIntVal(1)},
		"id":   {Type: cty.String, Computed: true},
		"mode": {Type: cty.String, Optional: true, Computed: true},
	},
}

var ty = schema.ImpliedType()

func object(name, size, id, mode cty.Value) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"name": name, "size": size, "id": id, "mode": mode})
}

func TestPlan(t *testing.T) {
	str, null := cty.StringVal, cty.NullVal(cty.String)
	prior := object(str("a"), cty.NumberIntVal(2), str("id-1"), str("fast"))
	config := func(name cty.Value, size cty.Value) cty.Value { return object(name, size, null, null) }
	private := []byte("p")
	tests := []struct {
		name        string
		prior       cty.Value
		config      cty.Value
		keepConfig  bool // pass Config; otherwise a null one
		want        cty.Value
		wantReplace []cty.Path
	}{
		{"create", cty.NullVal(ty), config(str("a"), cty.NullVal(cty.Number)), true,
			object(str("a"), cty.NumberIntVal(1), cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)), nil},
		{"create with unknowns", cty.NullVal(ty), config(cty.UnknownVal(cty.String), cty.UnknownVal(cty.Number)), true,
			object(cty.UnknownVal(cty.String), cty.UnknownVal(cty.Number), cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)), nil},
		{"no change", prior, config(str("a"), cty.NumberIntVal(2)), true, prior, nil},
		{"in place", prior, config(str("a"), cty.NumberIntVal(3)), true,
			object(str("a"), cty.NumberIntVal(3), str("id-1"), str("fast")), nil},
		{"replacement: computed values decided anew", prior, config(str("b"), cty.NumberIntVal(2)), true,
			object(str("b"), cty.NumberIntVal(2), cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)), []cty.Path{cty.GetAttrPath("name")}},
		// The proposal stands for the missing configuration, Computed
		// values and all.
		{"replacement without config", prior, config(str("b"), cty.NumberIntVal(2)), false,
			object(str("b"), cty.NumberIntVal(2), str("id-1"), str("fast")), []cty.Path{cty.GetAttrPath("name")}},
		{"unknown replace attribute", prior, config(cty.UnknownVal(cty.String), cty.NumberIntVal(2)), true,
			object(cty.UnknownVal(cty.String), cty.NumberIntVal(2), cty.UnknownVal(cty.String), cty.UnknownVal(cty.String)), []cty.Path{cty.GetAttrPath("name")}},
		{"destroy", prior, cty.NullVal(ty), true, cty.NullVal(ty), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := providers.PlanResourceChangeRequest{
				TypeName: "x", PriorState: tc.prior, ProposedNewState: providers.ProposedNewObject(schema, tc.prior, tc.config),
				Config: cty.NullVal(ty), PriorPrivate: private,
			}
			if tc.keepConfig {
				req.Config = tc.config
			}
			got := Plan(schema, ty, req)
			if !got.PlannedState.RawEquals(tc.want) {
				t.Errorf("planned %#v\nwant %#v", got.PlannedState, tc.want)
			}
			if !slices.EqualFunc(got.RequiresReplace, tc.wantReplace, cty.Path.Equals) {
				t.Errorf("RequiresReplace = %#v, want %#v", got.RequiresReplace, tc.wantReplace)
			}
			wantPrivate := private
			if tc.want.IsNull() {
				wantPrivate = nil
			}
			if !bytes.Equal(got.PlannedPrivate, wantPrivate) || len(got.Diagnostics) > 0 {
				t.Errorf("PlannedPrivate = %q, diagnostics %v; want %q and none", got.PlannedPrivate, got.Diagnostics, wantPrivate)
			}
		})
	}
	t.Run("missing prior state", func(t *testing.T) {
		cfg := config(str("a"), cty.NumberIntVal(1))
		got := Plan(schema, ty, providers.PlanResourceChangeRequest{ProposedNewState: providers.ProposedNewObject(schema, cty.NullVal(ty), cfg), Config: cfg})
		if len(got.RequiresReplace) > 0 || got.PlannedState.GetAttr("id").IsKnown() {
			t.Errorf("planned %#v, replace %v; want a create", got.PlannedState, got.RequiresReplace)
		}
	})
}
