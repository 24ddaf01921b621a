package funcs

import (
	"encoding/base64"
	"net/url"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// base64EncodeFunc is base64encode(str).
var base64EncodeFunc = function.New(&function.Spec{
	Description: "Encodes the UTF-8 bytes of the given string as standard base64.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
	},
})

// base64DecodeFunc is base64decode(str). The decoded bytes must be UTF-8
// text, since cty strings are Unicode.
var base64DecodeFunc = function.New(&function.Spec{
	Description: "Decodes a standard base64 string. The decoded bytes must be valid UTF-8 text.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		data, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the string is not valid standard base64: %v", err)
		}
		if !utf8.Valid(data) {
			return cty.NilVal, function.NewArgErrorf(0, "the decoded bytes are not valid UTF-8 text, so they cannot be a string; binary data must stay base64-encoded")
		}
		return cty.StringVal(string(data)), nil
	},
})

// urlEncodeFunc is urlencode(str): query-string escaping, spaces as "+".
var urlEncodeFunc = function.New(&function.Spec{
	Description: "Escapes the given string for use in a URL query string (spaces become \"+\", reserved characters are %-encoded).",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(url.QueryEscape(args[0].AsString())), nil
	},
})
