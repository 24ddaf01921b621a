// Package udiff renders the difference between two texts as a unified diff,
// the format of "diff -u" and "gofmt -d" that patch(1) and git apply accept.
//
// The hunks come from github.com/rogpeppe/go-internal/diff (the Go
// toolchain's anchored diff, O(n log n) in the worst case); this package only
// gives them the usual two-line header.
package udiff

import (
	"bytes"

	"github.com/rogpeppe/go-internal/diff"
)

// Unified returns a unified diff with three lines of context that turns old
// into new, headed "--- oldName" and "+++ newName". A last line without a
// newline is marked "\ No newline at end of file". Unified returns nil when
// old and new are equal.
func Unified(oldName string, old []byte, newName string, new []byte) []byte {
	out := diff.Diff(oldName, old, newName, new)
	if out == nil {
		return nil
	}
	// diff.Diff starts with a "diff OLD NEW" line that is not part of the
	// unified format and that names containing spaces would make ambiguous.
	if i := bytes.IndexByte(out, '\n'); i >= 0 && bytes.HasPrefix(out, []byte("diff ")) {
		out = out[i+1:]
	}
	return out
}
