package plan

// The saved plan file, format version 1.
//
// A plan file is one JSON document that starts with the exact bytes
// `{"kind":"bp-plan",` so that a file can be recognised from its first bytes
// (SnapshotConfig relies on this to leave plan files out of the snapshot):
//
//	{
//	  "kind": "bp-plan",                 // always; anything else is not a plan file
//	  "format_version": 1,               // newer versions are refused
//	  "bp_version": "0.1.0",             // the bp that wrote the file (informational)
//	  "mode": "normal",                  // or "destroy", "refresh-only"
//	  "errored": false,
//	  "state_lineage": "6f1c…", "state_serial": 7,
//	  "changes": [change…],              // see below
//	  "drift": [change…],
//	  "outputs": [{"name": "url", "action": "create", "before": value, "after": value, "sensitive": false}],
//	  "host_changes": [HostChange…],     // plain JSON, see HostChange
//	  "realizations": [Realization…],    // plain JSON, see Realization
//	  "variables": {"name": value},
//	  "prior_state": {…},                // the state file format of engine/state, or absent
//	  "config_files": {"main.bp.hcl": "base64…"}
//	}
//
// A change is {"addr", "deposed", "prev_addr", "provider", "action",
// "reason", "import_id", "before", "after", "before_sensitive",
// "after_sensitive", "requires_replace", "private"}; empty fields are left
// out. A value is {"msgpack": "base64…", "sensitive": [path…]}: the unmarked
// value encoded by go-cty/cty/msgpack with cty.DynamicPseudoType, so that its
// type and any unknown values travel with it, and the paths that carried the
// sensitive mark, which ReadFile puts back. A missing value is cty.NilVal. A
// path is a list of steps, {"attr": "name"} or {"index": {"value": …,
// "type": …}} (the key as go-cty/cty/json encodes a dynamic value).
//
// The file holds secrets in clear text (sensitive values, variables,
// provider private data), so WriteFile creates it with mode 0600.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"

	"github.com/blueprint-engine/bp/engine/state"
)

// FileKind is the "kind" of a plan file.
const FileKind = "bp-plan"

// FileFormatVersion is the plan file format version this package writes and
// the newest it reads.
const FileFormatVersion = 1

// fileMagic is how every plan file starts.
var fileMagic = []byte(`{"kind":"bp-plan",`)

// IsPlanFile reports whether data starts like a plan file. It does not check
// that the rest is valid; ReadFile does.
func IsPlanFile(data []byte) bool {
	return bytes.HasPrefix(data, fileMagic)
}

type fileJSON struct {
	Kind          string               `json:"kind"`
	FormatVersion int                  `json:"format_version"`
	BPVersion     string               `json:"bp_version,omitempty"`
	Mode          Mode                 `json:"mode"`
	Errored       bool                 `json:"errored,omitempty"`
	StateLineage  string               `json:"state_lineage,omitempty"`
	StateSerial   uint64               `json:"state_serial"`
	Changes       []*changeJSON        `json:"changes,omitempty"`
	Drift         []*changeJSON        `json:"drift,omitempty"`
	Outputs       []*outputJSON        `json:"outputs,omitempty"`
	HostChanges   []*HostChange        `json:"host_changes,omitempty"`
	Realizations  []*Realization       `json:"realizations,omitempty"`
	Variables     map[string]valueJSON `json:"variables,omitempty"`
	PriorState    json.RawMessage      `json:"prior_state,omitempty"`
	ConfigFiles   map[string][]byte    `json:"config_files,omitempty"`
}

type changeJSON struct {
	Addr            string       `json:"addr"`
	Deposed         string       `json:"deposed,omitempty"`
	PrevAddr        string       `json:"prev_addr,omitempty"`
	Provider        string       `json:"provider,omitempty"`
	Action          Action       `json:"action"`
	Reason          string       `json:"reason,omitempty"`
	ImportID        string       `json:"import_id,omitempty"`
	Before          valueJSON    `json:"before"`
	After           valueJSON    `json:"after"`
	BeforeSensitive [][]stepJSON `json:"before_sensitive,omitempty"`
	AfterSensitive  [][]stepJSON `json:"after_sensitive,omitempty"`
	RequiresReplace [][]stepJSON `json:"requires_replace,omitempty"`
	Private         []byte       `json:"private,omitempty"`
}

