package std

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// groupSize is one std_group_size object or configuration; -1 stands for
// null in override.
type groupSize struct{ desired, min, max, override, size int }

func (g groupSize) config(h *harness) cty.Value {
	over := cty.NullVal(cty.Number)
	if g.override >= 0 {
		over = cty.NumberIntVal(int64(g.override))
	}
	return h.config(map[string]cty.Value{
		"desired": cty.NumberIntVal(int64(g.desired)), "min": cty.NumberIntVal(int64(g.min)),
		"max": cty.NumberIntVal(int64(g.max)), "override": over,
	})
}

func (g groupSize) state() cty.Value {
	over := cty.NullVal(cty.Number)
	if g.override >= 0 {
		over = cty.NumberIntVal(int64(g.override))
	}
	return cty.ObjectVal(map[string]cty.Value{
		"desired": cty.NumberIntVal(int64(g.desired)), "min": cty.NumberIntVal(int64(g.min)),
		"max": cty.NumberIntVal(int64(g.max)), "override": over, "size": cty.NumberIntVal(int64(g.size)),
	})
}

func TestGroupSizePlan(t *testing.T) {
	none := -1
	for _, tc := range []struct {
		name         string
		prior        *groupSize
		config       groupSize
		wantSize     int
		wantOverride int
	}{
		{"create takes desired", nil, groupSize{2, 1, 5, none, 0}, 2, none},
		{"create clamps desired up", nil, groupSize{0, 1, 5, none, 0}, 1, none},
		{"create clamps desired down", nil, groupSize{9, 1, 5, none, 0}, 5, none},
		{"create with override", nil, groupSize{2, 1, 5, 4, 0}, 4, 4},
		{"unchanged desired keeps the size", &groupSize{2, 1, 5, 4, 4}, groupSize{2, 1, 5, none, 0}, 4, 4},
		{"unchanged desired keeps a size never overridden", &groupSize{2, 1, 5, none, 3}, groupSize{2, 1, 5, none, 0}, 3, none},
		{"changed desired resets the size", &groupSize{2, 1, 5, 4, 4}, groupSize{3, 1, 5, none, 0}, 3, none},
		{"override scales up", &groupSize{2, 1, 5, none, 2}, groupSize{2, 1, 5, 3, 0}, 3, 3},
		{"override scales down", &groupSize{2, 1, 5, 4, 4}, groupSize{2, 1, 5, 1, 0}, 1, 1},
		{"override is clamped to max", &groupSize{2, 1, 5, none, 2}, groupSize{2, 1, 5, 8, 0}, 5, 8},
		{"override is clamped to min", &groupSize{2, 1, 5, none, 2}, groupSize{2, 1, 5, 0, 0}, 1, 0},
		{"kept size follows a lower max", &groupSize{2, 1, 5, 5, 5}, groupSize{2, 1, 3, none, 0}, 3, 5},
		{"kept size follows a higher min", &groupSize{2, 1, 5, none, 2}, groupSize{2, 4, 5, none, 0}, 4, none},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "std_group_size")
			prior := cty.NullVal(h.ty)
			if tc.prior != nil {
				prior = tc.prior.state()
			}
			resp := h.plan(prior, tc.config.config(h))
			if len(resp.RequiresReplace) > 0 {
				t.Fatalf("RequiresReplace = %v, want none", formatPaths(resp.RequiresReplace))
			}
			got := resp.PlannedState
			want := tc.config
			want.size, want.override = tc.wantSize, tc.wantOverride
			if !got.RawEquals(want.state()) {
				t.Fatalf("planned %#v\nwant    %#v", got, want.state())
			}
			applied := h.apply(prior, got, tc.config.config(h))
			if !applied.RawEquals(got) {
				t.Errorf("applied %#v, want the plan", applied)
			}
			// The same configuration again is no change: the size stays.
			h.wantNoChange(applied, groupSize{tc.config.desired, tc.config.min, tc.config.max, none, 0}.config(h))
		})
	}
}

func TestGroupSizeUnknown(t *testing.T) {
	h := newHarness(t, "std_group_size")
	for _, tc := range []struct {
		name  string
		attrs map[string]cty.Value
	}{
		{"desired", map[string]cty.Value{"desired": cty.UnknownVal(cty.Number), "min": cty.NumberIntVal(1), "max": cty.NumberIntVal(3)}},
		{"max", map[string]cty.Value{"desired": cty.NumberIntVal(1), "min": cty.NumberIntVal(1), "max": cty.UnknownVal(cty.Number)}},
		{"override", map[string]cty.Value{"desired": cty.NumberIntVal(1), "min": cty.NumberIntVal(1), "max": cty.NumberIntVal(3), "override": cty.UnknownVal(cty.Number)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.plan(cty.NullVal(h.ty), h.config(tc.attrs))
			if resp.PlannedState.GetAttr("size").IsKnown() {
				t.Errorf("size planned known from an unknown %s: %#v", tc.name, resp.PlannedState)
			}
		})
	}
}

func TestGroupSizeValidate(t *testing.T) {
	h := newHarness(t, "std_group_size")
	n := func(f float64) cty.Value { return cty.NumberFloatVal(f) }
	for _, tc := range []struct {
		name  string
		attrs map[string]cty.Value
		want  string // "" for valid
	}{
		{"valid", map[string]cty.Value{"desired": n(2), "min": n(1), "max": n(5)}, ""},
		{"min equals max", map[string]cty.Value{"desired": n(2), "min": n(2), "max": n(2)}, ""},
		{"fraction", map[string]cty.Value{"desired": n(2.5), "min": n(1), "max": n(5)}, "desired must be a whole number"},
		{"negative", map[string]cty.Value{"desired": n(2), "min": n(-1), "max": n(5)}, "min must be a whole number"},
		{"negative override", map[string]cty.Value{"desired": n(2), "min": n(1), "max": n(5), "override": n(-3)}, "override must be a whole number"},
		{"min above max", map[string]cty.Value{"desired": n(2), "min": n(4), "max": n(3)}, "min (4) is larger than max (3)"},
		{"unknown is left for later", map[string]cty.Value{"desired": cty.UnknownVal(cty.Number), "min": n(1), "max": n(5)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := h.validate(h.config(tc.attrs))
			if tc.want == "" {
				if diags.HasErrors() {
					t.Fatalf("validate: %v", diags.Err())
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), tc.want) {
				t.Fatalf("validate = %v, want an error containing %q", diags.Err(), tc.want)
			}
		})
	}
}

func TestGroupSizeLifecycle(t *testing.T) {
	h := newHarness(t, "std_group_size")
	state := h.create(groupSize{2, 1, 5, -1, 0}.config(h))
	if got := h.read(state); !got.RawEquals(state) {
		t.Errorf("read = %#v, want the state unchanged", got)
	}
	if _, diags := h.importID("x"); !diags.HasErrors() {
		t.Error("import succeeded; a std_group_size exists only in state")
	}
	h.destroy(state)
}
