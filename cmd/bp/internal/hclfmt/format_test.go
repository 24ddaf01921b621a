package hclfmt

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		want        string
		changed     bool
		wantErrLine int // line of the first syntax error, 0 for none
	}{
		{
			name:    "aligns and indents",
			src:     "resource \"machine\" \"web\" {\nimage=\"debian-12\"\n  count = 2\n}\n",
			want:    "resource \"machine\" \"web\" {\n  image = \"debian-12\"\n  count = 2\n}\n",
			changed: true,
		},
		{
			name: "already canonical",
			src:  "locals {\n  site = \"shop.example.test\"\n}\n",
			want: "locals {\n  site = \"shop.example.test\"\n}\n",
		},
		{
			name: "empty file",
			src:  "",
			want: "",
		},
		{
			name:    "spacing in expressions",
			src:     "output \"url\" {\n  value = \"http://${var.host}/\"\n  n = 1+2*3\n}\n",
			want:    "output \"url\" {\n  value = \"http://${var.host}/\"\n  n     = 1 + 2 * 3\n}\n",
			changed: true,
		},
		{
			name:        "unclosed block",
			src:         "resource \"machine\" \"web\" {\n  image = \"debian-12\"\n",
			wantErrLine: 1,
		},
		{
			name:        "missing value",
			src:         "variable \"n\" {\n  default =\n}\n",
			wantErrLine: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Format([]byte(tc.src), "main.bp.hcl")
			if res.File == nil {
				t.Fatal("Result.File is nil")
			}
			if tc.wantErrLine != 0 {
				if !res.Diagnostics.HasErrors() {
					t.Fatalf("no syntax error reported; formatted to %q", res.Formatted)
				}
				if got := res.Diagnostics[0].Subject.Start.Line; got != tc.wantErrLine {
					t.Errorf("error at line %d, want %d: %s", got, tc.wantErrLine, res.Diagnostics.Error())
				}
				if res.Formatted != nil {
					t.Errorf("Formatted = %q for a source with errors, want nil", res.Formatted)
				}
				return
			}
			if res.Diagnostics.HasErrors() {
				t.Fatal(res.Diagnostics.Error())
			}
			if string(res.Formatted) != tc.want {
				t.Errorf("Formatted:\n%s\nwant:\n%s", res.Formatted, tc.want)
			}
			if res.Changed != tc.changed {
				t.Errorf("Changed = %v, want %v", res.Changed, tc.changed)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := map[string]bool{
		"main.bp.hcl":               true,
		"dir/net.bp.hcl":            true,
		"prod.bpvars.hcl":           true,
		"terraform.auto.bpvars.hcl": true,
		"main.bp.json":              false,
		"main.tf":                   false,
		".bp.hcl":                   false,
		"main.hcl":                  false,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Match(name); got != want {
				t.Errorf("Match(%q) = %v, want %v", name, got, want)
			}
		})
	}
}

// FuzzFormat checks the promises of Format on any input: no panic; errors
// exactly when the source does not parse; output that parses, is stable under
// formatting again and keeps every non-space character of the source in order.
func FuzzFormat(f *testing.F) {
	for _, s := range []string{
		"a = 1\n",
		"resource \"machine\" \"web\" {\nimage=\"x\"\n  labels = { a = 1, bb = 2 }\n}\n",
		"x = [\n1,\n2,\n]\n",
		"y = <<EOT\n  text\nEOT\n",
		"b {\n  c = \"${d}\" # comment\n  /* e */ f = g.h[0]\n}\n",
		"a = 1\r\nb = 2\r\n",
		"z = {\n\"k\" = v\n}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res := Format(src, "fuzz.bp.hcl")
		_, parseDiags := hclsyntax.ParseConfig(src, "fuzz.bp.hcl", hcl.InitialPos)
		if parseDiags.HasErrors() {
			if res.Formatted != nil {
				t.Fatal("formatted a source that does not parse")
			}
			return
		}
		if res.Diagnostics.HasErrors() {
			// Format refused to touch a file it could not format safely.
			return
		}
		again := Format(res.Formatted, "fuzz.bp.hcl")
		if again.Diagnostics.HasErrors() {
			t.Fatalf("formatted output does not parse: %s\n%q", again.Diagnostics.Error(), res.Formatted)
		}
		if again.Changed || !bytes.Equal(again.Formatted, res.Formatted) {
			t.Fatalf("not idempotent:\nonce:  %q\ntwice: %q", res.Formatted, again.Formatted)
		}
		if a, b := squeeze(src), squeeze(res.Formatted); a != b {
			t.Fatalf("formatting changed more than spacing:\nbefore: %q\nafter:  %q", a, b)
		}
	})
}

// squeeze drops all white space, which formatting may change.
func squeeze(b []byte) string {
	return strings.Join(strings.Fields(string(b)), "")
}
