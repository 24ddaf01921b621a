package ctymsgpack

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	gocty "github.com/zclconf/go-cty/cty/msgpack"
)

var nullType = cty.Object(map[string]cty.Type{
	"triggers": cty.Map(cty.String), "inputs": cty.DynamicPseudoType, "id": cty.String, "outputs": cty.DynamicPseudoType,
})

func inputs(i int) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("res"), "size": cty.NumberIntVal(int64(i))})
}

// cases are values whose encoding must match go-cty's to the byte and
// decode back to themselves.
var cases = []struct {
	name string
	ty   cty.Type
	val  cty.Value
}{
	{"std_null planned create", nullType, cty.ObjectVal(map[string]cty.Value{
		"triggers": cty.MapVal(map[string]cty.Value{"n": cty.StringVal("1")}),
		"inputs":   inputs(1), "id": cty.UnknownVal(cty.String), "outputs": cty.DynamicVal,
	})},
	{"std_null applied", nullType, cty.ObjectVal(map[string]cty.Value{
		"triggers": cty.NullVal(cty.Map(cty.String)),
		"inputs":   inputs(300), "id": cty.StringVal("0123456789abcdef"), "outputs": inputs(300),
	})},
	{"null object", nullType, cty.NullVal(nullType)},
	{"wholly unknown object", nullType, cty.UnknownVal(nullType)},
	{"null in a dynamic place", cty.DynamicPseudoType, cty.NullVal(cty.DynamicPseudoType)},
	{"typed null in a dynamic place", cty.DynamicPseudoType, cty.NullVal(cty.List(cty.String))},
	{"unknown in a dynamic place", cty.DynamicPseudoType, cty.DynamicVal},
	{"typed unknown in a dynamic place", cty.DynamicPseudoType, cty.UnknownVal(cty.Map(cty.Bool))},
	{"refined unknown string", cty.String, cty.UnknownVal(cty.String).Refine().NotNull().StringPrefix("web-").NewValue()},
	{"refined unknown number", cty.Number, cty.UnknownVal(cty.Number).Refine().NumberRangeInclusive(cty.NumberIntVal(1), cty.NumberIntVal(9)).NewValue()},
	{"refined unknown number lower bound only", cty.Number, cty.UnknownVal(cty.Number).Refine().NumberRangeLowerBound(cty.Zero, false).NewValue()},
	{"refined unknown list length", cty.List(cty.String), cty.UnknownVal(cty.List(cty.String)).Refine().CollectionLengthLowerBound(1).NewValue()},
	{"refined unknown not null object", nullType, cty.UnknownVal(nullType).Refine().NotNull().NewValue()},
	{"refined unknown in a dynamic place", cty.DynamicPseudoType, cty.UnknownVal(cty.String).Refine().NotNull().NewValue()},
	{"long refined prefix", cty.String, cty.UnknownVal(cty.String).Refine().StringPrefix(strings.Repeat("p", 300)).NewValue()},
	{"dynamic tuple", cty.DynamicPseudoType, cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.True, cty.NumberFloatVal(1.5), cty.NullVal(cty.Bool)})},
	{"empty tuple", cty.DynamicPseudoType, cty.EmptyTupleVal},
	{"empty object", cty.DynamicPseudoType, cty.EmptyObjectVal},
	{"dynamic set", cty.DynamicPseudoType, cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")})},
	{"dynamic in dynamic", cty.List(cty.DynamicPseudoType), cty.ListVal([]cty.Value{cty.StringVal("x"), cty.StringVal("y")})},
	{"nested dynamic objects", cty.DynamicPseudoType, cty.ObjectVal(map[string]cty.Value{
		"a<b>&\"c\"": cty.ObjectVal(map[string]cty.Value{"\u2028é\n": cty.ListVal([]cty.Value{cty.NumberIntVal(-1)})}),
		"set":        cty.SetVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"k": cty.MapValEmpty(cty.Number)})}),
	})},
	{"empty collections", cty.DynamicPseudoType, cty.ObjectVal(map[string]cty.Value{
		"l": cty.ListValEmpty(cty.String), "s": cty.SetValEmpty(cty.Bool), "m": cty.MapValEmpty(cty.DynamicPseudoType),
	})},
	{"integers of every width", cty.List(cty.Number), cty.ListVal([]cty.Value{
		cty.NumberIntVal(0), cty.NumberIntVal(127), cty.NumberIntVal(128), cty.NumberIntVal(255), cty.NumberIntVal(256),
		cty.NumberIntVal(65535), cty.NumberIntVal(65536), cty.NumberIntVal(math.MaxUint32), cty.NumberIntVal(math.MaxUint32 + 1),
		cty.NumberIntVal(math.MaxInt64), cty.NumberIntVal(-1), cty.NumberIntVal(-32), cty.NumberIntVal(-33), cty.NumberIntVal(-128),
		cty.NumberIntVal(-129), cty.NumberIntVal(math.MinInt16), cty.NumberIntVal(math.MinInt16 - 1),
		cty.NumberIntVal(math.MinInt32), cty.NumberIntVal(math.MinInt32 - 1), cty.NumberIntVal(math.MinInt64),
	})},
	{"other numbers", cty.Tuple([]cty.Type{cty.Number, cty.Number, cty.Number, cty.Number, cty.Number, cty.Number}), cty.TupleVal([]cty.Value{
		cty.NumberFloatVal(0.1), cty.PositiveInfinity, cty.NegativeInfinity, cty.NumberUIntVal(math.MaxUint64),
		cty.MustParseNumberVal("123456789012345678901234567890.5"), cty.MustParseNumberVal("-1e400"),
	})},
	{"strings of every length form", cty.List(cty.String), cty.ListVal([]cty.Value{
		cty.StringVal(""), cty.StringVal(strings.Repeat("a", 31)), cty.StringVal(strings.Repeat("a", 32)),
		cty.StringVal(strings.Repeat("a", 255)), cty.StringVal(strings.Repeat("a", 256)),
		cty.StringVal(strings.Repeat("a", 65535)), cty.StringVal(strings.Repeat("a", 65536)),
	})},
	{"long collections", cty.Map(cty.List(cty.Bool)), cty.MapVal(map[string]cty.Value{
		"16":    cty.ListVal(repeat(cty.True, 16)),
		"65536": cty.ListVal(repeat(cty.False, 65536)),
	})},
	{"long type description", cty.DynamicPseudoType, cty.ObjectVal(longAttrs(300))},
	{"conversion to the wanted type", cty.Map(cty.String), cty.ObjectVal(map[string]cty.Value{"n": cty.NumberIntVal(1)})},
	{"conversion of an attribute", nullType, cty.ObjectVal(map[string]cty.Value{
		"triggers": cty.MapVal(map[string]cty.Value{"n": cty.NumberIntVal(1)}),
		"inputs":   inputs(1), "id": cty.NumberIntVal(7), "outputs": cty.DynamicVal,
	})},
	{"conversion of a null", cty.Object(map[string]cty.Type{"a": cty.List(cty.String)}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.NullVal(cty.List(cty.Number))})},
	{"conversion of an unknown", cty.Object(map[string]cty.Type{"a": cty.List(cty.String)}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.UnknownVal(cty.Set(cty.Number))})},
	{"conversion of an empty list", cty.Object(map[string]cty.Type{"a": cty.List(cty.String)}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.ListValEmpty(cty.Number)})},
	{"conversion of a tuple", cty.List(cty.String), cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.True})},
}

