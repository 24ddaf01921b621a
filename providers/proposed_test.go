package providers

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

var proposedSchema = &Schema{
	Attributes: map[string]*Attribute{
		"name":  {Type: cty.String, Required: true},
		"size":  {Type: cty.String, Optional: true, Default: cty.StringVal("small")},
		"zone":  {Type: cty.String, Optional: true, Computed: true},
		"id":    {Type: cty.String, Computed: true},
		"extra": {Type: cty.String, Optional: true},
	},
	Blocks: map[string]*NestedBlock{
		"disk": {Nesting: NestingList, Block: Schema{Attributes: map[string]*Attribute{
			"gb":   {Type: cty.Number, Required: true},
			"uuid": {Type: cty.String, Computed: true},
		}}},
		"net": {Nesting: NestingSingle, Block: Schema{Attributes: map[string]*Attribute{
			"cidr": {Type: cty.String, Optional: true},
			"gw":   {Type: cty.String, Computed: true},
		}}},
		"port": {Nesting: NestingMap, Block: Schema{Attributes: map[string]*Attribute{
			"n":  {Type: cty.Number, Required: true},
			"fw": {Type: cty.String, Optional: true, Computed: true},
		}}},
		"rule": {Nesting: NestingSet, Block: Schema{Attributes: map[string]*Attribute{
			"p":  {Type: cty.Number, Required: true},
			"id": {Type: cty.String, Computed: true},
		}}},
	},
}

var (
	diskTy = proposedSchema.Blocks["disk"].Block.ImpliedType()
	netTy  = proposedSchema.Blocks["net"].Block.ImpliedType()
	portTy = proposedSchema.Blocks["port"].Block.ImpliedType()
	ruleTy = proposedSchema.Blocks["rule"].Block.ImpliedType()
)

