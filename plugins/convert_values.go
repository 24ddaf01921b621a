package plugins

import (
	"errors"
	"fmt"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/plugins/internal/ctymsgpack"
	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/zclconf/go-cty/cty"
)

// encodeValue turns v, which must conform to ty, into its wire form:
// msgpack for the value (unknowns included) and the paths of the parts
// marked sensitive. cty.NilVal (no value at all) encodes as nil.
//
// funcs.SensitiveMark is the only mark that can cross the wire; a value
// carrying any other mark is refused rather than silently stripped.
func encodeValue(v cty.Value, ty cty.Type) (*proto.DynamicValue, error) {
	if v.Type() == cty.NilType {
		return nil, nil
	}
	// Most values carry no marks: the encoder finds out on its way, which
	// saves walking every value twice.
	b, err := ctymsgpack.Marshal(v, ty)
	if errors.Is(err, ctymsgpack.ErrMarked) {
		return encodeMarkedValue(v, ty)
	}
	if err != nil {
		return nil, err
	}
	return &proto.DynamicValue{Msgpack: b}, nil
}

// encodeMarkedValue is encodeValue for a value with marks.
func encodeMarkedValue(v cty.Value, ty cty.Type) (*proto.DynamicValue, error) {
	unmarked, pvms := v.UnmarkDeepWithPaths()
	paths := make([]cty.Path, 0, len(pvms))
	for _, pvm := range pvms {
		for m := range pvm.Marks {
			if m != funcs.SensitiveMark {
				return nil, fmt.Errorf("the value carries the mark %#v, which the plugin protocol cannot carry (only sensitive marks can)", m)
			}
		}
		paths = append(paths, pvm.Path)
	}
	sensitive, err := encodePaths(paths)
	if err != nil {
		return nil, err
	}
	b, err := ctymsgpack.Marshal(unmarked, ty)
	if err != nil {
		return nil, err
	}
	return &proto.DynamicValue{Msgpack: b, SensitivePaths: sensitive}, nil
}

// decodeValue turns a wire value back into a cty value of type ty, marking
// the sensitive paths with funcs.SensitiveMark. A nil dv decodes as
// cty.NilVal.
func decodeValue(dv *proto.DynamicValue, ty cty.Type) (cty.Value, error) {
	if dv == nil {
		return cty.NilVal, nil
	}
	v, err := unmarshalMsgpack(dv.Msgpack, ty)
	if err != nil {
		return cty.NilVal, err
	}
	if len(dv.SensitivePaths) == 0 {
		return v, nil
	}
	paths, err := decodePaths(dv.SensitivePaths)
	if err != nil {
		return cty.NilVal, fmt.Errorf("sensitive paths: %w", err)
	}
	pvms := make([]cty.PathValueMarks, len(paths))
	for i, p := range paths {
		pvms[i] = cty.PathValueMarks{Path: p, Marks: cty.NewValueMarks(funcs.SensitiveMark)}
	}
	return v.MarkWithPaths(pvms), nil
}

// unmarshalMsgpack decodes a value of type ty, with an error that says
// what is wrong with malformed input (the decoder never panics). A value
// of another type, which go-cty's format lets malformed input give (an
// empty map for an object), is refused: bp and providers rely on values
// having their schema's type.
func unmarshalMsgpack(b []byte, ty cty.Type) (cty.Value, error) {
	v, err := ctymsgpack.Unmarshal(b, ty)
	if err != nil {
		return cty.NilVal, fmt.Errorf("malformed msgpack value of type %s: %w", ty.FriendlyName(), err)
	}
	if !ctymsgpack.Conforms(v.Type(), ty) {
		return cty.NilVal, fmt.Errorf("malformed msgpack value: it holds a %s where a %s is required", v.Type().FriendlyName(), ty.FriendlyName())
	}
	return v, nil
}
