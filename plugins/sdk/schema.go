package sdk

import (
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/blueprint-engine/bp/providers"
)

// Attributes declares an object's attributes by name.
type Attributes map[string]*Attribute

// Attribute declares one attribute of a resource, data source, provider
// configuration or nested block.
//
// Exactly one of Required, Optional or Computed must be set, or Optional
// and Computed together (the user may set it; otherwise the provider
// decides).
type Attribute struct {
	// Type is the attribute's value type, such as String or List(String).
	Type Type
	// Description explains the attribute to users, in documentation.
	Description string
	// Required means the configuration must set a non-null value.
	Required bool
	// Optional means the configuration may set a value.
	Optional bool
	// Computed means the provider sets the value: in Create, Update or Read,
	// or already at plan time in PlanModify.
	Computed bool
	// Sensitive values are never shown in plans, output or logs.
	Sensitive bool
	// ForceNew means a change of this value cannot be made in place: the
	// object is destroyed and created again.
	ForceNew bool
	// Default is the value an Optional attribute takes when the
	// configuration leaves it unset: a Go value of the attribute's type
	// (string, int, float64, bool, []string, map[string]string) or a
	// cty.Value.
	Default any
}

// Blocks declares an object's nested blocks by block type name.
type Blocks map[string]*Block

// Nesting says how the blocks of one type are collected into a value.
type Nesting int

const (
	// BlockList allows any number of blocks in order; the value is a list of
	// objects. It is the zero Nesting.
	BlockList Nesting = iota
	// BlockSet allows any number of distinct blocks without order.
	BlockSet
	// BlockMap allows any number of blocks, each with one label used as map
	// key.
	BlockMap
	// BlockSingle allows at most one block; the value is an object, or null
	// when the block is absent.
	BlockSingle
)

// Block declares a nested block type, such as `rule { ... }` inside a
// firewall resource. Read its instances with [ResourceData.Blocks].
type Block struct {
	// Nesting says how many blocks may appear and how they are told apart.
	Nesting Nesting
	// Description explains the block to users, in documentation.
	Description string
	// Attributes and Blocks declare the block's body.
	Attributes Attributes
	Blocks     Blocks
	// MinItems and MaxItems bound the number of blocks of a BlockList or
	// BlockSet; zero MaxItems means no bound.
	MinItems, MaxItems int
}

// object is the body of a resource, data source, provider configuration or
// block, with the types the SDK needs to check values.
type object struct {
	attrs  Attributes
	blocks Blocks
}

// buildSchema turns the author's declarations into the engine's schema.
// forceNewAll makes every configurable attribute ForceNew (a resource with no
// Update). Errors are the author's mistakes, such as a Default that does not
// fit its Type.
func buildSchema(description string, o object, forceNewAll bool) (*providers.Schema, error) {
	s := &providers.Schema{
		Description: description,
		Attributes:  make(map[string]*providers.Attribute, len(o.attrs)),
		Blocks:      make(map[string]*providers.NestedBlock, len(o.blocks)),
	}
	for _, name := range sortedKeys(o.attrs) {
		a := o.attrs[name]
		if a == nil {
			return nil, fmt.Errorf("attribute %q is nil", name)
		}
		pa := &providers.Attribute{
			Type: a.Type.cty, Description: a.Description,
			Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, RequiresReplace: a.ForceNew || forceNewAll && (a.Required || a.Optional),
		}
		if pa.Type == cty.NilType {
			return nil, fmt.Errorf("attribute %q has no Type; use sdk.String, sdk.Int, sdk.List(sdk.String) or another sdk type", name)
		}
		if a.Default != nil {
			def, err := toValue(a.Default, a.Type.cty)
			if err != nil {
				return nil, fmt.Errorf("attribute %q: Default does not fit its type %s: %w", name, a.Type.cty.FriendlyName(), err)
			}
			pa.Default = def
		}
		s.Attributes[name] = pa
	}
	for _, name := range sortedKeys(o.blocks) {
		b := o.blocks[name]
		if b == nil {
			return nil, fmt.Errorf("block %q is nil", name)
		}
		inner, err := buildSchema(b.Description, object{b.Attributes, b.Blocks}, forceNewAll)
		if err != nil {
			return nil, fmt.Errorf("block %q: %w", name, err)
		}
		s.Blocks[name] = &providers.NestedBlock{
			Nesting: b.Nesting.mode(), Block: *inner, MinItems: b.MinItems, MaxItems: b.MaxItems,
		}
	}
	return s, nil
}

func (n Nesting) mode() providers.NestingMode {
	switch n {
	case BlockList:
		return providers.NestingList
	case BlockSet:
		return providers.NestingSet
	case BlockMap:
		return providers.NestingMap
	case BlockSingle:
		return providers.NestingSingle
	default:
		return providers.NestingInvalid
	}
}

// toValue converts a Go value or a cty.Value to a value of type ty. A nil v
// gives a null.
func toValue(v any, ty cty.Type) (cty.Value, error) {
	if v == nil {
		return cty.NullVal(ty), nil
	}
	if cv, ok := v.(cty.Value); ok {
		return convertValue(cv, ty)
	}
	if ty.HasDynamicTypes() {
		return cty.NilVal, fmt.Errorf("a %T cannot be stored in an attribute of type Any; pass a cty.Value", v)
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