// lossy names the cases where go-cty's format drops information: it keeps
// 255 bytes of a refined string prefix.
var lossy = map[string]bool{"long refined prefix": true}

func repeat(v cty.Value, n int) []cty.Value {
	vals := make([]cty.Value, n)
	for i := range vals {
		vals[i] = v
	}
	return vals
}

func longAttrs(n int) map[string]cty.Value {
	m := make(map[string]cty.Value, n)
	for i := range n {
		m[strings.Repeat("x", i%40)+string(rune('a'+i%26))+strings.Repeat("y", i/26)] = cty.NumberIntVal(int64(i))
	}
	return m
}

func TestMatchesGoCty(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkAgainstGoCty(t, tc.val, tc.ty, lossy[tc.name])
		})
	}
}

// checkAgainstGoCty checks that Marshal writes go-cty's bytes for v, and
// that Unmarshal reads them back as go-cty does, to v itself when the
// format keeps all of v (see exact) and the case is not lossy.
func checkAgainstGoCty(t *testing.T, v cty.Value, ty cty.Type, lossy bool) {
	t.Helper()
	want, err := gocty.Marshal(v, ty)
	if err != nil {
		t.Fatalf("go-cty cannot marshal %#v: %v", v, err)
	}
	got, err := Marshal(v, ty)
	if err != nil {
		t.Fatalf("Marshal(%#v): %v", v, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Marshal(%#v)\n got %x\nwant %x", v, got, want)
	}
	wantVal, err := gocty.Unmarshal(want, ty)
	if err != nil {
		t.Fatalf("go-cty cannot unmarshal its own bytes: %v", err)
	}
	gotVal, err := Unmarshal(got, ty)
	if err != nil {
		t.Fatalf("Unmarshal(%x): %v", got, err)
	}
	if !gotVal.RawEquals(wantVal) {
		t.Fatalf("Unmarshal(%x)\n got %#v\nwant %#v (go-cty)", got, gotVal, wantVal)
	}
	if !lossy && exact(v, ty) && !gotVal.RawEquals(v) {
		t.Fatalf("round trip of %#v gave %#v", v, gotVal)
	}
}

// exact reports whether v comes back from the format as itself when sent as
// a ty: v conforms to ty, and each null or unknown part of it has the type
// ty gives that place, or sits in a dynamic place (whose type the format
// records); other nulls and unknowns come back with ty's type.
func exact(v cty.Value, ty cty.Type) bool {
	switch {
	case ty == cty.DynamicPseudoType || v.Type().Equals(ty):
		return true
	case v.Type().TestConformance(ty) != nil || v.IsNull() || !v.IsKnown():
		return false
	case ty.IsObjectType():
		for name, aty := range ty.AttributeTypes() {
			if !exact(v.GetAttr(name), aty) {
				return false
			}
		}
	case ty.IsTupleType():
		for i, ety := range ty.TupleElementTypes() {
			if !exact(v.Index(cty.NumberIntVal(int64(i))), ety) {
				return false
			}
		}
	case ty.IsCollectionType():
		for it := v.ElementIterator(); it.Next(); {
			if _, ev := it.Element(); !exact(ev, ty.ElementType()) {
				return false
			}
		}
	}
	return true
}

func TestMarshalErrors(t *testing.T) {
	capsule := cty.Capsule("thing", reflect.TypeFor[int]())
	tests := []struct {
		name   string
		ty     cty.Type
		val    cty.Value
		marked bool
	}{
		{"marked value", cty.String, cty.StringVal("s").Mark("sensitive"), true},
		{"marked attribute in a dynamic place", cty.DynamicPseudoType,
			cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("s").Mark("sensitive")}), true},
		{"marked value after a refined unknown", cty.Tuple([]cty.Type{cty.String, cty.String}),
			cty.TupleVal([]cty.Value{cty.UnknownVal(cty.String).RefineNotNull(), cty.StringVal("s").Mark(1)}), true},
		{"capsule", cty.DynamicPseudoType, cty.CapsuleVal(capsule, new(int)), false},
		{"not convertible", cty.Number, cty.StringVal("not a number"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Marshal(tc.val, tc.ty)
			if err == nil {
				t.Fatalf("Marshal(%#v) succeeded; want an error", tc.val)
			}
			if got := errors.Is(err, ErrMarked); got != tc.marked {
				t.Fatalf("Marshal(%#v) = %v; errors.Is(ErrMarked) = %v, want %v", tc.val, err, got, tc.marked)
			}
			if _, goErr := gocty.Marshal(tc.val, tc.ty); goErr == nil {
				t.Fatalf("go-cty marshals %#v; the test case is wrong", tc.val)
			}
		})
	}
}

