package view

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// rangeOf returns the range of the nth (0-based) occurrence of text in src.
func rangeOf(t *testing.T, src []byte, filename, text string, nth int) *hcl.Range {
	t.Helper()
	off := -1
	for i, from := 0, 0; i <= nth; i++ {
		j := bytes.Index(src[from:], []byte(text))
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times in %s", text, nth+1, filename)
		}
		off = from + j
		from = off + 1
	}
	return &hcl.Range{Filename: filename, Start: posAt(src, off), End: posAt(src, off+len(text))}
}

func posAt(src []byte, off int) hcl.Pos {
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	return hcl.Pos{
		Line:   1 + bytes.Count(src[:lineStart], []byte{'\n'}),
		Column: 1 + utf8.RuneCount(src[lineStart:off]),
		Byte:   off,
	}
}

func TestPrinterGolden(t *testing.T) {
	src, err := os.ReadFile("testdata/main.bp.hcl")
	if err != nil {
		t.Fatal(err)
	}
	const name = "examples/webapp/main.bp.hcl"
	badSrc := []byte("resource \"machine\" \"db\" {\n  image = \n")
	badFile, syntaxDiags := hclsyntax.ParseConfig(badSrc, "broken.bp.hcl", hcl.InitialPos)
	if !syntaxDiags.HasErrors() {
		t.Fatal("broken.bp.hcl parsed without errors; the syntax-error case needs a real error")
	}
	condSrc := []byte("variable \"web_count\" {\n  validation {\n    condition     = var.web_count >= 1 && var.web_count <= var.max[0] && local.token != \"\"\n  }\n}\n")
	files := map[string]*hcl.File{
		name:            {Bytes: src},
		"broken.bp.hcl": badFile,
		"vars.bp.hcl":   {Bytes: condSrc},
	}

	tests := []struct {
		name  string
		width int
		diags hcl.Diagnostics
	}{
		{
			name:  "error_with_range",
			width: 60,
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Duplicate resource",
				Detail:   "A resource named machine.web was already declared at main.bp.hcl:1:1. Resource names must be unique per type in a module; rename one of them.",
				Subject:  rangeOf(t, src, name, `resource "machine" "web"`, 1),
			}},
		},
		{
			name: "warning_with_range",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagWarning,
				Summary:  "Unknown service state",
				Detail:   `"runing" is not a service state. Did you mean "running"?`,
				Subject:  rangeOf(t, src, name, `"runing"`, 0),
			}},
		},
		{
			name: "no_range",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No blueprint files",
				Detail:   "The directory examples/empty contains no *.bp.hcl or *.bp.json files.",
			}},
		},
		{
			name:  "summary_only",
			diags: hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Deprecated flag"}},
		},
		{
			name: "multi_line_range_is_capped",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Incorrect attribute value type",
				Detail:   "Inappropriate value for attribute \"labels\": map of string required.",
				Subject:  rangeOf(t, src, name, "{\n    tier = \"web\"\n    role = \"front\"\n  }", 0),
			}},
		},
		{
			name: "range_ending_at_line_start",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Unsupported argument",
				Subject:  rangeOf(t, src, name, "  image = \"debian-12\"\n", 0),
			}},
		},
		{
			name: "blank_line_inside_range",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Missing newline after block",
				Subject:  rangeOf(t, src, name, "}\n\nresource", 0),
			}},
		},
		{
			name: "tab_indented_line",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Duplicate service",
				Subject:  rangeOf(t, src, name, `service "nginx"`, 0),
			}},
		},
		{
			name: "non_ascii_before_range",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Reference to undeclared local value",
				Detail:   "A local value with the name \"naem\" has not been declared. Did you mean \"name\"?",
				Subject:  rangeOf(t, src, name, "local.naem", 0),
			}},
		},
		{
			name:  "syntax_error_from_parser",
			diags: syntaxDiags,
		},
		{
			name: "file_without_source",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Unreadable file",
				Detail:   "The file could not be read.",
				Subject:  &hcl.Range{Filename: "gone.bp.hcl", Start: hcl.Pos{Line: 3, Column: 2, Byte: 20}, End: hcl.Pos{Line: 3, Column: 5, Byte: 23}},
			}},
		},
		{
			name: "range_outside_source",
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Stale range",
				Subject:  &hcl.Range{Filename: name, Start: hcl.Pos{Line: 900, Column: 1, Byte: 90000}, End: hcl.Pos{Line: 900, Column: 2, Byte: 90001}},
			}},
		},
		{
			name:  "preformatted_detail_and_control_characters",
			width: 40,
			diags: hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid value\x1b[2J",
				Detail:   "The value must be one of the following, and this sentence is long enough to wrap:\n  - \"small\"\n  - \"large\"\nGot \"\x1b]0;pwned\x07\".",
			}},
		},
		{
			name:  "expression_values",
			diags: hcl.Diagnostics{expressionDiagnostic(t, condSrc, "vars.bp.hcl")},
		},
		{
			name: "several_diagnostics",
			diags: hcl.Diagnostics{
				{Severity: hcl.DiagWarning, Summary: "First", Detail: "One."},
				{Severity: hcl.DiagError, Summary: "Second", Subject: rangeOf(t, src, name, "debian-12", 0)},
			},
		},
	}
	for _, tc := range tests {
		for _, color := range []bool{false, true} {
			golden := filepath.Join("testdata", "golden", tc.name+".txt")
			if color {
				golden = filepath.Join("testdata", "golden", tc.name+".color.txt")
			}
			t.Run(filepath.Base(golden), func(t *testing.T) {
				var buf bytes.Buffer
				p := NewPrinter(&buf, files, Options{Color: color, Width: tc.width})
				if err := p.Print(tc.diags); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, golden, buf.Bytes())
				if !color && bytes.Contains(buf.Bytes(), []byte("\x1b")) {
					t.Errorf("output without color contains an escape sequence:\n%q", buf.String())
				}
			})
		}
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestPrintDiagnosticNil(t *testing.T) {
	var buf bytes.Buffer
	if err := NewPrinter(&buf, nil, Options{}).Print(hcl.Diagnostics{nil}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("nil diagnostic printed %q, want nothing", buf.String())
	}
}

// An empty source line renders without the trailing space.
var sourceLine = regexp.MustCompile(`^    +[0-9]+:( |$)`)

// FuzzSnippet checks that any range over any source renders without panicking
// and that it consists only of numbered source lines and underlines.
func FuzzSnippet(f *testing.F) {
	f.Add([]byte("a = 1\nb = 2\n"), 0, 5)
	f.Add([]byte("x\r\ny"), 1, 4)
	f.Add([]byte("\t\xffé\n"), 2, 2)
	f.Fuzz(func(t *testing.T, src []byte, start, end int) {
		out := snippet(src, hcl.Range{Start: hcl.Pos{Byte: start}, End: hcl.Pos{Byte: end}}, false, "")
		if out == "" {
			return
		}
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			switch {
			case sourceLine.MatchString(l):
			case strings.Trim(l, " \t^") == "" && strings.Contains(l, "^"):
			default:
				t.Fatalf("snippet line %q is neither a numbered source line nor an underline", l)
			}
		}
	})
}
