package state

import (
	"fmt"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/google/uuid"
)

// FormatVersion is the version of the state file format this package reads
// and writes.
const FormatVersion = 1

// State is everything bp recorded about the real world for one blueprint.
//
// A State is not safe for concurrent use; share it through Sync. Lookups by
// address are map lookups, so a state of tens of thousands of instances is
// cheap to query and update.
type State struct {
	// Version is the file format version (FormatVersion).
	Version int
	// Lineage identifies a state and all its successors; a backend refuses
	// to overwrite a state of another lineage.
	Lineage string
	// Serial counts writes; Backend.Write increments it.
	Serial uint64
	// WrittenBy is the bp version recorded in the file this state was read
	// from, empty for a new state. Encoding records BPVersion instead.
	WrittenBy string
	// Outputs are the root module's output values by name.
	Outputs map[string]*Output

	resources map[ResourceAddr]*Resource
	// hostKeys are the host keys pinned on first use, by "host:port" (see
	// hostkeys.go).
	hostKeys map[string]string
}

// Resource is the state of one resource: which provider configuration
// manages it and its instances. A State never holds a Resource without
// instances.
type Resource struct {
	Addr ResourceAddr
	// Provider is the provider configuration address, like `provider.std`
	// or `provider.std.alias`.
	Provider string

	instances map[InstanceKey]*Instance
	// gen changes with every change to the resource and is kept by copies,
	// so equal gens mean equal content: encoders and backends use it to
	// skip what did not change.
	gen uint64
}

// generations hands out Resource.gen values, unique in the process.
var generations atomic.Uint64

// New returns an empty state with a fresh lineage.
func New() *State {
	return &State{
		Version:   FormatVersion,
		Lineage:   uuid.NewString(),
		Outputs:   map[string]*Output{},
		resources: map[ResourceAddr]*Resource{},
	}
}

// Empty reports whether the state holds no resources and no outputs.
func (s *State) Empty() bool {
	return len(s.resources) == 0 && len(s.Outputs) == 0
}

// DeepCopy returns a copy of s that shares nothing mutable with it.
func (s *State) DeepCopy() *State {
	return s.copy(true)
}

// copy copies the state's structure; objects are copied only when deep.
// A shallow copy is a consistent snapshot as long as stored objects are
// never modified in place (see Object).
func (s *State) copy(deep bool) *State {
	return s.copyReusing(nil, deep)
}

// snapshot returns a shallow copy of s that shares with prev, an earlier
// snapshot of s, every resource that did not change since. Snapshots must
// never be modified, except for their header fields.
func (s *State) snapshot(prev *State) *State {
	return s.copyReusing(prev, false)
}

func (s *State) copyReusing(prev *State, deep bool) *State {
	if s == nil {
		return nil
	}
	c := *s
	c.hostKeys = maps.Clone(s.hostKeys)
	c.resources = make(map[ResourceAddr]*Resource, len(s.resources))
	for addr, r := range s.resources {
		var pr *Resource
		if prev != nil {
			if pr = prev.resources[addr]; pr != nil && pr.gen == r.gen {
				c.resources[addr] = pr
				continue
			}
		}
		rc := &Resource{Addr: r.Addr, Provider: r.Provider, gen: r.gen, instances: make(map[InstanceKey]*Instance, len(r.instances))}
		for k, inst := range r.instances {
			// A counted resource changes with each of its instances: share
			// the earlier snapshot's copies of the others, as for whole
			// resources.
			if pr != nil {
				if pi := pr.instances[k]; pi != nil && inst.gen != 0 && pi.gen == inst.gen {
					rc.instances[k] = pi
					continue
				}
			}
			rc.instances[k] = inst.copy(deep)
		}
		c.resources[addr] = rc
	}
	if s.Outputs != nil {
		c.Outputs = make(map[string]*Output, len(s.Outputs))
		for name, o := range s.Outputs {
			oc := *o
			c.Outputs[name] = &oc
		}
	}
	return &c
}

// Resource returns the resource at addr, or nil.
func (s *State) Resource(addr ResourceAddr) *Resource {
	return s.resources[addr]
}

// Resources returns all resources in address order.
func (s *State) Resources() []*Resource {
	rs := make([]*Resource, 0, len(s.resources))
	for _, r := range s.resources {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b *Resource) int { return CompareResourceAddrs(a.Addr, b.Addr) })
	return rs
}

