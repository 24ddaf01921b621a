package plan

// The machine-readable plan and state formats, version "1.0", printed by
// `bp plan -json` and `bp show -json`. FORMAT.md in this directory is the
// reference for users; this comment is its summary.
//
// A plan:
//
//	{
//	  "format_version": "1.0",
//	  "mode": "normal",                 // or "destroy", "refresh-only"
//	  "resource_changes": [change…],    // every instance the plan looks at, no-ops included, in address order
//	  "resource_drift": [change…],      // objects changed outside bp, found by refresh
//	  "output_changes": {"url": {"action": "create", "before": null, "after": "…",
//	                             "after_unknown": false, "sensitive": false}},
//	  "variables": {"n": {"value": 2, "sensitive": false}},
//	  "summary": {"add": 1, "change": 0, "destroy": 0, "import": 0},
//	  "errored": false                  // true: planning failed, the plan cannot be applied
//	}
//
// A change:
//
//	{
//	  "address": "module.web.std_file.f[0]",
//	  "previous_address": "std_file.old[0]",  // only when a moved block renamed it
//	  "module": "module.web",                 // absent for the root module
//	  "mode": "managed",                      // or "data"
//	  "type": "std_file", "name": "f",
//	  "index": 0,                             // a number (count), a string (for_each) or absent
//	  "deposed": "0a1b2c3d",                  // only for a deposed object
//	  "provider": "std",
//	  "action": "replace",                    // create, update, delete, replace, read or no-op
//	  "replace_order": "delete-first",        // replace only: or "create-first"
//	  "reason": "…",                          // only when the cause is not the blueprint itself
//	  "before": {…}, "after": {…},            // the objects; null when absent
//	  "after_unknown": {"id": true},
//	  "before_sensitive": {}, "after_sensitive": {"result": true},
//	  "replace_paths": [["content"]],         // attributes that force replacement
//	  "importing": {"id": "…"}                // only when an import block adopts it
//	}
//
// Values are plain JSON: objects and maps are JSON objects, lists, sets
// and tuples arrays, numbers exact. Unknown values (known after apply) and
// sensitive values are null in before/after; the value is never printed.
// The trees *_unknown and *_sensitive say where: a tree mirrors its value,
// `true` marks a value that is wholly unknown (or sensitive), an object or
// map with something marked inside holds only its marked keys, a list, set
// or tuple with something marked inside holds one entry per element
// (`false` for elements with nothing marked), and `false` means nothing is
// marked. The tree of a whole resource object with nothing marked is `{}`.
//
// A state (`bp show -json`):
//
//	{
//	  "format_version": "1.0",
//	  "lineage": "…", "serial": 7,
//	  "resources": [{"address", "module", "mode", "type", "name", "index",
//	                 "provider", "deposed", "tainted": true, "creating": true,
//	                 "values": {…}, "sensitive_values": {…}}],
//	  "outputs": {"url": {"value": "…", "sensitive": false}}
//	}

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

// JSONFormatVersion is the version of the machine-readable formats.
const JSONFormatVersion = "1.0"

type jsonPlan struct {
	FormatVersion   string                      `json:"format_version"`
	Mode            Mode                        `json:"mode"`
	ResourceChanges []*jsonChange               `json:"resource_changes"`
	ResourceDrift   []*jsonChange               `json:"resource_drift"`
	OutputChanges   map[string]*jsonOutput      `json:"output_changes"`
	HostChanges     []*HostChange               `json:"host_changes,omitempty"`
	Realizations    []*Realization              `json:"realizations,omitempty"`
	Variables       map[string]*jsonStateOutput `json:"variables,omitempty"`
	Summary         jsonSummary                 `json:"summary"`
	Errored         bool                        `json:"errored"`
}

type jsonSummary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
	Import  int `json:"import"`
}

type jsonChange struct {
	Address         string         `json:"address"`
	PreviousAddress string         `json:"previous_address,omitempty"`
	Module          string         `json:"module,omitempty"`
	Mode            string         `json:"mode"`
	Type            string         `json:"type"`
	Name            string         `json:"name"`
	Index           any            `json:"index,omitempty"`
	Deposed         string         `json:"deposed,omitempty"`
	Provider        string         `json:"provider"`
	Action          string         `json:"action"`
	ReplaceOrder    string         `json:"replace_order,omitempty"`
	Reason          string         `json:"reason,omitempty"`
	Before          any            `json:"before"`
	After           any            `json:"after"`
	AfterUnknown    any            `json:"after_unknown"`
	BeforeSensitive any            `json:"before_sensitive"`
	AfterSensitive  any            `json:"after_sensitive"`
	ReplacePaths    [][]any        `json:"replace_paths,omitempty"`
	Importing       *jsonImporting `json:"importing,omitempty"`
}

