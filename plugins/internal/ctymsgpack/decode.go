package ctymsgpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/zclconf/go-cty/cty"
	gocty "github.com/zclconf/go-cty/cty/msgpack"
)

// Unmarshal returns the value of type ty that b encodes, exactly as go-cty's
// msgpack.Unmarshal does (bytes after the value are ignored), except that
// it never panics and that it refuses, with an error, lengths longer than
// the bytes that follow and nesting deeper than maxDepth, which go-cty
// would try to allocate or recurse for.
func Unmarshal(b []byte, ty cty.Type) (cty.Value, error) {
	d := decoder{b: b}
	v, err := d.decode(ty)
	switch {
	case err == nil:
		return v, nil
	case err == errFallback:
		// go-cty allocates for lengths and recurses for nesting as the
		// input says: check those first.
		if err := checkShape(b); err != nil {
			return cty.NilVal, err
		}
		return fallbackUnmarshal(b, ty)
	default:
		return cty.NilVal, err
	}
}

// fallbackUnmarshal is go-cty's Unmarshal, with a panic (which malformed
// input can cause in go-cty) reported as an error.
func fallbackUnmarshal(b []byte, ty cty.Type) (v cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = cty.NilVal, fmt.Errorf("malformed value: %v", r)
		}
	}()
	return gocty.Unmarshal(b, ty)
}

// maxDepth bounds how deeply values may nest, far beyond any real value, so
// that hostile input cannot exhaust the stack.
const maxDepth = 10000

var (
	// errFallback stops a decoding that go-cty must do instead.
	errFallback = errors.New("left to go-cty")
	// errTruncated is a length that the remaining input cannot hold.
	errTruncated = errors.New("malformed value: a length exceeds the remaining input")
	// errTooDeep is nesting beyond maxDepth.
	errTooDeep = fmt.Errorf("malformed value: nested more than %d levels deep", maxDepth)
)

// decoder reads one value from b, mirroring go-cty's unmarshal case by case
// for the forms go-cty's encoder writes and leaving the rest to go-cty.
type decoder struct {
	b     []byte
	pos   int
	depth int
}

// decode reads the whole value, turning a panic of a cty constructor on
// inconsistent input into a fallback, so that go-cty reports it.
func (d *decoder) decode(ty cty.Type) (v cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = cty.NilVal, errFallback
		}
	}()
	return d.value(ty)
}

func (d *decoder) value(ty cty.Type) (cty.Value, error) {
	if d.pos >= len(d.b) {
		return cty.NilVal, errFallback
	}
	if d.depth++; d.depth > maxDepth {
		return cty.NilVal, errTooDeep
	}
	defer func() { d.depth-- }()
	c := d.b[d.pos]
	if isExt(c) {
		return d.unknown(ty)
	}
	if ty == cty.DynamicPseudoType {
		return d.dynamic()
	}
	if c == codeNil {
		d.pos++
		return cty.NullVal(ty), nil
	}
	switch {
	case ty.IsPrimitiveType():
		return d.primitive(ty)
	case ty.IsListType():
		vals, err := d.elements(ty.ElementType())
		switch {
		case err != nil:
			return cty.NilVal, err
		case len(vals) == 0:
			return cty.ListValEmpty(ty.ElementType()), nil
		}
		return cty.ListVal(vals), nil
	case ty.IsSetType():
		vals, err := d.elements(ty.ElementType())
		switch {
		case err != nil:
			return cty.NilVal, err
		case len(vals) == 0:
			return cty.SetValEmpty(ty.ElementType()), nil
		}
		return cty.SetVal(vals), nil
	case ty.IsMapType():
		return d.mapValue(ty.ElementType())
	case ty.IsTupleType():
		return d.tuple(ty.TupleElementTypes())
	case ty.IsObjectType():
		return d.object(ty.AttributeTypes())
	default:
		return cty.NilVal, errFallback
	}
}

func (d *decoder) primitive(ty cty.Type) (cty.Value, error) {
	c := d.b[d.pos]
	switch ty {
	case cty.Bool:
		if c != codeTrue && c != codeFalse {
			return cty.NilVal, errFallback
		}
		d.pos++
		return cty.BoolVal(c == codeTrue), nil
	case cty.String:
		s, err := d.str()
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(string(s)), nil
	case cty.Number:
		return d.number()
	default:
		return cty.NilVal, errFallback
	}
}

