package resources

import (
	"regexp"
	"strings"
	"testing"
)

func TestEditLines(t *testing.T) {
	tests := []struct {
		name, content, line, match string
		absent                     bool
		want                       string
	}{
		{"append", "a\n", "b", "", false, "a\nb\n"},
		{"append to unterminated", "a", "b", "", false, "a\nb\n"},
		{"append to empty", "", "b", "", false, "b\n"},
		{"present", "a\nb\n", "a", "", false, "a\nb\n"},
		{"replace last match", "x=1\ny\nx=2\n", "x=3", "^x=", false, "x=1\ny\nx=3\n"},
		{"replace unterminated", "x=1", "x=3", "^x=", false, "x=3"},
		{"no match appends", "y\n", "x=3", "^x=", false, "y\nx=3\n"},
		{"remove all equal", "a\nb\na\n", "a", "", true, "b\n"},
		{"remove matching", "#a\nb\n#c", "", "^#", true, "b\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var re *regexp.Regexp
			if tc.match != "" {
				re = regexp.MustCompile(tc.match)
			}
			if got := editLines(tc.content, tc.line, re, tc.absent); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzEditLines checks the line kind's edit: it converges in one step
// (a second edit changes nothing), a present line is there afterwards, an
// absent one is not, and lines not involved are kept in order.
func FuzzEditLines(f *testing.F) {
	f.Add("a\nb\n", "c", "", false)
	f.Add("PermitRootLogin yes\n", "PermitRootLogin no", "^#?PermitRootLogin", false)
	f.Add("x\ny\nx", "x", "", true)
	f.Add("k=1\n", "", "^k=", true)
	f.Fuzz(func(t *testing.T, content, line, match string, absent bool) {
		if strings.ContainsAny(line, "\r\n") {
			return // rejected by Validate
		}
		var re *regexp.Regexp
		if match != "" {
			var err error
			if re, err = regexp.Compile(match); err != nil {
				return
			}
		}
		once := editLines(content, line, re, absent)
		if twice := editLines(once, line, re, absent); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", content, once, twice)
		}
		lines := strings.Split(strings.TrimSuffix(once, "\n"), "\n")
		found := false
		for _, l := range lines {
			if l == line {
				found = true
			}
			if absent && re != nil && re.MatchString(l) && once != "" {
				t.Fatalf("absent: %q still has a line matching %q", once, match)
			}
		}
		if !absent && !found {
			t.Fatalf("present: %q lacks %q", once, line)
		}
		if absent && re == nil && found && once != "" {
			t.Fatalf("absent: %q still has %q", once, line)
		}
	})
}
