package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// The controller kinds (autoscaler, health_check) create nothing: their
// self-hosted modules record their configuration in state for `bp run`.
// Both act on one machine group, whose address the engine finds in the
// block and passes as a hidden variable.
const (
	// ControllerGroupVar is the hidden variable of a controller kind's
	// module: the address of its machine group, "machine_group.web".
	ControllerGroupVar = "group_address"
)

// controllerGroupArgs names, per controller kind, the argument that refers
// to the machine group.
var controllerGroupArgs = map[string]string{
	"autoscaler":   "group",
	"health_check": "targets",
}

// ControllerGroupArg returns the argument of a controller kind that names
// its machine group ("group" for autoscaler, "targets" for health_check),
// and false for other kinds.
func ControllerGroupArg(kind string) (string, bool) {
	arg, ok := controllerGroupArgs[kind]
	return arg, ok
}

// controllerGroupExpr returns the address of the machine group a controller
// kind's argument refers to (group = resource.machine_group.web), found
// statically in the expression, as a string expression. The group must be
// a machine_group of the same module, without count or for_each: bp run
// resizes and repairs groups of the root module by address.
func controllerGroupExpr(c *Config, r *Resource, attr *hcl.Attribute) (hcl.Expression, hcl.Diagnostics) {
	if attr == nil {
		return nil, nil // the missing argument is reported by the decoder
	}
	arg := controllerGroupArgs[r.Type]
	bad := func(detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid " + arg,
			Detail: fmt.Sprintf("%s The %s of %s %q must be a machine group of this module, written as %s = resource.machine_group.NAME.",
				detail, arg, article(r.Type)+" "+r.Type, r.Name, arg),
			Subject: attr.Expr.Range().Ptr(),
		}}
	}
	refs, _ := References(attr.Expr)
	if len(refs) != 1 {
		return nil, bad("The expression does not refer to exactly one resource.")
	}
	rr, ok := refs[0].Subject.(ResourceRef)
	if !ok || rr.Mode != ManagedResourceMode || rr.Type != GroupKind {
		return nil, bad(fmt.Sprintf("It refers to %s, not to a machine_group.", refs[0].Subject))
	}
	if len(refs[0].Remaining) > 0 {
		return nil, bad("It refers to an attribute of the group rather than to the group itself.")
	}
	addr := GroupKind + "." + rr.Name
	group, declared := c.Module.Resources[addr]
	if !declared {
		if rz, ok := c.Module.Realizations[addr]; ok {
			group, declared = rz.Resource, true
		}
	}
	if !declared {
		return nil, bad(fmt.Sprintf("This module declares no resource %q.", addr))
	}
	if c.Parent != nil || group.Count != nil || group.ForEach != nil {
		return nil, bad("bp run manages only groups declared once, without count or for_each, in the root module.")
	}
	return hcl.StaticExpr(cty.StringVal(addr), attr.Expr.Range()), nil
}
