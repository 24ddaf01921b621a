package ctymsgpack

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
	gocty "github.com/zclconf/go-cty/cty/msgpack"
)

// BenchmarkCodec compares this package with go-cty on a std_null state,
// the value plan and apply carry most (two dynamic attributes).
func BenchmarkCodec(b *testing.B) {
	v := cases[1].val // std_null applied
	ty := cases[1].ty
	enc, err := Marshal(v, ty)
	if err != nil {
		b.Fatal(err)
	}
	impls := []struct {
		name      string
		marshal   func(cty.Value, cty.Type) ([]byte, error)
		unmarshal func([]byte, cty.Type) (cty.Value, error)
	}{
		{"ctymsgpack", Marshal, Unmarshal},
		{"go-cty", gocty.Marshal, gocty.Unmarshal},
	}
	for _, impl := range impls {
		b.Run("marshal/"+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.marshal(v, ty); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("unmarshal/"+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.unmarshal(enc, ty); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
