package plugins

import (
	"sort"
	"strings"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// typedSchema is a provider's schema with the implied type of every object
// computed once: both sides of the wire type every value by it.
type typedSchema struct {
	providerName string
	schema       providers.ProviderSchema
	provider     cty.Type
	resources    map[string]cty.Type
	dataSources  map[string]cty.Type
}

func newTypedSchema(providerName string, s providers.ProviderSchema) *typedSchema {
	t := &typedSchema{
		providerName: providerName,
		schema:       s,
		provider:     s.Provider.ImpliedType(),
		resources:    make(map[string]cty.Type, len(s.ResourceTypes)),
		dataSources:  make(map[string]cty.Type, len(s.DataSources)),
	}
	for name, rs := range s.ResourceTypes {
		t.resources[name] = rs.ImpliedType()
	}
	for name, ds := range s.DataSources {
		t.dataSources[name] = ds.ImpliedType()
	}
	return t
}

// resourceType returns the implied type of resource type name, or an error
// diagnostic when the provider has no such resource type.
func (t *typedSchema) resourceType(name string) (cty.Type, providers.Diagnostics) {
	if ty, ok := t.resources[name]; ok {
		return ty, nil
	}
	return cty.NilType, providers.Diagnostics{providers.Errorf("Unsupported resource type",
		"The provider %s has no resource type %q; it offers %s.", t.providerName, name, offered(t.resources))}
}

// dataSourceType returns the implied type of data source name, or an error
// diagnostic when the provider has no such data source.
func (t *typedSchema) dataSourceType(name string) (cty.Type, providers.Diagnostics) {
	if ty, ok := t.dataSources[name]; ok {
		return ty, nil
	}
	return cty.NilType, providers.Diagnostics{providers.Errorf("Unsupported data source",
		"The provider %s has no data source %q; it offers %s.", t.providerName, name, offered(t.dataSources))}
}

func offered(m map[string]cty.Type) string {
	if len(m) == 0 {
		return "none"
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