type outputJSON struct {
	Name      string    `json:"name"`
	Action    Action    `json:"action"`
	Before    valueJSON `json:"before"`
	After     valueJSON `json:"after"`
	Sensitive bool      `json:"sensitive,omitempty"`
}

type valueJSON struct {
	Msgpack   []byte       `json:"msgpack,omitempty"`
	Sensitive [][]stepJSON `json:"sensitive,omitempty"`
}

type stepJSON struct {
	Attr  *string         `json:"attr,omitempty"`
	Index json.RawMessage `json:"index,omitempty"`
}

// WriteFile saves p at path, replacing any file there atomically: the plan
// is written to a temporary file in the same directory with mode 0600,
// synced, then renamed over path. Values may be marked sensitive; the marks
// are recorded and restored by ReadFile.
func WriteFile(path string, p *Plan) error {
	data, err := Encode(p)
	if err != nil {
		return fmt.Errorf("cannot save the plan: %w", err)
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("cannot save the plan to %s: %w", path, err)
	}
	return nil
}

// ReadFile loads a plan saved by WriteFile. It refuses, with an error that
// says so, a file that is not a plan file, a plan of a newer format version,
// and a corrupted or truncated file; it never panics.
func ReadFile(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the plan file: %w", err)
	}
	p, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Encode returns the plan file form of p.
func Encode(p *Plan) ([]byte, error) {
	if p == nil {
		return nil, errors.New("there is no plan")
	}
	f := fileJSON{
		Kind:          FileKind,
		FormatVersion: FileFormatVersion,
		BPVersion:     state.BPVersion,
		Mode:          p.Mode,
		Errored:       p.Errored,
		StateLineage:  p.StateLineage,
		StateSerial:   p.StateSerial,
		ConfigFiles:   p.ConfigFiles,
		HostChanges:   p.HostChanges,
		Realizations:  p.Realizations,
	}
	var err error
	if f.Changes, err = encodeChanges(p.Changes); err != nil {
		return nil, err
	}
	if f.Drift, err = encodeChanges(p.Drift); err != nil {
		return nil, fmt.Errorf("drift: %w", err)
	}
	for _, o := range p.Outputs {
		oj := &outputJSON{Name: o.Name, Action: o.Action, Sensitive: o.Sensitive}
		if oj.Before, err = encodeValue(o.Before); err != nil {
			return nil, fmt.Errorf("output %q: before: %w", o.Name, err)
		}
		if oj.After, err = encodeValue(o.After); err != nil {
			return nil, fmt.Errorf("output %q: after: %w", o.Name, err)
		}
		f.Outputs = append(f.Outputs, oj)
	}
	if len(p.Variables) > 0 {
		f.Variables = make(map[string]valueJSON, len(p.Variables))
		for name, v := range p.Variables {
			if f.Variables[name], err = encodeValue(v); err != nil {
				return nil, fmt.Errorf("variable %q: %w", name, err)
			}
		}
	}
	if p.PriorState != nil {
		if f.PriorState, err = state.Encode(p.PriorState); err != nil {
			return nil, fmt.Errorf("prior state: %w", err)
		}
	}
	// Kind comes first in the struct, so the encoding starts with fileMagic.
	return json.Marshal(&f)
}

