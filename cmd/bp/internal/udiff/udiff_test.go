package udiff

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

func TestUnifiedGolden(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
	}{
		{"equal", "a\nb\n", "a\nb\n"},
		{"one_line_changed", "a\nb\nc\n", "a\nB\nc\n"},
		{"from_empty", "", "a\nb\n"},
		{"to_empty", "a\nb\n", ""},
		{"no_newline_at_end_of_old", "a\nb", "a\nb\n"},
		{"no_newline_at_end_of_new", "a\nb\n", "a\nb"},
		{"two_hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\nELEVEN\n12\n"},
		{"reformatted_block", "resource \"machine\" \"web\" {\nimage=\"debian-12\"\n  size = \"small\"\n}\n", "resource \"machine\" \"web\" {\n  image = \"debian-12\"\n  size  = \"small\"\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Unified("main.bp.hcl.orig", []byte(tc.old), "main.bp.hcl", []byte(tc.new))
			if tc.old == tc.new && got != nil {
				t.Fatalf("equal texts gave a diff:\n%s", got)
			}
			golden := filepath.Join("testdata", tc.name+".diff")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(golden); err != nil {
				t.Fatalf("%v (go test -update creates it)", err)
			} else if !bytes.Equal(got, want) {
				t.Errorf("diff differs from %s:\n--- got\n%s--- want\n%s", golden, got, want)
			}
			if applied, err := apply([]byte(tc.old), got); err != nil {
				t.Fatalf("diff does not apply: %v\n%s", err, got)
			} else if string(applied) != tc.new {
				t.Fatalf("applying the diff gave %q, want %q", applied, tc.new)
			}
		})
	}
}

// FuzzUnified checks that applying the diff of any two texts to the first
// gives the second.
func FuzzUnified(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd")
	f.Add("", "x")
	f.Add("x\n\n\ny\n", "\n\nx\ny\n\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		d := Unified("a", []byte(old), "b", []byte(new))
		got, err := apply([]byte(old), d)
		if err != nil {
			t.Fatalf("diff does not apply: %v\n%s", err, d)
		}
		if string(got) != new {
			t.Fatalf("applying the diff gave %q, want %q\n%s", got, new, d)
		}
	})
}

// apply is a strict patch(1): it applies a unified diff to old, checking
// every context and removed line and every hunk's line counts.
func apply(old, patch []byte) ([]byte, error) {
	if patch == nil {
		return old, nil
	}
	oldLines := splitLines(string(old))
	lines := splitLines(string(patch))
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return nil, fmt.Errorf("missing --- / +++ header")
	}
	lines = lines[2:]
	var out []string
	next := 0 // index in oldLines of the first line not yet copied
	for len(lines) > 0 {
		var os, oc, ns, nc int
		if _, err := fmt.Sscanf(lines[0], "@@ -%d,%d +%d,%d @@\n", &os, &oc, &ns, &nc); err != nil {
			return nil, fmt.Errorf("bad hunk header %q: %v", lines[0], err)
		}
		lines = lines[1:]
		start := max(os-1, 0)
		if oc == 0 {
			start = os // an empty old side names the line before the hunk
		}
		if start < next || start > len(oldLines) {
			return nil, fmt.Errorf("hunk starts at %d, out of order or past the end", os)
		}
		out = append(out, oldLines[next:start]...)
		next = start
		gotOld, gotNew := 0, 0
		for len(lines) > 0 && !strings.HasPrefix(lines[0], "@@") {
			l := lines[0]
			lines = lines[1:]
			noEOL := len(lines) > 0 && strings.HasPrefix(lines[0], `\ No newline at end of file`)
			if noEOL {
				lines = lines[1:]
				l = strings.TrimSuffix(l, "\n")
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(oldLines) || oldLines[next] != l[1:] {
					return nil, fmt.Errorf("line %d: want %q, old has %q", next+1, l[1:], at(oldLines, next))
				}
				next++
				gotOld++
				if l[0] == ' ' {
					out = append(out, l[1:])
					gotNew++
				}
			case '+':
				out = append(out, l[1:])
				gotNew++
			default:
				return nil, fmt.Errorf("bad hunk line %q", l)
			}
		}
		if gotOld != oc || gotNew != nc {
			return nil, fmt.Errorf("hunk counts -%d +%d, header says -%d +%d", gotOld, gotNew, oc, nc)
		}
	}
	out = append(out, oldLines[next:]...)
	return []byte(strings.Join(out, "")), nil
}

func splitLines(s string) []string {
	l := strings.SplitAfter(s, "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "EOF at line " + strconv.Itoa(i+1)
}
