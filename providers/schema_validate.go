package providers

import (
	"errors"
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// InternalValidate reports mistakes of the schema's author: attributes with
// no type or an impossible combination of Required, Optional and Computed,
// defaults that do not fit, invalid names, name clashes and invalid nested
// block settings. It returns nil for a sound schema and otherwise one error
// joining every problem found, each naming the attribute or block at fault.
//
// Providers call it in their tests; the engine may call it on every schema it
// receives and refuse a provider whose schemas fail.
func (s *Schema) InternalValidate() error {
	if s == nil {
		return errors.New("schema is nil")
	}
	var errs []error
	s.internalValidate("", &errs)
	return errors.Join(errs...)
}

// InternalValidate runs [Schema.InternalValidate] on every schema of ps and
// reports problems prefixed with where they are.
func (ps *ProviderSchema) InternalValidate() error {
	var errs []error
	if ps.Provider != nil {
		if err := ps.Provider.InternalValidate(); err != nil {
			errs = append(errs, fmt.Errorf("provider configuration: %w", err))
		}
	}
	for _, name := range sortedKeys(ps.ResourceTypes) {
		if !validName(name) {
			errs = append(errs, fmt.Errorf("resource type %q: name must use only lowercase letters, digits and underscores, starting with a letter", name))
		}
		if err := ps.ResourceTypes[name].InternalValidate(); err != nil {
			errs = append(errs, fmt.Errorf("resource type %q: %w", name, err))
		}
	}
	for _, name := range sortedKeys(ps.DataSources) {
		if !validName(name) {
			errs = append(errs, fmt.Errorf("data source %q: name must use only lowercase letters, digits and underscores, starting with a letter", name))
		}
		if err := ps.DataSources[name].InternalValidate(); err != nil {
			errs = append(errs, fmt.Errorf("data source %q: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Schema) internalValidate(prefix string, errs *[]error) {
	fail := func(format string, args ...any) {
		*errs = append(*errs, fmt.Errorf(prefix+format, args...))
	}
	for _, name := range sortedKeys(s.Attributes) {
		a := s.Attributes[name]
		where := fmt.Sprintf("attribute %q: ", name)
		if !validName(name) {
			fail(where + "name must use only lowercase letters, digits and underscores, starting with a letter")
		}
		if _, clash := s.Blocks[name]; clash {
			fail(where + "a nested block has the same name; rename one of them")
		}
		if a == nil {
			fail(where + "attribute is nil")
			continue
		}
		if a.Type == cty.NilType {
			fail(where + "no Type set; use cty.DynamicPseudoType to accept any value")
		}
		switch {
		case a.Required && a.Optional:
			fail(where + "cannot be both Required and Optional")
		case a.Required && a.Computed:
			fail(where + "cannot be both Required and Computed; use Optional+Computed to let the provider choose a value the user did not set")
		case !a.Required && !a.Optional && !a.Computed:
			fail(where + "must be Required, Optional or Computed")
		}
		if a.RequiresReplace && a.Computed && !a.Optional && !a.Required {
			fail(where + "RequiresReplace has no effect on a Computed-only attribute; the provider decides its value")
		}
		if a.Default != cty.NilVal && !a.Default.IsNull() {
			switch {
			case !a.Optional:
				fail(where + "Default is only allowed on Optional attributes")
			case !a.Default.IsWhollyKnown():
				fail(where + "Default must be a known value")
			case a.Type != cty.NilType:
				if _, err := convert.Convert(a.Default, a.Type); err != nil {
					fail(where+"Default does not fit the attribute type %s: %s", a.Type.FriendlyName(), err)
				}
			}
		}
	}
	for _, name := range sortedKeys(s.Blocks) {
		b := s.Blocks[name]
		where := fmt.Sprintf("block %q: ", name)
		if !validName(name) {
			fail(where + "name must use only lowercase letters, digits and underscores, starting with a letter")
		}
		if b == nil {
			fail(where + "nested block is nil")
			continue
		}
		switch b.Nesting {
		case NestingSingle:
			if b.MinItems > 1 || b.MaxItems > 1 {
				fail(where + "MinItems and MaxItems may only be 0 or 1 with NestingSingle")
			}
		case NestingList, NestingSet:
			if b.MinItems < 0 || b.MaxItems < 0 {
				fail(where + "MinItems and MaxItems must not be negative")
			} else if b.MaxItems != 0 && b.MaxItems < b.MinItems {
				fail(where+"MaxItems (%d) is less than MinItems (%d)", b.MaxItems, b.MinItems)
			}
		case NestingMap:
			if b.MinItems != 0 || b.MaxItems != 0 {
				fail(where + "MinItems and MaxItems are not supported with NestingMap")
			}
		default:
			fail(where + "Nesting must be NestingSingle, NestingList, NestingSet or NestingMap")
		}
		if b.Nesting == NestingList || b.Nesting == NestingSet || b.Nesting == NestingMap {
			// All elements of a cty collection share one type, which a
			// dynamically-typed attribute cannot promise.
			for _, an := range sortedKeys(b.Block.Attributes) {
				if a := b.Block.Attributes[an]; a != nil && a.Type.HasDynamicTypes() {
					fail(where+"attribute %q has a dynamic type, which is not allowed inside a %s block; use NestingSingle or a concrete type", an, b.Nesting)
				}
			}
		}
		b.Block.internalValidate(prefix+where, errs)
	}
}

// validName reports whether name is a usable attribute, block or type name:
// a lowercase letter followed by lowercase letters, digits or underscores.
func validName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
