package state

// The state file format, version 1.
//
// A state file is one JSON object, indented by two spaces (types and
// sensitive paths stay on one line each), with every list sorted so that
// equal states encode to equal bytes and diffs stay small:
//
//	{
//	  "version": 1,                   // format version; other versions are refused
//	  "lineage": "6f1c…",             // uuid shared by a state and its successors
//	  "serial": 7,                    // incremented by every write
//	  "bp_version": "0.1.0",          // the bp that wrote the file (informational)
//	  "resources": [                  // sorted by module, mode, type, name
//	    {
//	      "module": "module.web[0]",  // "" for the root module
//	      "mode": "managed",          // or "data"
//	      "type": "machine",
//	      "name": "x",
//	      "provider": "provider.local",
//	      "instances": [              // sorted: no key, then int keys, then string keys
//	        {
//	          "index_key": "a",       // null, a non-negative integer, or a string
//	          // the current object; these fields are absent when the
//	          // instance only has deposed objects:
//	          "status": "ready",      // or "tainted", or "creating" (below)
//	          "attributes": {…},      // the value, as go-cty/cty/json encodes it
//	          "attributes_type": […], // its type, as go-cty/cty/json encodes types
//	          "sensitive_paths": [    // optional; each path is a list of steps
//	            [{"attr": "password"}],
//	            [{"attr": "tags"}, {"index": "secret"}, {"index": 0}]
//	          ],
//	          "private": "AAEC",      // optional; base64 of the provider's private data
//	          "dependencies": ["machine.db"], // optional; sorted resource addresses
//	          "create_before_destroy": true,  // optional; false when absent
//	          "deposed": [            // optional; sorted by deposed_key
//	            {"deposed_key": "0a1b2c3d", "status": …, "attributes": …, …}
//	          ]
//	        }
//	      ]
//	    }
//	  ],
//	  "outputs": {                    // root outputs by name
//	    "url": {"value": "http://…", "type": "string", "sensitive": false}
//	  },
//	  "host_keys": {                  // optional; keys pinned on first use (hostkeys.go)
//	    "10.0.0.5:22": "ssh-ed25519 AAAA…"
//	  }
//	}
//
// Readers ignore fields they do not know; anything else that does not fit
// this description is an error.
//
// Status "creating" marks a placeholder: bp records it, durably, just
// before asking a provider to create the object, so that a crash during
// the create never leaves an object the state does not know about. Its
// attributes are the planned value with every value known only after
// apply recorded as null. A finished create replaces the placeholder; a
// placeholder found in a state was left by a crash, and the next plan asks
// the provider whether the object exists (see Creating).

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// BPVersion is recorded as "bp_version" in every state this package
// encodes. cmd/bp sets it to its own version at startup.
var BPVersion = "dev"

type fileJSON struct {
	Version   int                    `json:"version"`
	Lineage   string                 `json:"lineage"`
	Serial    uint64                 `json:"serial"`
	BPVersion string                 `json:"bp_version"`
	Resources []resourceJSON         `json:"resources"`
	Outputs   map[string]*outputJSON `json:"outputs"`
	HostKeys  json.RawMessage        `json:"host_keys"`
}

type resourceJSON struct {
	Module    string         `json:"module"`
	Mode      string         `json:"mode"`
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	Provider  string         `json:"provider"`
	Instances []instanceJSON `json:"instances"`
}

// instanceJSON is an instance: its key, the fields of its current object
// (all empty when it has none) and its deposed objects.
type instanceJSON struct {
	IndexKey json.RawMessage `json:"index_key"`
	objectJSON
	Deposed []objectJSON `json:"deposed,omitempty"`
}

