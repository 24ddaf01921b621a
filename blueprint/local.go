package blueprint

import "github.com/hashicorp/hcl/v2"

// Local is one named value of a `locals` block.
type Local struct {
	Name      string
	Expr      hcl.Expression
	DeclRange hcl.Range
}

func decodeLocals(block *hcl.Block) ([]*Local, hcl.Diagnostics) {
	attrs, diags := block.Body.JustAttributes()
	locals := make([]*Local, 0, len(attrs))
	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		diags = append(diags, checkName("local value", name, attr.NameRange)...)
		locals = append(locals, &Local{Name: name, Expr: attr.Expr, DeclRange: attr.Range})
	}
	return locals, diags
}
