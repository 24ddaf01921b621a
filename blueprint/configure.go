package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Configure is a `configure` block: which roles run on which machines, and
// how the hosts are rolled out.
type Configure struct {
	Name string
	// Hosts evaluates to a machine, a list of machines or a machine group.
	Hosts hcl.Expression
	// Roles are references to role blocks (role.NAME), applied in order.
	Roles     []hcl.Traversal
	Rollout   Rollout
	DependsOn []hcl.Traversal
	DeclRange hcl.Range
}

// RoleNames returns the names of the roles, in order.
func (c *Configure) RoleNames() []string {
	names := make([]string, 0, len(c.Roles))
	for _, tr := range c.Roles {
		if len(tr) == 2 {
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				names = append(names, a.Name)
			}
		}
	}
	return names
}

var configureSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "hosts", Required: true}, {Name: "roles", Required: true}, {Name: "depends_on"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "rollout"}},
}

func decodeConfigure(block *hcl.Block) (*Configure, hcl.Diagnostics) {
	c := &Configure{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("configure", c.Name, block.LabelRanges[0])
	content, moreDiags := block.Body.Content(configureSchema)
	explainUnsupported(moreDiags, "configure block", configureSchema)
	diags = append(diags, moreDiags...)
	if attr, ok := content.Attributes["hosts"]; ok {
		c.Hosts = attr.Expr
	}
	if attr, ok := content.Attributes["roles"]; ok {
		trs, trDiags := staticTraversalList(attr, "roles", "role.app")
		diags = append(diags, trDiags...)
		for _, tr := range trs {
			if _, named := tr[len(tr)-1].(hcl.TraverseAttr); len(tr) != 2 || tr.RootName() != "role" || !named {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid role reference",
					Detail:   fmt.Sprintf("roles takes references to role blocks, such as role.app; %s is not one.", traversalString(tr)),
					Subject:  tr.SourceRange().Ptr(),
				})
				continue
			}
			c.Roles = append(c.Roles, tr)
		}
	}
	if attr, ok := content.Attributes["depends_on"]; ok {
		deps, depDiags := decodeDependsOn(attr)
		c.DependsOn, diags = deps, append(diags, depDiags...)
	}
	for _, b := range content.Blocks {
		if c.Rollout.DeclRange != (hcl.Range{}) {
			diags = append(diags, duplicateSingleton("rollout block", fmt.Sprintf("configure %q", c.Name), c.Rollout.DeclRange, b.DefRange))
			continue
		}
		var rDiags hcl.Diagnostics
		c.Rollout, rDiags = decodeRollout(b, fmt.Sprintf("configure %q", c.Name))
		diags = append(diags, rDiags...)
	}
	return c, diags
}
