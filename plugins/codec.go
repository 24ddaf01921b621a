package plugins

import (
	"fmt"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/zclconf/go-cty/cty"
)

// valueCodec encodes and decodes the several values of one call, all of one
// type, keeping the first failure so that a call converts its values in a
// row and checks once.
type valueCodec struct {
	ty  cty.Type
	err error
}

// encode encodes v; field names it in the error.
func (c *valueCodec) encode(field string, v cty.Value) *proto.DynamicValue {
	if c.err != nil {
		return nil
	}
	dv, err := encodeValue(v, c.ty)
	if err != nil {
		c.err = fmt.Errorf("%s: %w", field, err)
	}
	return dv
}

// decode decodes dv; field names it in the error.
func (c *valueCodec) decode(field string, dv *proto.DynamicValue) cty.Value {
	if c.err != nil {
		return cty.NilVal
	}
	v, err := decodeValue(dv, c.ty)
	if err != nil {
		c.err = fmt.Errorf("%s: %w", field, err)
	}
	return v
}