// Decode reads the plan file form produced by Encode; see ReadFile for the
// errors it returns.
func Decode(data []byte) (p *Plan, err error) {
	// The decoders below check what they read, but cty panics on some
	// impossible values (a set of mixed types, say); a corrupted file must
	// still only be an error.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("the plan file is corrupted: %v; create a new plan with \"bp plan -out\"", r)
		}
	}()
	notPlan := errors.New("this is not a bp plan file; create one with \"bp plan -out FILE\"")
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, notPlan
	}
	var head struct {
		Kind          *string `json:"kind"`
		FormatVersion *int    `json:"format_version"`
		Lineage       *string `json:"lineage"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		if IsPlanFile(data) {
			return nil, corrupted(err)
		}
		return nil, notPlan
	}
	switch {
	case head.Kind == nil && head.Lineage != nil:
		return nil, errors.New("this is a state file, not a plan file; create a plan with \"bp plan -out FILE\"")
	case head.Kind == nil:
		return nil, notPlan
	case *head.Kind != FileKind:
		return nil, fmt.Errorf("this is not a bp plan file (its kind is %q, not %q); create one with \"bp plan -out FILE\"", *head.Kind, FileKind)
	case head.FormatVersion == nil:
		return nil, corrupted(errors.New("it has no \"format_version\""))
	case *head.FormatVersion > FileFormatVersion:
		return nil, fmt.Errorf("the plan file format version %d is newer than this bp understands (up to %d); apply it with the bp that made it, or upgrade bp", *head.FormatVersion, FileFormatVersion)
	case *head.FormatVersion != FileFormatVersion:
		return nil, fmt.Errorf("unsupported plan file format version %d; this bp reads version %d", *head.FormatVersion, FileFormatVersion)
	}
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, corrupted(err)
	}
	return f.decode()
}

func corrupted(err error) error {
	return fmt.Errorf("the plan file is corrupted: %w; create a new plan with \"bp plan -out\"", err)
}

func (f *fileJSON) decode() (*Plan, error) {
	switch f.Mode {
	case Normal, Destroy, RefreshOnly:
	default:
		return nil, corrupted(fmt.Errorf("unknown mode %q", f.Mode))
	}
	p := &Plan{
		Mode:         f.Mode,
		Errored:      f.Errored,
		StateLineage: f.StateLineage,
		StateSerial:  f.StateSerial,
		ConfigFiles:  f.ConfigFiles,
		HostChanges:  f.HostChanges,
		Realizations: f.Realizations,
	}
	var err error
	if p.Changes, err = decodeChanges(f.Changes); err != nil {
		return nil, corrupted(err)
	}
	if p.Drift, err = decodeChanges(f.Drift); err != nil {
		return nil, corrupted(fmt.Errorf("drift: %w", err))
	}
	for i, oj := range f.Outputs {
		if oj == nil {
			return nil, corrupted(fmt.Errorf("outputs[%d] is null", i))
		}
		if err := checkAction(oj.Action); err != nil {
			return nil, corrupted(fmt.Errorf("output %q: %w", oj.Name, err))
		}
		o := &OutputChange{Name: oj.Name, Action: oj.Action, Sensitive: oj.Sensitive}
		if o.Before, err = oj.Before.decode(); err != nil {
			return nil, corrupted(fmt.Errorf("output %q: before: %w", oj.Name, err))
		}
		if o.After, err = oj.After.decode(); err != nil {
			return nil, corrupted(fmt.Errorf("output %q: after: %w", oj.Name, err))
		}
		p.Outputs = append(p.Outputs, o)
	}
	if f.Variables != nil {
		p.Variables = make(map[string]cty.Value, len(f.Variables))
		for name, vj := range f.Variables {
			if p.Variables[name], err = vj.decode(); err != nil {
				return nil, corrupted(fmt.Errorf("variable %q: %w", name, err))
			}
		}
	}
	if len(f.PriorState) > 0 && !bytes.Equal(f.PriorState, []byte("null")) {
		if p.PriorState, err = state.Decode(f.PriorState); err != nil {
			return nil, corrupted(fmt.Errorf("prior state: %w", err))
		}
	}
	return p, nil
}

func checkAction(a Action) error {
	switch a {
	case NoOp, Create, Read, Update, DeleteThenCreate, CreateThenDelete, Delete:
		return nil
	}
	return fmt.Errorf("unknown action %q", a)
}

func encodeChanges(changes []*ResourceChange) ([]*changeJSON, error) {
	out := make([]*changeJSON, 0, len(changes))
	for _, c := range changes {
		cj, err := encodeChange(c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Addr, err)
		}
		out = append(out, cj)
	}
	return out, nil
}

func encodeChange(c *ResourceChange) (*changeJSON, error) {
	cj := &changeJSON{
		Addr:     c.Addr.String(),
		Deposed:  string(c.Deposed),
		Provider: c.Provider,
		Action:   c.Action,
		Reason:   c.Reason,
		ImportID: c.ImportID,
		Private:  c.Private,
	}
	if c.PrevAddr != nil {
		cj.PrevAddr = c.PrevAddr.String()
	}
	var err error
	if cj.Before, err = encodeValue(c.Before); err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	if cj.After, err = encodeValue(c.After); err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	cj.BeforeSensitive = encodePaths(c.BeforeSensitive)
	cj.AfterSensitive = encodePaths(c.AfterSensitive)
	cj.RequiresReplace = encodePaths(c.RequiresReplace)
	return cj, nil
}

func decodeChanges(list []*changeJSON) ([]*ResourceChange, error) {
	var out []*ResourceChange
	for i, cj := range list {
		if cj == nil {
			return nil, fmt.Errorf("change %d is null", i)
		}
		c, err := cj.decode()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cj.Addr, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func (cj *changeJSON) decode() (*ResourceChange, error) {
	addr, err := state.ParseInstanceAddr(cj.Addr)
	if err != nil {
		return nil, err
	}
	if err := checkAction(cj.Action); err != nil {
		return nil, err
	}
	c := &ResourceChange{
		Addr:     addr,
		Deposed:  state.DeposedKey(cj.Deposed),
		Provider: cj.Provider,
		Action:   cj.Action,
		Reason:   cj.Reason,
		ImportID: cj.ImportID,
		Private:  cj.Private,
	}
	if cj.PrevAddr != "" {
		prev, err := state.ParseInstanceAddr(cj.PrevAddr)
		if err != nil {
			return nil, fmt.Errorf("previous address: %w", err)
		}
		c.PrevAddr = &prev
	}
	if c.Before, err = cj.Before.decode(); err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	if c.After, err = cj.After.decode(); err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	if c.BeforeSensitive, err = decodePaths(cj.BeforeSensitive); err != nil {
		return nil, fmt.Errorf("before_sensitive: %w", err)
	}
	if c.AfterSensitive, err = decodePaths(cj.AfterSensitive); err != nil {
		return nil, fmt.Errorf("after_sensitive: %w", err)
	}
	if c.RequiresReplace, err = decodePaths(cj.RequiresReplace); err != nil {
		return nil, fmt.Errorf("requires_replace: %w", err)
	}
	return c, nil
}

// encodeValue records v without marks, with the paths of its sensitive
// marks beside it.
func encodeValue(v cty.Value) (valueJSON, error) {
	if v == cty.NilVal {
		return valueJSON{}, nil
	}
	unmarked, sensitive := unmarkSensitive(v)
	b, err := ctymsgpack.Marshal(unmarked, cty.DynamicPseudoType)
	if err != nil {
		return valueJSON{}, err
	}
	return valueJSON{Msgpack: b, Sensitive: encodePaths(sensitive)}, nil
}

func (vj valueJSON) decode() (cty.Value, error) {
	if len(vj.Msgpack) == 0 {
		if len(vj.Sensitive) > 0 {
			return cty.NilVal, errors.New("sensitive paths without a value")
		}
		return cty.NilVal, nil
	}
	if err := checkMsgpack(vj.Msgpack); err != nil {
		return cty.NilVal, err
	}
	v, err := ctymsgpack.Unmarshal(vj.Msgpack, cty.DynamicPseudoType)
	if err != nil {
		return cty.NilVal, err
	}
	paths, err := decodePaths(vj.Sensitive)
	if err != nil {
		return cty.NilVal, fmt.Errorf("sensitive: %w", err)
	}
	return MarkSensitive(v, paths), nil
}

// maxValueDepth bounds how deeply a stored value may nest.
const maxValueDepth = 512

// checkMsgpack checks the structure of an encoded value before cty decodes
// it: every array and map must fit in the bytes that are left and nesting
// must stay within maxValueDepth. cty's decoder trusts the lengths it reads
// and would otherwise try to allocate whatever a corrupted file claims.
func checkMsgpack(data []byte) error {
	r := bytes.NewReader(data)
	dec := msgpack.NewDecoder(r)
	var check func(depth int) error
	check = func(depth int) error {
		if depth > maxValueDepth {
			return fmt.Errorf("the value nests deeper than %d levels", maxValueDepth)
		}
		c, err := dec.PeekCode()
		if err != nil {
			return err
		}
		var n int
		switch {
		case msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32:
			if n, err = dec.DecodeArrayLen(); err != nil {
				return err
			}
		case msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32:
			if n, err = dec.DecodeMapLen(); err != nil {
				return err
			}
			if n > r.Len()/2 {
				return fmt.Errorf("a map claims %d entries but only %d bytes are left", n, r.Len())
			}
			n *= 2
		default:
			return dec.Skip()
		}
		if n > r.Len() {
			return fmt.Errorf("an array claims %d elements but only %d bytes are left", n, r.Len())
		}
		for range n {
			if err := check(depth + 1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(0); err != nil {
		return fmt.Errorf("invalid value encoding: %w", err)
	}
	if r.Len() > 0 {
		return fmt.Errorf("invalid value encoding: %d bytes after the value", r.Len())
	}
	return nil
}

// encodePaths returns paths in the file's form. A step that cannot be
// written (an unknown or set-element key) ends its path there: a shorter
// path covers more, which for sensitive values errs on the safe side.
func encodePaths(paths []cty.Path) [][]stepJSON {
	var out [][]stepJSON
	seen := map[string]bool{}
	for _, p := range paths {
		steps := make([]stepJSON, 0, len(p))
	steps:
		for _, step := range p {
			switch step := step.(type) {
			case cty.GetAttrStep:
				name := step.Name
				steps = append(steps, stepJSON{Attr: &name})
			case cty.IndexStep:
				k := step.Key
				if k.IsMarked() || !k.IsKnown() || k.IsNull() || (k.Type() != cty.String && k.Type() != cty.Number) {
					break steps
				}
				raw, err := ctyjson.Marshal(k, cty.DynamicPseudoType)
				if err != nil {
					break steps
				}
				steps = append(steps, stepJSON{Index: raw})
			default:
				break steps
			}
		}
		key, _ := json.Marshal(steps)
		if !seen[string(key)] {
			seen[string(key)] = true
			out = append(out, steps)
		}
	}
	return out
}

func decodePaths(list [][]stepJSON) ([]cty.Path, error) {
	var out []cty.Path
	for i, steps := range list {
		p := make(cty.Path, 0, len(steps))
		for j, s := range steps {
			switch {
			case s.Attr != nil && s.Index == nil:
				p = append(p, cty.GetAttrStep{Name: *s.Attr})
			case s.Attr == nil && s.Index != nil:
				k, err := ctyjson.Unmarshal(s.Index, cty.DynamicPseudoType)
				if err != nil {
					return nil, fmt.Errorf("path %d, step %d: %w", i, j, err)
				}
				if k.IsNull() || (k.Type() != cty.String && k.Type() != cty.Number) {
					return nil, fmt.Errorf("path %d, step %d: an index is a string or a number", i, j)
				}
				p = append(p, cty.IndexStep{Key: k})
			default:
				return nil, fmt.Errorf("path %d, step %d must have exactly one of \"attr\" and \"index\"", i, j)
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// writeAtomic writes data to a new 0600 file beside path, syncs it and
// renames it over path, so a reader sees the old file or the new one, never
// a part.
func writeAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // best effort: the rename is durable on most systems without it
		d.Close()
	}
	return nil
}
