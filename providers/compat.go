package providers

import (
	"github.com/zclconf/go-cty/cty"
)

// PlanApplyMismatches returns the paths where applied, the NewState returned
// by ApplyResourceChange, breaks the promise made by planned, the PlannedState
// of the same change: a value planned as known that was applied differently,
// or an applied value that is still unknown. Unknown planned values may take
// any known value. It returns nil when applied keeps every promise.
//
// The engine uses it to report "Provider produced inconsistent result after
// apply", and the provider conformance kit to test providers.
func PlanApplyMismatches(planned, applied cty.Value) []cty.Path {
	var out []cty.Path
	planApplyMismatches(nil, planned, applied, &out)
	return out
}

func planApplyMismatches(path cty.Path, p, a cty.Value, out *[]cty.Path) {
	if !p.IsKnown() || !a.IsKnown() {
		if !a.IsWhollyKnown() {
			*out = append(*out, path)
		}
		return
	}
	if p.IsNull() || a.IsNull() {
		if p.IsNull() != a.IsNull() {
			*out = append(*out, path)
		}
		return
	}
	pt, at := p.Type(), a.Type()
	switch {
	case pt.IsObjectType() && at.IsObjectType():
		for _, name := range sortedKeys(pt.AttributeTypes()) {
			if !at.HasAttribute(name) {
				*out = append(*out, path.GetAttr(name))
				continue
			}
			planApplyMismatches(path.GetAttr(name), p.GetAttr(name), a.GetAttr(name), out)
		}
		for _, name := range sortedKeys(at.AttributeTypes()) {
			if !pt.HasAttribute(name) {
				*out = append(*out, path.GetAttr(name))
			}
		}
	case pt.IsListType() && at.IsListType(), pt.IsMapType() && at.IsMapType(), pt.IsTupleType() && at.IsTupleType():
		if p.LengthInt() != a.LengthInt() {
			*out = append(*out, path)
			return
		}
		for it := p.ElementIterator(); it.Next(); {
			key, pe := it.Element()
			if has := a.HasIndex(key); has.False() {
				*out = append(*out, path.Index(key))
				continue
			}
			planApplyMismatches(path.Index(key), pe, a.Index(key), out)
		}
	case pt.IsSetType() && at.IsSetType():
		// Unknown elements may collapse into others once known, so only a
		// wholly known set promises its exact content.
		if !a.IsWhollyKnown() || p.IsWhollyKnown() && !p.RawEquals(a) && !p.Equals(a).True() {
			*out = append(*out, path)
		}
	case pt.IsPrimitiveType() && at.IsPrimitiveType():
		if !p.Equals(a).True() {
			*out = append(*out, path)
		}
	default:
		*out = append(*out, path)
	}
}
