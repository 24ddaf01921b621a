package ctymsgpack

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"slices"
	"sync"

	"github.com/zclconf/go-cty/cty"
	gocty "github.com/zclconf/go-cty/cty/msgpack"
)

// ErrMarked is what Marshal returns for a value that carries marks, which
// the format cannot hold. Marks are detected while encoding, so a
// caller may try Marshal first and unmark only when it gets ErrMarked.
var ErrMarked = errors.New("the value has marks, so it cannot be serialized")

// Marshal returns the msgpack form of v as a value of type ty, exactly as
// go-cty's msgpack.Marshal does: v is converted to ty when it does not
// conform, and the error is go-cty's when it cannot be. A value with marks
// is refused with ErrMarked.
func Marshal(v cty.Value, ty cty.Type) ([]byte, error) {
	e := encoders.Get().(*encoder)
	defer e.release()
	switch err := e.value(v, ty); err {
	case nil:
		return slices.Clone(e.buf), nil
	case errMarked:
		return nil, ErrMarked
	default:
		return fallbackMarshal(v, ty)
	}
}

// fallbackMarshal is go-cty's Marshal, for what the encoder does not handle
// itself.
func fallbackMarshal(v cty.Value, ty cty.Type) ([]byte, error) {
	if v.ContainsMarked() {
		return nil, ErrMarked
	}
	return gocty.Marshal(v, ty)
}

var (
	// errMarked stops an encoding at the first mark.
	errMarked = errors.New("marked value")
	// errUnsupported stops an encoding that go-cty must do instead: a
	// value that does not conform to its type (go-cty converts it or
	// reports why it cannot), a capsule, an error.
	errUnsupported = errors.New("left to go-cty")
)

// encoder holds the buffers of one Marshal; encoders are reused.
type encoder struct {
	buf []byte
	// typeJSON holds a dynamic value's type description while it is
	// written, to learn its length before its header.
	typeJSON []byte
}

var encoders = sync.Pool{New: func() any { return &encoder{buf: make([]byte, 0, 512)} }}

// maxPooledBuffer is the largest buffer an encoder keeps for reuse, so that
// one large state does not pin its memory.
const maxPooledBuffer = 64 << 10

func (e *encoder) release() {
	if cap(e.buf) > maxPooledBuffer || cap(e.typeJSON) > maxPooledBuffer {
		return
	}
	e.buf, e.typeJSON = e.buf[:0], e.typeJSON[:0]
	encoders.Put(e)
}

// value appends v as a value of type ty, mirroring go-cty's marshal case
// by case. It checks on its way that v conforms to ty, where go-cty checks
// the whole type first, and leaves v to go-cty (errUnsupported) when it
// does not.
func (e *encoder) value(v cty.Value, ty cty.Type) error {
	if v.IsMarked() {
		return errMarked
	}
	vty := v.Type()
	if ty == cty.DynamicPseudoType && vty != cty.DynamicPseudoType {
		return e.dynamic(v)
	}
	if !v.IsKnown() || v.IsNull() {
		if !conforms(vty, ty) {
			return errUnsupported
		}
		if !v.IsKnown() {
			return e.unknown(v, ty)
		}
		e.buf = append(e.buf, codeNil)
		return nil
	}
	switch {
	case ty.IsPrimitiveType():
		if vty != ty {
			return errUnsupported
		}
		return e.primitive(v, ty)
	case ty.IsListType(), ty.IsSetType():
		if vty.IsListType() != ty.IsListType() || vty.IsSetType() != ty.IsSetType() || !conforms(vty.ElementType(), ty.ElementType()) {
			return errUnsupported
		}
		e.arrayLen(v.LengthInt())
		ety := ty.ElementType()
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			if err := e.value(ev, ety); err != nil {
				return err
			}
		}
		return nil
	case ty.IsMapType():
		if !vty.IsMapType() || !conforms(vty.ElementType(), ty.ElementType()) {
			return errUnsupported
		}
		e.mapLen(v.LengthInt())
		ety := ty.ElementType()
		for it := v.ElementIterator(); it.Next(); {
			ek, ev := it.Element()
			e.str(ek.AsString())
			if err := e.value(ev, ety); err != nil {
				return err
			}
		}
		return nil
	case ty.IsTupleType():
		etys := ty.TupleElementTypes()
		if !vty.IsTupleType() || len(vty.TupleElementTypes()) != len(etys) {
			return errUnsupported
		}
		e.arrayLen(len(etys))
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			if err := e.value(ev, etys[i]); err != nil {
				return err
			}
		}
		return nil
	case ty.IsObjectType():
		atys := ty.AttributeTypes()
		if !vty.IsObjectType() {
			return errUnsupported
		}
		vatys := vty.AttributeTypes()
		if len(vatys) != len(atys) {
			return errUnsupported
		}
		var stack [16]string
		names := sortedNames(stack[:0], atys)
		e.mapLen(len(names))
		for _, name := range names {
			if _, ok := vatys[name]; !ok {
				return errUnsupported
			}
			e.str(name)
			if err := e.value(v.GetAttr(name), atys[name]); err != nil {
				return err
			}
		}
		return nil
	default:
		// Capsule types: go-cty reports the error.
		return errUnsupported
	}
}

