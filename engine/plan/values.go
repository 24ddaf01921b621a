package plan

import (
	"slices"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// MarkSensitive returns v with the values at paths marked with
// funcs.SensitiveMark, the form renderers walk: a marked value is shown as
// "(sensitive value)" and never looked into. Paths that do not exist in v are
// ignored. A cty.NilVal is returned as it is.
func MarkSensitive(v cty.Value, paths []cty.Path) cty.Value {
	if len(paths) == 0 || v == cty.NilVal {
		return v
	}
	pvms := make([]cty.PathValueMarks, len(paths))
	for i, p := range paths {
		pvms[i] = cty.PathValueMarks{Path: p, Marks: cty.NewValueMarks(funcs.SensitiveMark)}
	}
	return v.MarkWithPaths(pvms)
}

// unmarkSensitive removes every mark from v and returns the paths that
// carried the sensitive mark. Other marks are dropped: a plan only keeps
// what it must not show.
func unmarkSensitive(v cty.Value) (cty.Value, []cty.Path) {
	if v == cty.NilVal {
		return v, nil
	}
	unmarked, pvms := v.UnmarkDeepWithPaths()
	var paths []cty.Path
	for _, pvm := range pvms {
		if _, ok := pvm.Marks[funcs.SensitiveMark]; ok {
			paths = append(paths, pvm.Path)
		}
	}
	return unmarked, paths
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
