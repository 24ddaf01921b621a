// Package ctymsgpack encodes and decodes cty values in go-cty's msgpack
// format (github.com/zclconf/go-cty/cty/msgpack), the form values take on
// the plugin protocol, faster than go-cty does for the values providers
// exchange most: objects holding dynamic attributes.
//
// The format is go-cty's, byte for byte: Marshal produces exactly what
// msgpack.Marshal produces, and Unmarshal returns exactly what
// msgpack.Unmarshal returns (the same value, or an error where go-cty
// fails), so either side of the wire may use either implementation. The
// speed comes from writing dynamic values' type descriptions (JSON) without
// reflection, remembering the types of descriptions already read, and
// working on byte slices rather than through io readers and writers.
//
// What this package does not handle itself it hands to go-cty: refined
// unknown values, and any input that is not in the exact form go-cty's
// encoder writes (other integer widths, malformed bytes, …). go-cty then
// decides, so that the result, or the error and its message, is go-cty's.
// Unlike go-cty, Unmarshal never panics and refuses lengths and nesting
// that the input cannot hold before allocating for them.
//
// It is not a general msgpack library and knows nothing of marks: callers
// unmark values before encoding (see ErrMarked).
package ctymsgpack
