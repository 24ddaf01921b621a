package state

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/zclconf/go-cty/cty"
)

// Status says whether an object is usable as it is.
type Status int

const (
	// Ready is an object that was created or updated successfully.
	Ready Status = iota
	// Tainted is an object whose creation failed part-way, or that a user
	// marked for replacement: the next plan replaces it.
	Tainted
	// Creating is a placeholder recorded just before a provider is asked to
	// create the object, so that a crash during the create cannot leave an
	// object nobody knows about. Its value is the planned value with every
	// unknown replaced by null: the attributes known at plan time (a file's
	// path, a machine's name) identify the object. A finished create
	// replaces the placeholder with the real object, a create that made
	// nothing removes it. A placeholder that outlives its apply is resolved
	// by the next plan, which reads it from the provider: found, it is
	// adopted as Tainted (and so replaced); not found, it is dropped.
	Creating
)

// String returns "ready", "tainted" or "creating", the spelling used in the
// state file.
func (s Status) String() string {
	switch s {
	case Ready:
		return "ready"
	case Tainted:
		return "tainted"
	case Creating:
		return "creating"
	default:
		return fmt.Sprintf("Status(%d)", int(s))
	}
}

// Object is one remote object as bp last saw it.
//
// An Object stored in a State belongs to that State and is immutable: to
// change it, build a new Object (DeepCopy helps) and store it with
// SetInstance or SetDeposed. Backends rely on this to reuse the encoding of
// objects that did not change between writes.
type Object struct {
	// Value is the object's attributes. It must be wholly known; marks on
	// nested values are recorded as sensitive paths when the state is
	// encoded.
	Value cty.Value
	// SensitivePaths are the attribute paths whose values are never shown.
	SensitivePaths []cty.Path
	// Private is opaque data the provider keeps with the object.
	Private []byte
	// Dependencies are the resources this object depended on when it was
	// last applied; destroy order follows them when the config is gone.
	Dependencies []ResourceAddr
	// CreateBeforeDestroy records the lifecycle setting the object was
	// created with, so an orphan is replaced in the same order.
	CreateBeforeDestroy bool
	// Status is Ready, Tainted or Creating.
	Status Status
}

// DeepCopy returns a copy of o that shares nothing mutable with it (cty
// values are immutable and are shared).
func (o *Object) DeepCopy() *Object {
	if o == nil {
		return nil
	}
	c := *o
	c.SensitivePaths = make([]cty.Path, len(o.SensitivePaths))
	for i, p := range o.SensitivePaths {
		c.SensitivePaths[i] = p.Copy()
	}
	if o.SensitivePaths == nil {
		c.SensitivePaths = nil
	}
	c.Private = slices.Clone(o.Private)
	c.Dependencies = slices.Clone(o.Dependencies)
	return &c
}

// DeposedKey names a deposed object of an instance: the old object kept
// while its create-before-destroy replacement is created, until it is
// destroyed.
type DeposedKey string

// NewDeposedKey returns a random 8-character hex key.
func NewDeposedKey() DeposedKey {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return DeposedKey(hex.EncodeToString(b[:]))
}

// Instance is the state of one resource instance: its current object, if
// any, and the deposed objects still waiting to be destroyed.
type Instance struct {
	Current *Object
	Deposed map[DeposedKey]*Object

	gen   uint64  // like Resource.gen
	owner *editor // like Resource.owner
}

// empty reports whether the instance holds no object at all.
func (i *Instance) empty() bool {
	return i.Current == nil && len(i.Deposed) == 0
}

// DeposedKeys returns the keys of the deposed objects, sorted.
func (i *Instance) DeposedKeys() []DeposedKey {
	keys := make([]DeposedKey, 0, len(i.Deposed))
	for k := range i.Deposed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// copy returns a copy of the instance with its own deposed map and no
// owner; when deep, the objects are copied too.
func (i *Instance) copy(deep bool) *Instance {
	c := &Instance{Current: i.Current, gen: i.gen}
	if deep {
		c.Current = i.Current.DeepCopy()
	}
	if i.Deposed != nil {
		c.Deposed = make(map[DeposedKey]*Object, len(i.Deposed))
		for k, o := range i.Deposed {
			if deep {
				o = o.DeepCopy()
			}
			c.Deposed[k] = o
		}
	}
	return c
}

// Output is a root module output value.
type Output struct {
	Value     cty.Value
	Sensitive bool
}
