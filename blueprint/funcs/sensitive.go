package funcs

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Mark is the type of the cty marks this package defines. Marks are compared
// by value, so a Mark constant can be used directly with cty.Value.Mark,
// HasMark and HasMarkDeep.
type Mark string

// SensitiveMark marks a value as sensitive: it must never be shown in plan
// output, logs or error messages. The sensitive function adds it, the
// nonsensitive function removes it, and every function in Table keeps it on
// results derived from a sensitive argument.
const SensitiveMark Mark = "sensitive"

// sensitiveFunc returns its argument marked with SensitiveMark.
var sensitiveFunc = function.New(&function.Spec{
	Description: "Marks the given value as sensitive, so it is hidden in plan output, logs and error messages.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowNull:        true,
		AllowMarked:      true,
		AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0].Mark(SensitiveMark), nil
	},
})

// nonsensitiveFunc returns its argument with every SensitiveMark removed,
// at any depth. Other marks are kept. A value that is not sensitive is
// returned unchanged.
var nonsensitiveFunc = function.New(&function.Spec{
	Description: "Removes the sensitive mark from the given value (and from anything nested inside it).",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowNull:        true,
		AllowMarked:      true,
		AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return withoutMark(args[0], SensitiveMark), nil
	},
})

// issensitiveFunc reports whether its argument, or anything nested inside
// it, is marked sensitive. The answer is known even when the value is not.
var issensitiveFunc = function.New(&function.Spec{
	Description: "Returns true if the given value, or any value nested inside it, is sensitive.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowNull:        true,
		AllowMarked:      true,
		AllowDynamicType: true,
	}},
	Type: function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.BoolVal(args[0].HasMarkDeep(SensitiveMark)), nil
	},
})

// withoutMark removes mark from v at every depth and keeps all other marks
// where they were.
func withoutMark(v cty.Value, mark any) cty.Value {
	unmarked, paths := v.UnmarkDeepWithPaths()
	kept := make([]cty.PathValueMarks, 0, len(paths))
	for _, pm := range paths {
		marks := make(cty.ValueMarks, len(pm.Marks))
		for m := range pm.Marks {
			if m != mark {
				marks[m] = struct{}{}
			}
		}
		if len(marks) > 0 {
			kept = append(kept, cty.PathValueMarks{Path: pm.Path, Marks: marks})
		}
	}
	return unmarked.MarkWithPaths(kept)
}
