package ctymsgpack

import (
	"encoding/json"
	"slices"

	"github.com/zclconf/go-cty/cty"
)

// appendTypeJSON appends the JSON description of ty, the same bytes as
// ty.MarshalJSON writes, without going through encoding/json's reflection.
// It reports false for a type that has none (a capsule type).
func appendTypeJSON(b []byte, ty cty.Type) ([]byte, bool) {
	switch {
	case ty == cty.String:
		return append(b, `"string"`...), true
	case ty == cty.Number:
		return append(b, `"number"`...), true
	case ty == cty.Bool:
		return append(b, `"bool"`...), true
	case ty == cty.DynamicPseudoType:
		return append(b, `"dynamic"`...), true
	case ty.IsListType():
		return appendCollectionJSON(append(b, `["list",`...), ty)
	case ty.IsMapType():
		return appendCollectionJSON(append(b, `["map",`...), ty)
	case ty.IsSetType():
		return appendCollectionJSON(append(b, `["set",`...), ty)
	case ty.IsObjectType():
		return appendObjectJSON(b, ty)
	case ty.IsTupleType():
		b = append(b, `["tuple",`...)
		etys := ty.TupleElementTypes()
		if etys == nil {
			// encoding/json writes a nil slice as null.
			return append(b, "null]"...), true
		}
		b = append(b, '[')
		for i, ety := range etys {
			if i > 0 {
				b = append(b, ',')
			}
			var ok bool
			if b, ok = appendTypeJSON(b, ety); !ok {
				return b, false
			}
		}
		return append(b, "]]"...), true
	default:
		return b, false
	}
}

func appendCollectionJSON(b []byte, ty cty.Type) ([]byte, bool) {
	b, ok := appendTypeJSON(b, ty.ElementType())
	return append(b, ']'), ok
}

func appendObjectJSON(b []byte, ty cty.Type) ([]byte, bool) {
	atys := ty.AttributeTypes()
	var stack [16]string
	names := sortedNames(stack[:0], atys)
	b = append(b, `["object",{`...)
	for i, name := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, name)
		b = append(b, ':')
		var ok bool
		if b, ok = appendTypeJSON(b, atys[name]); !ok {
			return b, false
		}
	}
	b = append(b, '}')
	if optional := ty.OptionalAttributes(); len(optional) > 0 {
		b = append(b, ",["...)
		names = names[:0]
		for name := range optional {
			names = append(names, name)
		}
		slices.Sort(names)
		for i, name := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, name)
		}
		b = append(b, ']')
	}
	return append(b, ']'), true
}

// appendJSONString appends s as encoding/json writes a string: plain when
// it needs no escapes, else through encoding/json itself, so that escapes
// (HTML characters, U+2028, invalid UTF-8) match to the byte.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			quoted, _ := json.Marshal(s) // a string always marshals
			return append(b, quoted...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
