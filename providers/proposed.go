package providers

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// ProposedNewObject returns the engine's proposal for an object's new state,
// the ProposedNewState of [PlanResourceChangeRequest]: what the object would
// look like if the configuration were applied and the provider added nothing.
//
// For each attribute it takes the configuration's value when that is not null
// (unknown values included). For a null one it takes, in order: the Default of
// an Optional attribute; for a Computed attribute (Optional+Computed too) the
// prior value when prior is not null, otherwise an unknown value; otherwise
// null. Single blocks are proposed recursively, list blocks element by
// position and map blocks element by key against the prior blocks; set blocks
// are taken from the configuration unchanged.
//
// A null config (the object is to be destroyed) gives a null proposal; an
// unknown config gives an unknown one. prior is null when the object is to
// be created. Both must conform to schema.ImpliedType().
func ProposedNewObject(schema *Schema, prior, config cty.Value) cty.Value {
	if config == cty.NilVal || config.IsNull() {
		return cty.NullVal(schema.ImpliedType())
	}
	if !config.IsKnown() {
		return cty.UnknownVal(schema.ImpliedType())
	}
	if prior == cty.NilVal {
		prior = cty.NullVal(cty.DynamicPseudoType)
	}
	return proposeObject(schema, prior, config)
}

func proposeObject(s *Schema, prior, config cty.Value) cty.Value {
	if s == nil {
		return cty.EmptyObjectVal
	}
	priorExists := isKnownObject(prior)
	attrs := make(map[string]cty.Value, len(s.Attributes)+len(s.Blocks))
	for name, a := range s.Attributes {
		if a == nil || a.Type == cty.NilType {
			attrs[name] = attrOrNull(config, name, cty.DynamicPseudoType)
			continue
		}
		cv := attrOrNull(config, name, a.Type)
		switch {
		case !cv.IsNull():
			attrs[name] = cv
		case a.Optional && a.Default != cty.NilVal && !a.Default.IsNull():
			attrs[name] = defaultValue(a)
		case a.Computed && priorExists:
			attrs[name] = attrOrNull(prior, name, a.Type)
		case a.Computed:
			attrs[name] = cty.UnknownVal(a.Type)
		default:
			attrs[name] = cv
		}
	}
	for name, b := range s.Blocks {
		if b == nil {
			attrs[name] = attrOrNull(config, name, cty.DynamicPseudoType)
			continue
		}
		ty := b.ImpliedType()
		cv := attrOrNull(config, name, ty)
		pv := cty.NullVal(ty)
		if priorExists {
			pv = attrOrNull(prior, name, ty)
		}
		attrs[name] = proposeBlock(b, pv, cv)
	}
	return cty.ObjectVal(attrs)
}

func proposeBlock(b *NestedBlock, prior, config cty.Value) cty.Value {
	if config.IsNull() || !config.IsKnown() {
		return config
	}
	elemTy := b.Block.ImpliedType()
	switch b.Nesting {
	case NestingSingle:
		return proposeObject(&b.Block, prior, config)
	case NestingList:
		if config.LengthInt() == 0 {
			return cty.ListValEmpty(elemTy)
		}
		elems := make([]cty.Value, 0, config.LengthInt())
		for it := config.ElementIterator(); it.Next(); {
			key, ev := it.Element()
			elems = append(elems, proposeElement(b, indexOrNull(prior, key, elemTy), ev))
		}
		return cty.ListVal(elems)
	case NestingMap:
		if config.LengthInt() == 0 {
			return cty.MapValEmpty(elemTy)
		}
		elems := make(map[string]cty.Value, config.LengthInt())
		for it := config.ElementIterator(); it.Next(); {
			key, ev := it.Element()
			elems[key.AsString()] = proposeElement(b, indexOrNull(prior, key, elemTy), ev)
		}
		return cty.MapVal(elems)
	default:
		return config
	}
}

func proposeElement(b *NestedBlock, prior, config cty.Value) cty.Value {
	if config.IsNull() || !config.IsKnown() {
		return config
	}
	return proposeObject(&b.Block, prior, config)
}

// defaultValue returns a's Default converted to a's type, or a null of that
// type if it does not convert (InternalValidate reports that).
func defaultValue(a *Attribute) cty.Value {
	if a.Default.Type().Equals(a.Type) {
		return a.Default
	}
	v, err := convert.Convert(a.Default, a.Type)
	if err != nil {
		return cty.NullVal(a.Type)
	}
	return v
}
