package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Decode reads a state file (see the format description in format.go). It
// refuses other format versions and any malformed content with an error
// that says where the problem is; it never panics.
func Decode(data []byte) (*State, error) {
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("invalid state file: %w", jsonError(data, err))
	}
	switch {
	case head.Version == nil:
		return nil, errors.New("invalid state file: it has no \"version\"; is it a bp state file?")
	case *head.Version > FormatVersion:
		return nil, fmt.Errorf("state file format version %d is newer than this bp understands (up to %d); upgrade bp", *head.Version, FormatVersion)
	case *head.Version != FormatVersion:
		return nil, fmt.Errorf("unsupported state file format version %d; this bp reads version %d", *head.Version, FormatVersion)
	}

	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("invalid state file: %w", jsonError(data, err))
	}
	if f.Lineage == "" {
		return nil, errors.New("invalid state file: \"lineage\" is missing or empty")
	}
	s := &State{
		Version:   f.Version,
		Lineage:   f.Lineage,
		Serial:    f.Serial,
		WrittenBy: f.BPVersion,
		Outputs:   make(map[string]*Output, len(f.Outputs)),
	}
	for i := range f.Resources {
		if err := s.decodeResource(&f.Resources[i], false); err != nil {
			return nil, fmt.Errorf("invalid state file: resources[%d]: %w", i, err)
		}
	}
	for name, o := range f.Outputs {
		out, err := decodeOutput(o)
		if err != nil {
			return nil, fmt.Errorf("invalid state file: output %q: %w", name, err)
		}
		s.Outputs[name] = out
	}
	hostKeys, err := decodeHostKeys(f.HostKeys)
	if err != nil {
		return nil, fmt.Errorf("invalid state file: %w", err)
	}
	if hostKeys != nil {
		s.hostKeys = &hostKeySet{keys: hostKeys}
	}
	return s, nil
}

// jsonError adds a line number to syntax errors.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) && syn.Offset <= int64(len(data)) {
		line := 1 + bytes.Count(data[:syn.Offset], []byte("\n"))
		return fmt.Errorf("line %d: %w", line, err)
	}
	return err
}

// decodeResource adds the resource rj to s. When merge is set (replaying a
// journal), rj may name an existing resource: its provider and the given
// instances replace those in s; otherwise that is an error.
func (s *State) decodeResource(rj *resourceJSON, merge bool) error {
	var addr ResourceAddr
	var err error
	if addr.Module, err = parseModulePath(rj.Module); err != nil {
		return err
	}
	switch rj.Mode {
	case "managed":
		addr.Mode = Managed
	case "data":
		addr.Mode = Data
	default:
		return fmt.Errorf("mode %q is neither \"managed\" nor \"data\"", rj.Mode)
	}
	if err := validName(rj.Type); err != nil {
		return fmt.Errorf("type: %w", err)
	}
	if err := validName(rj.Name); err != nil {
		return fmt.Errorf("name: %w", err)
	}
	addr.Type, addr.Name = rj.Type, rj.Name
	if rj.Provider == "" {
		return fmt.Errorf("%s has no \"provider\"", addr)
	}
	switch {
	case s.Resource(addr) != nil && !merge:
		return fmt.Errorf("%s appears more than once", addr)
	case len(rj.Instances) == 0 && !merge:
		return fmt.Errorf("%s has no instances", addr)
	}
	r := s.mutableResource(addr)
	if r == nil {
		r = &Resource{Addr: addr, owner: s.editor()}
	}
	r.Provider, r.gen = rj.Provider, generations.Add(1)
	seen := make(map[InstanceKey]bool, len(rj.Instances))
	for i := range rj.Instances {
		ij := &rj.Instances[i]
		key, err := decodeKey(ij.IndexKey)
		if err != nil {
			return fmt.Errorf("%s: instances[%d]: %w", addr, i, err)
		}
		ia := addr.Instance(key)
		if seen[key] {
			return fmt.Errorf("%s appears more than once", ia)
		}
		seen[key] = true
		inst, err := decodeInstance(ij)
		if err != nil {
			return fmt.Errorf("%s: %w", ia, err)
		}
		r.instances.Set(s.editor(), key, inst)
	}
	if r.instances.Len() > 0 {
		s.resources.Set(s.editor(), addr, r)
	}
	return nil
}

func decodeInstance(ij *instanceJSON) (*Instance, error) {
	inst := &Instance{gen: generations.Add(1)}
	if ij.DeposedKey != "" {
		return nil, errors.New("\"deposed_key\" belongs inside \"deposed\", not on the instance")
	}
	if cur := &ij.objectJSON; cur.present() {
		o, err := decodeObject(cur)
		if err != nil {
			return nil, err
		}
		inst.Current = o
	}
	for i := range ij.Deposed {
		dj := &ij.Deposed[i]
		if dj.DeposedKey == "" {
			return nil, fmt.Errorf("deposed[%d] has no \"deposed_key\"", i)
		}
		dk := DeposedKey(dj.DeposedKey)
		if inst.Deposed[dk] != nil {
			return nil, fmt.Errorf("deposed object %q appears more than once", dk)
		}
		o, err := decodeObject(dj)
		if err != nil {
			return nil, fmt.Errorf("deposed object %q: %w", dk, err)
		}
		if inst.Deposed == nil {
			inst.Deposed = map[DeposedKey]*Object{}
		}
		inst.Deposed[dk] = o
	}
	if inst.empty() {
		return nil, errors.New("the instance has neither a current object (\"attributes\") nor deposed objects")
	}
	return inst, nil
}

