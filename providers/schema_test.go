package providers

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestImpliedType(t *testing.T) {
	leaf := Schema{Attributes: map[string]*Attribute{"port": {Type: cty.Number, Required: true}}}
	leafTy := cty.Object(map[string]cty.Type{"port": cty.Number})
	tests := []struct {
		name   string
		schema *Schema
		want   cty.Type
	}{
		{"nil schema", nil, cty.EmptyObject},
		{"empty schema", &Schema{}, cty.EmptyObject},
		{"attributes", &Schema{Attributes: map[string]*Attribute{
			"name":   {Type: cty.String, Required: true},
			"labels": {Type: cty.Map(cty.String), Optional: true},
			"any":    {Type: cty.DynamicPseudoType, Optional: true},
		}}, cty.Object(map[string]cty.Type{"name": cty.String, "labels": cty.Map(cty.String), "any": cty.DynamicPseudoType})},
		{"single block", &Schema{Blocks: map[string]*NestedBlock{"b": {Nesting: NestingSingle, Block: leaf}}},
			cty.Object(map[string]cty.Type{"b": leafTy})},
		{"list block", &Schema{Blocks: map[string]*NestedBlock{"b": {Nesting: NestingList, Block: leaf}}},
			cty.Object(map[string]cty.Type{"b": cty.List(leafTy)})},
		{"set block", &Schema{Blocks: map[string]*NestedBlock{"b": {Nesting: NestingSet, Block: leaf}}},
			cty.Object(map[string]cty.Type{"b": cty.Set(leafTy)})},
		{"map block", &Schema{Blocks: map[string]*NestedBlock{"b": {Nesting: NestingMap, Block: leaf}}},
			cty.Object(map[string]cty.Type{"b": cty.Map(leafTy)})},
		{"deep nesting", &Schema{Blocks: map[string]*NestedBlock{"outer": {Nesting: NestingList, Block: Schema{
			Blocks: map[string]*NestedBlock{"inner": {Nesting: NestingSingle, Block: leaf}}}}}},
			cty.Object(map[string]cty.Type{"outer": cty.List(cty.Object(map[string]cty.Type{"inner": leafTy}))})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.schema.ImpliedType(); !got.Equals(tc.want) {
				t.Errorf("ImpliedType() = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestInternalValidate(t *testing.T) {
	attr := func(a Attribute) *Schema { return &Schema{Attributes: map[string]*Attribute{"a": &a}} }
	block := func(b NestedBlock) *Schema { return &Schema{Blocks: map[string]*NestedBlock{"b": &b}} }
	okBlock := Schema{Attributes: map[string]*Attribute{"x": {Type: cty.String, Optional: true}}}
	tests := []struct {
		name    string
		schema  *Schema
		wantErr string // empty: valid
	}{
		{"nil", nil, "schema is nil"},
		{"empty", &Schema{}, ""},
		{"required", attr(Attribute{Type: cty.String, Required: true}), ""},
		{"optional computed", attr(Attribute{Type: cty.String, Optional: true, Computed: true}), ""},
		{"optional with default", attr(Attribute{Type: cty.String, Optional: true, Default: cty.StringVal("x")}), ""},
		{"default converts", attr(Attribute{Type: cty.String, Optional: true, Default: cty.NumberIntVal(1)}), ""},
		{"no type", attr(Attribute{Required: true}), "no Type set"},
		{"required and computed", attr(Attribute{Type: cty.String, Required: true, Computed: true}), "both Required and Computed"},
		{"required and optional", attr(Attribute{Type: cty.String, Required: true, Optional: true}), "both Required and Optional"},
		{"no mode", attr(Attribute{Type: cty.String}), "must be Required, Optional or Computed"},
		{"replace computed-only", attr(Attribute{Type: cty.String, Computed: true, RequiresReplace: true}), "RequiresReplace has no effect"},
		{"default on required", attr(Attribute{Type: cty.String, Required: true, Default: cty.StringVal("x")}), "Default is only allowed on Optional"},
		{"default wrong type", attr(Attribute{Type: cty.Number, Optional: true, Default: cty.StringVal("x")}), "Default does not fit"},
		{"default unknown", attr(Attribute{Type: cty.String, Optional: true, Default: cty.UnknownVal(cty.String)}), "Default must be a known value"},
		{"nil attribute", &Schema{Attributes: map[string]*Attribute{"a": nil}}, "attribute is nil"},
		{"bad name", &Schema{Attributes: map[string]*Attribute{"Bad-Name": {Type: cty.String, Optional: true}}}, "name must use only lowercase"},
		{"name clash", &Schema{
			Attributes: map[string]*Attribute{"b": {Type: cty.String, Optional: true}},
			Blocks:     map[string]*NestedBlock{"b": {Nesting: NestingSingle, Block: okBlock}},
		}, "a nested block has the same name"},
		{"valid list block", block(NestedBlock{Nesting: NestingList, Block: okBlock, MinItems: 1, MaxItems: 3}), ""},
		{"invalid nesting", block(NestedBlock{Block: okBlock}), "Nesting must be"},
		{"single max 2", block(NestedBlock{Nesting: NestingSingle, Block: okBlock, MaxItems: 2}), "only be 0 or 1"},
		{"max below min", block(NestedBlock{Nesting: NestingList, Block: okBlock, MinItems: 3, MaxItems: 2}), "MaxItems (2) is less than MinItems (3)"},
		{"negative min", block(NestedBlock{Nesting: NestingSet, Block: okBlock, MinItems: -1}), "must not be negative"},
		{"map with bounds", block(NestedBlock{Nesting: NestingMap, Block: okBlock, MaxItems: 1}), "not supported with NestingMap"},
		{"dynamic in list", block(NestedBlock{Nesting: NestingList, Block: Schema{Attributes: map[string]*Attribute{
			"v": {Type: cty.DynamicPseudoType, Optional: true}}}}), `attribute "v" has a dynamic type`},
		{"dynamic in single", block(NestedBlock{Nesting: NestingSingle, Block: Schema{Attributes: map[string]*Attribute{
			"v": {Type: cty.DynamicPseudoType, Optional: true}}}}), ""},
		{"error inside block names the path", block(NestedBlock{Nesting: NestingSingle, Block: Schema{Attributes: map[string]*Attribute{
			"inner": {Type: cty.String}}}}), `block "b": attribute "inner": must be Required`},
		{"nil block", &Schema{Blocks: map[string]*NestedBlock{"b": nil}}, "nested block is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.schema.InternalValidate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("InternalValidate() = %v, want nil", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("InternalValidate() = nil, want error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("InternalValidate() = %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestProviderSchemaInternalValidate(t *testing.T) {
	ps := ProviderSchema{
		ResourceTypes: map[string]*Schema{
			"ok_thing":  {Attributes: map[string]*Attribute{"x": {Type: cty.String, Required: true}}},
			"bad_thing": {Attributes: map[string]*Attribute{"x": {Type: cty.String}}},
			"Bad":       {},
		},
		DataSources: map[string]*Schema{"bad_data": {Attributes: map[string]*Attribute{"y": {Required: true}}}},
	}
	err := ps.InternalValidate()
	if err == nil {
		t.Fatal("InternalValidate() = nil, want errors")
	}
	for _, want := range []string{`resource type "bad_thing": attribute "x"`, `resource type "Bad": name must`, `data source "bad_data": attribute "y": no Type`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "ok_thing") {
		t.Errorf("error %q blames the valid ok_thing", err)
	}
}

// pathsSchema has sensitive and replace-forcing attributes at every level.
var pathsSchema = &Schema{
	Attributes: map[string]*Attribute{
		"name":     {Type: cty.String, Required: true, RequiresReplace: true},
		"password": {Type: cty.String, Optional: true, Sensitive: true},
		"value":    {Type: cty.String, Optional: true},
	},
	Blocks: map[string]*NestedBlock{
		"disk": {Nesting: NestingList, Block: Schema{Attributes: map[string]*Attribute{
			"size": {Type: cty.Number, Required: true, RequiresReplace: true},
			"key":  {Type: cty.String, Optional: true, Sensitive: true},
		}}},
		"net": {Nesting: NestingSingle, Block: Schema{Attributes: map[string]*Attribute{
			"cidr": {Type: cty.String, Optional: true, RequiresReplace: true},
			"dns":  {Type: cty.String, Optional: true},
		}}},
		"tag": {Nesting: NestingMap, Block: Schema{Attributes: map[string]*Attribute{
			"v": {Type: cty.String, Optional: true, RequiresReplace: true},
		}}},
		"rule": {Nesting: NestingSet, Block: Schema{Attributes: map[string]*Attribute{
			"port": {Type: cty.Number, Optional: true, RequiresReplace: true},
		}}},
		"plain": {Nesting: NestingList, Block: Schema{Attributes: map[string]*Attribute{
			"x": {Type: cty.String, Optional: true},
		}}},
	},
}

func pathsObject(name, cidr string, sizes ...int64) cty.Value {
	diskTy := pathsSchema.Blocks["disk"].Block.ImpliedType()
	disks := cty.ListValEmpty(diskTy)
	if len(sizes) > 0 {
		var elems []cty.Value
		for _, s := range sizes {
			elems = append(elems, cty.ObjectVal(map[string]cty.Value{"size": cty.NumberIntVal(s), "key": cty.StringVal("k")}))
		}
		disks = cty.ListVal(elems)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"name":     cty.StringVal(name),
		"password": cty.StringVal("pw"),
		"value":    cty.NullVal(cty.String),
		"disk":     disks,
		"net":      cty.ObjectVal(map[string]cty.Value{"cidr": cty.StringVal(cidr), "dns": cty.NullVal(cty.String)}),
		"tag":      cty.MapValEmpty(pathsSchema.Blocks["tag"].Block.ImpliedType()),
		"rule":     cty.SetValEmpty(pathsSchema.Blocks["rule"].Block.ImpliedType()),
		"plain":    cty.ListValEmpty(pathsSchema.Blocks["plain"].Block.ImpliedType()),
	})
}

func formatPaths(paths []cty.Path) string {
	var s []string
	for _, p := range paths {
		s = append(s, FormatPath(p))
	}
	return strings.Join(s, " ")
}

func TestSensitivePaths(t *testing.T) {
	tests := []struct {
		name string
		val  cty.Value
		want string
	}{
		{"null object", cty.NullVal(pathsSchema.ImpliedType()), ""},
		{"unknown object", cty.UnknownVal(pathsSchema.ImpliedType()), ""},
		{"no disks", pathsObject("a", "10.0.0.0/8"), "password"},
		{"two disks", pathsObject("a", "10.0.0.0/8", 10, 20), "password disk[0].key disk[1].key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatPaths(pathsSchema.SensitivePaths(tc.val)); got != tc.want {
				t.Errorf("SensitivePaths() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRequiresReplacePaths(t *testing.T) {
	want := "name disk net.cidr rule tag"
	if got := formatPaths(pathsSchema.RequiresReplacePaths()); got != want {
		t.Errorf("RequiresReplacePaths() = %q, want %q", got, want)
	}
}

func TestRequiresReplaceChanges(t *testing.T) {
	ty := pathsSchema.ImpliedType()
	base := pathsObject("a", "10.0.0.0/8", 10)
	with := func(name string, v cty.Value) cty.Value {
		m := base.AsValueMap()
		m[name] = v
		return cty.ObjectVal(m)
	}
	tagTy := pathsSchema.Blocks["tag"].Block.ImpliedType()
	ruleTy := pathsSchema.Blocks["rule"].Block.ImpliedType()
	tests := []struct {
		name           string
		prior, planned cty.Value
		want           string
	}{
		{"create", cty.NullVal(ty), base, ""},
		{"delete", base, cty.NullVal(ty), ""},
		{"no change", base, base, ""},
		{"in-place change", base, with("value", cty.StringVal("new")), ""},
		{"sensitive change", base, with("password", cty.StringVal("other")), ""},
		{"name change", base, pathsObject("b", "10.0.0.0/8", 10), "name"},
		{"name unknown", base, with("name", cty.UnknownVal(cty.String)), "name"},
		{"single block attr", base, pathsObject("a", "192.168.0.0/16", 10), "net.cidr"},
		{"single block other attr", base, with("net", cty.ObjectVal(map[string]cty.Value{"cidr": cty.StringVal("10.0.0.0/8"), "dns": cty.StringVal("1.1.1.1")})), ""},
		{"list element changed", pathsObject("a", "x", 10, 20), pathsObject("a", "x", 10, 30), "disk[1].size"},
		{"list element added", pathsObject("a", "x", 10), pathsObject("a", "x", 10, 30), "disk[1].size"},
		{"list element removed", pathsObject("a", "x", 10, 20), pathsObject("a", "x", 10), "disk[1].size"},
		{"map element changed", with("tag", cty.MapVal(map[string]cty.Value{"k": cty.ObjectVal(map[string]cty.Value{"v": cty.StringVal("1")})})),
			with("tag", cty.MapVal(map[string]cty.Value{"k": cty.ObjectVal(map[string]cty.Value{"v": cty.StringVal("2")})})), `tag["k"].v`},
		{"map element unchanged", with("tag", cty.MapVal(map[string]cty.Value{"k": cty.ObjectVal(map[string]cty.Value{"v": cty.StringVal("1")})})),
			with("tag", cty.MapVal(map[string]cty.Value{"k": cty.ObjectVal(map[string]cty.Value{"v": cty.StringVal("1")})})), ""},
		{"set changed", base, with("rule", cty.SetVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(80)})})), "rule"},
		{"set unknown", base, with("rule", cty.UnknownVal(cty.Set(ruleTy))), "rule"},
		{"map empty to empty", with("tag", cty.MapValEmpty(tagTy)), base, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := formatPaths(pathsSchema.RequiresReplaceChanges(tc.prior, tc.planned)); got != tc.want {
				t.Errorf("RequiresReplaceChanges() = %q, want %q", got, tc.want)
			}
		})
	}
}
