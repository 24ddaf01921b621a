package toolkit

import (
	"context"

	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/powerdns"
)

func init() { register(dnsRecord()) }

// dnsRecord is dns_record realized as a record of the powerdns provider on
// the server of the matching self-hosted dns_zone (modules/dns_record). Its
// schema is the native powerdns dns_record's, without the server
// attributes, which the engine fills from the zone.
func dnsRecord() *Realization {
	native := powerdns.New().GetSchema(context.Background()).Schema.ResourceTypes["dns_record"]
	s := *native
	s.Attributes = map[string]*providers.Attribute{}
	for name, a := range native.Attributes {
		if name != "api_url" && name != "api_key" {
			s.Attributes[name] = a
		}
	}
	return &Realization{
		Kind:    "dns_record",
		Summary: "record on the zone's PowerDNS server",
		Schema:  &s,
	}
}
