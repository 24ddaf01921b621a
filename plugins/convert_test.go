package plugins

import (
	"context"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/mock"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
	gproto "google.golang.org/protobuf/proto"
)

// wire sends m through protobuf encoding, as the network would.
func wire[M gproto.Message](t *testing.T, m M) M {
	t.Helper()
	b, err := gproto.Marshal(m)
	if err != nil {
		t.Fatalf("protobuf marshal: %v", err)
	}
	out := m.ProtoReflect().New().Interface().(M)
	if err := gproto.Unmarshal(b, out); err != nil {
		t.Fatalf("protobuf unmarshal: %v", err)
	}
	return out
}

func TestValueRoundTrip(t *testing.T) {
	listNum := cty.List(cty.Number)
	tests := []struct {
		name string
		ty   cty.Type
		val  cty.Value
	}{
		{"known object", widgetType, widget(nil)},
		{"null object (a delete's planned state)", widgetType, cty.NullVal(widgetType)},
		{"no value at all", widgetType, cty.NilVal},
		{"wholly unknown object", widgetType, cty.UnknownVal(widgetType)},
		{"unknown attributes", widgetType, widget(map[string]cty.Value{
			"id": cty.UnknownVal(cty.String), "any": cty.DynamicVal, "ports": cty.UnknownVal(listNum),
		})},
		{"refined unknown", widgetType, widget(map[string]cty.Value{
			"id": cty.UnknownVal(cty.String).Refine().NotNull().StringPrefix("widget-").NewValue(),
		})},
		{"unknown list element", widgetType, widget(map[string]cty.Value{
			"ports": cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.UnknownVal(cty.Number)}),
		})},
		{"dynamic attribute holding a tuple", widgetType, widget(map[string]cty.Value{
			"any": cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.True, cty.NumberFloatVal(1.5)}),
		})},
		{"sensitive attribute", widgetType, widget(map[string]cty.Value{"secret": sensitive(cty.StringVal("s3cret"))})},
		{"sensitive unknown", widgetType, widget(map[string]cty.Value{"secret": sensitive(cty.UnknownVal(cty.String))})},
		{"sensitive null", widgetType, widget(map[string]cty.Value{"secret": sensitive(cty.NullVal(cty.String))})},
		{"sensitive map element and nested block attribute", widgetType, widget(map[string]cty.Value{
			"tags": cty.MapVal(map[string]cty.Value{"tier": sensitive(cty.StringVal("web")), "zone": cty.StringVal("a")}),
			"rule": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"port":   sensitive(cty.NumberIntVal(80)),
				"labels": cty.NullVal(cty.Map(cty.String)),
				"match":  cty.MapValEmpty(matchType),
			})}),
		})},
		{"sensitive whole value", widgetType, sensitive(widget(nil))},
		{"sensitive list element", listNum, cty.ListVal([]cty.Value{cty.NumberIntVal(1), sensitive(cty.NumberIntVal(2))})},
		{"string in a dynamic type", cty.DynamicPseudoType, cty.StringVal("x")},
		{"large number", cty.Number, cty.MustParseNumberVal("123456789012345678901234567890.5")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dv, err := encodeValue(tc.val, tc.ty)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if dv != nil {
				dv = wire(t, dv)
			}
			got, err := decodeValue(dv, tc.ty)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tc.val, got, cmpOpts); diff != "" {
				t.Errorf("round trip changed the value (-sent +received):\n%s\nsent:     %#v\nreceived: %#v", diff, tc.val, got)
			}
		})
	}
}

