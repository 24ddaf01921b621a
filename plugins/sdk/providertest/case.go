package providertest

import (
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/blueprint-engine/bp/providers"
)

// Case is one resource type run through its whole life cycle.
type Case struct {
	// Name names the subtest; the resource type when empty.
	Name string
	// ResourceType is the type under test, such as "kv_entry".
	ResourceType string
	// Create is the configuration the object is created with.
	Create Config
	// Update, when not nil, is a configuration the object is changed to
	// after create. It must plan a change.
	Update Config
	// UpdateReplaces says the change to Update requires replacing the
	// object; otherwise it must be made in place.
	UpdateReplaces bool
	// ImportID, when not nil, returns the ID that imports the object whose
	// state is given; the kit then imports it and compares with the state.
	ImportID func(state cty.Value) string
	// ImportIgnore names top-level attributes an import cannot recover
	// (they are not compared).
	ImportIgnore []string
	// StateOnly marks a resource that exists only in Blueprint's state,
	// such as std_null: Read cannot tell that it was deleted, so the kit
	// does not check that a read after delete finds nothing.
	StateOnly bool
}

// Config is a configuration by top-level attribute or block name. Each value
// is a cty.Value or a Go value that converts to the attribute's type
// (string, int, float64, bool, []string, map[string]string). Attributes not
// named are null; blocks not named are absent.
type Config map[string]any

// value builds the configuration object of schema s.
func (c Config) value(s *providers.Schema) (cty.Value, error) {
	if s == nil {
		s = &providers.Schema{}
	}
	for _, name := range sortedKeys(c) {
		if _, isAttr := s.Attributes[name]; !isAttr {
			if _, isBlock := s.Blocks[name]; !isBlock {
				return cty.NilVal, fmt.Errorf("the schema declares no attribute or block %q", name)
			}
		}
	}
	attrs := map[string]cty.Value{}
	for name, ty := range s.ImpliedType().AttributeTypes() {
		v, err := toValue(c[name], ty)
		if err != nil {
			return cty.NilVal, fmt.Errorf("attribute %q: %w", name, err)
		}
		if b := s.Blocks[name]; b != nil && v.IsNull() {
			v = absentBlocks(b, ty)
		}
		attrs[name] = v
	}
	return cty.ObjectVal(attrs), nil
}

// absentBlocks is the value of a block type with no block written: null for
// a single block, an empty collection otherwise.
func absentBlocks(b *providers.NestedBlock, ty cty.Type) cty.Value {
	switch b.Nesting {
	case providers.NestingList:
		return cty.ListValEmpty(ty.ElementType())
	case providers.NestingSet:
		return cty.SetValEmpty(ty.ElementType())
	case providers.NestingMap:
		return cty.MapValEmpty(ty.ElementType())
	default:
		return cty.NullVal(ty)
	}
}

func toValue(v any, ty cty.Type) (cty.Value, error) {
	switch v := v.(type) {
	case nil:
		return cty.NullVal(ty), nil
	case cty.Value:
		if v.Type().Equals(ty) {
			return v, nil
		}
		return convert.Convert(v, ty)
	}
	if ty.HasDynamicTypes() {
		return cty.NilVal, fmt.Errorf("a %T cannot be converted to type any; pass a cty.Value", v)
	}
	return gocty.ToCtyValue(v, ty)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
