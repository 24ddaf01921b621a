package blueprint

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Config is one node of a loaded blueprint's module tree: the root module, or
// a module called from it. Children are keyed by module call name.
type Config struct {
	// Module holds the declarations of this node's directory.
	Module *Module
	// Path is the chain of module call names from the root; nil for the root.
	Path []string
	// Parent is nil for the root.
	Parent *Config
	// Children holds the configs of the modules this one calls.
	Children map[string]*Config
	// CallRange is where the parent calls this module; empty for the root.
	CallRange hcl.Range

	// loader is the root's loader, kept to load self-hosted modules into
	// the same file set (for diagnostics with source).
	loader *Loader
	// realized is set on the root once Realize ran.
	realized bool
}

// Root returns the root of the module tree.
func (c *Config) Root() *Config {
	for c.Parent != nil {
		c = c.Parent
	}
	return c
}

// Descendant returns the config at path below c, or nil.
func (c *Config) Descendant(path []string) *Config {
	cur := c
	for _, name := range path {
		if cur == nil {
			return nil
		}
		cur = cur.Children[name]
	}
	return cur
}

// Walk calls fn for c and every config below it, parents before children,
// children in name order.
func (c *Config) Walk(fn func(*Config)) {
	fn(c)
	for _, name := range sortedKeys(c.Children) {
		c.Children[name].Walk(fn)
	}
}

// Module is everything declared in one directory of blueprint files.
type Module struct {
	// Dir is the directory the files were read from.
	Dir string

	Settings    *Settings
	Variables   map[string]*Variable
	Locals      map[string]*Local
	Providers   map[string]*Provider // keyed by "name" or "name.alias"
	Resources   map[string]*Resource // managed resources keyed by "type.name"
	DataSources map[string]*Resource // data resources keyed by "type.name"
	ModuleCalls map[string]*ModuleCall
	Roles       map[string]*Role
	Configures  map[string]*Configure
	// Realizations maps "type.name" of each portable resource that a
	// self-hosted module call replaced (see Config.Realize).
	Realizations map[string]*Realization
	Outputs      map[string]*Output
	Moved        []*Moved
	Imports      []*Import
}

func newModule(dir string) *Module {
	return &Module{
		Dir:         dir,
		Variables:   map[string]*Variable{},
		Locals:      map[string]*Local{},
		Providers:   map[string]*Provider{},
		Resources:   map[string]*Resource{},
		DataSources: map[string]*Resource{},
		ModuleCalls: map[string]*ModuleCall{},
		Roles:       map[string]*Role{},
		Configures:  map[string]*Configure{},
		Outputs:     map[string]*Output{},
	}
}

// ResourceByAddr returns the managed or data resource for mode, type and name.
func (m *Module) ResourceByAddr(mode ResourceMode, typ, name string) *Resource {
	if mode == DataResourceMode {
		return m.DataSources[typ+"."+name]
	}
	return m.Resources[typ+"."+name]
}

// SortedResources returns managed then data resources in address order, so
// that everything built from a module is deterministic.
func (m *Module) SortedResources() []*Resource {
	out := make([]*Resource, 0, len(m.Resources)+len(m.DataSources))
	for _, k := range sortedKeys(m.Resources) {
		out = append(out, m.Resources[k])
	}
	for _, k := range sortedKeys(m.DataSources) {
		out = append(out, m.DataSources[k])
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
