package plugins

import (
	"fmt"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/msgpack"
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
	var sensitive []*proto.AttributePath
	if v.ContainsMarked() {
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
		var err error
		if sensitive, err = encodePaths(paths); err != nil {
			return nil, err
		}
		v = unmarked
	}
	b, err := msgpack.Marshal(v, ty)
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

// unmarshalMsgpack is msgpack.Unmarshal that reports a panic inside the
// decoder, which malformed input must never cause, as an error.
func unmarshalMsgpack(b []byte, ty cty.Type) (v cty.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = cty.NilVal, fmt.Errorf("malformed msgpack value: %v", r)
		}
	}()
	v, err = msgpack.Unmarshal(b, ty)
	if err != nil {
		return cty.NilVal, fmt.Errorf("malformed msgpack value of type %s: %w", ty.FriendlyName(), err)
	}
	return v, nil
}
