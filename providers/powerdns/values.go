package powerdns

import (
	"math/big"
	"sync"

	"github.com/zclconf/go-cty/cty"
)

// attr returns obj.name, or a null of ty when obj is null, unknown or lacks
// it.
func attr(obj cty.Value, name string, ty cty.Type) cty.Value {
	if obj == cty.NilVal || obj.IsNull() || !obj.IsKnown() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(name) {
		return cty.NullVal(ty)
	}
	return obj.GetAttr(name)
}

// knownString returns obj.name as a Go string and true when it is a known,
// non-null string.
func knownString(obj cty.Value, name string) (string, bool) {
	v := attr(obj, name, cty.String)
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return "", false
	}
	return v.AsString(), true
}

// knownInt returns obj.name as an int64 and true when it is a known,
// non-null whole number that fits.
func knownInt(obj cty.Value, name string) (int64, bool) {
	return intOf(attr(obj, name, cty.Number))
}

func intOf(v cty.Value) (int64, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.Number) {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	i, acc := bf.Int64()
	return i, acc == big.Exact
}

// knownStrings returns a known list of known strings as a Go slice; ok is
// false when the list or any element is null or unknown.
func knownStrings(v cty.Value) (out []string, ok bool) {
	if v.IsNull() || !v.IsWhollyKnown() || !v.CanIterateElements() {
		return nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || !e.Type().Equals(cty.String) {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

// knownInts returns a known list of known whole numbers as a Go slice.
func knownInts(v cty.Value) (out []int64, ok bool) {
	if v.IsNull() || !v.IsWhollyKnown() || !v.CanIterateElements() {
		return nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		n, ok := intOf(e)
		if !ok {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

// stringList returns ss as a cty list of strings (an empty list for none).
func stringList(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

// numberList returns ns as a cty list of numbers.
func numberList(ns []int64) cty.Value {
	if len(ns) == 0 {
		return cty.ListValEmpty(cty.Number)
	}
	vals := make([]cty.Value, len(ns))
	for i, n := range ns {
		vals[i] = cty.NumberIntVal(n)
	}
	return cty.ListVal(vals)
}

// changed reports whether a and b may differ: true unless both are wholly
// known and equal.
func changed(a, b cty.Value) bool {
	if !a.IsWhollyKnown() || !b.IsWhollyKnown() {
		return true
	}
	return !a.RawEquals(b) && !a.Equals(b).True()
}

// keyedMutex hands out one mutex per key, so that calls about the same DNS
// name serialize while calls about different names run in parallel. Mutexes
// are never freed: a provider manages a bounded number of names.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// lock locks key's mutex and returns its unlock.
func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*sync.Mutex{}
	}
	m := k.locks[key]
	if m == nil {
		m = &sync.Mutex{}
		k.locks[key] = m
	}
	k.mu.Unlock()
	m.Lock()
	return m.Unlock
}