// TestInvalidUTF8Name: go-cty's type description of an attribute name that
// is not UTF-8 names another attribute, so go-cty cannot read its own
// bytes; neither can Unmarshal, with go-cty's error.
func TestInvalidUTF8Name(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{"\xff": cty.True})
	want, err := gocty.Marshal(v, cty.DynamicPseudoType)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Marshal(v, cty.DynamicPseudoType)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Marshal = %x, %v; want %x", got, err, want)
	}
	_, wantErr := gocty.Unmarshal(want, cty.DynamicPseudoType)
	_, err = Unmarshal(got, cty.DynamicPseudoType)
	if err == nil || wantErr == nil || err.Error() != wantErr.Error() {
		t.Fatalf("Unmarshal: %v; want go-cty's error %v", err, wantErr)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		ty   cty.Type
		in   []byte
		// want is part of the error; empty means go-cty's error, which
		// Unmarshal must return unchanged.
		want string
	}{
		{"empty input", cty.String, nil, ""},
		{"wrong kind", cty.String, []byte{codeTrue}, ""},
		{"NaN", cty.Number, []byte{codeFloat64, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1}, ""},
		{"missing attribute", nullType, []byte{codeFixMap | 1, codeFixStr | 2, 'i', 'd', codeNil}, ""},
		{"unknown attribute", cty.Object(map[string]cty.Type{"a": cty.String}), []byte{codeFixMap | 1, codeFixStr | 1, 'b', codeNil}, ""},
		{"bad type description", cty.DynamicPseudoType, []byte{codeFixArray | 2, codeFixStr | 3, 'f', 'o', 'o', codeNil}, ""},
		{"inconsistent list elements", cty.List(cty.DynamicPseudoType), []byte{codeFixArray | 2,
			codeFixArray | 2, codeFixStr | 8, '"', 's', 't', 'r', 'i', 'n', 'g', '"', codeFixStr | 1, 'a',
			codeFixArray | 2, codeFixStr | 6, '"', 'b', 'o', 'o', 'l', '"', codeTrue}, ""},
		{"huge list", cty.List(cty.String), []byte{codeArray32, 0xff, 0xff, 0xff, 0xff, codeNil}, "exceeds the remaining input"},
		{"huge map after a lenient key", cty.Map(cty.List(cty.String)), []byte{codeFixMap | 1, codeNil, codeArray32, 0xff, 0xff, 0xff, 0xff}, "exceeds the remaining input"},
		{"huge string", cty.String, []byte{codeStr32, 0xff, 0xff, 0xff, 0xff, 'a'}, ""},
		{"deep dynamic nesting", cty.DynamicPseudoType, bytes.Repeat([]byte{codeFixArray | 2, codeFixStr | 9, '"', 'd', 'y', 'n', 'a', 'm', 'i', 'c', '"'}, maxDepth+1), "nested more than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unmarshal(tc.in, tc.ty)
			if err == nil {
				t.Fatalf("Unmarshal(%x) succeeded; want an error", tc.in)
			}
			if tc.want != "" {
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Unmarshal(%x) = %v; want an error containing %q", tc.in, err, tc.want)
				}
				return
			}
			_, goErr := fallbackUnmarshal(tc.in, tc.ty)
			if goErr == nil || err.Error() != goErr.Error() {
				t.Fatalf("Unmarshal(%x) = %v; want go-cty's error %v", tc.in, err, goErr)
			}
		})
	}
}

