package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// Role is a `role` block: what a machine must look like, as host resources
// (packages, files, templates, users, services, ...) converged in order.
type Role struct {
	Name      string
	Resources []*HostResource
	DeclRange hcl.Range
}

// HostResource is one resource inside a role, such as `package "nginx" {}`.
// Config is the body without meta-arguments; it is evaluated per host, with
// `host` bound to the machine being configured.
type HostResource struct {
	Kind string
	Name string
	// Notify lists the services (service.NAME) restarted or reloaded after
	// this resource changes.
	Notify []hcl.Traversal
	// DependsOn lists other resources of the role (KIND.NAME) that must
	// converge first; declaration order is the default order.
	DependsOn []hcl.Traversal
	// Sensitive hides the resource's content and command output everywhere.
	Sensitive bool
	Config    hcl.Body
	DeclRange hcl.Range
	TypeRange hcl.Range
}

// Addr is "KIND.NAME" within its role.
func (r *HostResource) Addr() string { return r.Kind + "." + r.Name }

// roleSchema is built at load time so kinds registered by other packages count.
func roleSchema() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, kind := range HostKinds() {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: kind, LabelNames: []string{"name"}})
	}
	return s
}

var hostResourceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "notify"}, {Name: "depends_on"}, {Name: "sensitive"}},
}

func decodeRole(block *hcl.Block) (*Role, hcl.Diagnostics) {
	role := &Role{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("role", role.Name, block.LabelRanges[0])
	content, moreDiags := block.Body.Content(roleSchema())
	for _, d := range moreDiags {
		if d.Summary == "Unsupported block type" || d.Summary == "Unsupported argument" {
			d.Detail += " A role contains host resources: " + hostKindList() + "."
		}
	}
	diags = append(diags, moreDiags...)
	seen := map[string]*HostResource{}
	for _, b := range content.Blocks {
		hr := &HostResource{Kind: b.Type, Name: b.Labels[0], DeclRange: b.DefRange, TypeRange: b.TypeRange}
		if prev, ok := seen[hr.Addr()]; ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate host resource",
				Detail: fmt.Sprintf("Role %q already has a %s %q, declared at %s. A role may declare each "+
					"KIND \"NAME\" once; merge the two blocks or remove one.", role.Name, hr.Kind, hr.Name,
					shortRange(prev.DeclRange)),
				Subject: hr.DeclRange.Ptr(),
			})
			continue
		}
		seen[hr.Addr()] = hr
		hc, rest, hDiags := b.Body.PartialContent(hostResourceSchema)
		diags = append(diags, hDiags...)
		hr.Config = rest
		if attr, ok := hc.Attributes["notify"]; ok {
			trs, trDiags := staticTraversalList(attr, "notify", "service.nginx")
			hr.Notify, diags = trs, append(diags, trDiags...)
		}
		if attr, ok := hc.Attributes["depends_on"]; ok {
			trs, trDiags := staticTraversalList(attr, "depends_on", "package.nginx")
			hr.DependsOn, diags = trs, append(diags, trDiags...)
		}
		if attr, ok := hc.Attributes["sensitive"]; ok {
			diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &hr.Sensitive)...)
		}
		role.Resources = append(role.Resources, hr)
	}
	diags = append(diags, checkRoleRefs(role, seen)...)
	return role, diags
}

// checkRoleRefs checks notify and depends_on targets inside a role.
func checkRoleRefs(role *Role, byAddr map[string]*HostResource) hcl.Diagnostics {
	var diags hcl.Diagnostics
	addrs := sortedKeys(byAddr)
	check := func(tr hcl.Traversal, arg string) {
		if len(tr) != 2 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid " + arg + " reference",
				Detail:   "Refer to another resource of this role as KIND.NAME, such as service.nginx.",
				Subject:  tr.SourceRange().Ptr(),
			})
			return
		}
		addr := traversalString(tr)
		if _, ok := byAddr[addr]; ok {
			if arg == "notify" && tr.RootName() != "service" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid notify target",
					Detail: fmt.Sprintf("notify can only name services, which are restarted when this resource "+
						"changes, but %s is a %s. Name a service of this role, or use depends_on to order "+
						"the two resources.", addr, tr.RootName()),
					Subject: tr.SourceRange().Ptr(),
				})
			}
			return
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Reference to undeclared host resource",
			Detail: fmt.Sprintf("Role %q has no resource %s.%s Declare it in the role, or fix the name.",
				role.Name, addr, didYouMean(addr, addrs)),
			Subject: tr.SourceRange().Ptr(),
		})
	}
	for _, hr := range role.Resources {
		for _, tr := range hr.Notify {
			check(tr, "notify")
		}
		for _, tr := range hr.DependsOn {
			check(tr, "depends_on")
		}
	}
	return diags
}

// staticTraversalList reads a list of bare references such as [service.nginx].
func staticTraversalList(attr *hcl.Attribute, arg, example string) ([]hcl.Traversal, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid " + arg,
			Detail:   fmt.Sprintf("%s takes a list of references, such as [%s].", arg, example),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	var out []hcl.Traversal
	for _, e := range exprs {
		tr, trDiags := hcl.AbsTraversalForExpr(e)
		if trDiags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid " + arg + " reference",
				Detail:   fmt.Sprintf("Each entry of %s must be a bare reference such as %s, without quotes.", arg, example),
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		out = append(out, tr)
	}
	return out, diags
}
