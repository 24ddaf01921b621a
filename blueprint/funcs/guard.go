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

// guard wraps f with the two promises every function in Table keeps, which
// go-cty's stdlib does not always keep by itself:
//
//   - An unknown result carries every mark found in any argument. go-cty
//     drops marks on the way to an unknown result in some paths (a
//     dynamically-typed argument to a parameter that allows marks, or
//     abs(sensitive(unknown))); a result that is not known yet cannot show
//     which argument it came from, so it gets them all.
//   - When redact is set and any argument holds a value marked
//     SensitiveMark, an error from f is replaced by one that says nothing
//     about the values. The index of a function.ArgError is kept, so HCL
//     still points at the right argument.
//
// Known results, and the handling of unknown, null and marked values, are
// otherwise exactly those of f.
func guard(f function.Function, redact bool) function.Function {
	fail := func(err error, args []cty.Value) error {
		if redact {
			return redactError(err, args)
		}
		return err
	}
	spec := &function.Spec{
		Description: f.Description(),
		Params:      passThroughParams(f.Params()),
		Type: func(args []cty.Value) (cty.Type, error) {
			ty, err := f.ReturnTypeForValues(args)
			return ty, fail(err, args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, err := f.Call(args)
			if err != nil {
				return cty.NilVal, fail(err, args)
			}
			if !v.IsKnown() {
				v = v.WithMarks(argumentMarks(args)...)
			}
			return v, nil
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

// argumentMarks returns the marks of every argument, at any depth.
func argumentMarks(args []cty.Value) []cty.ValueMarks {
	var marks []cty.ValueMarks
	for _, a := range args {
		if a.ContainsMarked() {
			_, m := a.UnmarkDeep()
			marks = append(marks, m)
		}
	}
	return marks
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
