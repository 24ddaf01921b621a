package providers

import (
	"github.com/zclconf/go-cty/cty"
)

// ProviderSchema is everything a provider declares about itself: the schema of
// its own configuration block and one schema per resource type and data source,
// keyed by type name (for example "std_file").
type ProviderSchema struct {
	// Provider describes the provider block's arguments. A nil Provider means
	// the provider takes no configuration.
	Provider *Schema
	// ResourceTypes maps a resource type name to its schema.
	ResourceTypes map[string]*Schema
	// DataSources maps a data source type name to its schema.
	DataSources map[string]*Schema
}

// Schema describes one object: a provider configuration, a resource type, a
// data source, or the body of a nested block. Its value is a cty object whose
// type is [Schema.ImpliedType].
type Schema struct {
	// Version is the schema version of a resource type's state, incremented by
	// the provider author when the stored shape changes. Unused elsewhere.
	Version int64
	// Description is a human-readable explanation, shown in documentation.
	Description string
	// Attributes are the object's arguments and computed values, by name.
	Attributes map[string]*Attribute
	// Blocks are the nested blocks the object may contain, by block type name.
	Blocks map[string]*NestedBlock
}

// Attribute describes one attribute of a [Schema].
//
// Exactly one of these combinations is valid: Required; Optional; Computed;
// Optional and Computed (the user may set it, otherwise the provider decides).
type Attribute struct {
	// Type is the attribute's value type. cty.DynamicPseudoType accepts any
	// value.
	Type cty.Type
	// Description is a human-readable explanation, shown in documentation.
	Description string
	// Required means the configuration must set a non-null value.
	Required bool
	// Optional means the configuration may set a value.
	Optional bool
	// Computed means the provider may decide the value: always when only
	// Computed, and when the configuration leaves it null when also Optional.
	Computed bool
	// Sensitive values are never shown in plans, output or logs.
	Sensitive bool
	// RequiresReplace means a change of this value cannot be made in place:
	// the object must be destroyed and created again.
	RequiresReplace bool
	// Default, when not null, is the value an Optional attribute takes when
	// the configuration leaves it null. It must convert to Type.
	Default cty.Value
}

// NestingMode says how many instances of a nested block an object may hold
// and how they are told apart.
type NestingMode int

const (
	// NestingInvalid is the zero NestingMode; schemas must not use it.
	NestingInvalid NestingMode = iota
	// NestingSingle allows at most one block; its value is an object, or null
	// when the block is absent.
	NestingSingle
	// NestingList allows any number of blocks in order; its value is a list of
	// objects.
	NestingList
	// NestingSet allows any number of distinct blocks without order; its value
	// is a set of objects.
	NestingSet
	// NestingMap allows any number of blocks, each with one label used as map
	// key; its value is a map of objects.
	NestingMap
)

// String returns the mode's name as used in messages, for example "list".
func (m NestingMode) String() string {
	switch m {
	case NestingSingle:
		return "single"
	case NestingList:
		return "list"
	case NestingSet:
		return "set"
	case NestingMap:
		return "map"
	default:
		return "invalid"
	}
}

// NestedBlock describes a block type that may appear inside an object.
type NestedBlock struct {
	// Nesting says how the blocks are collected into one value.
	Nesting NestingMode
	// Block is the schema of each block's body.
	Block Schema
	// MinItems and MaxItems bound the number of blocks for NestingList and
	// NestingSet; zero MaxItems means no upper bound.
	MinItems, MaxItems int
}

// ImpliedType returns the cty object type of values described by s: one
// attribute per schema attribute with its Type, and one per nested block type
// holding an object (NestingSingle) or a list, set or map of objects. A nil
// Schema implies the empty object type.
//
// ImpliedType builds the type on every call; callers on hot paths should keep
// the result.
func (s *Schema) ImpliedType() cty.Type {
	if s == nil {
		return cty.EmptyObject
	}
	attrs := make(map[string]cty.Type, len(s.Attributes)+len(s.Blocks))
	for name, a := range s.Attributes {
		if a == nil || a.Type == cty.NilType {
			// InternalValidate reports this; keep the type usable meanwhile.
			attrs[name] = cty.DynamicPseudoType
			continue
		}
		attrs[name] = a.Type
	}
	for name, b := range s.Blocks {
		if b == nil {
			attrs[name] = cty.DynamicPseudoType
			continue
		}
		attrs[name] = b.ImpliedType()
	}
	return cty.Object(attrs)
}

// ImpliedType returns the type of the value holding all blocks of this type:
// an object for NestingSingle, otherwise a list, set or map of objects.
func (b *NestedBlock) ImpliedType() cty.Type {
	elem := b.Block.ImpliedType()
	switch b.Nesting {
	case NestingList:
		return cty.List(elem)
	case NestingSet:
		return cty.Set(elem)
	case NestingMap:
		return cty.Map(elem)
	default:
		return elem
	}
}