type jsonImporting struct {
	ID string `json:"id"`
}

type jsonOutput struct {
	Action       string `json:"action"`
	Before       any    `json:"before"`
	After        any    `json:"after"`
	AfterUnknown any    `json:"after_unknown"`
	Sensitive    bool   `json:"sensitive"`
}

type jsonState struct {
	FormatVersion string                      `json:"format_version"`
	Lineage       string                      `json:"lineage"`
	Serial        uint64                      `json:"serial"`
	Resources     []*jsonResource             `json:"resources"`
	Outputs       map[string]*jsonStateOutput `json:"outputs"`
}

type jsonResource struct {
	Address         string `json:"address"`
	Module          string `json:"module,omitempty"`
	Mode            string `json:"mode"`
	Type            string `json:"type"`
	Name            string `json:"name"`
	Index           any    `json:"index,omitempty"`
	Deposed         string `json:"deposed,omitempty"`
	Provider        string `json:"provider"`
	Tainted         bool   `json:"tainted,omitempty"`
	Creating        bool   `json:"creating,omitempty"`
	Values          any    `json:"values"`
	SensitiveValues any    `json:"sensitive_values"`
}

type jsonStateOutput struct {
	Value     any  `json:"value"`
	Sensitive bool `json:"sensitive"`
}

// JSON returns p in the machine-readable plan format described above and in
// FORMAT.md, indented, with a final newline. Sensitive values never appear
// in it.
func JSON(p *Plan) ([]byte, error) {
	jp := &jsonPlan{
		FormatVersion:   JSONFormatVersion,
		Mode:            p.Mode,
		ResourceChanges: []*jsonChange{},
		ResourceDrift:   []*jsonChange{},
		OutputChanges:   map[string]*jsonOutput{},
		Errored:         p.Errored,
	}
	jp.Summary.Add, jp.Summary.Change, jp.Summary.Destroy = p.Counts()
	for _, c := range p.Changes {
		jp.ResourceChanges = append(jp.ResourceChanges, jsonResourceChange(c))
		if c.ImportID != "" {
			jp.Summary.Import++
		}
	}
	for _, c := range p.Drift {
		jp.ResourceDrift = append(jp.ResourceDrift, jsonResourceChange(c))
	}
	for _, o := range p.Outputs {
		jo := &jsonOutput{Action: jsonAction(o.Action), Sensitive: o.Sensitive, AfterUnknown: false}
		before, after := o.Before, o.After
		if o.Sensitive {
			before, after = markWhole(before), markWhole(after)
		}
		jo.Before, _, _ = jsonValue(before)
		jo.After, jo.AfterUnknown, _ = jsonValue(after)
		jp.OutputChanges[o.Name] = jo
	}
	jp.HostChanges = p.HostChanges
	jp.Realizations = p.Realizations
	if len(p.Variables) > 0 {
		jp.Variables = map[string]*jsonStateOutput{}
		for name, v := range p.Variables {
			val, _, sens := jsonValue(v)
			jp.Variables[name] = &jsonStateOutput{Value: val, Sensitive: sens != false}
		}
	}
	return marshalIndent(jp)
}

// StateJSON returns s in the machine-readable state format described above
// and in FORMAT.md, indented, with a final newline. Sensitive values never
// appear in it.
func StateJSON(s *state.State) ([]byte, error) {
	js := &jsonState{FormatVersion: JSONFormatVersion, Resources: []*jsonResource{}, Outputs: map[string]*jsonStateOutput{}}
	if s == nil {
		return marshalIndent(js)
	}
	js.Lineage, js.Serial = s.Lineage, s.Serial
	for _, r := range s.Resources() {
		for _, k := range r.Keys() {
			addr := r.Addr.Instance(k)
			inst := s.Instance(addr)
			add := func(o *state.Object, dk state.DeposedKey) {
				jr := &jsonResource{Provider: r.Provider, Deposed: string(dk), Tainted: o.Status == state.Tainted, Creating: o.Status == state.Creating}
				jr.Address, jr.Module, jr.Mode, jr.Type, jr.Name, jr.Index = jsonAddr(addr)
				var sens any
				jr.Values, _, sens = jsonValue(MarkSensitive(o.Value, o.SensitivePaths))
				jr.SensitiveValues = topTree(sens)
				js.Resources = append(js.Resources, jr)
			}
			if inst.Current != nil {
				add(inst.Current, "")
			}
			for _, dk := range inst.DeposedKeys() {
				add(inst.Deposed[dk], dk)
			}
		}
	}
	for name, o := range s.Outputs {
		v := o.Value
		if o.Sensitive {
			v = markWhole(v)
		}
		val, _, _ := jsonValue(v)
		js.Outputs[name] = &jsonStateOutput{Value: val, Sensitive: o.Sensitive}
	}
	return marshalIndent(js)
}

