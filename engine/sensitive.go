package engine

import (
	"slices"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine/state"
)

// A provider may copy a value it was given anywhere into its result: std_null
// copies inputs into outputs, a machine may echo its password into a
// connection string attribute. The schema cannot say where such copies land,
// so the engine looks for them: a leaf of a result that equals a sensitive
// leaf of the configuration is itself sensitive.

// secrets is a set of primitive values (strings, numbers, bools) that must
// not be shown.
type secrets map[secretKey]struct{}

type secretKey struct {
	ty  cty.Type
	val string
}

// keyOfSecret returns v's key in a secrets set, or false when v is not a
// known, non-null primitive value.
func keyOfSecret(v cty.Value) (secretKey, bool) {
	if !v.IsKnown() || v.IsNull() || v.IsMarked() {
		return secretKey{}, false
	}
	switch v.Type() {
	case cty.String:
		return secretKey{cty.String, v.AsString()}, true
	case cty.Number:
		return secretKey{cty.Number, v.AsBigFloat().Text('g', -1)}, true
	case cty.Bool:
		if v.True() {
			return secretKey{cty.Bool, "true"}, true
		}
		return secretKey{cty.Bool, "false"}, true
	}
	return secretKey{}, false
}

// secretsOf returns the primitive values at or below paths in val, an
// unmarked value.
func secretsOf(val cty.Value, paths []cty.Path) secrets {
	if len(paths) == 0 {
		return nil
	}
	out := secrets{}
	collectSecrets(nil, val, paths, false, out)
	return out
}

func collectSecrets(path cty.Path, v cty.Value, paths []cty.Path, under bool, out secrets) {
	if !under {
		within := false
		for _, p := range paths {
			switch {
			case len(p) == len(path) && p.Equals(path):
				under = true
			case len(p) > len(path) && p[:len(path)].Equals(path):
				within = true
			}
		}
		if !under && !within {
			return
		}
	}
	if !v.IsKnown() || v.IsNull() {
		return
	}
	if k, ok := keyOfSecret(v); ok {
		if under {
			out[k] = struct{}{}
		}
		return
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType():
		for name := range ty.AttributeTypes() {
			collectSecrets(path.GetAttr(name), v.GetAttr(name), paths, under, out)
		}
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			collectSecrets(path.Index(k), ev, paths, under, out)
		}
	}
}

// copiedSecrets returns, in a stable order, the paths of the leaves of val
// (unmarked) that equal one of s. A match inside a set gives the set's path:
// a path to a set element would name the element by its value, the secret.
func copiedSecrets(val cty.Value, s secrets) []cty.Path {
	if len(s) == 0 {
		return nil
	}
	var out []cty.Path
	findSecrets(nil, val, s, &out)
	return out
}

func findSecrets(path cty.Path, v cty.Value, s secrets, out *[]cty.Path) {
	if !v.IsKnown() || v.IsNull() {
		return
	}
	if k, ok := keyOfSecret(v); ok {
		if _, found := s[k]; found {
			*out = append(*out, path.Copy())
		}
		return
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType():
		names := make([]string, 0, len(ty.AttributeTypes()))
		for name := range ty.AttributeTypes() {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			findSecrets(path.GetAttr(name), v.GetAttr(name), s, out)
		}
	case ty.IsSetType():
		var inside []cty.Path
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			findSecrets(nil, ev, s, &inside)
			if len(inside) > 0 {
				*out = append(*out, path.Copy())
				return
			}
		}
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			findSecrets(path.Index(k), ev, s, out)
		}
	}
}

// sensitiveResult returns the paths of result to hide: the schema's
// sensitive attributes, the paths cfg marked sensitive (cfgSensitive), and
// every leaf of result equal to a sensitive leaf of cfg, the configuration
// the provider was given (unmarked; a null value when there is none).
// Sensitive leaves of cfg are those at cfgSensitive and at the schema's
// sensitive attributes.
func (ts *typeSchema) sensitiveResult(result, cfg cty.Value, cfgSensitive []cty.Path) []cty.Path {
	if result == cty.NilVal || result.IsNull() {
		return cfgSensitive
	}
	paths := unionPaths(ts.SensitivePaths(result), cfgSensitive)
	return unionPaths(paths, copiedSecrets(result, ts.configSecrets(cfg, cfgSensitive)))
}

// configSecrets returns the sensitive leaves of cfg, an unmarked
// configuration value: those at cfgSensitive and at the schema's sensitive
// attributes.
func (ts *typeSchema) configSecrets(cfg cty.Value, cfgSensitive []cty.Path) secrets {
	if cfg == cty.NilVal || cfg.IsNull() || !cfg.IsKnown() {
		return nil
	}
	return secretsOf(cfg, unionPaths(cfgSensitive, ts.SensitivePaths(cfg)))
}

// objectSecrets returns the sensitive leaves of a recorded object, with
// more added.
func objectSecrets(obj *state.Object, more secrets) secrets {
	s := secretsOf(obj.Value, obj.SensitivePaths)
	if s == nil {
		return more
	}
	for k := range more {
		s[k] = struct{}{}
	}
	return s
}
