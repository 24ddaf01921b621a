package planview

import (
	"fmt"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
)

// outcome says what a diff found.
type outcome int

const (
	// absent: null before and after; not shown and not counted.
	absent outcome = iota
	// unchanged: equal before and after; hidden in updates.
	unchanged
	// changed: shown with a symbol.
	changed
)

// differ renders the change of a value from before to after. Values carry
// sensitive marks (see plan.MarkSensitive); a marked value is never looked
// into.
type differ struct {
	// replacePaths are the paths whose change forces replacement.
	replacePaths []cty.Path
}

// diff renders the change of one value at path. The first line's text is
// the start of the value, to follow "name = "; it gets the returned symbol.
func (d *differ) diff(before, after cty.Value, indent int, path cty.Path) (symbol, []line, outcome) {
	bRaw, bMarked := unmarkTop(before)
	aRaw, aMarked := unmarkTop(after)
	bNull, aNull := isNull(before), isNull(after)
	switch {
	case bNull && aNull:
		return symNone, nil, absent
	case equal(before, after):
		return symNone, valueLines(after, indent, symNone), unchanged
	case bMarked || aMarked:
		switch {
		case bNull:
			return symCreate, []line{{text: sensitiveText}}, changed
		case aNull:
			return symDelete, []line{{text: sensitiveText + " -> null"}}, changed
		}
		return symUpdate, []line{{text: sensitiveText}}, changed
	case bNull:
		return symCreate, valueLines(after, indent, symCreate), changed
	case aNull:
		return symDelete, appendText(valueLines(before, indent, symDelete), " -> null"), changed
	case !aRaw.IsKnown() || !bRaw.IsKnown():
		// A wholly unknown value on either side cannot be looked into.
		return symUpdate, arrow(valueLines(before, indent, symNone), valueLines(after, indent, symNone)), changed
	}
	bt, at := bRaw.Type(), aRaw.Type()
	switch {
	case bt == cty.String && at == cty.String && (isMultiline(bRaw.AsString()) || isMultiline(aRaw.AsString())):
		return symUpdate, d.heredocDiff(bRaw.AsString(), aRaw.AsString(), indent), changed
	case (bt.IsObjectType() && at.IsObjectType()) || (bt.IsMapType() && at.IsMapType()):
		body, hidden := d.attributes(bRaw, aRaw, indent+4, path, false)
		out := append([]line{{text: "{"}}, body...)
		if hidden > 0 {
			out = append(out, hiddenLine(indent+4, hidden, bt.IsMapType(), "attribute"))
		}
		return symUpdate, append(out, line{indent: indent, text: "}"}), changed
	case (bt.IsListType() || bt.IsTupleType()) && (at.IsListType() || at.IsTupleType()):
		return symUpdate, d.listDiff(bRaw, aRaw, indent, path), changed
	case bt.IsSetType() && at.IsSetType():
		return symUpdate, d.setDiff(bRaw, aRaw, indent), changed
	}
	return symUpdate, arrow(valueLines(before, indent, symNone), valueLines(after, indent, symNone)), changed
}

// arrow joins the renderings of an old and a new value with " -> ".
func arrow(before, after []line) []line {
	before = appendText(before, " -> "+after[0].text)
	return append(before, after[1:]...)
}

// unmarkTop removes the marks of v itself (not of nested values).
func unmarkTop(v cty.Value) (cty.Value, bool) {
	if v == cty.NilVal {
		return cty.NullVal(cty.DynamicPseudoType), false
	}
	raw, marks := v.Unmark()
	return raw, len(marks) > 0
}

// equal compares values exactly, marks included.
func equal(a, b cty.Value) bool {
	if a == cty.NilVal || b == cty.NilVal {
		return isNull(a) && isNull(b)
	}
	return a.RawEquals(b)
}

// child returns the attribute or element k of v: null when v is null,
// unknown when v is unknown.
func child(v cty.Value, k cty.Value) cty.Value {
	if isNull(v) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	ty := v.Type()
	if !v.IsKnown() {
		if ty.IsObjectType() && ty.HasAttribute(k.AsString()) {
			return cty.UnknownVal(ty.AttributeType(k.AsString()))
		}
		return cty.DynamicVal
	}
	if ty.IsObjectType() {
		if !ty.HasAttribute(k.AsString()) {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		return v.GetAttr(k.AsString())
	}
	if ty.IsMapType() {
		if !v.HasIndex(k).True() {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		return v.Index(k)
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// keys returns the attribute names or map keys of an object or map, in
// order; none for null, unknown or other values.
func keys(v cty.Value) []string {
	if isNull(v) {
		return nil
	}
	ty := v.Type()
	if ty.IsObjectType() {
		var names []string
		for name := range ty.AttributeTypes() {
			names = append(names, name)
		}
		return sortStrings(names)
	}
	if ty.IsMapType() && v.IsKnown() {
		var names []string
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			names = append(names, k.AsString())
		}
		return names
	}
	return nil
}

// attributes renders the changed attributes (or map elements) of an object
// (or map) at indent, aligned. With showUnchanged, unchanged ones are shown
// without a symbol; otherwise they are counted in hidden.
func (d *differ) attributes(before, after cty.Value, indent int, path cty.Path, showUnchanged bool) (out []line, hidden int) {
	isMap := false
	for _, v := range []cty.Value{before, after} {
		if v != cty.NilVal && v.Type().IsMapType() {
			isMap = true
		}
	}
	names := unionSorted(keys(before), keys(after))
	type entry struct {
		name  string
		sym   symbol
		lines []line
	}
	var entries []entry
	for _, name := range names {
		k := cty.StringVal(name)
		p := appendPath(path, isMap, name)
		sym, ls, oc := d.diff(child(before, k), child(after, k), indent, p)
		switch {
		case oc == absent:
			continue
		case oc == unchanged && !showUnchanged:
			hidden++
			continue
		}
		if oc == changed && d.forcesReplacement(p) {
			ls[0].text += " # forces replacement"
		}
		entries = append(entries, entry{keyName(name, isMap), sym, ls})
	}
	width := 0
	for _, e := range entries {
		width = max(width, utf8.RuneCountInString(e.name))
	}
	for _, e := range entries {
		e.lines[0] = line{indent: indent, sym: e.sym, text: pad(e.name, width) + " = " + e.lines[0].text}
		out = append(out, e.lines...)
	}
	return out, hidden
}

func appendPath(path cty.Path, isMap bool, name string) cty.Path {
	p := make(cty.Path, len(path), len(path)+1)
	copy(p, path)
	if isMap {
		return append(p, cty.IndexStep{Key: cty.StringVal(name)})
	}
	return append(p, cty.GetAttrStep{Name: name})
}

func (d *differ) forcesReplacement(p cty.Path) bool {
	for _, rp := range d.replacePaths {
		if rp.Equals(p) {
			return true
		}
	}
	return false
}

// hiddenLine says how many unchanged things are not shown.
func hiddenLine(indent, n int, isMap bool, what string) line {
	if isMap {
		what = "element"
	}
	if n != 1 {
		what += "s"
	}
	return line{indent: indent, text: fmt.Sprintf("# (%d unchanged %s hidden)", n, what)}
}

func unionSorted(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{a, b} {
		for _, s := range list {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return sortStrings(out)
}
