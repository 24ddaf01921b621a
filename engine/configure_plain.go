package engine

import (
	"fmt"
	"math/big"

	"github.com/zclconf/go-cty/cty"
)

// plainValue converts a wholly known, unmarked value to the plain JSON
// values the agent receives: string, float64, bool, nil, []any and
// map[string]any. It is what a JSON encode and decode would give, without
// the round trip. A number too large for a float64 is an error.
func plainValue(v cty.Value) (any, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.IsKnown() {
		return nil, fmt.Errorf("value is not known")
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString(), nil
	case ty == cty.Bool:
		return v.True(), nil
	case ty == cty.Number:
		f, acc := v.AsBigFloat().Float64()
		if acc != big.Exact && (f > 1e308 || f < -1e308) {
			return nil, fmt.Errorf("the number %s is too large", v.AsBigFloat().Text('g', 10))
		}
		return f, nil
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			pe, err := plainValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, pe)
		}
		return out, nil
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			pe, err := plainValue(e)
			if err != nil {
				return nil, err
			}
			out[k.AsString()] = pe
		}
		return out, nil
	case ty == cty.DynamicPseudoType:
		return nil, nil
	}
	return nil, fmt.Errorf("a %s cannot be sent to a host", ty.FriendlyName())
}
