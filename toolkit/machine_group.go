package toolkit

import (
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() { register(machineGroup()) }

// GroupRolesAttribute is the machine_group argument the engine handles
// itself rather than passing to the module: the roles converged on every
// member, references to role blocks (roles = [role.app]). The module has
// neither a variable nor an output for it.
const GroupRolesAttribute = "roles"

// GroupRolloutBlock is the machine_group block the engine handles itself,
// like a configure block's rollout: how many members converge at once and
// the health check a member passes before it joins (what refers to the
// group waits for it).
const GroupRolloutBlock = "rollout"

// GroupSizeOverrideVar is the hidden variable of the machine_group module
// that carries a size chosen at run time (bp run's autoscaler), or null.
const GroupSizeOverrideVar = "size_override"

// machineGroup is machine_group realized as counted machines whose size a
// std_group_size keeps in state (modules/machine_group).
func machineGroup() *Realization {
	return &Realization{
		Kind:    "machine_group",
		Summary: "identical machines",
		Schema: &providers.Schema{
			Description: "A set of identical machines with the same roles, sized between min and max.",
			Attributes: map[string]*providers.Attribute{
				GroupRolesAttribute: {Type: cty.DynamicPseudoType, Optional: true,
					Description: "Roles converged on every member, as a configure block would: roles = [role.app]."},
				"min": {Type: cty.Number, Required: true, Description: "The smallest number of members."},
				"max": {Type: cty.Number, Required: true, Description: "The largest number of members."},
				"desired": {Type: cty.Number, Optional: true,
					Description: "The initial number of members (default min). Afterwards the size is owned by the autoscaler (bp run); a later apply resets it only when desired changes in the blueprint."},
				"members": {Type: cty.List(cty.String), Computed: true,
					Description: "The members' addresses, in member order; usable as load balancer targets."},
				"machines": {Type: cty.DynamicPseudoType, Computed: true,
					Description: "The member machines, for the hosts of a configure block."},
				"size": {Type: cty.Number, Computed: true, Description: "The current number of members."},
			},
			Blocks: map[string]*providers.NestedBlock{
				GroupRolloutBlock: {Nesting: providers.NestingSingle, Block: providers.Schema{
					Description: "How members converge, as a configure block's rollout: max_parallel, and a health_check each new or changed member must pass before a load balancer or anything else referring to the group sees it.",
					Attributes: map[string]*providers.Attribute{
						"max_parallel": {Type: cty.Number, Optional: true, Description: "How many members converge at once."},
					},
					Blocks: map[string]*providers.NestedBlock{
						"health_check": {Nesting: providers.NestingSingle, Block: providers.Schema{
							Description: "An HTTP GET of path on port answered 2xx or 3xx, or without path a TCP connection.",
							Attributes: map[string]*providers.Attribute{
								"port":              {Type: cty.Number, Required: true, Description: "The port probed."},
								"path":              {Type: cty.String, Optional: true, Description: "The HTTP path, such as \"/\"; unset for a TCP check."},
								"timeout":           {Type: cty.String, Optional: true, Description: "How long a member may take to pass (default 60s)."},
								"healthy_threshold": {Type: cty.Number, Optional: true, Description: "Consecutive passes required (default 1)."},
							},
						}},
					},
				}},
				"template": {Nesting: providers.NestingSingle, Block: providers.Schema{
					Description: "The arguments of every member machine.",
					Attributes: map[string]*providers.Attribute{
						"image":   {Type: cty.String, Optional: true, Description: "The machine image (the provider's default when unset)."},
						"size":    {Type: cty.String, Optional: true, Description: "The machine size, such as \"small\"."},
						"labels":  {Type: cty.Map(cty.String), Optional: true, Description: "Labels of every member; bp adds bp.toolkit, bp.realization and bp.member."},
						"network": {Type: cty.String, Optional: true, Description: "The network the members join."},
						"running": {Type: cty.Bool, Optional: true, Description: "Whether the members run (default true)."},
					},
				}},
			},
		},
	}
}