type objectJSON struct {
	DeposedKey          string          `json:"deposed_key,omitempty"`
	Status              string          `json:"status"`
	Attributes          json.RawMessage `json:"attributes"`
	AttributesType      json.RawMessage `json:"attributes_type"`
	SensitivePaths      [][]stepJSON    `json:"sensitive_paths,omitempty"`
	Private             []byte          `json:"private,omitempty"`
	Dependencies        []string        `json:"dependencies,omitempty"`
	CreateBeforeDestroy bool            `json:"create_before_destroy,omitempty"`
}

type stepJSON struct {
	Attr  *string         `json:"attr,omitempty"`
	Index json.RawMessage `json:"index,omitempty"`
}

type outputJSON struct {
	Value     json.RawMessage `json:"value"`
	Type      json.RawMessage `json:"type"`
	Sensitive bool            `json:"sensitive"`
}

// Encode returns the state file form of s (see the format description at
// the top of format.go). It fails when an object holds an unknown value or
// has no value at all.
func Encode(s *State) ([]byte, error) {
	var e encoder
	return e.encode(s)
}

// encoder encodes states and remembers the encoding of every resource and
// object it encoded. A resource with the same generation, or the same
// object (objects in a State are immutable, see Object), encodes to the same
// bytes; a backend that writes after every change then only encodes what
// changed. Entries unused by a whole-state encode are dropped.
type encoder struct {
	epoch     uint64
	objects   map[objectCacheKey]cachedObject
	resources map[ResourceAddr]cachedResource
}

type cachedObject struct {
	json  []byte
	epoch uint64
}

type cachedResource struct {
	gen   uint64
	json  []byte
	epoch uint64
}

type objectCacheKey struct {
	obj     *Object
	deposed DeposedKey
}

// Indentation of the parts assembled by hand: resource fields, instance
// fields, deposed object fields.
const (
	resourceIndent = "      "
	instanceIndent = "          "
	deposedIndent  = "              "
)

func (e *encoder) encode(s *State) ([]byte, error) {
	e.epoch++
	defer e.sweep()
	rs := s.Resources()
	parts := make([][]byte, len(rs))
	size := 0
	for i, r := range rs {
		part, err := e.resource(r)
		if err != nil {
			return nil, err
		}
		parts[i] = part
		size += len(part) + 1
	}

	var b bytes.Buffer
	b.Grow(size + 1024)
	fmt.Fprintf(&b, "{\n  \"version\": %d,\n  \"lineage\": %s,\n  \"serial\": %d,\n  \"bp_version\": %s,\n  \"resources\": [",
		FormatVersion, jsonString(s.Lineage), s.Serial, jsonString(BPVersion))
	for i, part := range parts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(part)
	}
	if s.resources.Len() > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],\n  \"outputs\": ")
	outputs, err := encodeOutputs(s.Outputs)
	if err != nil {
		return nil, err
	}
	b.Write(outputs)
	b.Write(encodeHostKeys(s.hostKeyMap()))
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// sweep forgets the cache entries the last whole-state encode did not use.
func (e *encoder) sweep() {
	maps.DeleteFunc(e.objects, func(_ objectCacheKey, c cachedObject) bool { return c.epoch != e.epoch })
	maps.DeleteFunc(e.resources, func(_ ResourceAddr, c cachedResource) bool { return c.epoch != e.epoch })
}

// resource returns the indented encoding of r as an element of the
// "resources" list, starting with a newline.
func (e *encoder) resource(r *Resource) ([]byte, error) {
	if c, ok := e.resources[r.Addr]; ok && c.gen == r.gen {
		c.epoch = e.epoch
		e.resources[r.Addr] = c
		return c.json, nil
	}
	var b bytes.Buffer
	if err := e.writeResource(&b, r, r.Keys()); err != nil {
		return nil, err
	}
	if e.resources == nil {
		e.resources = map[ResourceAddr]cachedResource{}
	}
	e.resources[r.Addr] = cachedResource{gen: r.gen, json: b.Bytes(), epoch: e.epoch}
	return b.Bytes(), nil
}

