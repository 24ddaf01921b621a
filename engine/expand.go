package engine

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/engine/state"
)

// instanceKey is one expanded instance with its count/each values.
type instanceKey struct {
	key       state.InstanceKey
	countIdx  cty.Value
	eachKey   cty.Value
	eachValue cty.Value
}

// expand evaluates count or for_each of a resource or module call and
// returns its instances in key order. Both must be known while planning:
// the engine has to know which instances exist to show a plan.
func expand(scope *blueprint.Scope, count, forEach hcl.Expression) (expansion, []instanceKey, hcl.Diagnostics) {
	switch {
	case count != nil:
		v, diags := scope.EvalExpr(count, cty.Number)
		if diags.HasErrors() {
			return expandCount, nil, diags
		}
		if v.HasMarkDeep(funcs.SensitiveMark) {
			return expandCount, nil, append(diags, badExpand(count, "Invalid count argument",
				"The count value is derived from a sensitive value, and the number of instances would reveal it. Use a value that is not sensitive."))
		}
		v, _ = v.Unmark()
		if !v.IsKnown() {
			return expandCount, nil, append(diags, badExpand(count, "Invalid count argument",
				"The count value depends on values that are known only after apply, but bp must know how many instances to plan. Use a value known at plan time, or apply the resources it depends on first with -target."))
		}
		if v.IsNull() {
			return expandCount, nil, append(diags, badExpand(count, "Invalid count argument", "count cannot be null; use 0 for no instances."))
		}
		bf := v.AsBigFloat()
		n, acc := bf.Int64()
		if acc != big.Exact || n < 0 || n > 100000 {
			return expandCount, nil, append(diags, badExpand(count, "Invalid count argument",
				fmt.Sprintf("count must be a whole number between 0 and 100000, not %s.", bf.Text('f', -1))))
		}
		keys := make([]instanceKey, n)
		for i := range keys {
			keys[i] = instanceKey{key: state.IntKey(i), countIdx: cty.NumberIntVal(int64(i))}
		}
		return expandCount, keys, diags
	case forEach != nil:
		v, diags := scope.EvalExpr(forEach, cty.DynamicPseudoType)
		if diags.HasErrors() {
			return expandForEach, nil, diags
		}
		if v.HasMarkDeep(funcs.SensitiveMark) {
			return expandForEach, nil, append(diags, badExpand(forEach, "Invalid for_each argument",
				"The for_each value is derived from a sensitive value, and its keys would be shown in the plan. Use a value that is not sensitive."))
		}
		if !v.IsWhollyKnown() && !(v.IsKnown() && (v.Type().IsMapType() || v.Type().IsObjectType())) {
			return expandForEach, nil, append(diags, badExpand(forEach, "Invalid for_each argument",
				"The for_each value depends on values that are known only after apply, but bp must know the instance keys to plan. Use keys known at plan time."))
		}
		if v.IsNull() {
			return expandForEach, nil, append(diags, badExpand(forEach, "Invalid for_each argument", "for_each cannot be null; use {} for no instances."))
		}
		ty := v.Type()
		var keys []instanceKey
		switch {
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, ev := it.Element()
				keys = append(keys, instanceKey{key: state.StringKey(k.AsString()), eachKey: k, eachValue: ev})
			}
		case ty.IsSetType() && ty.ElementType() == cty.String:
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				if ev.IsNull() {
					return expandForEach, nil, append(diags, badExpand(forEach, "Invalid for_each argument", "for_each sets cannot contain null."))
				}
				keys = append(keys, instanceKey{key: state.StringKey(ev.AsString()), eachKey: ev, eachValue: ev})
			}
		default:
			return expandForEach, nil, append(diags, badExpand(forEach, "Invalid for_each argument",
				fmt.Sprintf("for_each takes a map, an object or a set of strings, not %s. Convert a list with toset(...).", ty.FriendlyName())))
		}
		sort.Slice(keys, func(i, j int) bool {
			return strings.Compare(string(keys[i].key.(state.StringKey)), string(keys[j].key.(state.StringKey))) < 0
		})
		return expandForEach, keys, diags
	}
	return expandSingle, []instanceKey{{key: state.NoKey}}, nil
}

func badExpand(expr hcl.Expression, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: expr.Range().Ptr()}
}
