package toolkit

import (
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

func init() { register(dnsZone()) }

// dnsZone is dns_zone realized as a PowerDNS authoritative server on one
// machine, serving the zone it creates through its API (modules/dns_zone).
func dnsZone() *Realization {
	return &Realization{
		Kind:    "dns_zone",
		Summary: "PowerDNS authoritative server on a machine",
		Schema: &providers.Schema{
			Description: "An authoritative DNS zone on a server of its own.",
			Attributes: map[string]*providers.Attribute{
				"name": {Type: cty.String, Required: true,
					Description: "The zone's domain, such as \"example.test\"."},
				"nameservers": {Type: cty.List(cty.String), Optional: true,
					Description: "Host names of the zone's name servers (NS records); default [\"ns1.ZONE\"]. Those inside the zone get an A record pointing at the server."},
				"address": {Type: cty.String, Computed: true,
					Description: "The address of the zone's DNS server, to query (dig @ADDRESS) or delegate to."},
				"fqdn": {Type: cty.String, Computed: true,
					Description: "The zone's absolute name, such as \"example.test.\"."},
			},
		},
	}
}
