package view

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func TestDescribeValue(t *testing.T) {
	tests := []struct {
		name string
		val  cty.Value
		want string
	}{
		{"number", cty.NumberIntVal(0), "is 0"},
		{"fraction", cty.NumberFloatVal(0.5), "is 0.5"},
		{"string", cty.StringVal("debian-12"), `is "debian-12"`},
		{"long string", cty.StringVal("0123456789012345678901234567890123456789012345678901234567890123456789"), `is "012345678901234567890123456789012345678901234567890123456789…"`},
		{"bool", cty.True, "is true"},
		{"null", cty.NullVal(cty.String), "is null"},
		{"unknown", cty.UnknownVal(cty.String), "will be known only after apply"},
		{"sensitive", cty.StringVal("hunter2").Mark("sensitive"), "has a sensitive value"},
		{"list", cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}), "is a list of string with 2 elements"},
		{"empty map", cty.MapValEmpty(cty.Number), "is an empty map of number"},
		{"tuple", cty.TupleVal([]cty.Value{cty.True}), "is a tuple with 1 element"},
		{"object", cty.ObjectVal(map[string]cty.Value{"a": cty.True, "b": cty.False}), "is an object with 2 attributes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := describeValue(tc.val); got != tc.want {
				t.Errorf("describeValue = %q, want %q", got, tc.want)
			}
		})
	}
}

// expressionDiagnostic is a failed variable validation as the loader reports
// it: the condition's range, expression and evaluation context.
func expressionDiagnostic(t *testing.T, src []byte, filename string) *hcl.Diagnostic {
	t.Helper()
	cond := rangeOf(t, src, filename, `var.web_count >= 1 && var.web_count <= var.max[0] && local.token != ""`, 0)
	expr, diags := hclsyntax.ParseExpression(src[cond.Start.Byte:cond.End.Byte], filename, cond.Start)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return &hcl.Diagnostic{
		Severity:   hcl.DiagError,
		Summary:    "Invalid value for variable",
		Detail:     "web_count must be between 1 and 50.",
		Subject:    cond,
		Expression: expr,
		EvalContext: &hcl.EvalContext{Variables: map[string]cty.Value{
			"var": cty.ObjectVal(map[string]cty.Value{
				"web_count": cty.NumberIntVal(0),
				"max":       cty.ListVal([]cty.Value{cty.NumberIntVal(50)}),
			}),
			"local": cty.ObjectVal(map[string]cty.Value{
				"token": cty.StringVal("s3cret").Mark("sensitive"),
			}),
		}},
	}
}