// TestLenientForms checks that forms go-cty's decoder accepts but its
// encoder never writes read as go-cty reads them.
func TestLenientForms(t *testing.T) {
	tests := []struct {
		name string
		ty   cty.Type
		in   []byte
	}{
		{"int8 code for a small number", cty.Number, []byte{codeInt8, 5}},
		{"uint64 code", cty.Number, []byte{codeUint64, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"float32", cty.Number, []byte{codeFloat32, 0x3f, 0xc0, 0, 0}},
		{"number as a string", cty.Number, []byte{codeFixStr | 3, '1', '.', '5'}},
		{"string as binary", cty.String, []byte{codeBin8, 1, 'a'}},
		{"type description as a string", cty.DynamicPseudoType, []byte{codeFixArray | 2, codeFixStr | 6, '"', 'b', 'o', 'o', 'l', '"', codeTrue}},
		{"array16 of two for a dynamic value", cty.DynamicPseudoType, []byte{codeArray16, 0, 2, codeBin8, 6, '"', 'b', 'o', 'o', 'l', '"', codeFalse}},
		{"map16 object", cty.Object(map[string]cty.Type{"a": cty.Bool}), []byte{codeMap16, 0, 1, codeFixStr | 1, 'a', codeTrue}},
		{"empty map for an object with attributes", nullType, []byte{codeFixMap}},
		{"empty array for a tuple with elements", cty.Tuple([]cty.Type{cty.String}), []byte{codeFixArray}},
		{"duplicate map key", cty.Map(cty.String), []byte{codeFixMap | 2, codeFixStr | 1, 'k', codeFixStr | 1, 'a', codeFixStr | 1, 'k', codeFixStr | 1, 'b'}},
		{"nil map key", cty.Map(cty.String), []byte{codeFixMap | 1, codeNil, codeFixStr | 1, 'a'}},
		{"zero-length extension", cty.String, []byte{codeExt8, 0, 0}},
		{"unknown with another type code", cty.Bool, []byte{codeFixExt1, 7, 9}},
		{"trailing bytes", cty.Bool, []byte{codeTrue, 0xc1, 0xc1}},
		{"nil as bool inside a list", cty.List(cty.Bool), []byte{codeFixArray | 1, codeNil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErr := fallbackUnmarshal(tc.in, tc.ty)
			got, err := Unmarshal(tc.in, tc.ty)
			if (err != nil) != (wantErr != nil) || (err == nil && !got.RawEquals(want)) {
				t.Fatalf("Unmarshal(%x) = %#v, %v; go-cty: %#v, %v", tc.in, got, err, want, wantErr)
			}
		})
	}
}

// TestRandomValues is the round-trip property: for random types and
// values, holding unknowns (refined or not), nulls and dynamic values at
// any depth, Marshal writes go-cty's bytes and Unmarshal reads go-cty's
// value, which is the original one.
func TestRandomValues(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for seed := range uint64(n) {
		g := newGen(seed)
		ty := g.typ(3)
		v := g.value(ty, 3)
		wanted := ty
		if g.r.IntN(3) == 0 {
			wanted = cty.DynamicPseudoType
		} else {
			wanted = g.widen(ty)
		}
		if t.Failed() {
			return
		}
		t.Run("", func(t *testing.T) {
			defer func() {
				if t.Failed() {
					t.Logf("seed %d: %#v as %#v", seed, v, wanted)
				}
			}()
			checkAgainstGoCty(t, v, wanted, false)
			if !Conforms(v.Type(), wanted) {
				t.Fatalf("Conforms(%#v, %#v) = false; the value conforms", v.Type(), wanted)
			}
		})
	}
}

// gen makes random cty types and values.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) gen { return gen{rand.New(rand.NewPCG(seed, 42))} }

func (g gen) name() string {
	names := []string{"a", "b", "id", "name", "é", "<x>", "k\"q", "long_attribute_name"}
	return names[g.r.IntN(len(names))]
}

func (g gen) typ(depth int) cty.Type {
	prims := []cty.Type{cty.String, cty.Number, cty.Bool}
	if depth == 0 {
		return prims[g.r.IntN(len(prims))]
	}
	switch g.r.IntN(9) {
	case 0, 1, 2:
		return prims[g.r.IntN(len(prims))]
	case 3:
		return cty.List(g.typ(depth - 1))
	case 4:
		return cty.Set(g.typ(depth - 1))
	case 5:
		return cty.Map(g.typ(depth - 1))
	case 6:
		etys := make([]cty.Type, g.r.IntN(4))
		for i := range etys {
			etys[i] = g.typ(depth - 1)
		}
		return cty.Tuple(etys)
	default:
		atys := map[string]cty.Type{}
		for range g.r.IntN(5) {
			atys[g.name()] = g.typ(depth - 1)
		}
		return cty.Object(atys)
	}
}

// widen replaces random parts of ty by dynamic, as schemas do.
func (g gen) widen(ty cty.Type) cty.Type {
	if g.r.IntN(4) == 0 {
		return cty.DynamicPseudoType
	}
	switch {
	case ty.IsObjectType():
		atys := map[string]cty.Type{}
		for k, aty := range ty.AttributeTypes() {
			atys[k] = g.widen(aty)
		}
		return cty.Object(atys)
	case ty.IsTupleType():
		etys := []cty.Type{}
		for _, ety := range ty.TupleElementTypes() {
			etys = append(etys, g.widen(ety))
		}
		return cty.Tuple(etys)
	}
	// Collections keep their element type: a list of dynamic elements
	// must hold elements of one type, which a wider type would not tell.
	return ty
}

func (g gen) value(ty cty.Type, depth int) cty.Value {
	switch g.r.IntN(12) {
	case 0:
		return cty.NullVal(ty)
	case 1:
		return cty.UnknownVal(ty)
	case 2:
		return g.refinedUnknown(ty)
	}
	switch {
	case ty == cty.String:
		return cty.StringVal(strings.Repeat("s", g.r.IntN(40)) + g.name())
	case ty == cty.Number:
		nums := []cty.Value{cty.NumberIntVal(g.r.Int64() >> g.r.IntN(64)), cty.NumberIntVal(-g.r.Int64N(300)),
			cty.NumberFloatVal(g.r.Float64()), cty.MustParseNumberVal("1e40"), cty.PositiveInfinity}
		return nums[g.r.IntN(len(nums))]
	case ty == cty.Bool:
		return cty.BoolVal(g.r.IntN(2) == 0)
	case ty.IsListType(), ty.IsSetType():
		n := g.r.IntN(4)
		if n == 0 {
			if ty.IsListType() {
				return cty.ListValEmpty(ty.ElementType())
			}
			return cty.SetValEmpty(ty.ElementType())
		}
		vals := make([]cty.Value, n)
		for i := range vals {
			vals[i] = g.value(ty.ElementType(), depth-1)
		}
		if ty.IsListType() {
			return cty.ListVal(vals)
		}
		return cty.SetVal(vals)
	case ty.IsMapType():
		vals := map[string]cty.Value{}
		for range g.r.IntN(4) {
			vals[g.name()] = g.value(ty.ElementType(), depth-1)
		}
		if len(vals) == 0 {
			return cty.MapValEmpty(ty.ElementType())
		}
		return cty.MapVal(vals)
	case ty.IsTupleType():
		vals := []cty.Value{}
		for _, ety := range ty.TupleElementTypes() {
			vals = append(vals, g.value(ety, depth-1))
		}
		return cty.TupleVal(vals)
	default:
		vals := map[string]cty.Value{}
		for k, aty := range ty.AttributeTypes() {
			vals[k] = g.value(aty, depth-1)
		}
		return cty.ObjectVal(vals)
	}
}

func (g gen) refinedUnknown(ty cty.Type) cty.Value {
	// Every refinement made here is one go-cty writes: an unknown refined
	// with nothing would come back unrefined.
	b := cty.UnknownVal(ty).Refine()
	switch {
	case ty == cty.String:
		b = b.StringPrefix("web-" + g.name())
	case ty == cty.Number:
		b = b.NumberRangeLowerBound(cty.NumberIntVal(g.r.Int64N(10)), g.r.IntN(2) == 0)
	case ty.IsCollectionType():
		b = b.CollectionLengthLowerBound(1 + g.r.IntN(3))
	default:
		return b.NotNull().NewValue()
	}
	if g.r.IntN(2) == 0 {
		b = b.NotNull()
	}
	return b.NewValue()
}