func TestValueErrors(t *testing.T) {
	type otherMark struct{}
	tests := []struct {
		name    string
		run     func() error
		wantErr string
	}{
		{"value of the wrong type", func() error {
			_, err := encodeValue(cty.StringVal("x"), widgetType)
			return err
		}, "object"},
		{"a mark other than sensitive", func() error {
			_, err := encodeValue(cty.StringVal("x").Mark(otherMark{}), cty.String)
			return err
		}, "only sensitive marks"},
		{"garbage bytes", func() error {
			_, err := decodeValue(&proto.DynamicValue{Msgpack: []byte{0xc1, 0xff}}, widgetType)
			return err
		}, "malformed msgpack"},
		{"empty map for an object", func() error {
			_, err := decodeValue(&proto.DynamicValue{Msgpack: []byte{0x80}}, widgetType)
			return err
		}, "is required"},
		{"empty bytes", func() error {
			_, err := decodeValue(&proto.DynamicValue{}, cty.String)
			return err
		}, "malformed msgpack"},
		{"empty sensitive path step", func() error {
			dv, _ := encodeValue(cty.StringVal("x"), cty.String)
			dv.SensitivePaths = []*proto.AttributePath{{Steps: []*proto.AttributePath_Step{{}}}}
			_, err := decodeValue(dv, cty.String)
			return err
		}, "sensitive paths"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestPathRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		path cty.Path
	}{
		{"empty", nil},
		{"attribute", cty.GetAttrPath("name")},
		{"attribute, list index, map key", cty.GetAttrPath("rule").IndexInt(2).GetAttr("match").IndexString("a b\"c").GetAttr("v")},
		{"negative index", cty.GetAttrPath("ports").IndexInt(-1)},
		{"large index", cty.GetAttrPath("ports").Index(cty.NumberUIntVal(1 << 62))},
		{"fractional number key", cty.GetAttrPath("ports").Index(cty.NumberFloatVal(0.5))},
		{"set element key", cty.GetAttrPath("opt").Index(cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v")}))},
		{"empty string key", cty.IndexStringPath("")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep, err := encodePath(tc.path)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if ep != nil {
				ep = wire(t, ep)
			}
			got, err := decodePath(ep)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !got.Equals(tc.path) {
				t.Errorf("got %#v, want %#v", got, tc.path)
			}
		})
	}
}

func TestDiagnosticsRoundTrip(t *testing.T) {
	nested := cty.GetAttrPath("rule").IndexInt(1).GetAttr("labels").IndexString("tier")
	diags := providers.Diagnostics{
		providers.Errorf("Whole object", "Detail %d.", 1),
		providers.AttributeErrorf(nested, "Nested", "attribute, list index, map key"),
		providers.AttributeWarningf(cty.GetAttrPath("name"), "Warn", ""),
		providers.Warningf("Only a warning", "Multi\nline detail."),
	}
	got := decodeDiagnostics(wire(t, &proto.GetSchema_Response{Diagnostics: encodeDiagnostics(diags)}).Diagnostics)
	if diff := cmp.Diff(diags, got, cmpOpts); diff != "" {
		t.Errorf("round trip changed the diagnostics (-sent +received):\n%s", diff)
	}
}

func TestDecodeDiagnosticsIsSafe(t *testing.T) {
	wireDiags := []*proto.Diagnostic{
		{Severity: proto.Diagnostic_SEVERITY_UNSPECIFIED, Summary: "no severity"},
		{Severity: proto.Diagnostic_Severity(42), Summary: "unknown severity"},
		{Severity: proto.Diagnostic_WARNING, Summary: "bad path", Attribute: &proto.AttributePath{Steps: []*proto.AttributePath_Step{
			{Selector: &proto.AttributePath_Step_AttributeName{AttributeName: "ok"}},
			{},
			{Selector: &proto.AttributePath_Step_AttributeName{AttributeName: "lost"}},
		}}},
	}
	got := decodeDiagnostics(wireDiags)
	want := providers.Diagnostics{
		{Severity: providers.Error, Summary: "no severity"},
		{Severity: providers.Error, Summary: "unknown severity"},
		{Severity: providers.Warning, Summary: "bad path", Attribute: cty.GetAttrPath("ok")},
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSchemaRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		schema providers.ProviderSchema
	}{
		{"every feature", widgetSchema()},
		{"mock", mock.DefaultSchema()},
		{"std", std.New().GetSchema(context.Background()).Schema},
		{"no provider configuration", providers.ProviderSchema{ResourceTypes: map[string]*providers.Schema{"x_y": {}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ws, err := encodeProviderSchema(tc.schema)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			got, err := decodeProviderSchema(wire(t, ws))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tc.schema, got, cmpOpts); diff != "" {
				t.Errorf("round trip changed the schema (-sent +received):\n%s", diff)
			}
		})
	}
}

func TestSchemaErrors(t *testing.T) {
	attr := func(a *proto.Attribute) *proto.ProviderSchema {
		return &proto.ProviderSchema{ResourceTypes: map[string]*proto.Schema{"x": {Attributes: []*proto.Attribute{a}}}}
	}
	decodeTests := []struct {
		name    string
		schema  *proto.ProviderSchema
		wantErr string
	}{
		{"invalid type", attr(&proto.Attribute{Name: "a", Type: []byte(`"strong"`)}), `attribute "a" has an invalid type`},
		{"missing type", attr(&proto.Attribute{Name: "a"}), `attribute "a" has an invalid type`},
		{"default of invalid type", attr(&proto.Attribute{Name: "a", Type: []byte(`"string"`), Default: &proto.DynamicValue{}, DefaultType: []byte(`[`)}), "default of an invalid type"},
		{"bad default", attr(&proto.Attribute{Name: "a", Type: []byte(`"string"`), Default: &proto.DynamicValue{Msgpack: []byte{0x01}}, DefaultType: []byte(`"string"`)}), "invalid default"},
		{"duplicate attribute", &proto.ProviderSchema{Provider: &proto.Schema{Attributes: []*proto.Attribute{
			{Name: "a", Type: []byte(`"string"`)}, {Name: "a", Type: []byte(`"number"`)}}}}, "declared twice"},
		{"invalid nesting", &proto.ProviderSchema{DataSources: map[string]*proto.Schema{"d": {Blocks: []*proto.NestedBlock{{TypeName: "b"}}}}}, "unknown nesting mode"},
		{"block named like an attribute", &proto.ProviderSchema{Provider: &proto.Schema{
			Attributes: []*proto.Attribute{{Name: "a", Type: []byte(`"string"`)}},
			Blocks:     []*proto.NestedBlock{{TypeName: "a", Nesting: proto.NestedBlock_LIST}}}}, "both as an attribute and as a block"},
	}
	for _, tc := range decodeTests {
		t.Run("decode/"+tc.name, func(t *testing.T) {
			_, err := decodeProviderSchema(tc.schema)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
	encodeTests := []struct {
		name    string
		schema  providers.ProviderSchema
		wantErr string
	}{
		{"nil attribute", providers.ProviderSchema{Provider: &providers.Schema{Attributes: map[string]*providers.Attribute{"a": nil}}}, "has no definition"},
		{"no type", providers.ProviderSchema{Provider: &providers.Schema{Attributes: map[string]*providers.Attribute{"a": {Optional: true}}}}, "has no type"},
		{"nil block", providers.ProviderSchema{ResourceTypes: map[string]*providers.Schema{"r": {Blocks: map[string]*providers.NestedBlock{"b": nil}}}}, "has no definition"},
	}
	for _, tc := range encodeTests {
		t.Run("encode/"+tc.name, func(t *testing.T) {
			_, err := encodeProviderSchema(tc.schema)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
