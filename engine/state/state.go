package state

import (
	"fmt"
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
// cheap to query and update. Resources and instances live in persistent
// maps (see pmap.go): a snapshot shares them all and costs O(1), and a
// change after a snapshot copies only the path to what changed.
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

	resources pmap[ResourceAddr, *Resource]
	// hostKeys are the host keys pinned on first use (see hostkeys.go).
	hostKeys *hostKeySet
	// edit is the editor of the nodes, resources and instances this State
	// made since its last snapshot, which it may change in place; nil
	// until the State next changes.
	edit *editor
}

// Resource is the state of one resource: which provider configuration
// manages it and its instances. A State never holds a Resource without
// instances.
type Resource struct {
	Addr ResourceAddr
	// Provider is the provider configuration address, like `provider.std`
	// or `provider.std.alias`.
	Provider string

	instances pmap[InstanceKey, *Instance]
	// gen changes with every change to the resource and is kept by copies,
	// so equal gens mean equal content: encoders and backends use it to
	// skip what did not change.
	gen uint64
	// owner is the editor of the State that may change the resource in
	// place; other States copy it first.
	owner *editor
}

// generations hands out Resource.gen values, unique in the process.
var generations atomic.Uint64

// New returns an empty state with a fresh lineage.
func New() *State {
	return &State{
		Version: FormatVersion,
		Lineage: uuid.NewString(),
		Outputs: map[string]*Output{},
	}
}

// Empty reports whether the state holds no resources and no outputs.
func (s *State) Empty() bool {
	return s.resources.Len() == 0 && len(s.Outputs) == 0
}

// DeepCopy returns a copy of s that shares nothing mutable with it. It
// costs O(size of the state); a snapshot (for a backend) costs O(1).
func (s *State) DeepCopy() *State {
	if s == nil {
		return nil
	}
	c := *s
	c.edit = &editor{}
	c.resources = pmap[ResourceAddr, *Resource]{}
	for addr, r := range s.resources.All() {
		rc := &Resource{Addr: r.Addr, Provider: r.Provider, gen: r.gen, owner: c.edit}
		for k, inst := range r.instances.All() {
			ic := inst.copy(true)
			ic.owner = c.edit
			rc.instances.Set(c.edit, k, ic)
		}
		c.resources.Set(c.edit, addr, rc)
	}
	c.hostKeys = s.hostKeys.clone(c.edit)
	c.Outputs = copyOutputs(s.Outputs)
	return &c
}

// snapshot returns a copy of s that shares every resource, instance and
// object with it; from then on s copies whatever it changes. It costs
// O(number of outputs). Snapshots must never be modified, except for their
// header fields.
func (s *State) snapshot() *State {
	if s == nil {
		return nil
	}
	if s.edit != nil {
		s.edit = nil
	}
	c := *s
	c.Outputs = copyOutputs(s.Outputs)
	return &c
}

func copyOutputs(outputs map[string]*Output) map[string]*Output {
	if outputs == nil {
		return nil
	}
	c := make(map[string]*Output, len(outputs))
	for name, o := range outputs {
		oc := *o
		c[name] = &oc
	}
	return c
}

// editor returns the editor of what s may change in place.
func (s *State) editor() *editor {
	if s.edit == nil {
		s.edit = &editor{}
	}
	return s.edit
}

// Resource returns the resource at addr, or nil.
func (s *State) Resource(addr ResourceAddr) *Resource {
	r, _ := s.resources.Get(addr)
	return r
}

// Resources returns all resources in address order.
func (s *State) Resources() []*Resource {
	rs := make([]*Resource, 0, s.resources.Len())
	for _, r := range s.resources.All() {
		rs = append(rs, r)
	}
	slices.SortFunc(rs, func(a, b *Resource) int { return CompareResourceAddrs(a.Addr, b.Addr) })
	return rs
}

// Instance returns the instance at addr, or nil. The instance and its
// objects belong to the state: read them, change them only through State
// methods.
func (s *State) Instance(addr InstanceAddr) *Instance {
	if r := s.Resource(addr.Resource); r != nil {
		return r.Instance(addr.Key)
	}
	return nil
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
	for _, r := range s.resources.All() {
		n += r.Len()
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
		if inst := s.mutableInstance(addr); inst != nil {
			inst.Current = nil
			s.prune(addr)
		}
		return
	}
	s.ensureInstance(addr, provider).Current = obj.DeepCopy()
}

// RemoveInstance removes the instance at addr with all its objects,
// current and deposed, and the resource with its last instance.
func (s *State) RemoveInstance(addr InstanceAddr) {
	if s.Instance(addr) == nil {
		return
	}
	r := s.mutableResource(addr.Resource)
	r.instances.Delete(s.editor(), addr.Key)
	if r.instances.Len() == 0 {
		s.resources.Delete(s.editor(), addr.Resource)
	}
}

// Depose moves the current object of the instance at addr to a new deposed
// key and returns the key, or "" when the instance has no current object.
// Create-before-destroy calls it before creating the replacement.
func (s *State) Depose(addr InstanceAddr) DeposedKey {
	if inst := s.Instance(addr); inst == nil || inst.Current == nil {
		return ""
	}
	inst := s.mutableInstance(addr)
	key := NewDeposedKey()
	for inst.Deposed[key] != nil {
		key = NewDeposedKey()
	}
	if inst.Deposed == nil {
		inst.Deposed = map[DeposedKey]*Object{}
	}
	inst.Deposed[key] = inst.Current
	inst.Current = nil
	return key
}

