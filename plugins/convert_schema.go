package plugins

import (
	"fmt"
	"sort"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// encodeProviderSchema turns s into its wire form. A nil schema in the
// resource or data source maps is sent as an empty one.
func encodeProviderSchema(s providers.ProviderSchema) (*proto.ProviderSchema, error) {
	out := &proto.ProviderSchema{
		ResourceTypes: make(map[string]*proto.Schema, len(s.ResourceTypes)),
		DataSources:   make(map[string]*proto.Schema, len(s.DataSources)),
	}
	var err error
	if s.Provider != nil {
		if out.Provider, err = encodeSchema(s.Provider); err != nil {
			return nil, fmt.Errorf("provider configuration schema: %w", err)
		}
	}
	for name, rs := range s.ResourceTypes {
		if out.ResourceTypes[name], err = encodeSchema(rs); err != nil {
			return nil, fmt.Errorf("resource type %s: %w", name, err)
		}
	}
	for name, ds := range s.DataSources {
		if out.DataSources[name], err = encodeSchema(ds); err != nil {
			return nil, fmt.Errorf("data source %s: %w", name, err)
		}
	}
	return out, nil
}

func encodeSchema(s *providers.Schema) (*proto.Schema, error) {
	if s == nil {
		return &proto.Schema{}, nil
	}
	out := &proto.Schema{
		Version:     s.Version,
		Description: s.Description,
		Attributes:  make([]*proto.Attribute, 0, len(s.Attributes)),
		Blocks:      make([]*proto.NestedBlock, 0, len(s.Blocks)),
	}
	for _, name := range sortedKeys(s.Attributes) {
		a, err := encodeAttribute(name, s.Attributes[name])
		if err != nil {
			return nil, err
		}
		out.Attributes = append(out.Attributes, a)
	}
	for _, name := range sortedKeys(s.Blocks) {
		b := s.Blocks[name]
		if b == nil {
			return nil, fmt.Errorf("block type %q has no definition", name)
		}
		body, err := encodeSchema(&b.Block)
		if err != nil {
			return nil, fmt.Errorf("block type %q: %w", name, err)
		}
		out.Blocks = append(out.Blocks, &proto.NestedBlock{
			TypeName: name,
			Nesting:  proto.NestedBlock_NestingMode(b.Nesting),
			Block:    body,
			MinItems: int64(b.MinItems),
			MaxItems: int64(b.MaxItems),
		})
	}
	return out, nil
}

func encodeAttribute(name string, a *providers.Attribute) (*proto.Attribute, error) {
	if a == nil {
		return nil, fmt.Errorf("attribute %q has no definition", name)
	}
	if a.Type == cty.NilType {
		return nil, fmt.Errorf("attribute %q has no type", name)
	}
	ty, err := ctyjson.MarshalType(a.Type)
	if err != nil {
		return nil, fmt.Errorf("attribute %q: type %s: %w", name, a.Type.FriendlyName(), err)
	}
	var def *proto.DynamicValue
	var defType []byte
	if a.Default.Type() != cty.NilType {
		if defType, err = ctyjson.MarshalType(a.Default.Type()); err != nil {
			return nil, fmt.Errorf("attribute %q: default: %w", name, err)
		}
		if def, err = encodeValue(a.Default, a.Default.Type()); err != nil {
			return nil, fmt.Errorf("attribute %q: default: %w", name, err)
		}
	}
	return &proto.Attribute{
		Name:            name,
		Type:            ty,
		Description:     a.Description,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		RequiresReplace: a.RequiresReplace,
		Default:         def,
		DefaultType:     defType,
	}, nil
}

// decodeProviderSchema turns a wire schema back into a
// providers.ProviderSchema. It fails, never panics, on malformed input.
func decodeProviderSchema(s *proto.ProviderSchema) (providers.ProviderSchema, error) {
	out := providers.ProviderSchema{
		ResourceTypes: make(map[string]*providers.Schema, len(s.GetResourceTypes())),
		DataSources:   make(map[string]*providers.Schema, len(s.GetDataSources())),
	}
	var err error
	if s.GetProvider() != nil {
		if out.Provider, err = decodeSchema(s.Provider); err != nil {
			return providers.ProviderSchema{}, fmt.Errorf("provider configuration schema: %w", err)
		}
	}
	for name, rs := range s.GetResourceTypes() {
		if out.ResourceTypes[name], err = decodeSchema(rs); err != nil {
			return providers.ProviderSchema{}, fmt.Errorf("resource type %s: %w", name, err)
		}
	}
	for name, ds := range s.GetDataSources() {
		if out.DataSources[name], err = decodeSchema(ds); err != nil {
			return providers.ProviderSchema{}, fmt.Errorf("data source %s: %w", name, err)
		}
	}
	return out, nil
}

func decodeSchema(s *proto.Schema) (*providers.Schema, error) {
	out := &providers.Schema{Version: s.GetVersion(), Description: s.GetDescription()}
	if len(s.GetAttributes()) > 0 {
		out.Attributes = make(map[string]*providers.Attribute, len(s.Attributes))
	}
	for _, a := range s.GetAttributes() {
		if _, dup := out.Attributes[a.GetName()]; dup {
			return nil, fmt.Errorf("attribute %q is declared twice", a.GetName())
		}
		attr, err := decodeAttribute(a)
		if err != nil {
			return nil, err
		}
		out.Attributes[a.GetName()] = attr
	}
	if len(s.GetBlocks()) > 0 {
		out.Blocks = make(map[string]*providers.NestedBlock, len(s.Blocks))
	}
	for _, b := range s.GetBlocks() {
		name := b.GetTypeName()
		if _, dup := out.Blocks[name]; dup {
			return nil, fmt.Errorf("block type %q is declared twice", name)
		}
		if _, clash := out.Attributes[name]; clash {
			return nil, fmt.Errorf("%q is declared both as an attribute and as a block type", name)
		}
		nesting := providers.NestingMode(b.GetNesting())
		if nesting < providers.NestingSingle || nesting > providers.NestingMap {
			return nil, fmt.Errorf("block type %q has an unknown nesting mode %d", name, b.GetNesting())
		}
		body, err := decodeSchema(b.GetBlock())
		if err != nil {
			return nil, fmt.Errorf("block type %q: %w", name, err)
		}
		out.Blocks[name] = &providers.NestedBlock{
			Nesting:  nesting,
			Block:    *body,
			MinItems: int(b.GetMinItems()),
			MaxItems: int(b.GetMaxItems()),
		}
	}
	return out, nil
}

func decodeAttribute(a *proto.Attribute) (*providers.Attribute, error) {
	ty, err := ctyjson.UnmarshalType(a.GetType())
	if err != nil {
		return nil, fmt.Errorf("attribute %q has an invalid type %q: %w", a.GetName(), a.GetType(), err)
	}
	def := cty.NilVal
	if a.GetDefault() != nil {
		defType, err := ctyjson.UnmarshalType(a.GetDefaultType())
		if err != nil {
			return nil, fmt.Errorf("attribute %q has a default of an invalid type %q: %w", a.GetName(), a.GetDefaultType(), err)
		}
		if def, err = decodeValue(a.GetDefault(), defType); err != nil {
			return nil, fmt.Errorf("attribute %q has an invalid default: %w", a.GetName(), err)
		}
	}
	return &providers.Attribute{
		Type:            ty,
		Description:     a.GetDescription(),
		Required:        a.GetRequired(),
		Optional:        a.GetOptional(),
		Computed:        a.GetComputed(),
		Sensitive:       a.GetSensitive(),
		RequiresReplace: a.GetRequiresReplace(),
		Default:         def,
	}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
