package sdk

import "github.com/zclconf/go-cty/cty"

// Type is the value type of an [Attribute]: one of String, Number, Int, Bool
// or Any, or a List, Set or Map of one of them.
type Type struct {
	cty cty.Type
	// whole means every number in a value of this type must be a whole
	// number (Int, and collections of Int).
	whole bool
}

// The primitive attribute types. Int is a Number that must be whole; the SDK
// rejects fractions in configuration and returns Go ints from
// [ResourceData.GetInt]. Any accepts a value of any type, which the author
// handles as a cty.Value through [ResourceData.Get].
var (
	String = Type{cty: cty.String}
	Number = Type{cty: cty.Number}
	Int    = Type{cty: cty.Number, whole: true}
	Bool   = Type{cty: cty.Bool}
	Any    = Type{cty: cty.DynamicPseudoType}
)

// List is an ordered list of elem values, for example List(String).
func List(elem Type) Type { return Type{cty: cty.List(elem.cty), whole: elem.whole} }

// Set is an unordered set of distinct elem values.
func Set(elem Type) Type { return Type{cty: cty.Set(elem.cty), whole: elem.whole} }

// Map is a map from strings to elem values, for example Map(String).
func Map(elem Type) Type { return Type{cty: cty.Map(elem.cty), whole: elem.whole} }

// CtyType returns the cty type values of t have.
func (t Type) CtyType() cty.Type { return t.cty }
