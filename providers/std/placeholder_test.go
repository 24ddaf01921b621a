package std

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// placeholderOf is what the engine records while a create is in progress:
// the planned value with every unknown replaced by null.
func placeholderOf(t *testing.T, planned cty.Value) cty.Value {
	t.Helper()
	v, err := cty.Transform(planned, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return cty.NullVal(v.Type()), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestReadPlaceholder reads the placeholder of an interrupted create: each
// type must tolerate its null computed attributes and say whether the
// object exists.
func TestReadPlaceholder(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		typeName string
		config   map[string]cty.Value
		// before runs between plan and read, standing for a create that
		// got as far as it did before the crash.
		before    func(t *testing.T)
		wantFound bool
	}{
		{name: "std_null never exists", typeName: "std_null",
			config: map[string]cty.Value{"inputs": cty.StringVal("x")}},
		{name: "std_random never exists", typeName: "std_random",
			config: map[string]cty.Value{"length": cty.NumberIntVal(8)}},
		{name: "std_file not written", typeName: "std_file",
			config: map[string]cty.Value{"path": cty.StringVal(filepath.Join(dir, "a")), "content": cty.StringVal("a")}},
		{name: "std_file written", typeName: "std_file",
			config: map[string]cty.Value{"path": cty.StringVal(filepath.Join(dir, "b")), "content": cty.StringVal("b")},
			before: func(t *testing.T) {
				if err := os.WriteFile(filepath.Join(dir, "b"), []byte("b"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			wantFound: true},
		{name: "std_file with unknown content", typeName: "std_file",
			config: map[string]cty.Value{"path": cty.StringVal(filepath.Join(dir, "c")), "content": cty.UnknownVal(cty.String)},
			before: func(t *testing.T) {
				if err := os.WriteFile(filepath.Join(dir, "c"), []byte("c"), 0o600); err != nil {
					t.Fatal(err)
				}
			},
			wantFound: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.typeName)
			planned := h.plan(cty.NullVal(h.ty), h.config(tc.config)).PlannedState
			if tc.before != nil {
				tc.before(t)
			}
			got := h.read(placeholderOf(t, planned))
			if got.IsNull() == tc.wantFound {
				t.Fatalf("read of the placeholder = %#v, want found=%v", got, tc.wantFound)
			}
			if tc.wantFound && !got.IsWhollyKnown() {
				t.Fatalf("read of the placeholder = %#v, want a wholly known value", got)
			}
		})
	}
}
