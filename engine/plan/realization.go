package plan

import "strings"

// Realization says that a portable resource is built by one of bp's
// self-hosted modules (DESIGN §1 "Portable kinds"): its changes are those
// of the resources under Module.
type Realization struct {
	// Addr is the portable resource as written: "load_balancer.front", or
	// "module.site.load_balancer.front" inside a module.
	Addr string `json:"address"`
	// Module is the module path its resources live under, without instance
	// keys: "module.load_balancer:front".
	Module string `json:"module"`
	// Summary says what the module builds: "HAProxy on a machine".
	Summary string `json:"summary"`
}

// Contains reports whether a resource in module instance mod belongs to
// the realization (its module, any instance of it, or a module below it).
func (r *Realization) Contains(mod string) bool {
	rest, ok := strings.CutPrefix(stripKeys(mod), r.Module)
	return ok && (rest == "" || rest[0] == '.')
}

// stripKeys removes the instance keys of a module instance path:
// module.a[0].module.b["x]"] → module.a.module.b.
func stripKeys(mod string) string {
	if !strings.Contains(mod, "[") {
		return mod
	}
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(mod); i++ {
		c := mod[i]
		switch {
		case quoted && c == '\\':
			i++
		case quoted && c == '"':
			quoted = false
		case quoted:
		case depth > 0 && c == '"':
			quoted = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// RealizationOf returns the realization a resource in module instance mod
// belongs to, or nil.
func (p *Plan) RealizationOf(mod string) *Realization {
	for _, r := range p.Realizations {
		if r.Contains(mod) {
			return r
		}
	}
	return nil
}
