package toolkit

import (
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() { register(loadBalancer()) }

// StatsPort is the port of the HAProxy stats listener on a self-hosted load
// balancer; its CSV is at /stats;csv (the stats_url output).
const StatsPort = 8404

// loadBalancer is load_balancer realized as HAProxy on one machine
// (modules/load_balancer).
func loadBalancer() *Realization {
	return &Realization{
		Kind:    "load_balancer",
		Summary: "HAProxy on a machine",
		Schema: &providers.Schema{
			Description: "A load balancer spreading connections over target addresses, taking unhealthy targets out of rotation.",
			Attributes: map[string]*providers.Attribute{
				"targets": {Type: cty.List(cty.String), Required: true,
					Description: "Addresses of the targets, such as resource.machine.web[*].address."},
				"balance": {Type: cty.String, Optional: true,
					Description: "How targets are picked: \"roundrobin\" (default) or \"leastconn\"."},
				"address": {Type: cty.String, Computed: true,
					Description: "The address clients connect to."},
				"stats_url": {Type: cty.String, Computed: true,
					Description: "URL of the load balancer's statistics as CSV (HAProxy's stats page): per target health, sessions, request rate and response time."},
			},
			Blocks: map[string]*providers.NestedBlock{
				"listener": {Nesting: providers.NestingList, MinItems: 1, Block: providers.Schema{
					Description: "A port the load balancer accepts connections on.",
					Attributes: map[string]*providers.Attribute{
						"port": {Type: cty.Number, Required: true,
							Description: "The port clients connect to."},
						"target_port": {Type: cty.Number, Optional: true,
							Description: "The port of the targets; the same as port when not set."},
						"protocol": {Type: cty.String, Optional: true,
							Description: "\"http\" (default: HTTP health checks, X-Forwarded-For) or \"tcp\" (connections passed through, TCP health checks)."},
					},
				}},
				"health_check": {Nesting: providers.NestingSingle, Block: providers.Schema{
					Description: "How targets are checked; a target failing the check gets no new connections.",
					Attributes: map[string]*providers.Attribute{
						"path": {Type: cty.String, Optional: true,
							Description: "HTTP listeners: the path requested from each target (default \"/\"); a 2xx or 3xx answer is healthy."},
						"interval": {Type: cty.String, Optional: true,
							Description: "Time between checks, such as \"2s\" (default) or \"500ms\"."},
						"healthy_threshold": {Type: cty.Number, Optional: true,
							Description: "Consecutive passed checks that bring a target back (default 2)."},
						"unhealthy_threshold": {Type: cty.Number, Optional: true,
							Description: "Consecutive failed checks that take a target out (default 2)."},
					},
				}},
			},
		},
	}
}
