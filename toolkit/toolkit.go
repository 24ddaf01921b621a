// Package toolkit ships the self-hosted realizations of the portable kinds
// (DESIGN §1): load_balancer as HAProxy on a machine, dns_zone and
// dns_record as a PowerDNS authoritative server on a machine. Each
// realization is a blueprint module written in the blueprint language and
// embedded in bp; [Dir] extracts them so that the engine can load them like
// any local module, and [Lookup] tells what a user may write in the
// portable resource's block.
//
// The package holds no engine logic: choosing a realization, passing the
// resource's arguments as the module's variables and showing the expansion
// in the plan are the engine's part.
//
// # Module contract
//
// The engine relies on every module under Dir()/KIND keeping to this:
//   - one variable per schema attribute that is not computed-only, and one
//     per nested block type: a NestingList block is a list of objects
//     (empty when absent), a NestingSingle block an object or null. Every
//     attribute of a block object is present, null when the user left it
//     unset; the module applies defaults. Optional variables have defaults.
//   - the hidden variable realization_name (the resource's name, "front" or
//     "front-0" for counted instances), which names the module's machines;
//     dns_record also takes server = object({api_url, api_key}), the
//     matching dns_zone's server output.
//   - one output per schema attribute. dns_zone also outputs server
//     (sensitive) and address; load_balancer address and stats_url.
package toolkit

import (
	"slices"

	"github.com/blueprint-engine/bp/providers"
)

// Realization is the self-hosted realization of one portable kind.
type Realization struct {
	// Kind is the portable kind: "load_balancer", "dns_zone" or "dns_record".
	Kind string
	// Summary is one line for the plan, such as "HAProxy on a machine".
	Summary string
	// Schema is what users write in the resource block: its attributes
	// (required, optional, computed) and nested blocks. The module treats a
	// null optional value as its default, so the engine may pass nulls.
	Schema *providers.Schema
}

// realizations holds every realization by kind; each is registered by the
// file that defines its schema.
var realizations = map[string]*Realization{}

func register(r *Realization) { realizations[r.Kind] = r }

// Lookup returns the self-hosted realization of kind, and false when bp has
// none. The caller must not modify the result.
func Lookup(kind string) (*Realization, bool) {
	r, ok := realizations[kind]
	return r, ok
}

// Kinds lists the kinds that have a self-hosted realization, in name order.
func Kinds() []string {
	out := make([]string, 0, len(realizations))
	for k := range realizations {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
