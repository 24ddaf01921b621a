package resources

import (
	"fmt"
	"sort"
	"sync"
)

// AttrType is the type of a kind argument as bp must send it.
type AttrType string

// The argument types. Values arrive as plain JSON: numbers as float64 (any
// Go integer or float type is accepted too), lists as []any or []string,
// maps as map[string]any or map[string]string.
const (
	TypeString     AttrType = "string"
	TypeNumber     AttrType = "number"
	TypeBool       AttrType = "bool"
	TypeStringList AttrType = "list(string)"
	TypeStringMap  AttrType = "map(string)"
	// TypeAny is any value bp consumes itself and never sends to the
	// agent (template vars).
	TypeAny AttrType = "any"
)

// KindSpec describes one host resource kind for bp: its name and the
// arguments its block accepts.
type KindSpec struct {
	// Name is the block type in a role, such as "file".
	Name string
	// Description is one sentence saying what the kind manages.
	Description string
	// NameAttribute is the argument the block label fills when the block
	// does not set it: "path" for `file "/etc/motd" {}`, "name" for
	// `package "nginx" {}`. The agent fills it from the resource ID's NAME
	// part (role/KIND.NAME) when attrs lack it, so bp need not send it.
	NameAttribute string
	// Attributes are the accepted arguments, in documentation order.
	Attributes []AttrSpec
}

// Attribute returns the named argument's spec.
func (k KindSpec) Attribute(name string) (AttrSpec, bool) {
	for _, a := range k.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return AttrSpec{}, false
}

// AttrSpec describes one argument of a kind.
type AttrSpec struct {
	Name string
	Type AttrType
	// Required arguments must be set (not null). The NameAttribute is never
	// required: the block label supplies it.
	Required bool
	// Sensitive arguments are never shown in plans or messages.
	Sensitive   bool
	Description string
}

// decodeFunc decodes validated-typed arguments into a resource. It reports
// problems through a; the returned resource is used only when a has none.
type decodeFunc func(a *attrs) Resource

type kind struct {
	spec   KindSpec
	decode decodeFunc
}

var registry = struct {
	sync.RWMutex
	kinds map[string]kind
}{kinds: map[string]kind{}}

// register adds a kind; each kind file calls it from init.
func register(spec KindSpec, decode decodeFunc) {
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.kinds[spec.Name]; dup {
		panic(fmt.Sprintf("resources: kind %q registered twice", spec.Name))
	}
	registry.kinds[spec.Name] = kind{spec: spec, decode: decode}
}

func lookup(name string) (kind, bool) {
	registry.RLock()
	defer registry.RUnlock()
	k, ok := registry.kinds[name]
	return k, ok
}

// Kinds returns the spec of every kind, in name order. The result is a
// copy; changing it changes nothing here.
func Kinds() []KindSpec {
	registry.RLock()
	defer registry.RUnlock()
	out := make([]KindSpec, 0, len(registry.kinds))
	for _, k := range registry.kinds {
		spec := k.spec
		spec.Attributes = append([]AttrSpec(nil), spec.Attributes...)
		out = append(out, spec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// kindNames lists the registered kinds for messages.
func kindNames() []string {
	specs := Kinds()
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	return names
}
