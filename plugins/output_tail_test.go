package plugins

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestOutputTail(t *testing.T) {
	numbered := func(from, to int) []string {
		var out []string
		for i := from; i <= to; i++ {
			out = append(out, fmt.Sprintf("line %d", i))
		}
		return out
	}
	tests := []struct {
		name   string
		writes []string
		want   []string
	}{
		{"nothing", nil, nil},
		{"lines in pieces", []string{"hel", "lo\nwor", "ld\r\n", "\n"}, []string{"hello", "world", ""}},
		{"unfinished line is held back", []string{"done\nhalf"}, []string{"done"}},
		{"only the last lines", []string{strings.Join(numbered(1, 40), "\n") + "\n"}, numbered(11, 40)},
		{"a panic line outlives its scroll", []string{"panic: boom\n", strings.Join(numbered(1, 40), "\n") + "\n"},
			append([]string{"panic: boom", "…"}, numbered(11, 40)...)},
		{"a fatal error still in view", []string{"fatal error: out of memory\nline 1\n"}, []string{"fatal error: out of memory", "line 1"}},
		{"long lines are cut", []string{strings.Repeat("x", 3000) + "\n"}, []string{strings.Repeat("x", maxLineLen) + "…"}},
		{"an endless line is not held back", []string{strings.Repeat("y", 3000)}, []string{strings.Repeat("y", maxLineLen) + "…"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tail outputTail
			var logged []string
			w := tail.writer(func(line string) { logged = append(logged, line) })
			for _, s := range tc.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if got := tail.lines(); !slices.Equal(got, tc.want) {
				t.Errorf("lines() =\n%q\nwant\n%q", got, tc.want)
			}
			if n := strings.Count(strings.Join(tc.writes, ""), "\n"); len(logged) < min(n, 1) {
				t.Errorf("logged %d lines, want every complete line", len(logged))
			}
		})
	}
}
