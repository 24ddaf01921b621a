package plugins

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

// TestValueRoundTripProperty marks random parts of values sensitive and
// checks that each crosses the wire unchanged, marks included, and that the
// msgpack bytes are go-cty's for the unmarked value: a peer using go-cty's
// codec reads them alike.
func TestValueRoundTripProperty(t *testing.T) {
	nullType := cty.Object(map[string]cty.Type{
		"triggers": cty.Map(cty.String), "inputs": cty.DynamicPseudoType, "id": cty.String, "outputs": cty.DynamicPseudoType,
	})
	inputs := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("r-1"), "ports": cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.UnknownVal(cty.Number)}),
		"meta": cty.MapVal(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.NullVal(cty.String)}),
	})
	bases := []struct {
		ty  cty.Type
		val cty.Value
	}{
		{widgetType, widget(nil)},
		{widgetType, widget(map[string]cty.Value{"id": cty.UnknownVal(cty.String), "any": cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.True})})},
		{nullType, cty.ObjectVal(map[string]cty.Value{
			"triggers": cty.MapVal(map[string]cty.Value{"n": cty.StringVal("1")}), "inputs": inputs,
			"id": cty.UnknownVal(cty.String), "outputs": cty.DynamicVal,
		})},
		{nullType, cty.ObjectVal(map[string]cty.Value{
			"triggers": cty.NullVal(cty.Map(cty.String)), "inputs": inputs, "id": cty.StringVal("abc"), "outputs": inputs,
		})},
		{cty.DynamicPseudoType, inputs},
	}
	marked := 0
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 7))
		base := bases[r.IntN(len(bases))]
		val := markRandomly(t, r, base.val)
		if val.ContainsMarked() {
			marked++
		}
		dv, err := encodeValue(val, base.ty)
		if err != nil {
			t.Fatalf("seed %d: encode %#v: %v", seed, val, err)
		}
		unmarked, _ := val.UnmarkDeep()
		want, err := ctymsgpack.Marshal(unmarked, base.ty)
		if err != nil || !bytes.Equal(dv.Msgpack, want) {
			t.Fatalf("seed %d: msgpack of %#v\n got %x\nwant %x (go-cty, %v)", seed, val, dv.Msgpack, want, err)
		}
		got, err := decodeValue(wire(t, dv), base.ty)
		if err != nil {
			t.Fatalf("seed %d: decode: %v", seed, err)
		}
		if !got.RawEquals(val) {
			t.Fatalf("seed %d: round trip\n sent %#v\n got  %#v", seed, val, got)
		}
	}
	if marked < 400 {
		t.Fatalf("only %d of 500 values had marks; the test does not test marks", marked)
	}
}

// markRandomly marks about a quarter of the parts of v sensitive.
func markRandomly(t *testing.T, r *rand.Rand, v cty.Value) cty.Value {
	t.Helper()
	var pvms []cty.PathValueMarks
	err := cty.Walk(v, func(p cty.Path, _ cty.Value) (bool, error) {
		if r.IntN(4) == 0 {
			pvms = append(pvms, cty.PathValueMarks{Path: p.Copy(), Marks: cty.NewValueMarks(funcs.SensitiveMark)})
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v.MarkWithPaths(pvms)
}