// Instance returns the instance at addr, or nil. The instance and its
// objects belong to the state: read them, change them only through State
// methods.
func (s *State) Instance(addr InstanceAddr) *Instance {
	r := s.resources[addr.Resource]
	if r == nil {
		return nil
	}
	return r.instances[addr.Key]
}

// Object returns the current object of the instance at addr, or nil.
func (s *State) Object(addr InstanceAddr) *Object {
	if inst := s.Instance(addr); inst != nil {
		return inst.Current
	}
	return nil
}

// AllInstances returns the address of every instance in the state, in
// address order.
func (s *State) AllInstances() []InstanceAddr {
	var addrs []InstanceAddr
	for _, r := range s.Resources() {
		for _, k := range r.Keys() {
			addrs = append(addrs, r.Addr.Instance(k))
		}
	}
	return addrs
}

// InstanceCount returns the number of instances in the state.
func (s *State) InstanceCount() int {
	n := 0
	for _, r := range s.resources {
		n += len(r.instances)
	}
	return n
}

// SetInstance records obj as the current object of the instance at addr,
// managed by provider. A nil obj removes the current object; the instance
// then disappears unless it has deposed objects, and the resource disappears
// with its last instance. The state stores its own copy of obj, so the
// caller may reuse obj afterwards.
func (s *State) SetInstance(addr InstanceAddr, provider string, obj *Object) {
	if obj == nil {
		if inst := s.Instance(addr); inst != nil {
			inst.Current = nil
			s.prune(addr)
			s.touchInstance(addr)
		}
		return
	}
	s.ensureInstance(addr, provider).Current = obj.DeepCopy()
	s.touchInstance(addr)
}

// RemoveInstance removes the instance at addr with all its objects,
// current and deposed, and the resource with its last instance.
func (s *State) RemoveInstance(addr InstanceAddr) {
	r := s.resources[addr.Resource]
	if r == nil {
		return
	}
	delete(r.instances, addr.Key)
	if len(r.instances) == 0 {
		delete(s.resources, addr.Resource)
	}
	s.touch(addr.Resource)
}

// Depose moves the current object of the instance at addr to a new deposed
// key and returns the key, or "" when the instance has no current object.
// Create-before-destroy calls it before creating the replacement.
func (s *State) Depose(addr InstanceAddr) DeposedKey {
	inst := s.Instance(addr)
	if inst == nil || inst.Current == nil {
		return ""
	}
	key := NewDeposedKey()
	for inst.Deposed[key] != nil {
		key = NewDeposedKey()
	}
	if inst.Deposed == nil {
		inst.Deposed = map[DeposedKey]*Object{}
	}
	inst.Deposed[key] = inst.Current
	inst.Current = nil
	s.touchInstance(addr)
	return key
}

// SetDeposed records obj as the deposed object key of the instance at addr;
// a nil obj removes it (after it was destroyed), pruning empty instances and
// resources like SetInstance.
func (s *State) SetDeposed(addr InstanceAddr, key DeposedKey, provider string, obj *Object) {
	if obj == nil {
		if inst := s.Instance(addr); inst != nil {
			delete(inst.Deposed, key)
			s.prune(addr)
			s.touchInstance(addr)
		}
		return
	}
	inst := s.ensureInstance(addr, provider)
	if inst.Deposed == nil {
		inst.Deposed = map[DeposedKey]*Object{}
	}
	inst.Deposed[key] = obj.DeepCopy()
	s.touchInstance(addr)
}

// Output returns the root output name, or nil.
func (s *State) Output(name string) *Output {
	return s.Outputs[name]
}

// SetOutput records a copy of o as the root output name; a nil o removes
// the output.
func (s *State) SetOutput(name string, o *Output) {
	if o == nil {
		s.RemoveOutput(name)
		return
	}
	if s.Outputs == nil {
		s.Outputs = map[string]*Output{}
	}
	oc := *o
	s.Outputs[name] = &oc
}

// RemoveOutput removes the root output name.
func (s *State) RemoveOutput(name string) {
	delete(s.Outputs, name)
}

