package std

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/zclconf/go-cty/cty"
)

// knownString returns obj.name as a Go string and true when it is a known,
// non-null string.
func knownString(obj cty.Value, name string) (string, bool) {
	if obj.IsNull() || !obj.IsKnown() || !obj.Type().HasAttribute(name) {
		return "", false
	}
	v := obj.GetAttr(name)
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// attr returns obj.name, or a null of ty when obj is null or lacks it.
func attr(obj cty.Value, name string, ty cty.Type) cty.Value {
	if obj.IsNull() || !obj.IsKnown() || !obj.Type().HasAttribute(name) {
		return cty.NullVal(ty)
	}
	return obj.GetAttr(name)
}

// randomID returns 16 hex digits from crypto/rand.
func randomID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// changed reports whether a and b may differ: true unless both are wholly
// known and equal.
func changed(a, b cty.Value) bool {
	if !a.IsWhollyKnown() || !b.IsWhollyKnown() {
		return true
	}
	return !a.RawEquals(b) && !a.Equals(b).True()
}
