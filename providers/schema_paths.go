package providers

import (
	"github.com/zclconf/go-cty/cty"
)

// SensitivePaths returns the paths of every Sensitive attribute present in
// val, which must conform to s.ImpliedType() and carry no marks. Attributes
// inside nested blocks appear once per block instance (with an index step for
// list, set and map blocks). Nothing below a null or unknown value is listed.
// The engine uses the result to mark values before showing them.
func (s *Schema) SensitivePaths(val cty.Value) []cty.Path {
	var paths []cty.Path
	s.appendSensitivePaths(nil, val, &paths)
	return paths
}

func (s *Schema) appendSensitivePaths(base cty.Path, val cty.Value, out *[]cty.Path) {
	if s == nil || !isKnownObject(val) {
		return
	}
	for _, name := range sortedKeys(s.Attributes) {
		if a := s.Attributes[name]; a != nil && a.Sensitive && val.Type().HasAttribute(name) {
			*out = append(*out, base.GetAttr(name))
		}
	}
	for _, name := range sortedKeys(s.Blocks) {
		b := s.Blocks[name]
		if b == nil || !b.Block.hasAttribute(func(a *Attribute) bool { return a.Sensitive }) || !val.Type().HasAttribute(name) {
			continue
		}
		bv := val.GetAttr(name)
		if bv.IsNull() || !bv.IsKnown() {
			continue
		}
		path := base.GetAttr(name)
		if b.Nesting == NestingSingle {
			b.Block.appendSensitivePaths(path, bv, out)
			continue
		}
		if !bv.CanIterateElements() {
			continue
		}
		for it := bv.ElementIterator(); it.Next(); {
			key, ev := it.Element()
			b.Block.appendSensitivePaths(path.Index(key), ev, out)
		}
	}
}

// RequiresReplacePaths returns, without looking at any value, the paths of
// the attributes whose change requires replacing the object. Paths reach into
// NestingSingle blocks; for list, set and map blocks containing such an
// attribute the path stops at the block, meaning "a change somewhere in
// here may require replacement". Use [Schema.RequiresReplaceChanges] to find
// the exact changed paths between two values.
func (s *Schema) RequiresReplacePaths() []cty.Path {
	var paths []cty.Path
	s.appendRequiresReplacePaths(nil, &paths)
	return paths
}

func (s *Schema) appendRequiresReplacePaths(base cty.Path, out *[]cty.Path) {
	if s == nil {
		return
	}
	for _, name := range sortedKeys(s.Attributes) {
		if a := s.Attributes[name]; a != nil && a.RequiresReplace {
			*out = append(*out, base.GetAttr(name))
		}
	}
	for _, name := range sortedKeys(s.Blocks) {
		b := s.Blocks[name]
		if b == nil {
			continue
		}
		if b.Nesting == NestingSingle {
			b.Block.appendRequiresReplacePaths(base.GetAttr(name), out)
		} else if b.Block.hasAttribute(func(a *Attribute) bool { return a.RequiresReplace }) {
			*out = append(*out, base.GetAttr(name))
		}
	}
}

// RequiresReplaceChanges returns the paths of RequiresReplace attributes whose
// value differs between prior and planned, both conforming to
// s.ImpliedType(). A planned value that is not wholly known counts as a
// change. It returns nil when prior or planned is null: a create or a delete
// is not a replacement. Providers use it to fill
// [PlanResourceChangeResponse.RequiresReplace].
//
// List blocks are compared by position and map blocks by key; an added or
// removed block instance changes every non-null RequiresReplace attribute in
// it. Set blocks are compared whole: any difference in a set block containing
// a RequiresReplace attribute yields the path of the block.
func (s *Schema) RequiresReplaceChanges(prior, planned cty.Value) []cty.Path {
	if prior.IsNull() || planned.IsNull() {
		return nil
	}
	var paths []cty.Path
	s.appendReplaceChanges(nil, prior, planned, &paths)
	return paths
}

