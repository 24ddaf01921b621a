// Package diff renders the difference between two texts as a unified diff
// (the format of "diff -u"), for the agent's file, template and line
// results. It uses the standard library only, so the agent stays small.
//
// Lines are compared with Myers' algorithm. Past a bounded amount of work
// (very different large files) the changed middle is shown as one
// replacement instead: the output is still a correct diff, just not minimal.
package diff

import (
	"fmt"
	"strings"
)

// context is the number of unchanged lines shown around each change.
const context = 3

// maxEdits bounds Myers' search; past it the middle is one replacement.
const maxEdits = 4000

// Unified returns a unified diff with three lines of context that turns old
// into new, headed "--- oldName" and "+++ newName". A last line without a
// newline is followed by "\ No newline at end of file". Unified returns ""
// when old and new are equal.
func Unified(oldName, old, newName, new string) string {
	if old == new {
		return ""
	}
	a, b := splitLines(old), splitLines(new)
	ops := edits(a, b)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops) {
		writeHunk(&sb, h, a, b)
	}
	return sb.String()
}

// splitLines splits s after each '\n'; the last line may lack one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// opKind is one step of an edit script.
type opKind byte

const (
	opEqual opKind = iota
	opDelete
	opInsert
)

// op is one line of the edit script: a line of a (delete), of b (insert),
// or of both (equal). ai and bi are the line indexes before the op.
type op struct {
	kind   opKind
	ai, bi int
}

// edits returns an edit script turning a into b.
func edits(a, b []string) []op {
	// Common prefix and suffix are cheap and make most diffs of config
	// files small for the search below.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []op
	for i := 0; i < pre; i++ {
		ops = append(ops, op{opEqual, i, i})
	}
	ops = append(ops, middle(a[pre:len(a)-suf], b[pre:len(b)-suf], pre, pre)...)
	for i := 0; i < suf; i++ {
		ops = append(ops, op{opEqual, len(a) - suf + i, len(b) - suf + i})
	}
	return ops
}

// middle runs Myers' greedy search on a and b, whose first lines are
// line aOff of the old text and bOff of the new one.
func middle(a, b []string, aOff, bOff int) []op {
	n, m := len(a), len(b)
	max := n + m
	if max > maxEdits {
		max = maxEdits
	}
	offset := max + 1
	v := make([]int, 2*max+3)
	var trace [][]int
	found := -1
	for d := 0; d <= max && found < 0; d++ {
		snapshot := make([]int, len(v))
		copy(snapshot, v)
		trace = append(trace, snapshot)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1]
			} else {
				x = v[offset+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[offset+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		return replaceAll(n, m, aOff, bOff)
	}
	// Walk the trace back from (n, m) to (0, 0).
	var rev []op
	x, y := n, m
	for d := found; d > 0; d-- {
		vd := trace[d]
		k := x - y
		var prevK int
		if k == -d || (k != d && vd[offset+k-1] < vd[offset+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := vd[offset+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, op{opEqual, aOff + x, bOff + y})
		}
		if x == prevX {
			y--
			rev = append(rev, op{opInsert, aOff + x, bOff + y})
		} else {
			x--
			rev = append(rev, op{opDelete, aOff + x, bOff + y})
		}
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, op{opEqual, aOff + x, bOff + y})
	}
	ops := make([]op, len(rev))
	for i := range rev {
		ops[i] = rev[len(rev)-1-i]
	}
	return ops
}

// replaceAll is the edit script deleting all of a and inserting all of b.
func replaceAll(n, m, aOff, bOff int) []op {
	ops := make([]op, 0, n+m)
	for i := 0; i < n; i++ {
		ops = append(ops, op{opDelete, aOff + i, bOff})
	}
	for j := 0; j < m; j++ {
		ops = append(ops, op{opInsert, aOff + n, bOff + j})
	}
	return ops
}

// hunks groups ops into hunks: each change with up to context equal lines
// on either side, hunks closer than 2*context merged.
func hunks(ops []op) [][]op {
	var out [][]op
	start, end := -1, -1 // current hunk covers ops[start:end]
	for i, o := range ops {
		if o.kind == opEqual {
			continue
		}
		lo := max(i-context, 0)
		if start >= 0 && lo <= end {
			end = min(i+context+1, len(ops))
			continue
		}
		if start >= 0 {
			out = append(out, ops[start:end])
		}
		start, end = lo, min(i+context+1, len(ops))
	}
	if start >= 0 {
		out = append(out, ops[start:end])
	}
	return out
}

func writeHunk(sb *strings.Builder, h []op, a, b []string) {
	var na, nb int
	for _, o := range h {
		switch o.kind {
		case opEqual:
			na, nb = na+1, nb+1
		case opDelete:
			na++
		case opInsert:
			nb++
		}
	}
	fmt.Fprintf(sb, "@@ -%s +%s @@\n", hunkRange(h[0].ai, na), hunkRange(h[0].bi, nb))
	for _, o := range h {
		switch o.kind {
		case opEqual:
			writeLine(sb, ' ', a[o.ai])
		case opDelete:
			writeLine(sb, '-', a[o.ai])
		case opInsert:
			writeLine(sb, '+', b[o.bi])
		}
	}
}

// hunkRange formats "start,count" the way diff -u does: a one-line range
// is just its line number, an empty range names the line before it.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

func writeLine(sb *strings.Builder, prefix byte, line string) {
	sb.WriteByte(prefix)
	sb.WriteString(line)
	if !strings.HasSuffix(line, "\n") {
		sb.WriteString("\n\\ No newline at end of file\n")
	}
}
