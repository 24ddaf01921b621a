package blueprint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// What the engine adds to a self-hosted machine_group (DESIGN §1): its
// roles are converged by a configure block bp declares beside the module
// call, and its size can be overridden at run time.
const (
	// GroupKind is the portable kind of machine groups.
	GroupKind = "machine_group"
	// GroupRolesArg is the machine_group argument that lists the roles
	// converged on every member (roles = [role.app]). It is not passed to
	// the module: roles are names of role blocks, not values.
	GroupRolesArg = "roles"
	// GroupRolloutBlock is the machine_group block that says how members
	// converge (a configure block's rollout). Like roles, it is not passed
	// to the module.
	GroupRolloutBlock = "rollout"
	// GroupSizeOverrideVar is the hidden variable of the machine_group
	// module that carries a size chosen at run time, or null.
	GroupSizeOverrideVar = "size_override"
	// GroupMachinesOutput is the machine_group module output that lists the
	// member machines, the hosts of the group's configure block.
	GroupMachinesOutput = "machines"
)

// groupSizeInputPrefix starts the names of the root inputs that carry size
// overrides. A colon is in no variable name a user can declare.
const groupSizeInputPrefix = "size_override:"

// GroupSizeInput is the name of the root input value that carries the size
// override of the machine group at addr ("machine_group.web"). The engine
// sets one for every overridable group (null for no override) beside the
// root variables, so that a plan file carries its overrides to apply.
func GroupSizeInput(addr string) string { return groupSizeInputPrefix + addr }

// IsGroupSizeInput reports whether a root input name is one GroupSizeInput
// made.
func IsGroupSizeInput(name string) bool { return strings.HasPrefix(name, groupSizeInputPrefix) }

// OverridableGroups lists, in name order, the addresses of the machine
// groups of the root module whose size can be overridden at run time: the
// self-hosted ones without count or for_each. It is meaningful after
// Realize.
func (c *Config) OverridableGroups() []string {
	root := c.Root()
	var out []string
	for _, key := range sortedKeys(root.Module.Realizations) {
		rz := root.Module.Realizations[key]
		if rz.Resource.Type == GroupKind && rz.Resource.Count == nil && rz.Resource.ForEach == nil {
			out = append(out, key)
		}
	}
	return out
}

// groupSizeOverrideExpr is the size_override argument of a group's module
// call: the root input GroupSizeInput names for the groups
// OverridableGroups lists, null for the others.
func groupSizeOverrideExpr(c *Config, r *Resource) hcl.Expression {
	if c.Parent != nil || r.Count != nil || r.ForEach != nil {
		return hcl.StaticExpr(cty.NullVal(cty.Number), r.DeclRange)
	}
	return &hclsyntax.ScopeTraversalExpr{
		Traversal: hcl.Traversal{
			hcl.TraverseRoot{Name: "var", SrcRange: r.DeclRange},
			hcl.TraverseAttr{Name: GroupSizeInput(r.Addr()), SrcRange: r.DeclRange},
		},
		SrcRange: r.DeclRange,
	}
}

// groupRolesAttr returns the roles argument of a machine_group, or nil.
func groupRolesAttr(r *Resource) *hcl.Attribute {
	content, _, _ := r.Config.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: GroupRolesArg}}})
	if content == nil {
		return nil
	}
	return content.Attributes[GroupRolesArg]
}

// groupRoleRefsAllowed drops, for a managed machine_group, the role
// references of its roles argument from refs: there, and only there, a
// resource may name roles.
func groupRoleRefsAllowed(r *Resource, refs []*Reference) []*Reference {
	if r.Mode != ManagedResourceMode || r.Type != GroupKind {
		return refs
	}
	attr := groupRolesAttr(r)
	if attr == nil {
		return refs
	}
	rng := attr.Expr.Range()
	out := refs[:0:0]
	for _, ref := range refs {
		if _, isRole := ref.Subject.(RoleRef); isRole && rng.Overlaps(ref.SourceRange) {
			continue
		}
		out = append(out, ref)
	}
	return out
}

// groupRoles reads the roles argument of a machine_group as role names of
// module m, reporting entries that are not references to its roles.
func groupRoles(m *Module, r *Resource) ([]hcl.Traversal, hcl.Diagnostics) {
	attr := groupRolesAttr(r)
	if attr == nil {
		return nil, nil
	}
	trs, diags := staticTraversalList(attr, GroupRolesArg, "role.app")
	var out []hcl.Traversal
	for _, tr := range trs {
		a, named := tr[len(tr)-1].(hcl.TraverseAttr)
		if len(tr) != 2 || tr.RootName() != "role" || !named {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid role reference",
				Detail:   fmt.Sprintf("roles takes references to role blocks, such as role.app; %s is not one.", traversalString(tr)),
				Subject:  tr.SourceRange().Ptr(),
			})
			continue
		}
		if _, ok := m.Roles[a.Name]; !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Reference to undeclared role",
				Detail: fmt.Sprintf("There is no role %q in this module.%s Declare it with a role %q { ... } block.",
					a.Name, didYouMean(a.Name, sortedKeys(m.Roles)), a.Name),
				Subject: tr.SourceRange().Ptr(),
			})
			continue
		}
		out = append(out, tr)
	}
	return out, diags
}

// realizeGroupRoles declares, in c's module, the configure block that
// converges a realized machine_group's roles on its members: named like
// the module call ("machine_group:web", shown as configure.machine_group:web),
// its hosts are the module's machines output. It lives beside the call
// rather than in the group's module because role bodies refer to the
// declaring module's variables, locals and resources. A group without
// roles gets none.
func (c *Config) realizeGroupRoles(r *Resource, call string) hcl.Diagnostics {
	roles, diags := groupRoles(c.Module, r)
	if diags.HasErrors() || len(roles) == 0 {
		return diags
	}
	src := "resource." + r.Type + "." + r.Name
	switch {
	case r.Count != nil:
		src = "flatten(" + src + "[*]." + GroupMachinesOutput + ")"
	case r.ForEach != nil:
		src = "flatten([for g in values(" + src + ") : g." + GroupMachinesOutput + "])"
	default:
		src += "." + GroupMachinesOutput
	}
	hosts, hostDiags := hclsyntax.ParseExpression([]byte(src), r.DeclRange.Filename, r.DeclRange.Start)
	if hostDiags.HasErrors() {
		return append(diags, hostDiags...)
	}
	if c.Module.Configures == nil {
		c.Module.Configures = map[string]*Configure{}
	}
	cf := &Configure{Name: call, Hosts: hosts, Roles: roles, DeclRange: r.DeclRange}
	content, _, _ := r.Config.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: GroupRolloutBlock}}})
	if content != nil && len(content.Blocks) > 0 {
		var rDiags hcl.Diagnostics
		cf.Rollout, rDiags = decodeRollout(content.Blocks[0], fmt.Sprintf("machine_group %q", r.Name))
		diags = append(diags, rDiags...)
	}
	c.Module.Configures[call] = cf
	return diags
}