// obj builds a proposedSchema object: the given attributes over an all-null
// object with empty collections.
func obj(attrs map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{
		"name":  cty.NullVal(cty.String),
		"size":  cty.NullVal(cty.String),
		"zone":  cty.NullVal(cty.String),
		"id":    cty.NullVal(cty.String),
		"extra": cty.NullVal(cty.String),
		"disk":  cty.ListValEmpty(diskTy),
		"net":   cty.NullVal(netTy),
		"port":  cty.MapValEmpty(portTy),
		"rule":  cty.SetValEmpty(ruleTy),
	}
	for k, v := range attrs {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

type vals = map[string]cty.Value

func str(s string) cty.Value { return cty.StringVal(s) }

var unknownStr = cty.UnknownVal(cty.String)

func TestProposedNewObject(t *testing.T) {
	ty := proposedSchema.ImpliedType()
	tests := []struct {
		name          string
		prior, config cty.Value
		want          cty.Value
	}{
		{
			name:   "create fills default and unknown computed",
			prior:  cty.NullVal(ty),
			config: obj(vals{"name": str("a")}),
			want:   obj(vals{"name": str("a"), "size": str("small"), "zone": unknownStr, "id": unknownStr}),
		},
		{
			name:   "create with nil prior",
			prior:  cty.NilVal,
			config: obj(vals{"name": str("a"), "size": str("big"), "zone": str("z1")}),
			want:   obj(vals{"name": str("a"), "size": str("big"), "zone": str("z1"), "id": unknownStr}),
		},
		{
			name:   "update keeps prior computed",
			prior:  obj(vals{"name": str("a"), "size": str("small"), "zone": str("z1"), "id": str("i-1"), "extra": str("x")}),
			config: obj(vals{"name": str("b")}),
			want:   obj(vals{"name": str("b"), "size": str("small"), "zone": str("z1"), "id": str("i-1")}),
		},
		{
			name:   "optional computed set in config wins over prior",
			prior:  obj(vals{"name": str("a"), "zone": str("z1"), "id": str("i-1")}),
			config: obj(vals{"name": str("a"), "zone": str("z2")}),
			want:   obj(vals{"name": str("a"), "size": str("small"), "zone": str("z2"), "id": str("i-1")}),
		},
		{
			name:   "default replaces prior value when config is null",
			prior:  obj(vals{"name": str("a"), "size": str("big"), "id": str("i-1")}),
			config: obj(vals{"name": str("a")}),
			want:   obj(vals{"name": str("a"), "size": str("small"), "id": str("i-1")}),
		},
		{
			name:   "unknown config values stay unknown",
			prior:  obj(vals{"name": str("a"), "zone": str("z1"), "id": str("i-1")}),
			config: obj(vals{"name": unknownStr, "zone": unknownStr}),
			want:   obj(vals{"name": unknownStr, "size": str("small"), "zone": unknownStr, "id": str("i-1")}),
		},
		{
			name:   "null config means destroy",
			prior:  obj(vals{"name": str("a")}),
			config: cty.NullVal(ty),
			want:   cty.NullVal(ty),
		},
		{
			name:   "unknown config",
			prior:  cty.NullVal(ty),
			config: cty.UnknownVal(ty),
			want:   cty.UnknownVal(ty),
		},
		{
			name:   "single block on create",
			prior:  cty.NullVal(ty),
			config: obj(vals{"name": str("a"), "net": cty.ObjectVal(vals{"cidr": str("10/8"), "gw": cty.NullVal(cty.String)})}),
			want: obj(vals{"name": str("a"), "size": str("small"), "zone": unknownStr, "id": unknownStr,
				"net": cty.ObjectVal(vals{"cidr": str("10/8"), "gw": unknownStr})}),
		},
		{
			name: "single block keeps prior computed",
			prior: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"),
				"net": cty.ObjectVal(vals{"cidr": str("10/8"), "gw": str("10.0.0.1")})}),
			config: obj(vals{"name": str("a"), "net": cty.ObjectVal(vals{"cidr": str("11/8"), "gw": cty.NullVal(cty.String)})}),
			want: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"),
				"net": cty.ObjectVal(vals{"cidr": str("11/8"), "gw": str("10.0.0.1")})}),
		},
		{
			name: "single block removed",
			prior: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"),
				"net": cty.ObjectVal(vals{"cidr": str("10/8"), "gw": str("10.0.0.1")})}),
			config: obj(vals{"name": str("a")}),
			want:   obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i")}),
		},
		{
			name: "list block by position",
			prior: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"), "disk": cty.ListVal([]cty.Value{
				cty.ObjectVal(vals{"gb": cty.NumberIntVal(10), "uuid": str("u0")}),
			})}),
			config: obj(vals{"name": str("a"), "disk": cty.ListVal([]cty.Value{
				cty.ObjectVal(vals{"gb": cty.NumberIntVal(20), "uuid": cty.NullVal(cty.String)}),
				cty.ObjectVal(vals{"gb": cty.NumberIntVal(30), "uuid": cty.NullVal(cty.String)}),
			})}),
			want: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"), "disk": cty.ListVal([]cty.Value{
				cty.ObjectVal(vals{"gb": cty.NumberIntVal(20), "uuid": str("u0")}),
				cty.ObjectVal(vals{"gb": cty.NumberIntVal(30), "uuid": unknownStr}),
			})}),
		},
		{
			name:   "unknown list block stays unknown",
			prior:  cty.NullVal(ty),
			config: obj(vals{"name": str("a"), "disk": cty.UnknownVal(cty.List(diskTy))}),
			want:   obj(vals{"name": str("a"), "size": str("small"), "zone": unknownStr, "id": unknownStr, "disk": cty.UnknownVal(cty.List(diskTy))}),
		},
		{
			name: "map block by key",
			prior: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"), "port": cty.MapVal(vals{
				"http": cty.ObjectVal(vals{"n": cty.NumberIntVal(80), "fw": str("fw-1")}),
				"gone": cty.ObjectVal(vals{"n": cty.NumberIntVal(1), "fw": str("fw-2")}),
			})}),
			config: obj(vals{"name": str("a"), "port": cty.MapVal(vals{
				"http":  cty.ObjectVal(vals{"n": cty.NumberIntVal(8080), "fw": cty.NullVal(cty.String)}),
				"https": cty.ObjectVal(vals{"n": cty.NumberIntVal(443), "fw": cty.NullVal(cty.String)}),
			})}),
			want: obj(vals{"name": str("a"), "size": str("small"), "zone": str("z"), "id": str("i"), "port": cty.MapVal(vals{
				"http":  cty.ObjectVal(vals{"n": cty.NumberIntVal(8080), "fw": str("fw-1")}),
				"https": cty.ObjectVal(vals{"n": cty.NumberIntVal(443), "fw": unknownStr}),
			})}),
		},
		{
			name:  "set block taken from config",
			prior: obj(vals{"name": str("a"), "id": str("i"), "rule": cty.SetVal([]cty.Value{cty.ObjectVal(vals{"p": cty.NumberIntVal(1), "id": str("r1")})})}),
			config: obj(vals{"name": str("a"), "rule": cty.SetVal([]cty.Value{
				cty.ObjectVal(vals{"p": cty.NumberIntVal(2), "id": cty.NullVal(cty.String)})})}),
			want: obj(vals{"name": str("a"), "size": str("small"), "id": str("i"), "rule": cty.SetVal([]cty.Value{
				cty.ObjectVal(vals{"p": cty.NumberIntVal(2), "id": cty.NullVal(cty.String)})})}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ProposedNewObject(proposedSchema, tc.prior, tc.config)
			if !got.RawEquals(tc.want) {
				t.Errorf("ProposedNewObject()\n got: %#v\nwant: %#v", got, tc.want)
			}
			if errs := got.Type().TestConformance(ty); len(errs) > 0 {
				t.Errorf("result does not conform to the implied type: %v", errs)
			}
		})
	}
}

func TestProposedNewObjectDynamic(t *testing.T) {
	s := &Schema{Attributes: map[string]*Attribute{
		"in":  {Type: cty.DynamicPseudoType, Optional: true},
		"out": {Type: cty.DynamicPseudoType, Computed: true},
	}}
	config := cty.ObjectVal(vals{"in": cty.ListVal([]cty.Value{str("x")}), "out": cty.NullVal(cty.DynamicPseudoType)})
	got := ProposedNewObject(s, cty.NullVal(s.ImpliedType()), config)
	want := cty.ObjectVal(vals{"in": cty.ListVal([]cty.Value{str("x")}), "out": cty.DynamicVal})
	if !got.RawEquals(want) {
		t.Errorf("ProposedNewObject()\n got: %#v\nwant: %#v", got, want)
	}
}
