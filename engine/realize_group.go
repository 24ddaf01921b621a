package engine

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
)

// groupSizeInputs returns the root inputs of a plan: vars, plus one input
// per machine group whose size can be overridden (see
// blueprint.GroupSizeInput) holding its size from sizes, or null to keep the
// size in state. The plan records them with its variables, so applying a
// saved plan applies the same sizes. Sizes naming no such group are
// errors.
func groupSizeInputs(root *blueprint.Config, vars map[string]cty.Value, sizes map[string]int) (map[string]cty.Value, hcl.Diagnostics) {
	groups := root.OverridableGroups()
	out := make(map[string]cty.Value, len(vars)+len(groups))
	for name, v := range vars {
		if !blueprint.IsGroupSizeInput(name) {
			out[name] = v
		}
	}
	known := map[string]bool{}
	for _, addr := range groups {
		known[addr] = true
		out[blueprint.GroupSizeInput(addr)] = cty.NullVal(cty.Number)
	}
	var diags hcl.Diagnostics
	for _, addr := range sortedNames(sizes) {
		n := sizes[addr]
		switch {
		case !known[addr]:
			list := "this blueprint has none"
			if len(groups) > 0 {
				list = "it has " + strings.Join(groups, ", ")
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "No such machine group",
				Detail: fmt.Sprintf("A size was given for %s, which is not a self-hosted machine_group of the root module "+
					"without count or for_each; %s. Name a group by its address, such as machine_group.web.", addr, list),
			})
		case n < 0:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid group size",
				Detail:   fmt.Sprintf("The size given for %s is %d; give a whole number from 0 up (it is kept within the group's min and max).", addr, n),
			})
		default:
			out[blueprint.GroupSizeInput(addr)] = cty.NumberIntVal(int64(n))
		}
	}
	return out, diags
}