func (d *decoder) number() (cty.Value, error) {
	c := d.b[d.pos]
	if c <= 0x7f || c >= codeNegFixInt {
		d.pos++
		return cty.NumberIntVal(int64(int8(c))), nil
	}
	switch c {
	case codeInt8, codeInt16, codeInt32, codeInt64:
		n, ok := d.fixed(c)
		if !ok {
			return cty.NilVal, errFallback
		}
		return cty.NumberIntVal(n), nil
	case codeUint8, codeUint16, codeUint32, codeUint64:
		n, ok := d.fixed(c)
		if !ok {
			return cty.NilVal, errFallback
		}
		return cty.NumberUIntVal(uint64(n)), nil
	case codeFloat32:
		raw, ok := d.take(1, 4)
		if !ok {
			return cty.NilVal, errFallback
		}
		return floatVal(float64(math.Float32frombits(binary.BigEndian.Uint32(raw))))
	case codeFloat64:
		raw, ok := d.take(1, 8)
		if !ok {
			return cty.NilVal, errFallback
		}
		return floatVal(math.Float64frombits(binary.BigEndian.Uint64(raw)))
	}
	s, err := d.str()
	if err != nil {
		return cty.NilVal, err
	}
	v, err := cty.ParseNumberVal(string(s))
	if err != nil {
		return cty.NilVal, errFallback
	}
	return v, nil
}

// floatVal leaves NaN, which cty cannot hold, to go-cty to refuse.
func floatVal(f float64) (cty.Value, error) {
	if math.IsNaN(f) {
		return cty.NilVal, errFallback
	}
	return cty.NumberFloatVal(f), nil
}

// fixed reads the integer that follows an int or uint code, as go-cty
// reads it: sign-extended for int codes, as int64 bits for 64-bit ones.
func (d *decoder) fixed(c byte) (int64, bool) {
	switch c {
	case codeInt8, codeUint8:
		raw, ok := d.take(1, 1)
		if !ok {
			return 0, false
		}
		if c == codeInt8 {
			return int64(int8(raw[0])), true
		}
		return int64(raw[0]), true
	case codeInt16, codeUint16:
		raw, ok := d.take(1, 2)
		if !ok {
			return 0, false
		}
		n := binary.BigEndian.Uint16(raw)
		if c == codeInt16 {
			return int64(int16(n)), true
		}
		return int64(n), true
	case codeInt32, codeUint32:
		raw, ok := d.take(1, 4)
		if !ok {
			return 0, false
		}
		n := binary.BigEndian.Uint32(raw)
		if c == codeInt32 {
			return int64(int32(n)), true
		}
		return int64(n), true
	default:
		raw, ok := d.take(1, 8)
		if !ok {
			return 0, false
		}
		return int64(binary.BigEndian.Uint64(raw)), true
	}
}

// take skips skip bytes and returns the n after them.
func (d *decoder) take(skip, n int) ([]byte, bool) {
	start := d.pos + skip
	if n < 0 || start+n > len(d.b) || start+n < start {
		return nil, false
	}
	d.pos = start + n
	return d.b[start:d.pos], true
}

// str reads a string or binary (go-cty's decoder takes either for either).
// The bytes are the input's: the caller copies them.
func (d *decoder) str() ([]byte, error) {
	c := d.b[d.pos]
	var n, skip int
	switch {
	case c >= codeFixStr && c <= codeFixStrMax:
		n, skip = int(c&0x1f), 1
	case c == codeStr8 || c == codeBin8:
		if d.pos+2 > len(d.b) {
			return nil, errFallback
		}
		n, skip = int(d.b[d.pos+1]), 2
	case c == codeStr16 || c == codeBin16:
		if d.pos+3 > len(d.b) {
			return nil, errFallback
		}
		n, skip = int(binary.BigEndian.Uint16(d.b[d.pos+1:])), 3
	case c == codeStr32 || c == codeBin32:
		if d.pos+5 > len(d.b) {
			return nil, errFallback
		}
		n, skip = int(binary.BigEndian.Uint32(d.b[d.pos+1:])), 5
	default:
		return nil, errFallback
	}
	s, ok := d.take(skip, n)
	if !ok {
		return nil, errFallback
	}
	return s, nil
}

// length reads an array or map header and returns its number of entries.
// Each entry takes at least one byte (two for a map's key and value), so a
// length the rest of the input cannot hold is refused before anything is
// allocated for it.
func (d *decoder) length(isMap bool) (int, error) {
	c := d.b[d.pos]
	var n, skip int
	fix, code16, code32 := byte(codeFixArray), byte(codeArray16), byte(codeArray32)
	if isMap {
		fix, code16, code32 = codeFixMap, codeMap16, codeMap32
	}
	switch {
	case c >= fix && c <= fix|0x0f:
		n, skip = int(c&0x0f), 1
	case c == code16:
		if d.pos+3 > len(d.b) {
			return 0, errFallback
		}
		n, skip = int(binary.BigEndian.Uint16(d.b[d.pos+1:])), 3
	case c == code32:
		if d.pos+5 > len(d.b) {
			return 0, errFallback
		}
		n, skip = int(binary.BigEndian.Uint32(d.b[d.pos+1:])), 5
	default:
		return 0, errFallback
	}
	d.pos += skip
	perEntry := 1
	if isMap {
		perEntry = 2
	}
	if n > (len(d.b)-d.pos)/perEntry {
		return 0, errTruncated
	}
	return n, nil
}