// present reports whether any field of the object was given.
func (oj *objectJSON) present() bool {
	return oj.Status != "" || oj.Attributes != nil || oj.AttributesType != nil || oj.SensitivePaths != nil ||
		oj.Private != nil || oj.Dependencies != nil || oj.CreateBeforeDestroy
}

func decodeObject(oj *objectJSON) (*Object, error) {
	o := &Object{Private: oj.Private, CreateBeforeDestroy: oj.CreateBeforeDestroy}
	switch oj.Status {
	case "ready":
		o.Status = Ready
	case "tainted":
		o.Status = Tainted
	case "creating":
		o.Status = Creating
	default:
		return nil, fmt.Errorf("status %q is not one of \"ready\", \"tainted\" and \"creating\"", oj.Status)
	}
	val, err := decodeValue(oj.Attributes, oj.AttributesType)
	if err != nil {
		return nil, fmt.Errorf("attributes: %w", err)
	}
	o.Value = val
	for i, pj := range oj.SensitivePaths {
		p, err := decodePath(pj)
		if err != nil {
			return nil, fmt.Errorf("sensitive_paths[%d]: %w", i, err)
		}
		o.SensitivePaths = append(o.SensitivePaths, p)
	}
	for _, d := range oj.Dependencies {
		addr, err := ParseResourceAddr(d)
		if err != nil {
			return nil, fmt.Errorf("dependencies: %w", err)
		}
		o.Dependencies = append(o.Dependencies, addr)
	}
	return o, nil
}

func decodeValue(value, typ json.RawMessage) (val cty.Value, err error) {
	if len(typ) == 0 {
		return cty.NilVal, errors.New("the type is missing")
	}
	if len(value) == 0 {
		return cty.NilVal, errors.New("the value is missing")
	}
	// cty's decoder is not written for hostile input; a panic there must
	// still surface as an error about the file.
	defer func() {
		if r := recover(); r != nil {
			val, err = cty.NilVal, fmt.Errorf("the value does not match its type: %v", r)
		}
	}()
	ty, err := ctyjson.UnmarshalType(typ)
	if err != nil {
		return cty.NilVal, fmt.Errorf("invalid type: %w", err)
	}
	val, err = ctyjson.Unmarshal(value, ty)
	if err != nil {
		return cty.NilVal, err
	}
	if err := checkNumbers(val); err != nil {
		return cty.NilVal, err
	}
	return val, nil
}

// maxNumberExp bounds the binary exponent of numbers in a state (about
// 1e±2466): printing a number like 1e99999999 in full would take minutes
// and gigabytes, and no real attribute holds one.
const maxNumberExp = 8192

func checkNumbers(v cty.Value) error {
	return cty.Walk(v, func(p cty.Path, v cty.Value) (bool, error) {
		if v.Type() == cty.Number && !v.IsNull() {
			if exp := v.AsBigFloat().MantExp(nil); exp > maxNumberExp || exp < -maxNumberExp {
				return false, fmt.Errorf("the number at %s is out of range", FormatPath(p))
			}
		}
		return true, nil
	})
}

func decodeKey(raw json.RawMessage) (InstanceKey, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return NoKey, nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("index_key: %w", err)
		}
		return StringKey(s), nil
	default:
		n, err := strconv.Atoi(string(raw))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("index_key %s is neither null, a non-negative integer nor a string", raw)
		}
		return IntKey(n), nil
	}
}

func decodePath(steps []stepJSON) (cty.Path, error) {
	p := make(cty.Path, 0, len(steps))
	for i, st := range steps {
		idx := bytes.TrimSpace(st.Index)
		switch {
		case st.Attr != nil && len(idx) == 0:
			p = append(p, cty.GetAttrStep{Name: *st.Attr})
		case st.Attr == nil && len(idx) > 0 && idx[0] == '"':
			var s string
			if err := json.Unmarshal(idx, &s); err != nil {
				return nil, fmt.Errorf("step %d: %w", i, err)
			}
			p = append(p, cty.IndexStep{Key: cty.StringVal(s)})
		case st.Attr == nil && len(idx) > 0:
			n, err := strconv.ParseInt(string(idx), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("step %d: index %s is neither an integer nor a string", i, idx)
			}
			p = append(p, cty.IndexStep{Key: cty.NumberIntVal(n)})
		default:
			return nil, fmt.Errorf("step %d must have exactly one of \"attr\" and \"index\"", i)
		}
	}
	return p, nil
}

func decodeOutput(oj *outputJSON) (*Output, error) {
	if oj == nil {
		return nil, errors.New("the output is null")
	}
	val, err := decodeValue(oj.Value, oj.Type)
	if err != nil {
		return nil, err
	}
	return &Output{Value: val, Sensitive: oj.Sensitive}, nil
}

// validName checks a resource type or name.
func validName(s string) error {
	p := addrParser{src: s}
	if _, err := p.ident("a name"); err != nil {
		return fmt.Errorf("%q is not a valid name: %w", s, err)
	}
	if !p.done() {
		return fmt.Errorf("%q is not a valid name: names hold only letters, digits, underscores and dashes", s)
	}
	return nil
}
