package plugins

import (
	"slices"

	"github.com/blueprint-engine/bp/providers"
)

// SchemaOnlyValidator is an optional interface of a provider served by
// [Serve]: it names the resource types whose ValidateResourceConfig has
// nothing to check beyond the schema. Serve sends the names with the
// schema, and bp's [Client] answers ValidateResourceConfig for those types
// itself, with no diagnostics, instead of a call to the plugin: one call
// less per resource in every plan.
//
// A provider that does not implement it is asked about every resource, as
// is a plugin built before this interface existed.
type SchemaOnlyValidator interface {
	// SchemaOnlyResourceTypes returns the resource types whose
	// ValidateResourceConfig returns no diagnostics for every configuration
	// that conforms to the type's schema, unknown values included. It must
	// return the same names on every call. Names the schema lacks are
	// ignored.
	SchemaOnlyResourceTypes() []string
}

// schemaOnlyTypes returns the resource types p declares schema-only that
// its schema has, sorted, or nil when p declares none.
func schemaOnlyTypes(p providers.Interface, schema providers.ProviderSchema) []string {
	v, ok := p.(SchemaOnlyValidator)
	if !ok {
		return nil
	}
	var names []string
	for _, name := range v.SchemaOnlyResourceTypes() {
		if _, ok := schema.ResourceTypes[name]; ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// nameSet is a set of names; a nil set is empty.
type nameSet map[string]struct{}

func newNameSet(names []string) nameSet {
	if len(names) == 0 {
		return nil
	}
	s := make(nameSet, len(names))
	for _, n := range names {
		s[n] = struct{}{}
	}
	return s
}

func (s nameSet) has(name string) bool {
	_, ok := s[name]
	return ok
}
