package mock

import (
	"github.com/zclconf/go-cty/cty"
)

// fillUnknowns replaces every unknown value in v with the zero value of its
// type, as a provider deciding computed values at apply would.
func fillUnknowns(v cty.Value) cty.Value {
	if v.IsWhollyKnown() {
		return v
	}
	out, err := cty.Transform(v, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return zeroValue(v.Type()), nil
		}
		return v, nil
	})
	if err != nil {
		return v
	}
	return out
}

// zeroValue returns the known value the mock gives an unknown of type ty:
// "", 0, false, empty collections, objects and tuples of zero values, and
// null for the dynamic pseudo-type.
func zeroValue(ty cty.Type) cty.Value {
	switch {
	case ty == cty.String:
		return cty.StringVal("")
	case ty == cty.Number:
		return cty.Zero
	case ty == cty.Bool:
		return cty.False
	case ty.IsListType():
		return cty.ListValEmpty(ty.ElementType())
	case ty.IsSetType():
		return cty.SetValEmpty(ty.ElementType())
	case ty.IsMapType():
		return cty.MapValEmpty(ty.ElementType())
	case ty.IsObjectType():
		attrs := map[string]cty.Value{}
		for name, at := range ty.AttributeTypes() {
			attrs[name] = zeroValue(at)
		}
		return cty.ObjectVal(attrs)
	case ty.IsTupleType():
		elems := make([]cty.Value, 0, len(ty.TupleElementTypes()))
		for _, et := range ty.TupleElementTypes() {
			elems = append(elems, zeroValue(et))
		}
		return cty.TupleVal(elems)
	default:
		return cty.NullVal(ty)
	}
}

// stringAttr returns obj.name as a Go string when it is a known non-null
// string, and "" otherwise.
func stringAttr(obj cty.Value, name string) string {
	if obj == cty.NilVal || obj.IsNull() || !obj.IsKnown() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return ""
	}
	v := obj.GetAttr(name)
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// withAttrs returns obj with the given attributes replaced.
func withAttrs(obj cty.Value, attrs map[string]cty.Value) cty.Value {
	m := obj.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	for k, v := range attrs {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

// attrIsNull reports whether obj is null, is not an object holding name,
// or holds a null there. An unknown obj's attributes are not null.
func attrIsNull(obj cty.Value, name string) bool {
	if obj == cty.NilVal || obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return true
	}
	return obj.IsKnown() && obj.GetAttr(name).IsNull()
}