func marshalIndent(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func jsonResourceChange(c *ResourceChange) *jsonChange {
	jc := &jsonChange{Provider: c.Provider, Action: jsonAction(c.Action), Reason: c.Reason, Deposed: string(c.Deposed)}
	jc.Address, jc.Module, jc.Mode, jc.Type, jc.Name, jc.Index = jsonAddr(c.Addr)
	if c.PrevAddr != nil {
		jc.PreviousAddress = c.PrevAddr.String()
	}
	switch c.Action {
	case DeleteThenCreate:
		jc.ReplaceOrder = "delete-first"
	case CreateThenDelete:
		jc.ReplaceOrder = "create-first"
	}
	var bs, as, au any
	jc.Before, _, bs = jsonValue(MarkSensitive(c.Before, c.BeforeSensitive))
	jc.After, au, as = jsonValue(MarkSensitive(c.After, c.AfterSensitive))
	jc.BeforeSensitive, jc.AfterSensitive, jc.AfterUnknown = topTree(bs), topTree(as), topTree(au)
	for _, p := range c.RequiresReplace {
		jc.ReplacePaths = append(jc.ReplacePaths, jsonPath(p))
	}
	if c.ImportID != "" {
		jc.Importing = &jsonImporting{ID: c.ImportID}
	}
	return jc
}

// jsonAction spells an action as the JSON format does: both replace orders
// are "replace".
func jsonAction(a Action) string {
	if a.IsReplace() {
		return "replace"
	}
	return string(a)
}

func jsonAddr(a state.InstanceAddr) (addr, module, mode, typ, name string, index any) {
	switch k := a.Key.(type) {
	case state.IntKey:
		index = int(k)
	case state.StringKey:
		index = string(k)
	}
	return a.String(), a.Resource.Module, a.Resource.Mode.String(), a.Resource.Type, a.Resource.Name, index
}

// topTree makes the tree of a whole object an object when nothing is
// marked, so consumers can always index it.
func topTree(t any) any {
	if t == false {
		return map[string]any{}
	}
	return t
}

func jsonPath(p cty.Path) []any {
	out := make([]any, 0, len(p))
	for _, step := range p {
		switch s := step.(type) {
		case cty.GetAttrStep:
			out = append(out, s.Name)
		case cty.IndexStep:
			v, _, _ := jsonValue(s.Key)
			out = append(out, v)
		}
	}
	return out
}

// markWhole marks v as a whole sensitive.
func markWhole(v cty.Value) cty.Value {
	if v == cty.NilVal {
		return v
	}
	return MarkSensitive(v, []cty.Path{nil})
}

// jsonValue converts v, whose sensitive values are marked, into a value for
// encoding/json with unknown and sensitive values replaced by null, and the
// unknown and sensitive trees described in the format.
func jsonValue(v cty.Value) (val, unknown, sensitive any) {
	if v == cty.NilVal {
		return nil, false, false
	}
	if v.IsMarked() {
		raw, _ := v.UnmarkDeep()
		return nil, !raw.IsKnown(), true
	}
	if !v.IsKnown() {
		return nil, true, false
	}
	if v.IsNull() {
		return nil, false, false
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString(), false, false
	case ty == cty.Bool:
		return v.True(), false, false
	case ty == cty.Number:
		return jsonNumber(v.AsBigFloat()), false, false
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		vals, unks, senss := []any{}, []any{}, []any{}
		anyUnk, anySens := false, false
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			ev2, eu, es := jsonValue(ev)
			vals, unks, senss = append(vals, ev2), append(unks, eu), append(senss, es)
			anyUnk, anySens = anyUnk || eu != false, anySens || es != false
		}
		return vals, treeOrFalse(anyUnk, unks), treeOrFalse(anySens, senss)
	case ty.IsMapType() || ty.IsObjectType():
		vals, unks, senss := map[string]any{}, map[string]any{}, map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			name := k.AsString()
			ev2, eu, es := jsonValue(ev)
			vals[name] = ev2
			if eu != false {
				unks[name] = eu
			}
			if es != false {
				senss[name] = es
			}
		}
		return vals, treeOrFalse(len(unks) > 0, unks), treeOrFalse(len(senss) > 0, senss)
	default:
		// Capsule types never reach a plan; say what it was rather than fail.
		return fmt.Sprintf("(%s)", ty.FriendlyName()), false, false
	}
}

func treeOrFalse(marked bool, tree any) any {
	if marked {
		return tree
	}
	return false
}

// jsonNumber writes a cty number exactly; JSON has no infinities, so those
// become the strings "Infinity" and "-Infinity".
func jsonNumber(f *big.Float) any {
	if f.IsInf() {
		if f.Sign() < 0 {
			return "-Infinity"
		}
		return "Infinity"
	}
	return json.Number(f.Text('f', -1))
}
