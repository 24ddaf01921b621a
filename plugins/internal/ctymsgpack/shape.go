package ctymsgpack

import "encoding/binary"

// checkShape walks the first msgpack value in b without regard to types and
// refuses it when an array or map length in it exceeds the input or it
// nests deeper than maxDepth. go-cty could not read such a value anyway,
// but would allocate for the length, or recurse, before finding out.
func checkShape(b []byte) error {
	// pending[i] is how many values level i still holds.
	pending := []int{1}
	pos := 0
	for len(pending) > 0 {
		if pending[len(pending)-1] == 0 {
			pending = pending[:len(pending)-1]
			continue
		}
		pending[len(pending)-1]--
		if pos >= len(b) {
			// go-cty reports the end of input.
			return nil
		}
		children, size, ok := header(b[pos:])
		if !ok || size > len(b)-pos {
			// go-cty reports the bad or truncated value; it reads strings
			// in bounded steps, so their lengths are no danger.
			return nil
		}
		if children > len(b)-pos-size {
			return errTruncated
		}
		pos += size
		if children > 0 {
			if len(pending) >= maxDepth {
				return errTooDeep
			}
			pending = append(pending, children)
		}
	}
	return nil
}

// header decodes the msgpack header at the start of b: how many values
// follow it as its children (array elements, map keys and values) and how
// many bytes it takes itself, including any payload (string, binary,
// extension, number). ok is false for a byte that starts no value or a
// header cut short.
func header(b []byte) (children, size int, ok bool) {
	c := b[0]
	u := func(n int) (int, bool) {
		if len(b) < 1+n {
			return 0, false
		}
		switch n {
		case 1:
			return int(b[1]), true
		case 2:
			return int(binary.BigEndian.Uint16(b[1:])), true
		default:
			return int(binary.BigEndian.Uint32(b[1:])), true
		}
	}
	switch {
	case c <= 0x7f || c >= codeNegFixInt || c == codeNil || c == codeFalse || c == codeTrue:
		return 0, 1, true
	case c >= codeFixMap && c <= codeFixMapMax:
		return 2 * int(c&0x0f), 1, true
	case c >= codeFixArray && c <= codeFixArrayMax:
		return int(c & 0x0f), 1, true
	case c >= codeFixStr && c <= codeFixStrMax:
		return 0, 1 + int(c&0x1f), true
	}
	switch c {
	case codeUint8, codeInt8:
		return 0, 2, true
	case codeUint16, codeInt16:
		return 0, 3, true
	case codeUint32, codeInt32, codeFloat32:
		return 0, 5, true
	case codeUint64, codeInt64, codeFloat64:
		return 0, 9, true
	case codeFixExt1:
		return 0, 3, true
	case codeFixExt2:
		return 0, 4, true
	case codeFixExt4:
		return 0, 6, true
	case codeFixExt8:
		return 0, 10, true
	case codeFixExt16:
		return 0, 18, true
	case codeStr8, codeBin8:
		n, ok := u(1)
		return 0, 2 + n, ok
	case codeStr16, codeBin16:
		n, ok := u(2)
		return 0, 3 + n, ok
	case codeStr32, codeBin32:
		n, ok := u(4)
		return 0, 5 + n, ok
	case codeExt8:
		n, ok := u(1)
		return 0, 3 + n, ok
	case codeExt16:
		n, ok := u(2)
		return 0, 4 + n, ok
	case codeExt32:
		n, ok := u(4)
		return 0, 6 + n, ok
	case codeArray16:
		n, ok := u(2)
		return n, 3, ok
	case codeArray32:
		n, ok := u(4)
		return n, 5, ok
	case codeMap16:
		n, ok := u(2)
		return 2 * n, 3, ok
	case codeMap32:
		n, ok := u(4)
		return 2 * n, 5, ok
	}
	return 0, 0, false
}
