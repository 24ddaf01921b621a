package plugins

import (
	"context"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/providers"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/zclconf/go-cty/cty"
)

// cmpOpts compares cty types and values exactly (marks, unknowns and
// refinements included) and treats nil and empty slices and maps alike.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b cty.Type) bool { return a.Equals(b) }),
	cmp.Comparer(func(a, b cty.Value) bool {
		if a.Type() == cty.NilType || b.Type() == cty.NilType {
			return a.Type() == cty.NilType && b.Type() == cty.NilType
		}
		return a.RawEquals(b)
	}),
	cmpopts.IgnoreUnexported(cty.GetAttrStep{}, cty.IndexStep{}),
	cmpopts.EquateEmpty(),
}

func sensitive(v cty.Value) cty.Value { return v.Mark(funcs.SensitiveMark) }

// widgetSchema is a schema using every feature the wire carries: every
// attribute flag, defaults, a dynamic attribute and nested blocks of every
// nesting mode, nested twice.
func widgetSchema() providers.ProviderSchema {
	str := func(desc string) *providers.Attribute {
		return &providers.Attribute{Type: cty.String, Optional: true, Description: desc}
	}
	return providers.ProviderSchema{
		Provider: &providers.Schema{
			Description: "Test provider.",
			Attributes: map[string]*providers.Attribute{
				"endpoint": str("Where to connect."),
				"token":    {Type: cty.String, Optional: true, Sensitive: true},
			},
		},
		ResourceTypes: map[string]*providers.Schema{
			"test_widget": {
				Version:     3,
				Description: "A widget.",
				Attributes: map[string]*providers.Attribute{
					"name":   {Type: cty.String, Required: true, RequiresReplace: true, Description: "Name."},
					"size":   {Type: cty.Number, Optional: true, Computed: true, Default: cty.NumberIntVal(3)},
					"tags":   {Type: cty.Map(cty.String), Optional: true, Default: cty.MapValEmpty(cty.String)},
					"secret": {Type: cty.String, Optional: true, Sensitive: true},
					"id":     {Type: cty.String, Computed: true},
					"any":    {Type: cty.DynamicPseudoType, Optional: true, Default: cty.StringVal("x")},
					"ports":  {Type: cty.List(cty.Number), Optional: true},
					"shape": {Type: cty.Object(map[string]cty.Type{"w": cty.Number, "h": cty.Number}), Optional: true,
						Default: cty.NullVal(cty.Object(map[string]cty.Type{"w": cty.Number, "h": cty.Number}))},
				},
				Blocks: map[string]*providers.NestedBlock{
					"rule": {Nesting: providers.NestingList, MinItems: 1, MaxItems: 5, Block: providers.Schema{
						Attributes: map[string]*providers.Attribute{
							"port":   {Type: cty.Number, Required: true},
							"labels": {Type: cty.Map(cty.String), Optional: true},
						},
						Blocks: map[string]*providers.NestedBlock{
							"match": {Nesting: providers.NestingMap, Block: providers.Schema{
								Attributes: map[string]*providers.Attribute{"v": str("")},
							}},
						},
					}},
					"settings": {Nesting: providers.NestingSingle, Block: providers.Schema{
						Attributes: map[string]*providers.Attribute{"mode": {Type: cty.String, Optional: true, Default: cty.StringVal("fast")}},
					}},
					"opt": {Nesting: providers.NestingSet, MaxItems: 2, Block: providers.Schema{
						Attributes: map[string]*providers.Attribute{"k": str("")},
					}},
				},
			},
		},
		DataSources: map[string]*providers.Schema{
			"test_lookup": {Attributes: map[string]*providers.Attribute{
				"key":    {Type: cty.String, Required: true},
				"result": {Type: cty.String, Computed: true, Sensitive: true},
			}},
		},
	}
}

var (
	widgetType = widgetSchema().ResourceTypes["test_widget"].ImpliedType()
	ruleType   = widgetSchema().ResourceTypes["test_widget"].Blocks["rule"].Block.ImpliedType()
	matchType  = widgetSchema().ResourceTypes["test_widget"].Blocks["rule"].Block.Blocks["match"].Block.ImpliedType()
	optType    = widgetSchema().ResourceTypes["test_widget"].Blocks["opt"].Block.ImpliedType()
	lookupType = widgetSchema().DataSources["test_lookup"].ImpliedType()
	configType = widgetSchema().Provider.ImpliedType()
)

// widget returns a test_widget value; override replaces attributes.
func widget(override map[string]cty.Value) cty.Value {
	attrs := map[string]cty.Value{
		"name":   cty.StringVal("w1"),
		"size":   cty.NumberIntVal(3),
		"tags":   cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("web")}),
		"secret": cty.NullVal(cty.String),
		"id":     cty.StringVal("widget-1"),
		"any":    cty.DynamicVal,
		"ports":  cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberIntVal(443)}),
		"shape":  cty.NullVal(cty.Object(map[string]cty.Type{"w": cty.Number, "h": cty.Number})),
		"rule": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
			"port":   cty.NumberIntVal(80),
			"labels": cty.NullVal(cty.Map(cty.String)),
			"match":  cty.MapVal(map[string]cty.Value{"a": cty.ObjectVal(map[string]cty.Value{"v": cty.StringVal("1")})}),
		})}),
		"settings": cty.ObjectVal(map[string]cty.Value{"mode": cty.StringVal("fast")}),
		"opt":      cty.SetValEmpty(optType),
	}
	for k, v := range override {
		attrs[k] = v
	}
	return cty.ObjectVal(attrs)
}

func sensitiveMark() any { return funcs.SensitiveMark }

func configOf(p providers.Interface) cty.Type {
	return p.GetSchema(context.Background()).Schema.Provider.ImpliedType()
}
