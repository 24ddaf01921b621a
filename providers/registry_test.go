package providers

import (
	"slices"
	"strings"
	"testing"
)

func TestRegisterBuiltinPanics(t *testing.T) {
	factory := func() Interface { return nil }
	RegisterBuiltin("registry_test_dup", factory)
	tests := []struct {
		name     string
		register func()
		want     string
	}{
		{"duplicate", func() { RegisterBuiltin("registry_test_dup", factory) }, "registered twice"},
		{"empty name", func() { RegisterBuiltin("", factory) }, "empty provider name"},
		{"nil factory", func() { RegisterBuiltin("registry_test_nil", nil) }, "nil factory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("RegisterBuiltin did not panic")
				}
				if msg, _ := r.(string); !strings.Contains(msg, tc.want) {
					t.Fatalf("panic %v, want one containing %q", r, tc.want)
				}
			}()
			tc.register()
		})
	}
}

func TestBuiltinLookup(t *testing.T) {
	calls := 0
	RegisterBuiltin("registry_test_counted", func() Interface { calls++; return nil })
	if _, ok := Builtin("registry_test_counted"); !ok || calls != 1 {
		t.Errorf("Builtin(registered) = ok %v after %d factory calls, want true after 1", ok, calls)
	}
	if _, ok := Builtin("registry_test_counted"); !ok || calls != 2 {
		t.Errorf("second Builtin call made %d factory calls in total, want a new instance (2)", calls)
	}
	if _, ok := Builtin("registry_test_missing"); ok {
		t.Error("Builtin(unregistered) = true, want false")
	}
	names := BuiltinNames()
	if !slices.IsSorted(names) || !slices.Contains(names, "registry_test_counted") {
		t.Errorf("BuiltinNames() = %v, want a sorted list holding registry_test_counted", names)
	}
}
