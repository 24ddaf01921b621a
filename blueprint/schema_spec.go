package blueprint

import (
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// SpecForSchema returns the decoder spec for a body described by a provider
// schema: arguments become attributes (computed-only ones are not accepted in
// the blueprint), nested blocks become blocks. Decoding a body with it yields
// a value of schema.ImpliedType() in which computed attributes are null.
func SpecForSchema(schema *providers.Schema) hcldec.Spec {
	spec := hcldec.ObjectSpec{}
	for name, attr := range schema.Attributes {
		if attr.Computed && !attr.Optional && !attr.Required {
			spec[name] = &hcldec.LiteralSpec{Value: cty.NullVal(attr.Type)}
			continue
		}
		spec[name] = &hcldec.AttrSpec{Name: name, Type: attr.Type, Required: attr.Required}
	}
	for name, nb := range schema.Blocks {
		inner := SpecForSchema(&nb.Block)
		switch nb.Nesting {
		case providers.NestingSingle:
			spec[name] = &hcldec.BlockSpec{TypeName: name, Nested: inner, Required: nb.MinItems > 0}
		case providers.NestingList:
			spec[name] = &hcldec.BlockListSpec{TypeName: name, Nested: inner, MinItems: nb.MinItems, MaxItems: nb.MaxItems}
		case providers.NestingSet:
			spec[name] = &hcldec.BlockSetSpec{TypeName: name, Nested: inner, MinItems: nb.MinItems, MaxItems: nb.MaxItems}
		case providers.NestingMap:
			spec[name] = &hcldec.BlockMapSpec{TypeName: name, LabelNames: []string{"key"}, Nested: inner}
		}
	}
	return spec
}
