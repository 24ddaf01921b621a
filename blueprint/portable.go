package blueprint

import "sort"

// portableKinds are the resource types of the portable toolkit (DESIGN §1):
// every machine provider offers them, natively or through a self-hosted
// realization, so they carry no provider prefix.
var portableKinds = map[string]bool{
	"machine":       true,
	"machine_group": true,
	"load_balancer": true,
	"dns_zone":      true,
	"dns_record":    true,
	"autoscaler":    true,
	"health_check":  true,
	"monitor":       true,
}

// IsPortableKind reports whether typ is a portable toolkit kind.
func IsPortableKind(typ string) bool { return portableKinds[typ] }

// PortableKinds lists the portable kinds in name order.
func PortableKinds() []string {
	out := make([]string, 0, len(portableKinds))
	for k := range portableKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
