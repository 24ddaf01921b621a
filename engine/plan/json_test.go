package plan

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

func TestJSONGolden(t *testing.T) {
	p := fixture(t)
	got, err := JSON(p)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "plan.json", got)
	checkNoSecrets(t, got)

	var doc map[string]any
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	if doc["format_version"] != JSONFormatVersion {
		t.Errorf("format_version = %v", doc["format_version"])
	}
}

func TestStateJSONGolden(t *testing.T) {
	s := fixture(t).PriorState
	s.SetDeposed(mustAddr(t, "std_random.pw"), "0a1b2c3d", "provider.std", &state.Object{
		Value:          cty.ObjectVal(map[string]cty.Value{"length": cty.NumberIntVal(8), "id": cty.StringVal("old"), "result": cty.StringVal("old-secret")}),
		SensitivePaths: []cty.Path{path("result")},
		Status:         state.Tainted,
	})
	got, err := StateJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "state.json", got)
	checkNoSecrets(t, got)

	empty, err := StateJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(empty, []byte(`"resources": []`)) {
		t.Errorf("StateJSON(nil) = %s", empty)
	}
}

// checkNoSecrets fails when out holds any secret of the fixture.
func checkNoSecrets(t *testing.T, out []byte) {
	t.Helper()
	for _, secret := range []string{"hunter2", "secret"} {
		if bytes.Contains(out, []byte(secret)) {
			t.Errorf("output shows the secret %q:\n%s", secret, out)
		}
	}
}

func TestJSONTrees(t *testing.T) {
	unk := cty.UnknownVal(cty.String)
	tests := []struct {
		name      string
		value     cty.Value
		sensitive []cty.Path
		want      string // value, unknown tree, sensitive tree
	}{
		{"nothing marked", cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")}), nil, `{"a":"x"} false false`},
		{"unknown attr", cty.ObjectVal(map[string]cty.Value{"a": unk, "b": cty.True}), nil, `{"a":null,"b":true} {"a":true} false`},
		{"list element", cty.ListVal([]cty.Value{cty.StringVal("x"), unk}), nil, `["x",null] [false,true] false`},
		{"sensitive map key", cty.MapVal(map[string]cty.Value{"k": cty.StringVal("s"), "o": cty.StringVal("o")}), []cty.Path{path(cty.StringVal("k"))}, `{"k":null,"o":"o"} false {"k":true}`},
		{"whole sensitive", cty.StringVal("s"), []cty.Path{nil}, `null false true`},
		{"sensitive unknown", unk, []cty.Path{nil}, `null true true`},
		{"numbers exact", cty.TupleVal([]cty.Value{cty.NumberFloatVal(0.5), cty.MustParseNumberVal("12345678901234567890123")}), nil, `[0.5,12345678901234567890123] false false`},
		{"null", cty.NullVal(cty.String), nil, `null false false`},
		{"nil", cty.NilVal, nil, `null false false`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, u, s := jsonValue(MarkSensitive(tc.value, tc.sensitive))
			var parts [][]byte
			for _, x := range []any{v, u, s} {
				b, err := json.Marshal(x)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, b)
			}
			if got := string(bytes.Join(parts, []byte(" "))); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
