package toolkit

import (
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() { register(healthCheck()) }

// healthCheck is the health_check realized as a controller kind: the
// module creates nothing and records the check in state for `bp run`, which
// probes the group's members and replaces those that fail
// (modules/health_check).
func healthCheck() *Realization {
	return &Realization{
		Kind:    "health_check",
		Summary: "check for bp run",
		Schema: &providers.Schema{
			Description: "Probes the members of a machine group over HTTP or TCP; bp run replaces a member that fails.",
			Attributes: map[string]*providers.Attribute{
				"targets": {Type: cty.DynamicPseudoType, Required: true,
					Description: "The machine group whose members are probed: targets = resource.machine_group.web. Reads back as its address."},
				"interval": {Type: cty.String, Optional: true, Description: "Time between probes, such as \"5s\" (default)."},
				"healthy_threshold": {Type: cty.Number, Optional: true,
					Description: "Consecutive passed probes that make a member healthy (default 2)."},
				"unhealthy_threshold": {Type: cty.Number, Optional: true,
					Description: "Consecutive failed probes that make a member unhealthy, and replaced (default 3)."},
			},
			Blocks: map[string]*providers.NestedBlock{
				"http": {Nesting: providers.NestingSingle, Block: providers.Schema{
					Description: "Probe with HTTP GET; a 2xx or 3xx answer passes. The default when there is no tcp block.",
					Attributes: map[string]*providers.Attribute{
						"path": {Type: cty.String, Optional: true, Description: "The path requested (default \"/\")."},
						"port": {Type: cty.Number, Optional: true, Description: "The port (default 80)."},
					},
				}},
				"tcp": {Nesting: providers.NestingSingle, Block: providers.Schema{
					Description: "Probe by opening a TCP connection.",
					Attributes: map[string]*providers.Attribute{
						"port": {Type: cty.Number, Required: true, Description: "The port."},
					},
				}},
			},
		},
	}
}