// elements reads a list's or set's elements.
func (d *decoder) elements(ety cty.Type) ([]cty.Value, error) {
	n, err := d.length(false)
	if err != nil || n == 0 {
		return nil, err
	}
	vals := make([]cty.Value, n)
	for i := range vals {
		if vals[i], err = d.value(ety); err != nil {
			return nil, err
		}
	}
	return vals, nil
}

func (d *decoder) mapValue(ety cty.Type) (cty.Value, error) {
	n, err := d.length(true)
	switch {
	case err != nil:
		return cty.NilVal, err
	case n == 0:
		return cty.MapValEmpty(ety), nil
	}
	vals := make(map[string]cty.Value, n)
	for range n {
		key, err := d.str()
		if err != nil {
			return cty.NilVal, err
		}
		if vals[string(key)], err = d.value(ety); err != nil {
			return cty.NilVal, err
		}
	}
	return cty.MapVal(vals), nil
}

func (d *decoder) tuple(etys []cty.Type) (cty.Value, error) {
	n, err := d.length(false)
	switch {
	case err != nil:
		return cty.NilVal, err
	case n == 0:
		// go-cty's reading, whatever etys says.
		return cty.TupleVal(nil), nil
	case n != len(etys):
		return cty.NilVal, errFallback
	}
	vals := make([]cty.Value, n)
	for i, ety := range etys {
		if vals[i], err = d.value(ety); err != nil {
			return cty.NilVal, err
		}
	}
	return cty.TupleVal(vals), nil
}

func (d *decoder) object(atys map[string]cty.Type) (cty.Value, error) {
	n, err := d.length(true)
	switch {
	case err != nil:
		return cty.NilVal, err
	case n == 0:
		// go-cty's reading, whatever atys says.
		return cty.ObjectVal(nil), nil
	case n != len(atys):
		return cty.NilVal, errFallback
	}
	vals := make(map[string]cty.Value, n)
	for range n {
		key, err := d.str()
		if err != nil {
			return cty.NilVal, err
		}
		aty, ok := atys[string(key)]
		if !ok {
			return cty.NilVal, errFallback
		}
		if vals[string(key)], err = d.value(aty); err != nil {
			return cty.NilVal, err
		}
	}
	return cty.ObjectVal(vals), nil
}

// dynamic reads a value in a place whose type is dynamic: null, or a
// two-element array of the type's description and the value.
func (d *decoder) dynamic() (cty.Value, error) {
	if d.b[d.pos] == codeNil {
		d.pos++
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	n, err := d.length(false)
	if err != nil {
		return cty.NilVal, err
	}
	if n != 2 {
		return cty.NilVal, errFallback
	}
	desc, err := d.str()
	if err != nil {
		return cty.NilVal, err
	}
	ty, ok := types.typeOf(desc)
	if !ok {
		return cty.NilVal, errFallback
	}
	return d.value(ty)
}

// unknown reads an extension, which go-cty takes for an unknown value. The
// one-byte form is a wholly unknown value; longer ones, which may carry
// refinements, are read by go-cty.
func (d *decoder) unknown(ty cty.Type) (cty.Value, error) {
	start, c := d.pos, d.b[d.pos]
	var n int
	switch c {
	case codeFixExt1:
		if _, ok := d.take(2, 1); !ok {
			return cty.NilVal, errFallback
		}
		return cty.UnknownVal(ty), nil
	case codeFixExt2:
		n = 2 + 2
	case codeFixExt4:
		n = 2 + 4
	case codeFixExt8:
		n = 2 + 8
	case codeFixExt16:
		n = 2 + 16
	case codeExt8:
		if start+2 > len(d.b) {
			return cty.NilVal, errFallback
		}
		n = 3 + int(d.b[start+1])
	case codeExt16:
		if start+3 > len(d.b) {
			return cty.NilVal, errFallback
		}
		n = 4 + int(binary.BigEndian.Uint16(d.b[start+1:]))
	default: // codeExt32
		if start+5 > len(d.b) {
			return cty.NilVal, errFallback
		}
		n = 6 + int(binary.BigEndian.Uint32(d.b[start+1:]))
	}
	ext, ok := d.take(0, n)
	if !ok {
		return cty.NilVal, errFallback
	}
	v, err := fallbackUnmarshal(ext, ty)
	if err != nil {
		return cty.NilVal, errFallback
	}
	return v, nil
}

func isExt(c byte) bool {
	return (c >= codeFixExt1 && c <= codeFixExt16) || (c >= codeExt8 && c <= codeExt32)
}
