package sdk

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/blueprint-engine/bp/providers"
)

// ResourceData holds the values of one object during one call: a resource
// (planned values in Create, Update and PlanModify; the current state in Read
// and Delete), a data source, or the provider configuration in Configure.
//
// Getters return Go values and the zero value for an attribute that is null
// or unknown. Misuse — an attribute name the schema does not declare, a
// getter of the wrong type, a value that does not fit — is reported as an
// error diagnostic of the call, never a panic. A ResourceData is not safe
// for concurrent use.
type ResourceData struct {
	schema   *providers.Schema
	values   map[string]cty.Value
	prior    cty.Value // null on create and outside resource calls
	planning bool      // SetUnknown is allowed
	gone     bool
	diags    Diagnostics
	children []*ResourceData // views made by Blocks, for their diags
}

func newResourceData(s *providers.Schema, v, prior cty.Value) *ResourceData {
	d := &ResourceData{schema: s, values: map[string]cty.Value{}, prior: prior}
	if prior == cty.NilVal {
		d.prior = cty.NullVal(s.ImpliedType())
	}
	for name, ty := range s.ImpliedType().AttributeTypes() {
		switch {
		case v == cty.NilVal || v.IsNull():
			d.values[name] = cty.NullVal(ty)
		case !v.IsKnown():
			d.values[name] = cty.UnknownVal(ty)
		default:
			d.values[name] = v.GetAttr(name)
		}
	}
	return d
}

// Get returns the attribute's value as a cty.Value, for types the typed
// getters do not cover (Any, nested blocks).
func (d *ResourceData) Get(name string) cty.Value {
	v, ok := d.values[name]
	if !ok {
		d.misuse("attribute %q is not declared in the schema", name)
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v
}

// GetString returns a String attribute.
func (d *ResourceData) GetString(name string) string { return getAs[string](d, name) }

// GetInt returns an Int (or whole Number) attribute.
func (d *ResourceData) GetInt(name string) int { return getAs[int](d, name) }

// GetFloat returns a Number attribute.
func (d *ResourceData) GetFloat(name string) float64 { return getAs[float64](d, name) }

// GetBool returns a Bool attribute.
func (d *ResourceData) GetBool(name string) bool { return getAs[bool](d, name) }

// GetStringList returns a List(String) or Set(String) attribute; a set's
// elements come in cty's order.
func (d *ResourceData) GetStringList(name string) []string { return getAs[[]string](d, name) }

// GetStringMap returns a Map(String) attribute.
func (d *ResourceData) GetStringMap(name string) map[string]string {
	return getAs[map[string]string](d, name)
}

func getAs[T any](d *ResourceData, name string) T {
	var out T
	v := d.Get(name)
	if v.IsNull() || !v.IsWhollyKnown() {
		return out
	}
	if err := gocty.FromCtyValue(v, &out); err != nil {
		d.misuse("attribute %q, a %s, cannot be read as %T: %s", name, v.Type().FriendlyName(), out, err)
	}
	return out
}

// IsKnown reports whether the attribute's value is known. Values are only
// unknown in Validate and PlanModify, for values decided by other resources.
func (d *ResourceData) IsKnown(name string) bool { return d.Get(name).IsWhollyKnown() }

// IsNull reports whether the attribute is null (not set).
func (d *ResourceData) IsNull(name string) bool {
	v := d.Get(name)
	return v.IsKnown() && v.IsNull()
}

// Set sets the attribute to v: a Go value of the attribute's type (string,
// int, float64, bool, []string, map[string]string, nil for null) or a
// cty.Value (needed for Any attributes and nested blocks).
func (d *ResourceData) Set(name string, v any) {
	ty, ok := d.schema.ImpliedType().AttributeTypes()[name]
	if !ok {
		d.misuse("Set(%q): attribute %q is not declared in the schema", name, name)
		return
	}
	val, err := toValue(v, ty)
	if err != nil {
		d.misuse("Set(%q): %s", name, err)
		return
	}
	d.values[name] = val
}

// SetUnknown marks a Computed attribute as decided only at apply. Only
// PlanModify may call it, for values an update will change (a version, a
// modification time).
func (d *ResourceData) SetUnknown(name string) {
	if !d.planning {
		d.misuse("SetUnknown(%q) is only allowed in PlanModify", name)
		return
	}
	d.Set(name, cty.UnknownVal(d.Get(name).Type()))
}

// ID returns the resource's id, or "" before Create sets it.
func (d *ResourceData) ID() string { return d.GetString("id") }

// SetID sets the resource's id, by which Read, Update and Delete find the
// object later.
func (d *ResourceData) SetID(id string) { d.Set("id", id) }

// SetGone tells the SDK, from Read, that the object no longer exists; its
// state becomes null and the next plan proposes to create it again.
func (d *ResourceData) SetGone() { d.gone = true }

// IsNew reports whether the call is about an object that does not exist
// yet: true in Create and in PlanModify for a create.
func (d *ResourceData) IsNew() bool { return d.prior.IsNull() }

// HasChange reports whether the attribute's value differs from the prior
// state. On a create every non-null value counts as a change; an unknown
// value always does.
func (d *ResourceData) HasChange(name string) bool {
	v := d.Get(name)
	var p cty.Value
	if d.prior.IsNull() {
		p = cty.NullVal(v.Type())
	} else {
		p = d.prior.GetAttr(name)
	}
	return valuesDiffer(p, v)
}

// HasChanges reports whether any of the attributes changed.
func (d *ResourceData) HasChanges(names ...string) bool {
	for _, n := range names {
		if d.HasChange(n) {
			return true
		}
	}
	return false
}

// Blocks returns one read-only ResourceData per instance of the nested
// block type name, in order (by key for BlockMap). Set on them changes
// nothing; set a block with Set and a cty.Value.
func (d *ResourceData) Blocks(name string) []*ResourceData {
	b, ok := d.schema.Blocks[name]
	if !ok {
		d.misuse("block %q is not declared in the schema", name)
		return nil
	}
	v := d.values[name]
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	if b.Nesting == providers.NestingSingle {
		return []*ResourceData{d.child(&b.Block, v)}
	}
	var out []*ResourceData
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		out = append(out, d.child(&b.Block, ev))
	}
	return out
}

func (d *ResourceData) child(s *providers.Schema, v cty.Value) *ResourceData {
	c := newResourceData(s, v, cty.NilVal)
	d.children = append(d.children, c)
	return c
}

func (d *ResourceData) misuse(format string, args ...any) {
	d.diags = d.diags.Append(providers.Errorf("Provider bug", "The provider misused its SDK: "+format+". Report this to the provider's author.", args...))
}

// value returns the object d holds.
func (d *ResourceData) value() cty.Value {
	return cty.ObjectVal(d.values)
}

// problems returns the misuse reported on d and the blocks read from it.
func (d *ResourceData) problems() Diagnostics {
	diags := d.diags
	for _, c := range d.children {
		diags = append(diags, c.problems()...)
	}
	return diags
}
