package engine

import (
	"encoding/json"
	"math/big"
	"reflect"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// viaJSON is what plainValue replaces: a JSON encode and decode.
func viaJSON(t *testing.T, v cty.Value) any {
	t.Helper()
	raw, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		t.Fatal(err)
	}
	var plain any
	if err := json.Unmarshal(raw, &plain); err != nil {
		t.Fatal(err)
	}
	return plain
}

func TestPlainValueMatchesJSON(t *testing.T) {
	tests := []struct {
		name string
		v    cty.Value
	}{
		{"string", cty.StringVal("héllo\n\"x\"")},
		{"empty string", cty.StringVal("")},
		{"integer", cty.NumberIntVal(1001)},
		{"negative float", cty.NumberFloatVal(-0.25)},
		{"big integer", cty.NumberIntVal(1 << 60)},
		{"bool", cty.True},
		{"null string", cty.NullVal(cty.String)},
		{"list", cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{"empty list", cty.ListValEmpty(cty.String)},
		{"set", cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")})},
		{"tuple", cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1), cty.NullVal(cty.Bool)})},
		{"map", cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v"), "l": cty.StringVal("w")})},
		{"empty map", cty.MapValEmpty(cty.String)},
		{"object", cty.ObjectVal(map[string]cty.Value{
			"n": cty.NumberIntVal(1), "nested": cty.ObjectVal(map[string]cty.Value{"l": cty.ListVal([]cty.Value{cty.True})}),
		})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := plainValue(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if want := viaJSON(t, tc.v); !reflect.DeepEqual(got, want) {
				t.Errorf("plainValue = %#v, JSON round trip = %#v", got, want)
			}
		})
	}
}

func TestPlainValueErrors(t *testing.T) {
	huge := new(big.Float).SetMantExp(big.NewFloat(1), 5000)
	tests := []struct {
		name string
		v    cty.Value
	}{
		{"unknown", cty.UnknownVal(cty.String)},
		{"unknown inside a list", cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)})},
		{"number too large", cty.NumberVal(huge)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := plainValue(tc.v); err == nil {
				t.Error("no error")
			}
		})
	}
}
