package dag

import (
	"context"
	"fmt"
	"testing"
)

// benchShapes are the graph shapes the benchmarks run on, each with n
// vertices.
var benchShapes = []struct {
	name  string
	build func(n int) *Graph[int]
}{
	{"chain", chain},
	{"fan-out", func(n int) *Graph[int] { // one dependency, n-1 dependents
		g := New[int]()
		g.Add(0)
		for i := 1; i < n; i++ {
			g.Connect(i, 0)
		}
		return g
	}},
	{"fan-in", func(n int) *Graph[int] { // n-1 independent vertices, one dependent of all
		g := New[int]()
		for i := 1; i < n; i++ {
			g.Connect(0, i)
		}
		return g
	}},
	{"layered", func(n int) *Graph[int] { // layers of 100, each vertex depends on 3 in the layer below
		g := New[int]()
		const width = 100
		for i := range n {
			g.Add(i)
			if i >= width {
				base := (i/width - 1) * width
				for k := range 3 {
					g.Connect(i, base+(i+k*37)%width)
				}
			}
		}
		return g
	}},
}

var benchSizes = []int{1_000, 10_000, 50_000}

func BenchmarkWalk(b *testing.B) {
	noop := func(context.Context, int) error { return nil }
	for _, shape := range benchShapes {
		for _, n := range benchSizes {
			g := shape.build(n)
			b.Run(fmt.Sprintf("%s/%d", shape.name, n), func(b *testing.B) {
				for b.Loop() {
					if res := g.Walk(context.Background(), WalkOptions{}, noop); res.Err() != nil {
						b.Fatal(res.Err())
					}
				}
			})
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, shape := range benchShapes {
		b.Run(fmt.Sprintf("%s/50000", shape.name), func(b *testing.B) {
			for b.Loop() {
				shape.build(50_000)
			}
		})
	}
}

func BenchmarkTopologicalOrder(b *testing.B) {
	for _, shape := range benchShapes {
		g := shape.build(50_000)
		b.Run(fmt.Sprintf("%s/50000", shape.name), func(b *testing.B) {
			for b.Loop() {
				if _, err := g.TopologicalOrder(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCycles(b *testing.B) {
	for _, shape := range benchShapes {
		g := shape.build(50_000)
		b.Run(fmt.Sprintf("%s/50000", shape.name), func(b *testing.B) {
			for b.Loop() {
				if c := g.Cycles(); c != nil {
					b.Fatal(c)
				}
			}
		})
	}
}