func (e *encoder) primitive(v cty.Value, ty cty.Type) error {
	switch ty {
	case cty.String:
		e.str(v.AsString())
	case cty.Bool:
		if v.True() {
			e.buf = append(e.buf, codeTrue)
		} else {
			e.buf = append(e.buf, codeFalse)
		}
	case cty.Number:
		bf := v.AsBigFloat()
		switch {
		case bf.IsInf():
			e.float64(math.Inf(bf.Sign()))
		default:
			if iv, acc := bf.Int64(); acc == big.Exact {
				e.int(iv)
			} else if fv, acc := bf.Float64(); acc == big.Exact && !bf.IsInt() {
				e.float64(fv)
			} else {
				e.str(bf.Text('f', -1))
			}
		}
	default:
		return errUnsupported
	}
	return nil
}

// dynamic appends v, in a place whose type is dynamic, as go-cty does: a
// two-element array of v's type description (JSON, as bytes) and v.
func (e *encoder) dynamic(v cty.Value) error {
	ty := v.Type()
	var ok bool
	if e.typeJSON, ok = appendTypeJSON(e.typeJSON[:0], ty); !ok {
		return errUnsupported
	}
	e.buf = append(e.buf, codeFixArray|2)
	e.binLen(len(e.typeJSON))
	e.buf = append(e.buf, e.typeJSON...)
	return e.value(v, ty)
}

// unknown appends an unknown value. Without refinements it is go-cty's
// one fixed form; refined ones are encoded by go-cty itself.
func (e *encoder) unknown(v cty.Value, ty cty.Type) error {
	rng := v.Range()
	if rng.TypeConstraint() == cty.DynamicPseudoType || !refined(rng) {
		e.buf = append(e.buf, unknownBytes...)
		return nil
	}
	b, err := gocty.Marshal(v, ty)
	if err != nil {
		return errUnsupported
	}
	e.buf = append(e.buf, b...)
	return nil
}

// Conforms reports whether a value of type given conforms to want, as
// given.TestConformance(want) would report no error, but without building
// paths and errors. It may report false for types that conform in ways it
// does not know (capsule types that are not equal).
//
// Unmarshal returns what go-cty returns, and go-cty reads an empty map as
// an empty object whatever the object type, an empty array as an empty
// tuple, and an object whose keys repeat as one with fewer attributes: a
// caller that needs a value of type ty checks Conforms(v.Type(), ty).
func Conforms(given, want cty.Type) bool { return conforms(given, want) }

func conforms(given, want cty.Type) bool {
	switch {
	case want == cty.DynamicPseudoType:
		return true
	case want.IsPrimitiveType():
		return given == want
	case want.IsListType():
		return given.IsListType() && conforms(given.ElementType(), want.ElementType())
	case want.IsSetType():
		return given.IsSetType() && conforms(given.ElementType(), want.ElementType())
	case want.IsMapType():
		return given.IsMapType() && conforms(given.ElementType(), want.ElementType())
	case want.IsTupleType():
		if !given.IsTupleType() || len(given.TupleElementTypes()) != len(want.TupleElementTypes()) {
			return false
		}
		for i, ety := range want.TupleElementTypes() {
			if !conforms(given.TupleElementTypes()[i], ety) {
				return false
			}
		}
		return true
	case want.IsObjectType():
		if !given.IsObjectType() {
			return false
		}
		gatys, watys := given.AttributeTypes(), want.AttributeTypes()
		if len(gatys) != len(watys) {
			return false
		}
		for name, aty := range watys {
			if gaty, ok := gatys[name]; !ok || !conforms(gaty, aty) {
				return false
			}
		}
		return true
	default:
		return given.Equals(want)
	}
}

// unknownBytes is go-cty's wholly unknown value: a one-byte extension of
// type zero holding a zero.
var unknownBytes = []byte{codeFixExt1, 0, 0}

