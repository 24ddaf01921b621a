package ctymsgpack

import (
	"bytes"
	"testing"

	"github.com/zclconf/go-cty/cty"
	gocty "github.com/zclconf/go-cty/cty/msgpack"
)

// fuzzTypes are the types FuzzUnmarshal reads input as.
var fuzzTypes = []cty.Type{
	nullType,
	cty.DynamicPseudoType,
	cty.List(cty.DynamicPseudoType),
	cty.Map(cty.String),
	cty.Set(cty.Number),
	cty.Tuple([]cty.Type{cty.String, cty.DynamicPseudoType, cty.Bool}),
	cty.Object(map[string]cty.Type{
		"rule": cty.List(cty.Object(map[string]cty.Type{"port": cty.Number, "labels": cty.Map(cty.String), "any": cty.DynamicPseudoType})),
		"name": cty.String,
	}),
}

// FuzzUnmarshal compares Unmarshal with go-cty's decoder on arbitrary
// input: it must never panic, must accept what go-cty accepts and read the
// same value, and must fail where go-cty fails (with go-cty's error, unless
// it refused a length or nesting go-cty would have tried to allocate or
// recurse for). A value it reads must encode as go-cty encodes it, and
// Conforms must agree with go-cty's TestConformance on its type.
func FuzzUnmarshal(f *testing.F) {
	for _, tc := range cases {
		for i, ty := range fuzzTypes {
			if tc.ty.Equals(ty) || ty == cty.DynamicPseudoType {
				b, err := gocty.Marshal(tc.val, ty)
				if err == nil && len(b) < 4096 {
					f.Add(b, uint8(i))
				}
			}
		}
	}
	f.Add([]byte{codeArray32, 0xff, 0xff, 0xff, 0xff}, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, which uint8) {
		ty := fuzzTypes[int(which)%len(fuzzTypes)]
		got, err := Unmarshal(b, ty)
		if err == errTruncated || err == errTooDeep {
			return
		}
		want, wantErr := fallbackUnmarshal(b, ty)
		switch {
		case err != nil && wantErr != nil:
			if err.Error() != wantErr.Error() {
				t.Fatalf("Unmarshal(%x) failed with %q; go-cty with %q", b, err, wantErr)
			}
			return
		case err != nil || wantErr != nil:
			t.Fatalf("Unmarshal(%x) = %#v, %v; go-cty: %#v, %v", b, got, err, want, wantErr)
		case !got.RawEquals(want):
			t.Fatalf("Unmarshal(%x) = %#v; go-cty: %#v", b, got, want)
		}
		if c, errs := Conforms(got.Type(), ty), got.Type().TestConformance(ty); c != (errs == nil) {
			t.Fatalf("Conforms(%#v, %#v) = %v; TestConformance: %v", got.Type(), ty, c, errs)
		}
		enc, err := marshalOrPanic(Marshal, got, ty)
		wantEnc, wantErr := marshalOrPanic(gocty.Marshal, got, ty)
		if (err != nil) != (wantErr != nil) || !bytes.Equal(enc, wantEnc) {
			t.Fatalf("Marshal(%#v) = %x, %v; go-cty: %x, %v", got, enc, err, wantEnc, wantErr)
		}
	})
}

// marshalOrPanic reports a panic of marshal as an error: go-cty's encoder
// panics on some values its decoder makes, and so may Marshal then.
func marshalOrPanic(marshal func(cty.Value, cty.Type) ([]byte, error), v cty.Value, ty cty.Type) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, errUnsupported
		}
	}()
	return marshal(v, ty)
}
