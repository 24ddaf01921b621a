package engine

import "github.com/zclconf/go-cty/cty"

// planMismatches returns the paths where final, a provider's plan made at
// apply time, breaks a promise of earlier, the plan the user saw: a value
// earlier planned as known must be planned the same again. Where earlier was
// unknown, final may plan anything.
func planMismatches(earlier, final cty.Value) []cty.Path {
	var out []cty.Path
	var walk func(path cty.Path, a, b cty.Value)
	walk = func(path cty.Path, a, b cty.Value) {
		a, _ = a.UnmarkDeep()
		b, _ = b.UnmarkDeep()
		if !a.IsKnown() {
			return
		}
		if !b.IsKnown() || a.IsNull() != b.IsNull() {
			out = append(out, append(cty.Path(nil), path...))
			return
		}
		if a.IsNull() {
			return
		}
		ty := a.Type()
		switch {
		case ty.IsObjectType() && b.Type().IsObjectType():
			for name := range ty.AttributeTypes() {
				if !b.Type().HasAttribute(name) {
					out = append(out, append(path, cty.GetAttrStep{Name: name}))
					continue
				}
				walk(append(path, cty.GetAttrStep{Name: name}), a.GetAttr(name), b.GetAttr(name))
			}
		case (ty.IsListType() || ty.IsTupleType() || ty.IsMapType()) && a.LengthInt() == b.LengthInt() && sameKind(ty, b.Type()):
			for it := a.ElementIterator(); it.Next(); {
				k, av := it.Element()
				if !b.HasIndex(k).True() {
					out = append(out, append(path, cty.IndexStep{Key: k}))
					continue
				}
				walk(append(path, cty.IndexStep{Key: k}), av, b.Index(k))
			}
		default:
			if !a.RawEquals(b) {
				eq := a.Equals(b)
				if !eq.IsKnown() || eq.False() {
					out = append(out, append(cty.Path(nil), path...))
				}
			}
		}
	}
	walk(nil, earlier, final)
	return out
}

func sameKind(a, b cty.Type) bool {
	return a.IsListType() == b.IsListType() && a.IsTupleType() == b.IsTupleType() && a.IsMapType() == b.IsMapType()
}