// Move moves the instance at src, with its deposed objects, to dst, for
// `bp state mv` and moved blocks. Both must be of the same mode and type,
// src must exist and dst must not. The instance keeps its provider; when
// dst's resource already exists it must use the same provider.
//
// To move a whole resource (as `bp state mv a.x a.y` does when neither
// address has a key) use MoveResource.
func (s *State) Move(src, dst InstanceAddr) error {
	if err := checkMove(src.Resource, dst.Resource); err != nil {
		return err
	}
	from := s.resources[src.Resource]
	inst := s.Instance(src)
	if inst == nil {
		return fmt.Errorf("cannot move %s: there is no such instance in the state; run `bp state list` to see the addresses", src)
	}
	if src == dst {
		return nil
	}
	if s.Instance(dst) != nil {
		return fmt.Errorf("cannot move %s to %s: %s already exists in the state; remove or move it first", src, dst, dst)
	}
	if to := s.resources[dst.Resource]; to != nil && to.Provider != from.Provider {
		return fmt.Errorf("cannot move %s to %s: %s is managed by %s but %s by %s; move the whole resource or change its provider first", src, dst, src, from.Provider, dst.Resource, to.Provider)
	}
	s.RemoveInstance(src)
	s.resourceFor(dst.Resource, from.Provider).instances[dst.Key] = inst
	s.touchInstance(dst)
	return nil
}

// MoveResource moves the resource at src with all its instances to dst.
// Both must be of the same mode and type, src must exist and dst must not.
func (s *State) MoveResource(src, dst ResourceAddr) error {
	if err := checkMove(src, dst); err != nil {
		return err
	}
	r := s.resources[src]
	if r == nil {
		return fmt.Errorf("cannot move %s: there is no such resource in the state; run `bp state list` to see the addresses", src)
	}
	if src == dst {
		return nil
	}
	if s.resources[dst] != nil {
		return fmt.Errorf("cannot move %s to %s: %s already exists in the state; remove or move it first", src, dst, dst)
	}
	delete(s.resources, src)
	r.Addr = dst
	s.resources[dst] = r
	s.touch(dst)
	return nil
}

func checkMove(src, dst ResourceAddr) error {
	if src.Mode != dst.Mode || src.Type != dst.Type {
		return fmt.Errorf("cannot move %s to %s: a resource can only move to an address of the same type (%s%s); remove it and import it at the new address instead", src, dst, map[Mode]string{Data: "data."}[src.Mode], src.Type)
	}
	return nil
}

// Keys returns the keys of the resource's instances in key order.
func (r *Resource) Keys() []InstanceKey {
	keys := make([]InstanceKey, 0, len(r.instances))
	for k := range r.instances {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, CompareKeys)
	return keys
}

// Instance returns the instance with key, or nil.
func (r *Resource) Instance(key InstanceKey) *Instance {
	return r.instances[key]
}

// Len returns the number of instances.
func (r *Resource) Len() int { return len(r.instances) }

func (s *State) resourceFor(addr ResourceAddr, provider string) *Resource {
	if s.resources == nil {
		s.resources = map[ResourceAddr]*Resource{}
	}
	r := s.resources[addr]
	if r == nil {
		r = &Resource{Addr: addr, instances: map[InstanceKey]*Instance{}, gen: generations.Add(1)}
		s.resources[addr] = r
	}
	if provider != "" && provider != r.Provider {
		r.Provider = provider
		r.gen = generations.Add(1)
	}
	return r
}

// touch records that the resource at addr changed.
func (s *State) touch(addr ResourceAddr) {
	if r := s.resources[addr]; r != nil {
		r.gen = generations.Add(1)
	}
}

// touchInstance records that the instance at addr changed.
func (s *State) touchInstance(addr InstanceAddr) {
	s.touch(addr.Resource)
	if inst := s.Instance(addr); inst != nil {
		inst.gen = generations.Add(1)
	}
}

func (s *State) ensureInstance(addr InstanceAddr, provider string) *Instance {
	r := s.resourceFor(addr.Resource, provider)
	inst := r.instances[addr.Key]
	if inst == nil {
		inst = &Instance{}
		r.instances[addr.Key] = inst
	}
	return inst
}

// prune drops the instance at addr if it holds no object, and its resource
// if that was the last instance.
func (s *State) prune(addr InstanceAddr) {
	if inst := s.Instance(addr); inst != nil && inst.empty() {
		s.RemoveInstance(addr)
	}
}
