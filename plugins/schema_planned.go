package plugins

import (
	"slices"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// SchemaPlanner is an optional interface of a provider served by [Serve]:
// it names the resource types whose PlanResourceChange makes the schema
// plan of package plugins/schemaplan. Serve sends the names with the
// schema, and bp's [Client] computes those plans itself with
// schemaplan.Plan, the code the SDK plans with, instead of calling the
// plugin: with schema-only validation too, a created resource then costs
// one call (ApplyResourceChange) instead of four.
//
// A provider that implements neither SchemaPlanner nor
// [SchemaCreatePlanner] is asked for every plan, as is a plugin built
// before these interfaces existed.
type SchemaPlanner interface {
	// SchemaPlannedResourceTypes returns the resource types whose
	// PlanResourceChange, once Configure has succeeded, returns exactly
	// what schemaplan.Plan returns for the same request: the same planned
	// value (unknown values included), the same RequiresReplace paths,
	// PlannedPrivate equal to PriorPrivate, and no diagnostics at all, for
	// every request conforming to the type's schema. It must return the
	// same names on every call. Names the schema lacks are ignored. The
	// conformance kit (package plugins/sdk/providertest) checks the promise
	// on every plan it makes.
	SchemaPlannedResourceTypes() []string
}

// SchemaCreatePlanner is [SchemaPlanner] for creates only: for a provider
// that plans a new object from the schema but decides more when it updates
// one (std_null plans its outputs unknown when its inputs change).
type SchemaCreatePlanner interface {
	// SchemaPlannedCreateTypes returns the resource types whose
	// PlanResourceChange keeps the promise of SchemaPlannedResourceTypes
	// for every request whose PriorState is null: a create, or the create
	// half of a replacement.
	SchemaPlannedCreateTypes() []string
}

// schemaPlannedTypes returns the types p declares schema-planned that its
// schema has, sorted: for all plans, and for creates only (without the
// former).
func schemaPlannedTypes(p providers.Interface, schema providers.ProviderSchema) (all, creates []string) {
	if v, ok := p.(SchemaPlanner); ok {
		all = knownTypes(v.SchemaPlannedResourceTypes(), schema)
	}
	if v, ok := p.(SchemaCreatePlanner); ok {
		creates = slices.DeleteFunc(knownTypes(v.SchemaPlannedCreateTypes(), schema), func(n string) bool {
			_, found := slices.BinarySearch(all, n)
			return found
		})
	}
	return all, creates
}

// knownTypes returns the names the schema has as resource types, sorted,
// without duplicates; nil when there are none.
func knownTypes(names []string, schema providers.ProviderSchema) []string {
	var out []string
	for _, name := range names {
		if _, ok := schema.ResourceTypes[name]; ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// schemaPlans are the resource types a plugin declared schema-planned.
type schemaPlans struct {
	all, creates nameSet
}

// covers reports whether the plan of a typeName object from prior is the
// schema plan.
func (s schemaPlans) covers(typeName string, prior cty.Value) bool {
	if s.all.has(typeName) {
		return true
	}
	return s.creates.has(typeName) && (prior == cty.NilVal || prior.IsNull())
}