// writeResource writes r with the instances with the given keys.
func (e *encoder) writeResource(b *bytes.Buffer, r *Resource, keys []InstanceKey) error {
	in := resourceIndent
	fmt.Fprintf(b, "\n    {\n%s\"module\": %s,\n%s\"mode\": %s,\n%s\"type\": %s,\n%s\"name\": %s,\n%s\"provider\": %s,\n%s\"instances\": [",
		in, jsonString(r.Addr.Module), in, jsonString(r.Addr.Mode.String()), in, jsonString(r.Addr.Type),
		in, jsonString(r.Addr.Name), in, jsonString(r.Provider), in)
	for i, key := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		addr := r.Addr.Instance(key)
		inst := r.Instance(key)
		b.WriteString("\n        {\n" + instanceIndent + "\"index_key\": ")
		b.Write(encodeKey(key))
		if inst.Current != nil {
			frag, err := e.object(addr, inst.Current, "")
			if err != nil {
				return err
			}
			b.WriteString(",\n")
			b.Write(frag)
		}
		if len(inst.Deposed) > 0 {
			b.WriteString(",\n" + instanceIndent + "\"deposed\": [")
			for j, dk := range inst.DeposedKeys() {
				if j > 0 {
					b.WriteByte(',')
				}
				frag, err := e.object(addr, inst.Deposed[dk], dk)
				if err != nil {
					return err
				}
				b.WriteString("\n")
				b.Write(frag)
			}
			b.WriteString("\n" + instanceIndent + "]")
		}
		b.WriteString("\n        }")
	}
	if len(keys) > 0 {
		b.WriteString("\n" + resourceIndent)
	}
	b.WriteString("]\n    }")
	return nil
}

// object returns the indented encoding of o: for a current object (dk ""),
// its fields to be inlined into the instance; for a deposed object, a whole
// JSON object to be placed in the "deposed" list.
func (e *encoder) object(addr InstanceAddr, o *Object, dk DeposedKey) ([]byte, error) {
	ck := objectCacheKey{obj: o, deposed: dk}
	if c, ok := e.objects[ck]; ok {
		c.epoch = e.epoch
		e.objects[ck] = c
		return c.json, nil
	}
	oj, err := encodeObject(o)
	if err != nil {
		what := addr.String()
		if dk != "" {
			what += " (deposed object " + string(dk) + ")"
		}
		return nil, fmt.Errorf("cannot encode %s: %w", what, err)
	}
	var b bytes.Buffer
	w := fieldWriter{b: &b, indent: instanceIndent}
	if dk != "" {
		w.indent = deposedIndent
		b.WriteString(deposedIndent[2:] + "{\n")
		w.field("deposed_key", jsonString(string(dk)))
	}
	w.field("status", jsonString(oj.Status))
	var attrs bytes.Buffer
	if err := json.Indent(&attrs, oj.Attributes, w.indent, "  "); err != nil {
		return nil, fmt.Errorf("cannot encode %s: %w", addr, err)
	}
	w.field("attributes", attrs.Bytes())
	// Types stay on one line: indented, they would dwarf the values.
	w.field("attributes_type", oj.AttributesType)
	if len(oj.SensitivePaths) > 0 {
		// One path per line, each on one line, reads like a list of paths.
		items := make([][]byte, len(oj.SensitivePaths))
		for i, p := range oj.SensitivePaths {
			items[i], _ = json.Marshal(p) // steps hold only strings and raw JSON
		}
		w.field("sensitive_paths", w.list(items))
	}
	if len(oj.Private) > 0 {
		w.field("private", jsonString(base64.StdEncoding.EncodeToString(oj.Private)))
	}
	if len(oj.Dependencies) > 0 {
		items := make([][]byte, len(oj.Dependencies))
		for i, d := range oj.Dependencies {
			items[i] = jsonString(d)
		}
		w.field("dependencies", w.list(items))
	}
	if oj.CreateBeforeDestroy {
		w.field("create_before_destroy", []byte("true"))
	}
	if dk != "" {
		b.WriteString("\n" + deposedIndent[2:] + "}")
	}
	if e.objects == nil {
		e.objects = map[objectCacheKey]cachedObject{}
	}
	e.objects[ck] = cachedObject{json: b.Bytes(), epoch: e.epoch}
	return b.Bytes(), nil
}

