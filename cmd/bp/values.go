package main

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// hclValue renders v as it would be written in a blueprint: "text", 3,
// ["a", "b"], { key = "value" }. v must be known and unmarked.
func hclValue(v cty.Value) string {
	return string(hclwrite.TokensForValue(v).Bytes())
}

// jsonValue renders v as plain JSON. v must be known and unmarked.
func jsonValue(v cty.Value) ([]byte, error) {
	return ctyjson.Marshal(v, v.Type())
}

// jsonType renders the type of v in go-cty's JSON type notation, such as
// "string" or ["list","number"].
func jsonType(v cty.Value) ([]byte, error) {
	return ctyjson.MarshalType(v.Type())
}
