package engine

import (
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/state"
)

// expansion says how a resource or module call was expanded.
type expansion int

const (
	expandSingle expansion = iota
	expandCount
	expandForEach
)

// moduleInstance is one instance of a module: its address ("" for the root,
// `module.web[0]` below) and the count/each values of its call.
type moduleInstance struct {
	addr string
	// parent and key place the instance under its caller's instance.
	parent     string
	key        state.InstanceKey
	countIndex cty.Value
	eachKey    cty.Value
	eachValue  cty.Value
}

// values holds everything evaluated so far in a walk, by module instance
// address. It is safe for concurrent use.
type values struct {
	mu        sync.RWMutex
	variables map[string]map[string]cty.Value
	locals    map[string]map[string]cty.Value
	outputs   map[string]map[string]cty.Value
	resources map[string]map[string]*resourceValues // module instance → "type.name" / "data.type.name"
	// modules maps a config path ("web.db") to its module instances.
	modules map[string][]moduleInstance
	// calls maps a module instance and call name to how the call expanded.
	calls map[string]expansion
}

type resourceValues struct {
	expansion expansion
	instances map[state.InstanceKey]cty.Value

	// value caches collect(expansion, instances): a resource with N
	// instances is referred to by up to N others, and building the whole
	// value for each would cost O(N²).
	mu    sync.Mutex
	value cty.Value
}

// whole returns the value references to the whole resource see. The
// caller holds at least the read lock of the values it belongs to.
func (rv *resourceValues) whole() cty.Value {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	if rv.value == cty.NilVal {
		rv.value = collect(rv.expansion, rv.instances)
	}
	return rv.value
}

func newValues(rootVars map[string]cty.Value) *values {
	return &values{
		variables: map[string]map[string]cty.Value{"": rootVars},
		locals:    map[string]map[string]cty.Value{},
		outputs:   map[string]map[string]cty.Value{},
		resources: map[string]map[string]*resourceValues{},
		modules:   map[string][]moduleInstance{"": {{addr: ""}}},
		calls:     map[string]expansion{},
	}
}

func set(m map[string]map[string]cty.Value, mod, name string, v cty.Value) {
	if m[mod] == nil {
		m[mod] = map[string]cty.Value{}
	}
	m[mod][name] = v
}

func (vs *values) setVariable(mod, name string, v cty.Value) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	set(vs.variables, mod, name, v)
}

// variable returns the value of a variable of a module instance, if it is
// evaluated.
func (vs *values) variable(mod, name string) (cty.Value, bool) {
	vs.mu.RLock()
	defer vs.mu.RUnlock()
	v, ok := vs.variables[mod][name]
	return v, ok
}

func (vs *values) setLocal(mod, name string, v cty.Value) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	set(vs.locals, mod, name, v)
}

func (vs *values) setOutput(mod, name string, v cty.Value) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	set(vs.outputs, mod, name, v)
}

// setResource records the value of every instance of a resource in one
// module instance.
func (vs *values) setResource(mod, key string, exp expansion, instances map[state.InstanceKey]cty.Value) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.resources[mod] == nil {
		vs.resources[mod] = map[string]*resourceValues{}
	}
	vs.resources[mod][key] = &resourceValues{expansion: exp, instances: instances}
}

// setInstance records one instance's value, keeping the others.
func (vs *values) setInstance(mod, key string, exp expansion, ik state.InstanceKey, v cty.Value) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.resources[mod] == nil {
		vs.resources[mod] = map[string]*resourceValues{}
	}
	rv := vs.resources[mod][key]
	if rv == nil {
		rv = &resourceValues{expansion: exp, instances: map[state.InstanceKey]cty.Value{}}
		vs.resources[mod][key] = rv
	}
	rv.instances[ik] = v
	rv.value = cty.NilVal
}

func (vs *values) setModuleInstances(path string, insts []moduleInstance) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.modules[path] = append(vs.modules[path], insts...)
}

func (vs *values) setCall(mod, name string, exp expansion) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.calls[mod+"|"+name] = exp
}

func (vs *values) moduleInstances(path string) []moduleInstance {
	vs.mu.RLock()
	defer vs.mu.RUnlock()
	return vs.modules[path]
}

// collect builds the value an expression sees for a whole resource or
// module call: an object for one instance, a tuple for count, an object by
// key for for_each.
func collect(exp expansion, instances map[state.InstanceKey]cty.Value) cty.Value {
	switch exp {
	case expandCount:
		keys := make([]int, 0, len(instances))
		for k := range instances {
			if ik, ok := k.(state.IntKey); ok {
				keys = append(keys, int(ik))
			}
		}
		sort.Ints(keys)
		elems := make([]cty.Value, len(keys))
		for i, k := range keys {
			elems[i] = instances[state.IntKey(k)]
		}
		return cty.TupleVal(elems)
	case expandForEach:
		attrs := make(map[string]cty.Value, len(instances))
		for k, v := range instances {
			if sk, ok := k.(state.StringKey); ok {
				attrs[string(sk)] = v
			}
		}
		return cty.ObjectVal(attrs)
	default:
		if v, ok := instances[state.NoKey]; ok {
			return v
		}
		return cty.DynamicVal
	}
}

// scopeData implements blueprint.Data for one module instance.
type scopeData struct {
	vs     *values
	mod    string // module instance address
	config *blueprint.Config
}

var _ blueprint.Data = (*scopeData)(nil)

func (d *scopeData) Variable(ref blueprint.VariableRef, _ hcl.Range) (cty.Value, hcl.Diagnostics) {
	d.vs.mu.RLock()
	defer d.vs.mu.RUnlock()
	if v, ok := d.vs.variables[d.mod][ref.Name]; ok {
		return v, nil
	}
	return cty.DynamicVal, nil
}

func (d *scopeData) Local(ref blueprint.LocalRef, _ hcl.Range) (cty.Value, hcl.Diagnostics) {
	d.vs.mu.RLock()
	defer d.vs.mu.RUnlock()
	if v, ok := d.vs.locals[d.mod][ref.Name]; ok {
		return v, nil
	}
	return cty.DynamicVal, nil
}

func (d *scopeData) Resource(ref blueprint.ResourceRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	if rz := d.config.Module.Realizations[ref.String()]; rz != nil {
		return d.ModuleCall(blueprint.ModuleCallRef{Name: rz.Call}, rng)
	}
	d.vs.mu.RLock()
	defer d.vs.mu.RUnlock()
	rv := d.vs.resources[d.mod][ref.String()]
	if rv == nil {
		return cty.DynamicVal, nil
	}
	return rv.whole(), nil
}

func (d *scopeData) ModuleCall(ref blueprint.ModuleCallRef, _ hcl.Range) (cty.Value, hcl.Diagnostics) {
	d.vs.mu.RLock()
	defer d.vs.mu.RUnlock()
	exp := d.vs.calls[d.mod+"|"+ref.Name]
	child := d.config.Children[ref.Name]
	if child == nil {
		return cty.DynamicVal, nil
	}
	outputsOf := func(addr string) cty.Value {
		attrs := map[string]cty.Value{}
		for name := range child.Module.Outputs {
			if v, ok := d.vs.outputs[addr][name]; ok {
				attrs[name] = v
			} else {
				attrs[name] = cty.DynamicVal
			}
		}
		return cty.ObjectVal(attrs)
	}
	instances := map[state.InstanceKey]cty.Value{}
	for _, mi := range d.vs.modules[pathKey(child.Path)] {
		if mi.parent == d.mod {
			instances[mi.key] = outputsOf(mi.addr)
		}
	}
	return collect(exp, instances), nil
}
