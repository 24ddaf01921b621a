package sdk

import (
	"slices"

	"github.com/blueprint-engine/bp/plugins"
)

// SchemaOnlyResourceTypes names the resource types whose
// ValidateResourceConfig has nothing to check beyond the schema: those with
// no Validate function and no Required or Int attribute at any depth (the
// SDK checks those itself, for null and fractional values the schema lets
// through). [Serve] sends the names to bp, which then validates them
// without a call to the plugin. A provider declared incorrectly names none,
// so that every call reports the mistake.
func (a *adapter) SchemaOnlyResourceTypes() []string {
	if a.buildErr != nil {
		return nil
	}
	var names []string
	for name, ti := range a.resources {
		if a.p.Resources[name].Validate == nil && !checksConfig(ti.decl) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// checksConfig reports whether checkConfig can find anything wrong with a
// value of o: whether o has a Required or an Int attribute, itself or in a
// nested block.
func checksConfig(o object) bool {
	for _, a := range o.attrs {
		if a != nil && (a.Required || a.Type.whole) {
			return true
		}
	}
	for _, b := range o.blocks {
		if b != nil && checksConfig(object{b.Attributes, b.Blocks}) {
			return true
		}
	}
	return false
}

var _ plugins.SchemaOnlyValidator = (*adapter)(nil)
