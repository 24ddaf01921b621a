package funcs

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// refineNotNull tells HCL that a function's unknown result is never null.
func refineNotNull(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() }

// lengthFunc is length(value): like go-cty's length, but it also counts the
// characters (grapheme clusters) of a string and the attributes of an
// object, as Terraform users expect.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the number of elements of a list, set, tuple or map, the number of attributes of an object, or the number of characters of a string.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowMarked:      true,
		AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String, ty == cty.DynamicPseudoType,
			ty.IsListType(), ty.IsSetType(), ty.IsMapType(), ty.IsTupleType(), ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "length needs a string, list, set, tuple, map or object, not %s", ty.FriendlyName())
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		// Only the value's own marks matter: the count of elements does not
		// reveal anything about marked elements.
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case !v.IsKnown():
			return cty.UnknownVal(cty.Number).WithMarks(marks), nil
		case ty == cty.String:
			n, err := stdlib.Strlen(v)
			return n.WithMarks(marks), err
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		}
		return v.Length().WithMarks(marks), nil
	},
})

// sumFunc is sum(list): the sum of a list of numbers.
var sumFunc = function.New(&function.Spec{
	Description: "Returns the sum of the given list or set of numbers. The list must not be empty.",
	Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Number)}},
	Type:        function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		total := cty.Zero
		for i, v := range list.AsValueSlice() {
			if v.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "element %d is null; every element must be a number", i)
			}
			total = total.Add(v)
		}
		return total, nil
	},
})

// makeBoolFold returns alltrue (want=false stops the fold) or anytrue
// (want=true stops it). A known deciding element wins over unknown ones;
// null elements count as false.
func makeBoolFold(desc string, decisive bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			unknown := false
			for _, v := range args[0].AsValueSlice() {
				switch {
				case !v.IsKnown():
					unknown = true
				case v.IsNull():
					if !decisive {
						return cty.False, nil
					}
				case v.True() == decisive:
					return cty.BoolVal(decisive), nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool).RefineNotNull(), nil
			}
			return cty.BoolVal(!decisive), nil
		},
	})
}

var (
	allTrueFunc = makeBoolFold("Returns true if every element of the given list is true (or the list is empty).", false)
	anyTrueFunc = makeBoolFold("Returns true if at least one element of the given list is true.", true)
)

// indexFunc is index(list, value): the position of value in list.
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of the given list or tuple that equals the given value. It is an error if there is none.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "index needs a list or tuple, not %s", ty.FriendlyName())
		}
		return cty.Number, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list, want := args[0], args[1]
		for i, v := range list.AsValueSlice() {
			eq := v.Equals(want)
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return cty.NumberIntVal(int64(i)), nil
			}
		}
		return cty.NilVal, function.NewArgErrorf(1, "the value is not an element of the list")
	},
})

// oneFunc is one(collection): the only element, or null when empty.
var oneFunc = function.New(&function.Spec{
	Description: "Returns the single element of a list, set or tuple of zero or one elements: null when it is empty. It is an error if it has more than one element.",
	Params:      []function.Parameter{{Name: "collection", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType(), ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch elems := ty.TupleElementTypes(); len(elems) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return elems[0], nil
			default:
				return cty.NilType, function.NewArgErrorf(0, "the tuple has %d elements; one needs zero or one", len(elems))
			}
		}
		return cty.NilType, function.NewArgErrorf(0, "one needs a list, set or tuple, not %s", ty.FriendlyName())
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		coll := args[0]
		// A set with unknown elements may turn out to hold fewer elements
		// than it seems to, once they are known.
		if coll.Type().IsSetType() && !coll.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		switch n := coll.LengthInt(); n {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			return coll.AsValueSlice()[0], nil
		default:
			return cty.NilVal, function.NewArgErrorf(0, "the collection has %d elements; one needs zero or one", n)
		}
	},
})

// transposeFunc is transpose(map): swaps the keys and the values of a map
// of lists of strings.
var transposeFunc = function.New(&function.Spec{
	Description: "Swaps keys and values of a map of lists of strings: each string in a list becomes a key whose list holds the keys it appeared under.",
	Params:      []function.Parameter{{Name: "map", Type: cty.Map(cty.List(cty.String))}},
	Type:        function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		in := args[0]
		if !in.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		out := map[string][]cty.Value{}
		for it := in.ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "the list under key %q is null; use an empty list instead", k.AsString())
			}
			for _, v := range list.AsValueSlice() {
				if v.IsNull() {
					return cty.NilVal, function.NewArgErrorf(0, "the list under key %q holds a null; every element must be a string", k.AsString())
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		vals := make(map[string]cty.Value, len(out))
		for k, keys := range out {
			vals[k] = cty.ListVal(keys)
		}
		return cty.MapVal(vals), nil
	},
})

// coalesceFunc is coalesce(vals...): like go-cty's coalesce, but an empty
// string is skipped as null is, so coalesce(var.name, "default") works when
// the variable is set to "".
var coalesceFunc = function.New(&function.Spec{
	Description: "Returns the first argument that is neither null nor an empty string. All arguments must convert to one type.",
	Params:      []function.Parameter{},
	VarParam: &function.Parameter{
		Name:             "vals",
		Type:             cty.DynamicPseudoType,
		AllowUnknown:     true,
		AllowDynamicType: true,
		AllowNull:        true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, v := range args {
			types[i] = v.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, fmt.Errorf("all arguments must have the same type, or types that convert to one")
		}
		return ty, nil
	},
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, v := range args {
			if !v.IsKnown() {
				return cty.UnknownVal(retType), nil
			}
			if v.IsNull() {
				continue
			}
			v, err := convert.Convert(v, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if retType == cty.String && v.AsString() == "" {
				continue
			}
			return v, nil
		}
		return cty.NilVal, fmt.Errorf("every argument is null or an empty string; add a non-empty default as the last argument")
	},
})
