package sdk

import (
	"reflect"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

func TestResourceDataGetters(t *testing.T) {
	s, err := buildSchema("", object{
		attrs: Attributes{
			"s":     {Type: String, Optional: true},
			"n":     {Type: Int, Optional: true},
			"f":     {Type: Number, Optional: true},
			"b":     {Type: Bool, Optional: true},
			"list":  {Type: List(String), Optional: true},
			"set":   {Type: Set(String), Optional: true},
			"map":   {Type: Map(String), Optional: true},
			"unset": {Type: String, Optional: true},
			"later": {Type: String, Computed: true},
		},
		blocks: Blocks{"rule": {Attributes: Attributes{"port": {Type: Int, Required: true}}}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	rule := func(port int64) cty.Value { return cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(port)}) }
	d := newResourceData(s, cty.ObjectVal(map[string]cty.Value{
		"s": cty.StringVal("x"), "n": cty.NumberIntVal(42), "f": cty.NumberFloatVal(2.5), "b": cty.True,
		"list":  cty.ListVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")}),
		"set":   cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")}),
		"map":   cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}),
		"unset": cty.NullVal(cty.String), "later": cty.UnknownVal(cty.String),
		"rule": cty.ListVal([]cty.Value{rule(80), rule(443)}),
	}), cty.NilVal)

	tests := []struct {
		name      string
		got, want any
	}{
		{"GetString", d.GetString("s"), "x"},
		{"GetInt", d.GetInt("n"), 42},
		{"GetFloat", d.GetFloat("f"), 2.5},
		{"GetBool", d.GetBool("b"), true},
		{"GetStringList list", d.GetStringList("list"), []string{"b", "a"}},
		{"GetStringList set", d.GetStringList("set"), []string{"a", "b"}},
		{"GetStringMap", d.GetStringMap("map"), map[string]string{"k": "v"}},
		{"null is zero", d.GetString("unset"), ""},
		{"unknown is zero", d.GetString("later"), ""},
		{"IsNull", d.IsNull("unset"), true},
		{"IsKnown", d.IsKnown("later"), false},
		{"IsNew", d.IsNew(), true},
		{"HasChange on create", d.HasChange("s"), true},
		{"no change of null on create", d.HasChange("unset"), false},
		{"blocks", len(d.Blocks("rule")), 2},
		{"block attribute", d.Blocks("rule")[1].GetInt("port"), 443},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
	if diags := d.problems(); diags != nil {
		t.Errorf("unexpected misuse: %v", diags.Err())
	}

	d.Blocks("rule")[0].GetString("nope")
	d.Blocks("nope")
	d.Set("n", "not a number")
	if err := d.problems().Err(); err == nil ||
		!strings.Contains(err.Error(), `attribute "nope" is not declared`) ||
		!strings.Contains(err.Error(), `block "nope" is not declared`) ||
		!strings.Contains(err.Error(), `Set("n")`) {
		t.Errorf("misuse not reported: %v", err)
	}
}

func TestHasChangeOnUpdate(t *testing.T) {
	s, _ := buildSchema("", object{attrs: Attributes{"a": {Type: String, Optional: true}, "b": {Type: String, Optional: true}}}, false)
	prior := cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.StringVal("1")})
	d := newResourceData(s, cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.UnknownVal(cty.String)}), prior)
	if d.IsNew() || d.HasChange("a") || !d.HasChange("b") || !d.HasChanges("a", "b") || d.HasChanges("a") {
		t.Errorf("IsNew=%v a=%v b=%v", d.IsNew(), d.HasChange("a"), d.HasChange("b"))
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"content", "content"},
		{"rule.0.port", "rule[0].port"},
		{"a.b", "a.b"},
		{"0", "0"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := providers.FormatPath(parsePath(tc.in)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
