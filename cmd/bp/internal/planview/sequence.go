package planview

import (
	"slices"

	"github.com/zclconf/go-cty/cty"
)

// op is one step of an edit script: keep, delete or insert.
type op struct {
	kind byte // '=', '-', '+'
	i, j int  // indexes in the old and the new sequence
}

// maxLCSCells bounds the work of editScript; longer inputs get a plain
// "all old out, all new in" script.
const maxLCSCells = 4 << 20

// editScript returns a shortest edit script turning a sequence of n items
// into one of m items, eq telling whether old item i equals new item j.
func editScript(n, m int, eq func(i, j int) bool) []op {
	// Common prefix and suffix cost nothing and shrink the table.
	pre := 0
	for pre < n && pre < m && eq(pre, pre) {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && eq(n-1-suf, m-1-suf) {
		suf++
	}
	var ops []op
	for k := range pre {
		ops = append(ops, op{'=', k, k})
	}
	n2, m2 := n-pre-suf, m-pre-suf
	if n2*m2 > maxLCSCells {
		for k := range n2 {
			ops = append(ops, op{'-', pre + k, -1})
		}
		for k := range m2 {
			ops = append(ops, op{'+', -1, pre + k})
		}
	} else {
		// table[i][j] is the LCS length of old[pre+i:] and new[pre+j:].
		table := make([][]int, n2+1)
		for i := range table {
			table[i] = make([]int, m2+1)
		}
		for i := n2 - 1; i >= 0; i-- {
			for j := m2 - 1; j >= 0; j-- {
				if eq(pre+i, pre+j) {
					table[i][j] = table[i+1][j+1] + 1
				} else {
					table[i][j] = max(table[i+1][j], table[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n2 || j < m2 {
			switch {
			case i < n2 && j < m2 && eq(pre+i, pre+j):
				ops = append(ops, op{'=', pre + i, pre + j})
				i, j = i+1, j+1
			case j < m2 && (i == n2 || table[i][j+1] > table[i+1][j]):
				ops = append(ops, op{'+', -1, pre + j})
				j++
			default:
				ops = append(ops, op{'-', pre + i, -1})
				i++
			}
		}
	}
	for k := range suf {
		ops = append(ops, op{'=', n - suf + k, m - suf + k})
	}
	return ops
}

func elements(v cty.Value) []cty.Value {
	var out []cty.Value
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		out = append(out, ev)
	}
	return out
}

// isObjectLike reports whether v is a known, unmarked, non-null object or
// map, which a list diff shows as a nested change.
func isObjectLike(v cty.Value) bool {
	if v.IsMarked() || !v.IsKnown() || v.IsNull() {
		return false
	}
	return v.Type().IsObjectType() || v.Type().IsMapType()
}

// listDiff renders the change of a list or tuple: elements removed and
// added, objects changed in place shown as nested changes, unchanged
// elements hidden.
func (d *differ) listDiff(before, after cty.Value, indent int, path cty.Path) []line {
	bs, as := elements(before), elements(after)
	ops := editScript(len(bs), len(as), func(i, j int) bool { return bs[i].RawEquals(as[j]) })
	out := []line{{text: "["}}
	kept := 0
	flushKept := func() {
		if kept > 0 {
			out = append(out, hiddenLine(indent+4, kept, false, "element"))
			kept = 0
		}
	}
	element := func(sym symbol, ls []line) {
		ls[0].indent, ls[0].sym = indent+4, sym
		out = append(out, appendText(ls, ",")...)
	}
	for k := 0; k < len(ops); {
		if ops[k].kind == '=' {
			kept++
			k++
			continue
		}
		flushKept()
		// A run of deletes and inserts: pair objects up as changes in place.
		var dels, ins []int
		for ; k < len(ops) && ops[k].kind != '='; k++ {
			if ops[k].kind == '-' {
				dels = append(dels, ops[k].i)
			} else {
				ins = append(ins, ops[k].j)
			}
		}
		for len(dels) > 0 && len(ins) > 0 && isObjectLike(bs[dels[0]]) && isObjectLike(as[ins[0]]) {
			p := append(slices.Clone(path), cty.IndexStep{Key: cty.NumberIntVal(int64(ins[0]))})
			sym, ls, _ := d.diff(bs[dels[0]], as[ins[0]], indent+4, p)
			element(sym, ls)
			dels, ins = dels[1:], ins[1:]
		}
		for _, i := range dels {
			element(symDelete, valueLines(bs[i], indent+4, symDelete))
		}
		for _, j := range ins {
			element(symCreate, valueLines(as[j], indent+4, symCreate))
		}
	}
	flushKept()
	return append(out, line{indent: indent, text: "]"})
}

// setDiff renders the change of a set: elements removed and added, the
// others hidden.
func (d *differ) setDiff(before, after cty.Value, indent int) []line {
	bs, as := elements(before), elements(after)
	contains := func(list []cty.Value, v cty.Value) bool {
		return slices.ContainsFunc(list, func(e cty.Value) bool { return e.RawEquals(v) })
	}
	out := []line{{text: "["}}
	kept := 0
	for _, b := range bs {
		if contains(as, b) {
			kept++
			continue
		}
		ls := valueLines(b, indent+4, symDelete)
		ls[0].indent, ls[0].sym = indent+4, symDelete
		out = append(out, appendText(ls, ",")...)
	}
	for _, a := range as {
		if contains(bs, a) {
			continue
		}
		ls := valueLines(a, indent+4, symCreate)
		ls[0].indent, ls[0].sym = indent+4, symCreate
		out = append(out, appendText(ls, ",")...)
	}
	if kept > 0 {
		out = append(out, hiddenLine(indent+4, kept, false, "element"))
	}
	return append(out, line{indent: indent, text: "]"})
}

// heredocContext is how many unchanged lines a text diff shows around a
// change.
const heredocContext = 2

// heredocDiff renders the change of a multi-line string line by line.
func (d *differ) heredocDiff(before, after string, indent int) []line {
	bl, al := splitLines(before), splitLines(after)
	ops := editScript(len(bl), len(al), func(i, j int) bool { return bl[i] == al[j] })
	show := make([]bool, len(ops))
	for k, o := range ops {
		if o.kind != '=' {
			for c := max(0, k-heredocContext); c <= min(len(ops)-1, k+heredocContext); c++ {
				show[c] = true
			}
		}
	}
	out := []line{{text: "<<-EOT"}}
	hidden := 0
	flush := func() {
		if hidden > 0 {
			what := "line"
			if hidden != 1 {
				what += "s"
			}
			out = append(out, line{indent: indent + 4, text: "# (" + itoa(hidden) + " unchanged " + what + " hidden)"})
			hidden = 0
		}
	}
	for k, o := range ops {
		switch {
		case o.kind == '=' && !show[k]:
			hidden++
		case o.kind == '=':
			flush()
			out = append(out, line{indent: indent + 4, text: sanitize(bl[o.i])})
		case o.kind == '-':
			flush()
			out = append(out, line{indent: indent + 4, sym: symDelete, text: sanitize(bl[o.i])})
		default:
			flush()
			out = append(out, line{indent: indent + 4, sym: symCreate, text: sanitize(al[o.j])})
		}
	}
	flush()
	return append(out, line{indent: indent, text: "EOT"})
}