// fieldWriter writes `"key": value` lines of a JSON object at one
// indentation, separated by commas.
type fieldWriter struct {
	b      *bytes.Buffer
	indent string
	n      int
}

func (w *fieldWriter) field(key string, value []byte) {
	if w.n > 0 {
		w.b.WriteString(",\n")
	}
	w.n++
	w.b.WriteString(w.indent)
	w.b.Write(jsonString(key))
	w.b.WriteString(": ")
	w.b.Write(value)
}

// list renders items as a JSON array with one item per line.
func (w *fieldWriter) list(items [][]byte) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i, item := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n" + w.indent + "  ")
		b.Write(item)
	}
	b.WriteString("\n" + w.indent + "]")
	return b.Bytes()
}

func encodeObject(o *Object) (*objectJSON, error) {
	if o.Value.Type() == cty.NilType {
		return nil, errors.New("the object has no value; store cty.EmptyObjectVal for an object without attributes")
	}
	val, marks := o.Value.UnmarkDeepWithPaths()
	if !val.IsWhollyKnown() {
		return nil, fmt.Errorf("attribute %s is unknown; state can only hold known values (this is a bug in bp: please report it)", FormatPath(firstUnknown(val)))
	}
	ty := val.Type()
	attrs, err := ctyjson.Marshal(val, ty)
	if err != nil {
		return nil, err
	}
	tyJSON, err := ctyjson.MarshalType(ty)
	if err != nil {
		return nil, err
	}
	paths := slices.Clone(o.SensitivePaths)
	for _, m := range marks {
		paths = append(paths, m.Path)
	}
	pathsJSON, err := encodePaths(paths)
	if err != nil {
		return nil, err
	}
	return &objectJSON{
		Status:              o.Status.String(),
		Attributes:          attrs,
		AttributesType:      tyJSON,
		SensitivePaths:      pathsJSON,
		Private:             o.Private,
		Dependencies:        encodeDependencies(o.Dependencies),
		CreateBeforeDestroy: o.CreateBeforeDestroy,
	}, nil
}

func firstUnknown(v cty.Value) cty.Path {
	var found cty.Path
	_ = cty.Walk(v, func(p cty.Path, v cty.Value) (bool, error) {
		if found == nil && !v.IsKnown() {
			found = p.Copy()
		}
		return found == nil, nil
	})
	return found
}

// encodePaths returns the paths in the file's form, sorted and without
// duplicates.
func encodePaths(paths []cty.Path) ([][]stepJSON, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	type encoded struct {
		key   string
		steps []stepJSON
	}
	var all []encoded
	for _, p := range paths {
		steps := make([]stepJSON, 0, len(p))
		for _, step := range p {
			switch step := step.(type) {
			case cty.GetAttrStep:
				name := step.Name
				steps = append(steps, stepJSON{Attr: &name})
			case cty.IndexStep:
				idx, err := encodeIndex(step.Key)
				if err != nil {
					return nil, fmt.Errorf("sensitive path %s: %w", FormatPath(p), err)
				}
				steps = append(steps, stepJSON{Index: idx})
			default:
				return nil, fmt.Errorf("sensitive path %s: unsupported step %T", FormatPath(p), step)
			}
		}
		key, _ := json.Marshal(steps)
		all = append(all, encoded{string(key), steps})
	}
	slices.SortFunc(all, func(a, b encoded) int { return strings.Compare(a.key, b.key) })
	all = slices.CompactFunc(all, func(a, b encoded) bool { return a.key == b.key })
	out := make([][]stepJSON, len(all))
	for i, e := range all {
		out[i] = e.steps
	}
	return out, nil
}

