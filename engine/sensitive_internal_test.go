package engine

import (
	"slices"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

func TestCopiedSecrets(t *testing.T) {
	cfg := cty.ObjectVal(map[string]cty.Value{
		"token": cty.StringVal("s3cr3t"),
		"creds": cty.ObjectVal(map[string]cty.Value{"user": cty.StringVal("admin"), "port": cty.NumberIntVal(2222), "on": cty.True}),
		"name":  cty.StringVal("web"),
		"tags":  cty.SetVal([]cty.Value{cty.StringVal("hidden-tag")}),
	})
	tests := []struct {
		name      string
		sensitive []cty.Path // of cfg
		result    cty.Value
		want      []string
	}{
		{name: "nothing sensitive", result: cty.ObjectVal(map[string]cty.Value{"out": cty.StringVal("s3cr3t")})},
		{name: "copy elsewhere", sensitive: []cty.Path{cty.GetAttrPath("token")},
			result: cty.ObjectVal(map[string]cty.Value{
				"token": cty.StringVal("s3cr3t"),
				"outputs": cty.ObjectVal(map[string]cty.Value{
					"token": cty.StringVal("s3cr3t"), "name": cty.StringVal("web"),
					"list": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("s3cr3t")}),
					"map":  cty.MapVal(map[string]cty.Value{"k": cty.StringVal("s3cr3t")}),
				}),
				"unknown": cty.UnknownVal(cty.String), "null": cty.NullVal(cty.String),
			}),
			want: []string{`.outputs.list[1]`, `.outputs.map["k"]`, `.outputs.token`, `.token`}},
		{name: "every leaf below a sensitive object", sensitive: []cty.Path{cty.GetAttrPath("creds")},
			result: cty.ObjectVal(map[string]cty.Value{
				"u": cty.StringVal("admin"), "p": cty.NumberIntVal(2222), "b": cty.True, "f": cty.False, "n": cty.StringVal("web"),
				"tuple": cty.TupleVal([]cty.Value{cty.NumberFloatVal(2222), cty.StringVal("2222")}),
			}),
			want: []string{`.b`, `.p`, `.tuple[0]`, `.u`}},
		{name: "a match in a set hides the set", sensitive: []cty.Path{cty.GetAttrPath("token")},
			result: cty.ObjectVal(map[string]cty.Value{
				"set": cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("s3cr3t")}),
			}),
			want: []string{`.set`}},
		{name: "a sensitive set element", sensitive: []cty.Path{cty.GetAttrPath("tags")},
			result: cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal("hidden-tag")}),
			want:   []string{`.t`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range copiedSecrets(tc.result, secretsOf(cfg, tc.sensitive)) {
				got = append(got, state.FormatPath(p))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestUnknownAsNull(t *testing.T) {
	planned := cty.ObjectVal(map[string]cty.Value{
		"name":    cty.StringVal("a"),
		"id":      cty.UnknownVal(cty.String),
		"outputs": cty.DynamicVal,
		"list":    cty.ListVal([]cty.Value{cty.StringVal("x"), cty.UnknownVal(cty.String)}),
		"whole":   cty.UnknownVal(cty.List(cty.String)),
	})
	got := unknownAsNull(planned)
	want := cty.ObjectVal(map[string]cty.Value{
		"name":    cty.StringVal("a"),
		"id":      cty.NullVal(cty.String),
		"outputs": cty.NullVal(cty.DynamicPseudoType),
		"list":    cty.ListVal([]cty.Value{cty.StringVal("x"), cty.NullVal(cty.String)}),
		"whole":   cty.NullVal(cty.List(cty.String)),
	})
	if !got.RawEquals(want) {
		t.Errorf("unknownAsNull =\n%#v\nwant\n%#v", got, want)
	}
}
