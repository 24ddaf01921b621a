package status

import (
	"slices"
	"testing"
)

func TestRing(t *testing.T) {
	tests := []struct {
		name string
		size int
		push int
		want []int
	}{
		{"empty", 3, 0, nil},
		{"partly filled", 3, 2, []int{1, 2}},
		{"exactly full", 3, 3, []int{1, 2, 3}},
		{"wrapped", 3, 7, []int{5, 6, 7}},
		{"size below one keeps one", 0, 4, []int{4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRing[int](tc.size)
			for i := 1; i <= tc.push; i++ {
				r.Push(i)
			}
			got := r.Values()
			if !slices.Equal(got, tc.want) || r.Len() != len(tc.want) {
				t.Errorf("Values = %v (Len %d), want %v", got, r.Len(), tc.want)
			}
			if len(got) > 0 {
				got[0] = -1
				if r.Values()[0] == -1 {
					t.Error("Values shares memory with the ring")
				}
			}
		})
	}
	var zero Ring[int]
	zero.Push(1)
	if zero.Len() != 0 {
		t.Error("a zero Ring holds a value")
	}
}
