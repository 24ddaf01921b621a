package sdk

import (
	"slices"

	"github.com/blueprint-engine/bp/plugins"
)

// SchemaPlannedResourceTypes names the resource types whose
// every plan is the schema plan of package plugins/schemaplan: those with
// no PlanModify and no Required or Int attribute at any depth (the SDK
// checks those at plan time, for values that were unknown when the
// configuration was validated). [Serve] sends the names to bp, which then
// plans them without a call to the plugin. A provider declared incorrectly
// names none, so that every call reports the mistake.
func (a *adapter) SchemaPlannedResourceTypes() []string {
	if a.buildErr != nil {
		return nil
	}
	var names []string
	for name, ti := range a.resources {
		if a.p.Resources[name].PlanModify == nil && !checksConfig(ti.decl) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

var _ plugins.SchemaPlanner = (*adapter)(nil)