// refined reports whether go-cty would write refinements for an unknown
// value of range rng, by the same tests as go-cty's encoder.
func refined(rng cty.ValueRange) bool {
	if rng.DefinitelyNotNull() {
		return true
	}
	switch tc := rng.TypeConstraint(); {
	case tc == cty.Number:
		lower, _ := rng.NumberLowerBound()
		upper, _ := rng.NumberUpperBound()
		return (lower.IsKnown() && lower != cty.NegativeInfinity) || (upper.IsKnown() && upper != cty.PositiveInfinity)
	case tc == cty.String:
		return rng.StringPrefix() != ""
	case tc.IsCollectionType():
		return rng.LengthLowerBound() != 0 || rng.LengthUpperBound() != math.MaxInt
	}
	return false
}

// sortedNames appends the attribute names of atys to names, sorted as
// go-cty writes them.
func sortedNames(names []string, atys map[string]cty.Type) []string {
	for name := range atys {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// The msgpack codes go-cty's encoder writes.
const (
	codeFixMapMax   = 0x8f
	codeFixMap      = 0x80
	codeFixArray    = 0x90
	codeFixArrayMax = 0x9f
	codeFixStr      = 0xa0
	codeFixStrMax   = 0xbf
	codeNil         = 0xc0
	codeFalse       = 0xc2
	codeTrue        = 0xc3
	codeBin8        = 0xc4
	codeBin16       = 0xc5
	codeBin32       = 0xc6
	codeExt8        = 0xc7
	codeExt16       = 0xc8
	codeExt32       = 0xc9
	codeFloat32     = 0xca
	codeFloat64     = 0xcb
	codeUint8       = 0xcc
	codeUint16      = 0xcd
	codeUint32      = 0xce
	codeUint64      = 0xcf
	codeInt8        = 0xd0
	codeInt16       = 0xd1
	codeInt32       = 0xd2
	codeInt64       = 0xd3
	codeFixExt1     = 0xd4
	codeFixExt2     = 0xd5
	codeFixExt4     = 0xd6
	codeFixExt8     = 0xd7
	codeFixExt16    = 0xd8
	codeStr8        = 0xd9
	codeStr16       = 0xda
	codeStr32       = 0xdb
	codeArray16     = 0xdc
	codeArray32     = 0xdd
	codeMap16       = 0xde
	codeMap32       = 0xdf
	codeNegFixInt   = 0xe0
)

// int appends n in its shortest form, as go-cty's encoder (compact ints)
// does.
func (e *encoder) int(n int64) {
	switch {
	case n >= 0 && n <= math.MaxInt8:
		e.buf = append(e.buf, byte(n))
	case n >= 0 && n <= math.MaxUint8:
		e.buf = append(e.buf, codeUint8, byte(n))
	case n >= 0 && n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, codeUint16), uint16(n))
	case n >= 0 && n <= math.MaxUint32:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, codeUint32), uint32(n))
	case n >= 0:
		e.buf = binary.BigEndian.AppendUint64(append(e.buf, codeUint64), uint64(n))
	case n >= -32:
		e.buf = append(e.buf, byte(n))
	case n >= math.MinInt8:
		e.buf = append(e.buf, codeInt8, byte(n))
	case n >= math.MinInt16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, codeInt16), uint16(n))
	case n >= math.MinInt32:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, codeInt32), uint32(n))
	default:
		e.buf = binary.BigEndian.AppendUint64(append(e.buf, codeInt64), uint64(n))
	}
}

func (e *encoder) float64(f float64) {
	e.buf = binary.BigEndian.AppendUint64(append(e.buf, codeFloat64), math.Float64bits(f))
}

func (e *encoder) str(s string) {
	switch n := len(s); {
	case n < 32:
		e.buf = append(e.buf, codeFixStr|byte(n))
	case n <= math.MaxUint8:
		e.buf = append(e.buf, codeStr8, byte(n))
	case n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, codeStr16), uint16(n))
	default:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, codeStr32), uint32(n))
	}
	e.buf = append(e.buf, s...)
}

func (e *encoder) binLen(n int) {
	switch {
	case n <= math.MaxUint8:
		e.buf = append(e.buf, codeBin8, byte(n))
	case n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, codeBin16), uint16(n))
	default:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, codeBin32), uint32(n))
	}
}

func (e *encoder) arrayLen(n int) {
	switch {
	case n < 16:
		e.buf = append(e.buf, codeFixArray|byte(n))
	case n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, codeArray16), uint16(n))
	default:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, codeArray32), uint32(n))
	}
}

func (e *encoder) mapLen(n int) {
	switch {
	case n < 16:
		e.buf = append(e.buf, codeFixMap|byte(n))
	case n <= math.MaxUint16:
		e.buf = binary.BigEndian.AppendUint16(append(e.buf, codeMap16), uint16(n))
	default:
		e.buf = binary.BigEndian.AppendUint32(append(e.buf, codeMap32), uint32(n))
	}
}
