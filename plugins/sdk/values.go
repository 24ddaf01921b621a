package sdk

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/blueprint-engine/bp/providers"
)

// convertValue converts v to ty, keeping v as is when it already has ty.
func convertValue(v cty.Value, ty cty.Type) (cty.Value, error) {
	if v.Type().Equals(ty) {
		return v, nil
	}
	return convert.Convert(v, ty)
}

// valuesDiffer reports whether a and b may differ: true unless both are
// wholly known and equal.
func valuesDiffer(a, b cty.Value) bool {
	if !a.IsWhollyKnown() || !b.IsWhollyKnown() {
		return true
	}
	return !a.RawEquals(b) && !a.Equals(b).True()
}

// unknownsToNull replaces every unknown value in v by a null of its type: a
// Computed value the author did not set in Create or Update is null.
func unknownsToNull(v cty.Value) cty.Value {
	if v.IsWhollyKnown() {
		return v
	}
	out, _ := cty.Transform(v, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return cty.NullVal(v.Type()), nil
		}
		return v, nil
	})
	return out
}

// checkConfig reports what the schema says but cty types cannot: Required
// attributes left null, and fractions in Int attributes. Unknown values
// pass.
func checkConfig(base cty.Path, o object, v cty.Value) Diagnostics {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return nil
	}
	var diags Diagnostics
	for _, name := range sortedKeys(o.attrs) {
		a, path := o.attrs[name], base.GetAttr(name)
		if a == nil || !v.Type().HasAttribute(name) {
			continue
		}
		av := v.GetAttr(name)
		if a.Required && av.IsKnown() && av.IsNull() {
			diags = diags.Append(providers.AttributeErrorf(path, "Missing required argument",
				"The argument %q is required, but it is not set. Set it in the block.", name))
		}
		if a.Type.whole && hasFraction(av) {
			diags = diags.Append(providers.AttributeErrorf(path, "Invalid value",
				"The argument %q takes whole numbers only; remove the fraction.", name))
		}
	}
	for _, name := range sortedKeys(o.blocks) {
		b := o.blocks[name]
		if b == nil || !v.Type().HasAttribute(name) {
			continue
		}
		bv, inner, path := v.GetAttr(name), object{b.Attributes, b.Blocks}, base.GetAttr(name)
		if bv.IsNull() || !bv.IsKnown() {
			continue
		}
		if b.Nesting == BlockSingle {
			diags = append(diags, checkConfig(path, inner, bv)...)
			continue
		}
		for it := bv.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			diags = append(diags, checkConfig(path.Index(k), inner, ev)...)
		}
	}
	return diags
}

// hasFraction reports whether any known number in v is not whole.
func hasFraction(v cty.Value) bool {
	found := false
	_ = cty.Walk(v, func(_ cty.Path, v cty.Value) (bool, error) {
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.Number && !v.AsBigFloat().IsInt() {
			found = true
		}
		return !found, nil
	})
	return found
}