func (s *Schema) appendReplaceChanges(base cty.Path, prior, planned cty.Value, out *[]cty.Path) {
	if s == nil {
		return
	}
	for _, name := range sortedKeys(s.Attributes) {
		a := s.Attributes[name]
		if a == nil || !a.RequiresReplace {
			continue
		}
		if valuesDiffer(attrOrNull(prior, name, a.Type), attrOrNull(planned, name, a.Type)) {
			*out = append(*out, base.GetAttr(name))
		}
	}
	for _, name := range sortedKeys(s.Blocks) {
		b := s.Blocks[name]
		if b == nil || !b.Block.hasAttribute(func(a *Attribute) bool { return a.RequiresReplace }) {
			continue
		}
		path := base.GetAttr(name)
		ty := b.ImpliedType()
		pv, nv := attrOrNull(prior, name, ty), attrOrNull(planned, name, ty)
		if !pv.IsKnown() || !nv.IsKnown() {
			*out = append(*out, path)
			continue
		}
		elemTy := b.Block.ImpliedType()
		switch b.Nesting {
		case NestingSingle:
			b.Block.appendReplaceChanges(path, pv, nv, out)
		case NestingList:
			n := max(lengthOrZero(pv), lengthOrZero(nv))
			for i := range n {
				key := cty.NumberIntVal(int64(i))
				b.Block.appendReplaceChanges(path.Index(key), indexOrNull(pv, key, elemTy), indexOrNull(nv, key, elemTy), out)
			}
		case NestingMap:
			for _, k := range unionMapKeys(pv, nv) {
				key := cty.StringVal(k)
				b.Block.appendReplaceChanges(path.Index(key), indexOrNull(pv, key, elemTy), indexOrNull(nv, key, elemTy), out)
			}
		default:
			if valuesDiffer(pv, nv) {
				*out = append(*out, path)
			}
		}
	}
}

// hasAttribute reports whether s or any block nested in it has an attribute
// for which pred holds.
func (s *Schema) hasAttribute(pred func(*Attribute) bool) bool {
	for _, a := range s.Attributes {
		if a != nil && pred(a) {
			return true
		}
	}
	for _, b := range s.Blocks {
		if b != nil && b.Block.hasAttribute(pred) {
			return true
		}
	}
	return false
}

// valuesDiffer reports whether a and b may differ: true unless both are
// wholly known and equal.
func valuesDiffer(a, b cty.Value) bool {
	if !a.IsWhollyKnown() || !b.IsWhollyKnown() {
		return true
	}
	return !a.RawEquals(b) && !a.Equals(b).True()
}

func isKnownObject(v cty.Value) bool {
	return v != cty.NilVal && v.IsKnown() && !v.IsNull() && v.Type().IsObjectType()
}

// attrOrNull returns obj.name, or a null of ty when obj is null or is not an
// object holding that attribute. An unknown obj yields an unknown of ty.
func attrOrNull(obj cty.Value, name string, ty cty.Type) cty.Value {
	if obj == cty.NilVal || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return cty.NullVal(ty)
	}
	if !obj.IsKnown() {
		return cty.UnknownVal(ty)
	}
	if obj.IsNull() {
		return cty.NullVal(ty)
	}
	return obj.GetAttr(name)
}

func lengthOrZero(coll cty.Value) int {
	if coll.IsNull() || !coll.IsKnown() {
		return 0
	}
	return coll.LengthInt()
}

func indexOrNull(coll, key cty.Value, ty cty.Type) cty.Value {
	if coll.IsNull() || !coll.IsKnown() {
		return cty.NullVal(ty)
	}
	if has := coll.HasIndex(key); !has.IsKnown() || has.False() {
		return cty.NullVal(ty)
	}
	return coll.Index(key)
}

func unionMapKeys(a, b cty.Value) []string {
	seen := map[string]bool{}
	for _, m := range []cty.Value{a, b} {
		if m.IsNull() || !m.IsKnown() {
			continue
		}
		for it := m.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			seen[k.AsString()] = true
		}
	}
	return sortedKeys(seen)
}
