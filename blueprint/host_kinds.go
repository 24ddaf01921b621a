package blueprint

import (
	"sort"
	"strings"
	"sync"
)

// hostKinds are the resource kinds a role may contain. The resources package
// implements each; this list is what the language accepts. A kind package
// registers itself with RegisterHostKind, and the built-in kinds are listed
// here so that blueprints validate without loading the agent.
var hostKinds = struct {
	sync.RWMutex
	names map[string]bool
}{names: map[string]bool{
	"package": true, "file": true, "directory": true, "template": true,
	"link": true, "user": true, "group": true, "service": true, "exec": true,
	"line": true, "cron": true, "apt_repository": true, "git": true, "download": true,
}}

// RegisterHostKind adds a host resource kind to the language. It must be
// called from an init function, before any blueprint is loaded.
func RegisterHostKind(name string) {
	hostKinds.Lock()
	defer hostKinds.Unlock()
	hostKinds.names[name] = true
}

// HostKinds returns the accepted host resource kinds in name order.
func HostKinds() []string {
	hostKinds.RLock()
	defer hostKinds.RUnlock()
	out := make([]string, 0, len(hostKinds.names))
	for k := range hostKinds.names {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func hostKindList() string { return strings.Join(HostKinds(), ", ") }