func encodeIndex(k cty.Value) (json.RawMessage, error) {
	if k.IsMarked() || !k.IsKnown() || k.IsNull() {
		return nil, errors.New("index keys must be known, unmarked and not null")
	}
	switch k.Type() {
	case cty.String:
		return jsonString(k.AsString()), nil
	case cty.Number:
		i, acc := k.AsBigFloat().Int64()
		if acc != big.Exact {
			return nil, fmt.Errorf("index %s is not an integer", k.AsBigFloat().String())
		}
		return strconv.AppendInt(nil, i, 10), nil
	default:
		return nil, fmt.Errorf("index of type %s cannot be recorded; only list, tuple and map indexes can", k.Type().FriendlyName())
	}
}

func encodeDependencies(deps []ResourceAddr) []string {
	if len(deps) == 0 {
		return nil
	}
	out := make([]string, len(deps))
	for i, d := range deps {
		out[i] = d.String()
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func encodeKey(k InstanceKey) []byte {
	switch k := k.(type) {
	case IntKey:
		return strconv.AppendInt(nil, int64(k), 10)
	case StringKey:
		return jsonString(string(k))
	default:
		return []byte("null")
	}
}

func encodeOutputs(outputs map[string]*Output) ([]byte, error) {
	if len(outputs) == 0 {
		return []byte("{}"), nil
	}
	names := make([]string, 0, len(outputs))
	for name := range outputs {
		names = append(names, name)
	}
	slices.Sort(names)
	var b bytes.Buffer
	b.WriteString("{")
	for i, name := range names {
		o := outputs[name]
		val, _ := o.Value.UnmarkDeep()
		if val.Type() == cty.NilType {
			return nil, fmt.Errorf("cannot encode output %q: it has no value", name)
		}
		if !val.IsWhollyKnown() {
			return nil, fmt.Errorf("cannot encode output %q: %s is unknown; state can only hold known values (this is a bug in bp: please report it)", name, FormatPath(firstUnknown(val)))
		}
		v, err := ctyjson.Marshal(val, val.Type())
		if err != nil {
			return nil, fmt.Errorf("cannot encode output %q: %w", name, err)
		}
		t, err := ctyjson.MarshalType(val.Type())
		if err != nil {
			return nil, fmt.Errorf("cannot encode output %q: %w", name, err)
		}
		const in = "      "
		var indented bytes.Buffer
		if err := json.Indent(&indented, v, in, "  "); err != nil {
			return nil, fmt.Errorf("cannot encode output %q: %w", name, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(jsonString(name))
		b.WriteString(": {\n")
		w := fieldWriter{b: &b, indent: in}
		w.field("value", indented.Bytes())
		w.field("type", t)
		w.field("sensitive", strconv.AppendBool(nil, o.Sensitive))
		b.WriteString("\n    }")
	}
	b.WriteString("\n  }")
	return b.Bytes(), nil
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// FormatPath renders a cty path the way users write attribute references:
// `.tags["env"]`, `.disks[0].size`. The empty path is "(the whole value)".
func FormatPath(p cty.Path) string {
	if len(p) == 0 {
		return "(the whole value)"
	}
	var b strings.Builder
	for _, step := range p {
		switch step := step.(type) {
		case cty.GetAttrStep:
			b.WriteString("." + step.Name)
		case cty.IndexStep:
			k := step.Key
			switch {
			case !k.IsKnown() || k.IsNull() || k.IsMarked():
				b.WriteString("[?]")
			case k.Type() == cty.String:
				b.WriteString("[" + strconv.Quote(k.AsString()) + "]")
			case k.Type() == cty.Number:
				b.WriteString("[" + k.AsBigFloat().Text('f', -1) + "]")
			default:
				b.WriteString("[…]")
			}
		}
	}
	return b.String()
}
