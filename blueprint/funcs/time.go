package funcs

import (
	"time"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// timestampFunc is timestamp(): impure, the current time on every call.
var timestampFunc = function.New(&function.Spec{
	Description: "Returns the current date and time in UTC as an RFC 3339 string (\"2025-01-02T15:04:05Z\"). Impure: every call may return a different value.",
	Params:      []function.Parameter{},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(_ []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(time.Now().UTC().Format(time.RFC3339)), nil
	},
})
