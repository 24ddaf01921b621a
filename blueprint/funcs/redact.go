package funcs

import (
	"errors"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// redactedDetail replaces the message of an error raised by a function
// called with a sensitive argument: the original message may quote the
// value (go-cty's tonumber does, for one), so none of it is kept.
const redactedDetail = "the value is not valid for this function; the details are hidden because an argument is sensitive"

// redactSensitive wraps f so that, when any argument holds a value marked
// SensitiveMark, an error from f is replaced by one that says nothing about
// the values. The argument index of a function.ArgError is kept, so HCL
// still points at the right argument. Results, unknown handling and marks
// are exactly those of f.
func redactSensitive(f function.Function) function.Function {
	spec := &function.Spec{
		Description: f.Description(),
		Params:      passThroughParams(f.Params()),
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := f.ReturnTypeForValues(args)
			return ty, redactError(err, args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := f.Call(args)
			return v, redactError(err, args)
		},
	}
	if vp := f.VarParam(); vp != nil {
		spec.VarParam = &passThroughParams([]function.Parameter{*vp})[0]
	}
	return function.New(spec)
}

// passThroughParams keeps the names and types of params (HCL converts
// arguments to those types before the call) but lets every value through
// untouched, so the wrapped function applies its own rules for unknown,
// null, dynamic and marked values.
func passThroughParams(params []function.Parameter) []function.Parameter {
	out := make([]function.Parameter, len(params))
	for i, p := range params {
		p.AllowUnknown = true
		p.AllowNull = true
		p.AllowMarked = true
		p.AllowDynamicType = true
		out[i] = p
	}
	return out
}

// redactError returns err unchanged unless one of args is sensitive.
func redactError(err error, args []cty.Value) error {
	if err == nil || !anySensitive(args) {
		return err
	}
	var argErr function.ArgError
	if errors.As(err, &argErr) {
		return function.NewArgErrorf(argErr.Index, "%s", redactedDetail)
	}
	return errors.New(redactedDetail)
}

func anySensitive(args []cty.Value) bool {
	for _, a := range args {
		if a.HasMarkDeep(SensitiveMark) {
			return true
		}
	}
	return false
}
