package providertest_test

import (
	"path/filepath"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins/sdk/providertest"
	"github.com/blueprint-engine/bp/providers/std"
)

// TestStd runs the built-in std provider through the kit: the kit's own
// proof that a provider written directly against providers.Interface passes.
// std_null and std_random exist only in state, so their Read cannot notice a
// delete (StateOnly); std_random imports get a new id and std_null imports
// cannot recover inputs and outputs (ImportIgnore).
func TestStd(t *testing.T) {
	dir := t.TempDir()
	providertest.Run(t, std.New(),
		providertest.Case{
			Name:         "std_file in place",
			ResourceType: "std_file",
			Create:       providertest.Config{"path": filepath.Join(dir, "a.txt"), "content": "one\n"},
			Update:       providertest.Config{"path": filepath.Join(dir, "a.txt"), "content": "two\n", "mode": "0600"},
			ImportID:     func(s cty.Value) string { return s.GetAttr("path").AsString() },
		},
		providertest.Case{
			Name:           "std_file replaced",
			ResourceType:   "std_file",
			Create:         providertest.Config{"path": filepath.Join(dir, "b.txt"), "content": "b\n"},
			Update:         providertest.Config{"path": filepath.Join(dir, "sub", "c.txt"), "content": "b\n"},
			UpdateReplaces: true,
			ImportID:       func(s cty.Value) string { return s.GetAttr("path").AsString() },
		},
		providertest.Case{
			ResourceType: "std_null",
			Create:       providertest.Config{"inputs": cty.StringVal("one")},
			Update:       providertest.Config{"inputs": cty.StringVal("two")},
			ImportID:     func(s cty.Value) string { return s.GetAttr("id").AsString() },
			ImportIgnore: []string{"inputs", "outputs"},
			StateOnly:    true,
		},
		providertest.Case{
			ResourceType:   "std_random",
			Create:         providertest.Config{"length": 12},
			Update:         providertest.Config{"length": 16},
			UpdateReplaces: true,
			ImportID:       func(s cty.Value) string { return s.GetAttr("result").AsString() },
			ImportIgnore:   []string{"id"},
			StateOnly:      true,
		},
	)
}
