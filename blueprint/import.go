package blueprint

import "github.com/hashicorp/hcl/v2"

// Import is an `import` block: adopt an existing object into state at an
// address instead of creating it.
type Import struct {
	To        hcl.Traversal
	ID        hcl.Expression
	Provider  *ProviderRef
	DeclRange hcl.Range
}

var importSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "to", Required: true}, {Name: "id", Required: true}, {Name: "provider"},
	},
}

func decodeImport(block *hcl.Block) (*Import, hcl.Diagnostics) {
	im := &Import{DeclRange: block.DefRange}
	content, diags := block.Body.Content(importSchema)
	explainUnsupported(diags, "import block", importSchema)
	if attr, ok := content.Attributes["to"]; ok {
		tr, trDiags := objectAddrTraversal(attr.Expr, "to")
		diags = append(diags, trDiags...)
		if !trDiags.HasErrors() {
			addr, addrDiags := ParseObjectAddr(tr)
			diags = append(diags, addrDiags...)
			if !addrDiags.HasErrors() && addr.Kind() != "resource" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid import address",
					Detail:   "An import block imports into a managed resource, such as to = resource.machine.web; modules and data sources cannot be imported.",
					Subject:  attr.Expr.Range().Ptr(),
				})
			}
			im.To = tr
		}
	}
	if attr, ok := content.Attributes["id"]; ok {
		im.ID = attr.Expr
	}
	if attr, ok := content.Attributes["provider"]; ok {
		ref, refDiags := decodeProviderRef(attr.Expr)
		im.Provider, diags = ref, append(diags, refDiags...)
	}
	return im, diags
}
