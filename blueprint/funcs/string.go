package funcs

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// makeStringTest returns a (str, sub) → bool function built on test.
func makeStringTest(desc, subName string, test func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: subName, Type: cty.String},
		},
		Type:         function.StaticReturnType(cty.Bool),
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	startsWithFunc  = makeStringTest("Returns true if the string begins with the given prefix.", "prefix", strings.HasPrefix)
	endsWithFunc    = makeStringTest("Returns true if the string ends with the given suffix.", "suffix", strings.HasSuffix)
	strContainsFunc = makeStringTest("Returns true if the string contains the given substring.", "substr", strings.Contains)
)

// replaceFunc is replace(str, substr, replacement). A substr wrapped in
// slashes ("/[0-9]+/") is a regular expression (RE2 syntax) and the
// replacement may refer to its groups as $1 or ${name}.
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces every occurrence of substr in str. If substr is wrapped in slashes it is a regular expression, and the replacement may use $1 or ${name} for its capture groups.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0], args[1].AsString(), args[2]
		if len(substr) > 1 && strings.HasPrefix(substr, "/") && strings.HasSuffix(substr, "/") {
			out, err := stdlib.RegexReplace(str, cty.StringVal(substr[1:len(substr)-1]), repl)
			if err != nil {
				return cty.NilVal, function.NewArgError(1, err)
			}
			return out, nil
		}
		return stdlib.Replace(str, args[1], repl)
	},
})