// SetDeposed records obj as the deposed object key of the instance at addr;
// a nil obj removes it (after it was destroyed), pruning empty instances and
// resources like SetInstance.
func (s *State) SetDeposed(addr InstanceAddr, key DeposedKey, provider string, obj *Object) {
	if obj == nil {
		if inst := s.Instance(addr); inst != nil && inst.Deposed[key] != nil {
			delete(s.mutableInstance(addr).Deposed, key)
			s.prune(addr)
		}
		return
	}
	inst := s.ensureInstance(addr, provider)
	if inst.Deposed == nil {
		inst.Deposed = map[DeposedKey]*Object{}
	}
	inst.Deposed[key] = obj.DeepCopy()
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
	from := s.Resource(src.Resource)
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
	if to := s.Resource(dst.Resource); to != nil && to.Provider != from.Provider {
		return fmt.Errorf("cannot move %s to %s: %s is managed by %s but %s by %s; move the whole resource or change its provider first", src, dst, src, from.Provider, dst.Resource, to.Provider)
	}
	s.RemoveInstance(src)
	// The instance may be shared with a snapshot: it moves as it is, and
	// is copied when it next changes.
	s.resourceFor(dst.Resource, from.Provider).instances.Set(s.editor(), dst.Key, inst)
	return nil
}

// MoveResource moves the resource at src with all its instances to dst.
// Both must be of the same mode and type, src must exist and dst must not.
func (s *State) MoveResource(src, dst ResourceAddr) error {
	if err := checkMove(src, dst); err != nil {
		return err
	}
	r := s.Resource(src)
	if r == nil {
		return fmt.Errorf("cannot move %s: there is no such resource in the state; run `bp state list` to see the addresses", src)
	}
	if src == dst {
		return nil
	}
	if s.Resource(dst) != nil {
		return fmt.Errorf("cannot move %s to %s: %s already exists in the state; remove or move it first", src, dst, dst)
	}
	r = s.mutableResource(src)
	s.resources.Delete(s.editor(), src)
	r.Addr = dst
	s.resources.Set(s.editor(), dst, r)
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
	keys := make([]InstanceKey, 0, r.instances.Len())
	for k := range r.instances.Keys() {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, CompareKeys)
	return keys
}

// Instance returns the instance with key, or nil.
func (r *Resource) Instance(key InstanceKey) *Instance {
	inst, _ := r.instances.Get(key)
	return inst
}

// Len returns the number of instances.
func (r *Resource) Len() int { return r.instances.Len() }

// mutableResource returns the resource at addr for s to change, first
// copying it when s did not make it (a snapshot may share it), and records
// that it changed; nil when there is no such resource.
func (s *State) mutableResource(addr ResourceAddr) *Resource {
	r := s.Resource(addr)
	if r == nil {
		return nil
	}
	ed := s.editor()
	if r.owner != ed {
		c := *r
		c.owner = ed
		r = &c
		s.resources.Set(ed, addr, r)
	}
	r.gen = generations.Add(1)
	return r
}

// resourceFor returns the resource at addr for s to change, creating it
// when missing; a non-empty provider becomes its provider.
func (s *State) resourceFor(addr ResourceAddr, provider string) *Resource {
	r := s.mutableResource(addr)
	if r == nil {
		r = &Resource{Addr: addr, gen: generations.Add(1), owner: s.editor()}
		s.resources.Set(s.editor(), addr, r)
	}
	if provider != "" {
		r.Provider = provider
	}
	return r
}

// mutableInstance returns the instance at addr for s to change, first
// copying it (and its resource) when s did not make it, and records that
// it changed; nil when there is no such instance.
func (s *State) mutableInstance(addr InstanceAddr) *Instance {
	if s.Instance(addr) == nil {
		return nil
	}
	return s.instanceIn(s.mutableResource(addr.Resource), addr.Key)
}

// instanceIn returns the instance with key of r, which s may change, for
// s to change; nil when there is no such instance.
func (s *State) instanceIn(r *Resource, key InstanceKey) *Instance {
	inst := r.Instance(key)
	if inst == nil {
		return nil
	}
	ed := s.editor()
	if inst.owner != ed {
		inst = inst.copy(false)
		inst.owner = ed
		r.instances.Set(ed, key, inst)
	}
	inst.gen = generations.Add(1)
	return inst
}

func (s *State) ensureInstance(addr InstanceAddr, provider string) *Instance {
	r := s.resourceFor(addr.Resource, provider)
	if inst := s.instanceIn(r, addr.Key); inst != nil {
		return inst
	}
	inst := &Instance{gen: generations.Add(1), owner: s.editor()}
	r.instances.Set(s.editor(), addr.Key, inst)
	return inst
}

// prune drops the instance at addr if it holds no object, and its resource
// if that was the last instance.
func (s *State) prune(addr InstanceAddr) {
	if inst := s.Instance(addr); inst != nil && inst.empty() {
		s.RemoveInstance(addr)
	}
}
