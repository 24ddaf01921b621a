package funcs

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestTemplateFileGolden renders templates with loops and conditionals
// through templatefile and compares the output with testdata/golden.
func TestTemplateFileGolden(t *testing.T) {
	upstreams := cty.ObjectVal(map[string]cty.Value{"app1": str("10.0.0.11"), "app2": str("10.0.0.12")})
	cases := []struct {
		name string
		path string
		vars cty.Value
	}{
		{
			name: "site_tls",
			path: "templates/site.conf.tpl",
			vars: cty.ObjectVal(map[string]cty.Value{
				"server_name": str("shop.example.test"),
				"ports":       cty.ListVal([]cty.Value{num(80), num(443)}),
				"tls":         cty.True,
				"cert":        str("/etc/ssl/shop.pem"),
				"upstreams":   upstreams,
			}),
		},
		{
			name: "site_plain",
			path: "templates/site.conf.tpl",
			vars: cty.ObjectVal(map[string]cty.Value{
				"server_name": str("plain.example.test"),
				"ports":       cty.ListValEmpty(cty.Number),
				"tls":         cty.False,
				"cert":        cty.NullVal(cty.String),
				"upstreams":   cty.EmptyObjectVal,
			}),
		},
		{
			name: "funcs",
			path: "templates/funcs.tpl",
			vars: cty.MapVal(map[string]cty.Value{
				"name": str("db"),
				"tags": str("x"),
				"net":  str("fd00::/64"),
			}),
		},
	}
	templatefile := Table("testdata")["templatefile"]
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := templatefile.Call([]cty.Value{str(tc.path), tc.vars})
			if err != nil {
				t.Fatalf("templatefile(%q): %v", tc.path, err)
			}
			golden := filepath.Join("testdata", "golden", tc.name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got.AsString()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got.AsString() != string(want) {
				t.Errorf("templatefile(%q) =\n%s\nwant (%s):\n%s", tc.path, got.AsString(), golden, want)
			}
		})
	}
}

func TestRenderTemplate(t *testing.T) {
	funcs := Table("testdata")
	cases := []struct {
		name        string
		src         string
		vars        map[string]cty.Value
		want        string
		wantSummary string
		wantDetail  string
		wantRange   string // "line:col-line:col" of the first diagnostic
	}{
		{
			name: "plain text",
			src:  "no interpolation\n",
			want: "no interpolation\n",
		},
		{
			name: "functions and loops",
			src:  "%{ for i, u in users }${i}:${upper(u)} %{ endfor }",
			vars: map[string]cty.Value{"users": strs("ann", "bob")},
			want: "0:ANN 1:BOB ",
		},
		{
			name: "conditional",
			src:  `%{ if enabled }on%{ else }off%{ endif }`,
			vars: map[string]cty.Value{"enabled": cty.False},
			want: "off",
		},
		{
			name: "sensitive values are rendered, marks dropped",
			src:  "pw=${pw}",
			vars: map[string]cty.Value{"pw": sens(str(secret))},
			want: "pw=" + secret,
		},
		{
			name:        "missing variable",
			src:         "a\nb ${host.name}",
			vars:        map[string]cty.Value{"hosts": cty.EmptyObjectVal},
			wantSummary: "Missing template variable",
			wantDetail:  `vars has no key "host". Did you mean "hosts"?`,
			wantRange:   "2:5-2:14",
		},
		{
			name:        "loop variable is not a missing variable, the list is",
			src:         "%{ for x in xs }${x}%{ endfor }",
			wantSummary: "Missing template variable",
			wantDetail:  `vars has no key "xs". Add xs = … to the vars argument.`,
			wantRange:   "1:13-1:15",
		},
		{
			name:        "unknown value",
			src:         "ip=${ip}",
			vars:        map[string]cty.Value{"ip": cty.UnknownVal(cty.String)},
			wantSummary: "Template result not known",
			wantRange:   "1:1-1:9",
		},
		{
			name:        "syntax error",
			src:         "%{ if }",
			wantSummary: "Invalid expression",
			wantRange:   "1:7-1:8",
		},
		{
			name:        "null interpolation",
			src:         "x=${x}",
			vars:        map[string]cty.Value{"x": cty.NullVal(cty.String)},
			wantSummary: "Invalid template interpolation value",
		},
		{
			name:        "unknown function",
			src:         "${nosuch(1)}",
			wantSummary: "Call to unknown function",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := RenderTemplate([]byte(tc.src), "t.tpl", tc.vars, funcs)
			if tc.wantSummary == "" {
				if diags.HasErrors() {
					t.Fatalf("unexpected error: %s", diags.Error())
				}
				if got != tc.want {
					t.Errorf("got %q, want %q", got, tc.want)
				}
				return
			}
			if !diags.HasErrors() {
				t.Fatalf("got %q, want error %q", got, tc.wantSummary)
			}
			d := diags[0]
			if d.Summary != tc.wantSummary {
				t.Errorf("summary %q, want %q (detail: %s)", d.Summary, tc.wantSummary, d.Detail)
			}
			if !strings.Contains(d.Detail, tc.wantDetail) {
				t.Errorf("detail %q, want it to contain %q", d.Detail, tc.wantDetail)
			}
			if tc.wantRange != "" {
				if d.Subject == nil {
					t.Fatalf("diagnostic has no range")
				}
				if r := rangeString(*d.Subject); r != tc.wantRange || d.Subject.Filename != "t.tpl" {
					t.Errorf("range %s in %s, want %s in t.tpl", r, d.Subject.Filename, tc.wantRange)
				}
			}
		})
	}
}

func rangeString(r hcl.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}
