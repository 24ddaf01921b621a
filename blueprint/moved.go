package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Moved is a `moved` block: an object's old address and its new one, so a
// rename in the blueprint moves the object in state instead of recreating it.
type Moved struct {
	From      hcl.Traversal
	To        hcl.Traversal
	DeclRange hcl.Range
}

var movedSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "from", Required: true}, {Name: "to", Required: true}},
}

func decodeMoved(block *hcl.Block) (*Moved, hcl.Diagnostics) {
	m := &Moved{DeclRange: block.DefRange}
	content, diags := block.Body.Content(movedSchema)
	explainUnsupported(diags, "moved block", movedSchema)
	if attr, ok := content.Attributes["from"]; ok {
		tr, trDiags := objectAddrTraversal(attr.Expr, "from")
		m.From, diags = tr, append(diags, trDiags...)
	}
	if attr, ok := content.Attributes["to"]; ok {
		tr, trDiags := objectAddrTraversal(attr.Expr, "to")
		m.To, diags = tr, append(diags, trDiags...)
	}
	if !diags.HasErrors() && m.From != nil && m.To != nil {
		from, fromDiags := ParseObjectAddr(m.From)
		to, toDiags := ParseObjectAddr(m.To)
		diags = append(diags, fromDiags...)
		diags = append(diags, toDiags...)
		switch {
		case fromDiags.HasErrors() || toDiags.HasErrors():
		case from.Kind() == "configure" || to.Kind() == "configure":
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid moved block",
				Detail:   "A configure block holds no state, so it is never moved; rename it in place and remove this moved block.",
				Subject:  m.DeclRange.Ptr(),
			})
		case from.Kind() != to.Kind():
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid moved block",
				Detail:   "A moved block must move a resource to a resource, or a module call to a module call; from and to have different kinds.",
				Subject:  m.DeclRange.Ptr(),
			})
		case from.String() == to.String():
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Redundant moved block",
				Detail: fmt.Sprintf("This moved block moves %s to itself. Set from to the old address and to to "+
					"the new one, or remove the block.", from.String()),
				Subject: m.To.SourceRange().Ptr(),
			})
		}
	}
	return m, diags
}

// objectAddrTraversal reads an address written as a bare reference.
func objectAddrTraversal(expr hcl.Expression, arg string) (hcl.Traversal, hcl.Diagnostics) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid address",
			Detail:   "The " + arg + " argument takes an address without quotes, such as resource.machine.web, machine.web[0] or module.db.",
			Subject:  expr.Range().Ptr(),
		}}
	}
	return tr, nil
}
