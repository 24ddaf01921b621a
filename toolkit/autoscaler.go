package toolkit

import (
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() { register(autoscaler()) }

// ControllerGroupVar is the hidden variable of the controller kinds'
// modules (autoscaler, health_check) that carries the address of the
// machine group they act on ("machine_group.web"), found by the engine in
// the group or targets argument.
const ControllerGroupVar = "group_address"

// ControllerRecord is the resource of the controller kinds' modules that
// records their evaluated configuration in state: `bp run` reads the
// std_null's inputs at module.KIND:NAME.std_null.this.
const ControllerRecord = "std_null.this"

// loadBalancerSource is what an autoscaler metric reads of its source, a
// load_balancer (the other attributes of the resource are dropped).
var loadBalancerSource = cty.Object(map[string]cty.Type{
	"stats_url": cty.String,
	"listener":  cty.List(cty.Object(map[string]cty.Type{"port": cty.Number})),
})

// autoscaler is the autoscaler realized as a controller kind: the module
// creates nothing and records the policy in state for `bp run`
// (modules/autoscaler).
func autoscaler() *Realization {
	return &Realization{
		Kind:    "autoscaler",
		Summary: "policy for bp run",
		Schema: &providers.Schema{
			Description: "Resizes a machine group to keep metrics at their targets (target tracking), carried out by bp run.",
			Attributes: map[string]*providers.Attribute{
				"group": {Type: cty.DynamicPseudoType, Required: true,
					Description: "The machine group to resize: group = resource.machine_group.web. Reads back as its address, \"machine_group.web\"."},
				"min": {Type: cty.Number, Required: true, Description: "The smallest size the autoscaler sets, at least the group's min."},
				"max": {Type: cty.Number, Required: true, Description: "The largest size the autoscaler sets, at most the group's max."},
				"scale_out_cooldown": {Type: cty.String, Optional: true,
					Description: "Time after a scale-out before the next one, such as \"60s\" (default)."},
				"scale_in_cooldown": {Type: cty.String, Optional: true,
					Description: "Time after any change before a scale-in, such as \"300s\" (default)."},
				"stabilization": {Type: cty.String, Optional: true,
					Description: "The scale-in window: the group shrinks only to the highest size asked for over it (default \"300s\")."},
			},
			Blocks: map[string]*providers.NestedBlock{
				"metric": {Nesting: providers.NestingList, MinItems: 1, Block: providers.Schema{
					Description: "A metric to keep at a target per member; the highest resulting size wins.",
					Attributes: map[string]*providers.Attribute{
						"name": {Type: cty.String, Required: true,
							Description: "requests_per_member, response_time (ms), sessions_per_member (from the load balancer), load_average, cpu or memory (percent, from the members)."},
						"target": {Type: cty.Number, Required: true, Description: "The value to keep the metric at, per member."},
						"source": {Type: loadBalancerSource, Optional: true,
							Description: "The load balancer in front of the group, for its metrics: source = resource.load_balancer.front."},
						"port": {Type: cty.Number, Optional: true,
							Description: "The source's listener whose backend is measured (default its first listener)."},
					},
				}},
			},
		},
	}
}
