package engine

import (
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/engine/state"
)

func TestConfigPath(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{name: "root", in: "", want: "", ok: true},
		{name: "single", in: "module.web", want: "web", ok: true},
		{name: "count key", in: "module.web[0]", want: "web", ok: true},
		{name: "nested", in: `module.a[0].module.b["x"]`, want: "a.b", ok: true},
		{name: "quoted dot", in: `module.db["b.c"]`, want: "db", ok: true},
		{name: "quoted bracket", in: `module.db["a]b"].module.x`, want: "db.x", ok: true},
		{name: "escaped quote", in: `module.db["a\"].module.y"].module.z`, want: "db.z", ok: true},
		{name: "escaped backslash", in: `module.db["a\\"].module.z`, want: "db.z", ok: true},
		{name: "unclosed key", in: `module.db["a]`, ok: false},
		{name: "no module prefix", in: "web", ok: false},
		{name: "empty name", in: "module.", ok: false},
		{name: "empty name before key", in: "module.[0]", ok: false},
		{name: "trailing dot", in: "module.a.", ok: false},
		{name: "junk after key", in: "module.a[0]x", ok: false},
		{name: "resource after module", in: "module.a.std_null.x", ok: false},
		{name: "stray bracket", in: "module.a]", ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := configPath(tc.in)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("configPath(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// FuzzConfigPath checks that configPath never panics, and that it strips
// the keys of any module address state.ChildModule builds.
func FuzzConfigPath(f *testing.F) {
	f.Add("web", "db", "a.b", 3, `module.x["]"]`)
	f.Add("a", "b", `q"\]`, 0, "module.")
	f.Fuzz(func(t *testing.T, n1, n2, key string, idx int, raw string) {
		configPath(raw)
		if !validName(n1) || !validName(n2) {
			return
		}
		addr := state.ChildModule(state.ChildModule("", n1, state.IntKey(idx)), n2, state.StringKey(key))
		got, ok := configPath(addr)
		if !ok || got != n1+"."+n2 {
			t.Errorf("configPath(%q) = %q, %v; want %q", addr, got, ok, n1+"."+n2)
		}
		addr = state.ChildModule("", n1, state.NoKey)
		if got, ok := configPath(addr); !ok || got != n1 {
			t.Errorf("configPath(%q) = %q, %v; want %q", addr, got, ok, n1)
		}
	})
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && (r == '-' || (r >= '0' && r <= '9')))
		if !ok {
			return false
		}
	}
	return !strings.HasPrefix(s, "-")
}
