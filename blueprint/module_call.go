package blueprint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// ModuleCall is a `module "NAME"` block: a call of a child module with its
// arguments (the child's variables).
type ModuleCall struct {
	Name        string
	Source      string
	SourceRange hcl.Range
	// Arguments maps each child variable to the expression that sets it.
	Arguments map[string]*hcl.Attribute
	Count     hcl.Expression
	ForEach   hcl.Expression
	DependsOn []hcl.Traversal
	// Providers maps a provider key in the child to one in the caller.
	Providers map[string]*ProviderRef
	DeclRange hcl.Range
}

var moduleCallSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "source", Required: true}, {Name: "version"}, {Name: "count"},
		{Name: "for_each"}, {Name: "depends_on"}, {Name: "providers"},
	},
}

func decodeModuleCall(block *hcl.Block) (*ModuleCall, hcl.Diagnostics) {
	mc := &ModuleCall{Name: block.Labels[0], DeclRange: block.DefRange, Providers: map[string]*ProviderRef{}}
	diags := checkName("module", mc.Name, block.LabelRanges[0])
	content, rest, moreDiags := block.Body.PartialContent(moduleCallSchema)
	diags = append(diags, moreDiags...)

	if attr, ok := content.Attributes["source"]; ok {
		mc.SourceRange = attr.Expr.Range()
		srcDiags := gohcl.DecodeExpression(attr.Expr, nil, &mc.Source)
		diags = append(diags, srcDiags...)
		if !srcDiags.HasErrors() && !isLocalSource(mc.Source) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported module source",
				Detail: fmt.Sprintf("Module source %q is not a local path. Only local module sources are "+
					"supported: start the path with ./ or ../, such as source = \"./modules/web\".", mc.Source),
				Subject: attr.Expr.Range().Ptr(),
			})
		}
	}
	if attr, ok := content.Attributes["version"]; ok {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported argument",
			Detail:   "Local modules have no version; remove the version argument.",
			Subject:  attr.NameRange.Ptr(),
		})
	}
	if attr, ok := content.Attributes["count"]; ok {
		mc.Count = attr.Expr
	}
	if attr, ok := content.Attributes["for_each"]; ok {
		mc.ForEach = attr.Expr
		if mc.Count != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid combination of \"count\" and \"for_each\"",
				Detail:   "A module call may use count or for_each, not both. Remove one of them.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	if attr, ok := content.Attributes["depends_on"]; ok {
		deps, depDiags := decodeDependsOn(attr)
		mc.DependsOn, diags = deps, append(diags, depDiags...)
	}
	if attr, ok := content.Attributes["providers"]; ok {
		pairs, pDiags := hcl.ExprMap(attr.Expr)
		for _, d := range pDiags {
			d.Detail = "providers maps the module's provider names to configurations of this module, " +
				"such as providers = { local = local.east }."
		}
		diags = append(diags, pDiags...)
		for _, kv := range pairs {
			key, kDiags := decodeProviderRef(kv.Key)
			val, vDiags := decodeProviderRef(kv.Value)
			diags = append(diags, kDiags...)
			diags = append(diags, vDiags...)
			if key != nil && val != nil {
				mc.Providers[key.Key()] = val
			}
		}
	}
	attrs, attrDiags := rest.JustAttributes()
	for _, d := range attrDiags {
		if d.Summary == "Unexpected \"lifecycle\" block" || strings.HasPrefix(d.Summary, "Unexpected ") {
			d.Detail = "A module call takes only arguments (the module's variables) and the meta-arguments source, count, for_each, depends_on and providers."
		}
	}
	diags = append(diags, attrDiags...)
	mc.Arguments = attrs
	return mc, diags
}

func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}
