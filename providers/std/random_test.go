package std

import (
	"slices"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func TestRandomLifecycle(t *testing.T) {
	h := newHarness(t, "std_random")
	cfg := func(length int64, keepers map[string]string) cty.Value {
		m := map[string]cty.Value{"length": cty.NumberIntVal(length)}
		if keepers != nil {
			kv := map[string]cty.Value{}
			for k, v := range keepers {
				kv[k] = cty.StringVal(v)
			}
			m["keepers"] = cty.MapVal(kv)
		}
		return h.config(m)
	}

	planned := h.plan(cty.NullVal(h.ty), cfg(24, map[string]string{"v": "1"})).PlannedState
	if planned.GetAttr("id").IsKnown() || planned.GetAttr("result").IsKnown() {
		t.Fatalf("planned create = %#v, want unknown id and result", planned)
	}
	state := h.apply(cty.NullVal(h.ty), planned, cfg(24, map[string]string{"v": "1"}))
	result := state.GetAttr("result").AsString()
	if len(result) != 24 || strings.Trim(result, passwordAlphabet) != "" {
		t.Fatalf("result %q: want 24 characters from the alphabet", result)
	}
	if got := h.schema.SensitivePaths(state); len(got) != 1 || providers.FormatPath(got[0]) != "result" {
		t.Errorf("SensitivePaths = %v, want [result]", formatPaths(got))
	}
	if got := h.read(state); !got.RawEquals(state) {
		t.Fatalf("read = %#v, want state unchanged", got)
	}
	h.wantNoChange(state, cfg(24, map[string]string{"v": "1"}))

	tests := []struct {
		name   string
		config cty.Value
		want   []string
	}{
		{"length change", cfg(25, map[string]string{"v": "1"}), []string{"length"}},
		{"keepers change", cfg(24, map[string]string{"v": "2"}), []string{"keepers"}},
		{"keepers removed", cfg(24, nil), []string{"keepers"}},
		{"both", cfg(8, nil), []string{"length", "keepers"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := h.plan(state, tc.config)
			if got := formatPaths(resp.RequiresReplace); !slices.Equal(got, tc.want) {
				t.Fatalf("RequiresReplace = %v, want %v", got, tc.want)
			}
			if resp.PlannedState.GetAttr("result").IsKnown() {
				t.Errorf("a replacement plans a known result %#v", resp.PlannedState.GetAttr("result"))
			}
		})
	}

	t.Run("replace then new value", func(t *testing.T) {
		created := h.create(cfg(24, map[string]string{"v": "2"}))
		if created.GetAttr("result").RawEquals(state.GetAttr("result")) || created.GetAttr("id").RawEquals(state.GetAttr("id")) {
			t.Fatal("a new std_random repeated the old id or result")
		}
		h.destroy(state)
	})
}

func TestRandomImport(t *testing.T) {
	h := newHarness(t, "std_random")
	state, diags := h.importID("s3cr3t")
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if state.GetAttr("result").AsString() != "s3cr3t" || !state.GetAttr("length").RawEquals(cty.NumberIntVal(6)) {
		t.Fatalf("imported %#v", state)
	}
	h.wantNoChange(state, h.config(map[string]cty.Value{"length": cty.NumberIntVal(6)}))
	if _, diags := h.importID(""); !diags.HasErrors() {
		t.Error("import of an empty ID succeeded")
	}
}

func TestRandomValidate(t *testing.T) {
	h := newHarness(t, "std_random")
	tests := []struct {
		name    string
		length  cty.Value
		wantErr bool
	}{
		{"one", cty.NumberIntVal(1), false},
		{"max", cty.NumberIntVal(maxRandomLength), false},
		{"unknown", cty.UnknownVal(cty.Number), false},
		{"zero", cty.NumberIntVal(0), true},
		{"negative", cty.NumberIntVal(-3), true},
		{"fraction", cty.NumberFloatVal(1.5), true},
		{"too long", cty.NumberIntVal(maxRandomLength + 1), true},
		{"huge", cty.MustParseNumberVal("1e400"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := h.validate(h.config(map[string]cty.Value{"length": tc.length}))
			if diags.HasErrors() != tc.wantErr {
				t.Fatalf("errors = %v, want error %v", diags, tc.wantErr)
			}
			if tc.wantErr && providers.FormatPath(diags[0].Attribute) != "length" {
				t.Errorf("error at %q, want length", providers.FormatPath(diags[0].Attribute))
			}
		})
	}
}
