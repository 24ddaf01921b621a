package state

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func mustAddr(t testing.TB, s string) InstanceAddr {
	t.Helper()
	a, err := ParseInstanceAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// richState returns a state that exercises every part of the format.
func richState(t testing.TB) *State {
	t.Helper()
	s := New()
	s.Lineage = "00000000-0000-4000-8000-000000000001"
	s.Serial = 41
	attrs := cty.ObjectVal(map[string]cty.Value{
		"id":       cty.StringVal("i-123"),
		"password": cty.StringVal("hunter2"),
		"size":     cty.NumberIntVal(3),
		"ratio":    cty.NumberFloatVal(0.25),
		"enabled":  cty.True,
		"nothing":  cty.NullVal(cty.String),
		"tags":     cty.MapVal(map[string]cty.Value{"env": cty.StringVal("prod"), "secret": cty.StringVal("s3")}),
		"disks": cty.ListVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"size": cty.NumberIntVal(10), "labels": cty.SetVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})}),
		}),
		"tuple":   cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.NumberIntVal(1), cty.EmptyObjectVal}),
		"dynamic": cty.NullVal(cty.DynamicPseudoType),
		"html":    cty.StringVal("<a href=\"x\">&</a>"),
	})
	s.SetInstance(mustAddr(t, `machine.web[0]`), "provider.local", &Object{
		Value: attrs,
		SensitivePaths: []cty.Path{
			cty.GetAttrPath("password"),
			cty.GetAttrPath("tags").IndexString("secret"),
			cty.GetAttrPath("disks").IndexInt(0).GetAttr("size"),
		},
		Private:             []byte{0, 1, 2, 0xff},
		Dependencies:        []ResourceAddr{mustAddr(t, `machine.db`).Resource, mustAddr(t, `data.std_file.cfg`).Resource},
		CreateBeforeDestroy: true,
	})
	s.SetInstance(mustAddr(t, `machine.web[1]`), "provider.local", &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("i-2")}), Status: Tainted})
	s.SetDeposed(mustAddr(t, `machine.web[1]`), "0a1b2c3d", "provider.local", &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("i-old")}), CreateBeforeDestroy: true})
	s.SetDeposed(mustAddr(t, `machine.web[2]`), "ffff0000", "provider.local", &Object{Value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("i-gone")})})
	// A create in progress: what the plan did not know yet is null.
	s.SetInstance(mustAddr(t, `machine.web[3]`), "provider.local", &Object{
		Value: cty.ObjectVal(map[string]cty.Value{
			"id": cty.NullVal(cty.String), "name": cty.StringVal("web-3"), "outputs": cty.NullVal(cty.DynamicPseudoType),
		}),
		Dependencies: []ResourceAddr{mustAddr(t, `machine.db`).Resource},
		Status:       Creating,
	})
	s.SetInstance(mustAddr(t, `module.app["eu"].std_null.n["k\"1"]`), "provider.std.alias", &Object{Value: cty.EmptyObjectVal})
	s.SetInstance(mustAddr(t, `data.std_file.cfg`), "provider.std", &Object{Value: cty.ObjectVal(map[string]cty.Value{"content": cty.StringVal("hi\n")})})
	s.SetOutput("url", &Output{Value: cty.StringVal("http://www.example.test/")})
	s.SetOutput("secret", &Output{Value: cty.ListVal([]cty.Value{cty.StringVal("x")}), Sensitive: true})
	return s
}
