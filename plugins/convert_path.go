package plugins

import (
	"fmt"
	"math/big"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/msgpack"
)

// encodePath turns p into its wire form. Index keys that are strings or
// integers get their own field; any other key (a set element) is sent as a
// msgpack value with its type. An empty path encodes as nil.
func encodePath(p cty.Path) (*proto.AttributePath, error) {
	if len(p) == 0 {
		return nil, nil
	}
	out := &proto.AttributePath{Steps: make([]*proto.AttributePath_Step, 0, len(p))}
	for i, step := range p {
		s, err := encodeStep(step)
		if err != nil {
			return nil, fmt.Errorf("step %d of path %#v: %w", i, p, err)
		}
		out.Steps = append(out.Steps, s)
	}
	return out, nil
}

func encodeStep(step cty.PathStep) (*proto.AttributePath_Step, error) {
	switch s := step.(type) {
	case cty.GetAttrStep:
		return &proto.AttributePath_Step{Selector: &proto.AttributePath_Step_AttributeName{AttributeName: s.Name}}, nil
	case cty.IndexStep:
		key := s.Key
		if key.IsKnown() && !key.IsNull() && !key.IsMarked() {
			switch key.Type() {
			case cty.String:
				return &proto.AttributePath_Step{Selector: &proto.AttributePath_Step_ElementKeyString{ElementKeyString: key.AsString()}}, nil
			case cty.Number:
				if i, acc := key.AsBigFloat().Int64(); acc == big.Exact {
					return &proto.AttributePath_Step{Selector: &proto.AttributePath_Step_ElementKeyInt{ElementKeyInt: i}}, nil
				}
			}
		}
		b, err := msgpack.Marshal(key, cty.DynamicPseudoType)
		if err != nil {
			return nil, fmt.Errorf("cannot encode index key: %w", err)
		}
		return &proto.AttributePath_Step{Selector: &proto.AttributePath_Step_ElementKeyValue{ElementKeyValue: b}}, nil
	default:
		return nil, fmt.Errorf("unsupported path step type %T", step)
	}
}

// encodePaths encodes each path of ps.
func encodePaths(ps []cty.Path) ([]*proto.AttributePath, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	out := make([]*proto.AttributePath, len(ps))
	for i, p := range ps {
		ep, err := encodePath(p)
		if err != nil {
			return nil, err
		}
		if ep == nil {
			ep = &proto.AttributePath{}
		}
		out[i] = ep
	}
	return out, nil
}

// decodePath turns a wire path back into a cty.Path. A nil or empty path
// decodes as nil. It fails, never panics, on a malformed path.
func decodePath(p *proto.AttributePath) (cty.Path, error) {
	if len(p.GetSteps()) == 0 {
		return nil, nil
	}
	out := make(cty.Path, 0, len(p.Steps))
	for i, s := range p.Steps {
		step, err := decodeStep(s)
		if err != nil {
			return nil, fmt.Errorf("step %d of attribute path: %w", i, err)
		}
		out = append(out, step)
	}
	return out, nil
}

func decodeStep(s *proto.AttributePath_Step) (cty.PathStep, error) {
	switch sel := s.GetSelector().(type) {
	case *proto.AttributePath_Step_AttributeName:
		return cty.GetAttrStep{Name: sel.AttributeName}, nil
	case *proto.AttributePath_Step_ElementKeyString:
		return cty.IndexStep{Key: cty.StringVal(sel.ElementKeyString)}, nil
	case *proto.AttributePath_Step_ElementKeyInt:
		return cty.IndexStep{Key: cty.NumberIntVal(sel.ElementKeyInt)}, nil
	case *proto.AttributePath_Step_ElementKeyValue:
		key, err := unmarshalMsgpack(sel.ElementKeyValue, cty.DynamicPseudoType)
		if err != nil {
			return nil, fmt.Errorf("invalid index key: %w", err)
		}
		return cty.IndexStep{Key: key}, nil
	default:
		return nil, fmt.Errorf("the step is empty (no attribute name or element key)")
	}
}

// decodePaths decodes each path of ps.
func decodePaths(ps []*proto.AttributePath) ([]cty.Path, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	out := make([]cty.Path, len(ps))
	for i, p := range ps {
		dp, err := decodePath(p)
		if err != nil {
			return nil, err
		}
		out[i] = dp
	}
	return out, nil
}
