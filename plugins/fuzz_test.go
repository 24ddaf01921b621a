package plugins

import (
	"context"
	"testing"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/zclconf/go-cty/cty"
	gproto "google.golang.org/protobuf/proto"
)

func mustMarshal(f *testing.F, m gproto.Message) []byte {
	b, err := gproto.Marshal(m)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// FuzzDecodePath feeds arbitrary protobuf bytes to the path decoder, which
// must fail or succeed but never panic; a decoded path must encode again.
func FuzzDecodePath(f *testing.F) {
	for _, p := range []cty.Path{
		cty.GetAttrPath("rule").IndexInt(2).GetAttr("labels").IndexString("k"),
		cty.GetAttrPath("opt").Index(cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v")})),
		cty.GetAttrPath("n").Index(cty.NumberFloatVal(0.25)),
	} {
		ep, err := encodePath(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(mustMarshal(f, ep))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ap proto.AttributePath
		if gproto.Unmarshal(b, &ap) != nil {
			return
		}
		p, err := decodePath(&ap)
		if err != nil {
			return
		}
		if _, err := encodePath(p); err != nil {
			t.Errorf("decoded path %#v does not encode: %v", p, err)
		}
		_ = decodePathPrefix(&ap)
	})
}

// FuzzDecodeSchema feeds arbitrary protobuf bytes to the schema decoder; a
// schema it accepts must encode again and give usable implied types.
func FuzzDecodeSchema(f *testing.F) {
	for _, s := range []*proto.ProviderSchema{mustEncodeSchema(f, widgetSchema()), mustEncodeSchema(f, std.New().GetSchema(context.Background()).Schema)} {
		f.Add(mustMarshal(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ws proto.ProviderSchema
		if gproto.Unmarshal(b, &ws) != nil {
			return
		}
		s, err := decodeProviderSchema(&ws)
		if err != nil {
			return
		}
		if _, err := encodeProviderSchema(s); err != nil {
			t.Errorf("decoded schema does not encode: %v", err)
		}
		newTypedSchema("fuzz", s)
	})
}

func mustEncodeSchema(f *testing.F, s providers.ProviderSchema) *proto.ProviderSchema {
	f.Helper()
	ps, err := encodeProviderSchema(s)
	if err != nil {
		f.Fatal(err)
	}
	return ps
}

// FuzzDecodeValue feeds arbitrary msgpack bytes and sensitive paths to the
// value decoder for a rich object type; what it accepts must encode again.
func FuzzDecodeValue(f *testing.F) {
	for _, v := range []cty.Value{
		widget(nil),
		widget(map[string]cty.Value{"id": cty.UnknownVal(cty.String), "secret": sensitive(cty.StringVal("s"))}),
		cty.NullVal(widgetType),
		cty.UnknownVal(widgetType),
	} {
		dv, err := encodeValue(v, widgetType)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(mustMarshal(f, dv))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var dv proto.DynamicValue
		if gproto.Unmarshal(b, &dv) != nil {
			return
		}
		v, err := decodeValue(&dv, widgetType)
		if err != nil {
			return
		}
		if _, err := encodeValue(v, widgetType); err != nil {
			t.Errorf("decoded value %#v does not encode: %v", v, err)
		}
	})
}
