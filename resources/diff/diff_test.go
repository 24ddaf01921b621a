package diff

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestUnifiedGolden(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
	}{
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n"},
		{"from empty", "", "hello\nworld\n"},
		{"to empty", "hello\nworld\n", ""},
		{"no newline at end", "a\nb", "a\nb\n"},
		{"two hunks", numbered(1, 20, nil), numbered(1, 20, map[int]string{2: "two\n", 18: "eighteen\n"})},
		{"merged hunks", numbered(1, 12, nil), numbered(1, 12, map[int]string{3: "three\n", 8: "eight\n"})},
		{"insert in middle", "server {\n  listen 80;\n}\n", "server {\n  listen 80;\n  root /srv;\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Unified("a/"+tc.name, tc.old, "b/"+tc.name, tc.new)
			golden := filepath.Join("testdata", strings.ReplaceAll(tc.name, " ", "_")+".diff")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
			if patched, err := apply(tc.old, got); err != nil || patched != tc.new {
				t.Errorf("applying the diff: %v; got %q, want %q", err, patched, tc.new)
			}
		})
	}
}

func TestUnifiedEqual(t *testing.T) {
	if got := Unified("a", "x\n", "b", "x\n"); got != "" {
		t.Errorf("equal texts gave %q", got)
	}
}

func TestUnifiedLargeFallback(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&a, "old %d\n", i)
		fmt.Fprintf(&b, "new %d\n", i)
	}
	d := Unified("a", a.String(), "b", b.String())
	if got, err := apply(a.String(), d); err != nil || got != b.String() {
		t.Fatalf("fallback diff does not apply: %v", err)
	}
}

// numbered returns lines "lo".."hi", with some replaced.
func numbered(lo, hi int, repl map[int]string) string {
	var sb strings.Builder
	for i := lo; i <= hi; i++ {
		if r, ok := repl[i]; ok {
			sb.WriteString(r)
			continue
		}
		fmt.Fprintf(&sb, "%d\n", i)
	}
	return sb.String()
}

// apply applies a unified diff produced by Unified to old; it is the test's
// independent check that hunks, ranges and newline markers are right.
func apply(old, patch string) (string, error) {
	if patch == "" {
		return old, nil
	}
	a := splitLines(old)
	lines := strings.SplitAfter(patch, "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("missing header")
	}
	var out []string
	pos := 0
	for i := 2; i < len(lines) && lines[i] != ""; {
		h := lines[i]
		if !strings.HasPrefix(h, "@@ -") {
			return "", fmt.Errorf("line %d: want a hunk header, got %q", i, h)
		}
		oldStart, oldCount, err := parseRange(strings.Fields(h)[1][1:])
		if err != nil {
			return "", err
		}
		if oldCount > 0 {
			oldStart--
		}
		if oldStart < pos || oldStart > len(a) {
			return "", fmt.Errorf("hunk %q out of order", h)
		}
		out = append(out, a[pos:oldStart]...)
		pos = oldStart
		i++
		for i < len(lines) && lines[i] != "" && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			body := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline`) {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ':
				if pos >= len(a) || a[pos] != body {
					return "", fmt.Errorf("context %q does not match", body)
				}
				out = append(out, body)
				pos++
			case '-':
				if pos >= len(a) || a[pos] != body {
					return "", fmt.Errorf("deleted line %q does not match", body)
				}
				pos++
			case '+':
				out = append(out, body)
			default:
				return "", fmt.Errorf("bad line %q", l)
			}
			i++
		}
	}
	out = append(out, a[pos:]...)
	return strings.Join(out, ""), nil
}

func parseRange(s string) (start, count int, err error) {
	first, second, found := strings.Cut(s, ",")
	if start, err = strconv.Atoi(first); err != nil {
		return 0, 0, err
	}
	count = 1
	if found {
		count, err = strconv.Atoi(second)
	}
	return start, count, err
}

// FuzzUnified checks that every diff applies back to the new text.
func FuzzUnified(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd")
	f.Add("", "x")
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\nx\n4\n5\n6\n7\ny\n9\n")
	f.Fuzz(func(t *testing.T, old, new string) {
		d := Unified("a", old, "b", new)
		got, err := apply(old, d)
		if err != nil {
			t.Fatalf("diff does not apply: %v\n%s", err, d)
		}
		if got != new {
			t.Fatalf("applied diff gives %q, want %q\n%s", got, new, d)
		}
	})
}
