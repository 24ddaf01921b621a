package blueprint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// describe renders where an input came from and its value, for comparison.
func describe(in *InputValue) string {
	if in == nil {
		return "<none>"
	}
	if in.Value != cty.NilVal {
		return in.Source + " " + in.Value.GoString()
	}
	return in.Source + " raw " + in.Raw
}

func TestCollectInputsPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.auto.bpvars.hcl": "from_auto = \"a\"\nauto_vs_auto = \"a\"\nenv_vs_auto = \"auto\"\nauto_vs_file = \"auto\"\n",
		"b.auto.bpvars.hcl": "auto_vs_auto = \"b\"\n",
		"one.bpvars.hcl":    "file_vs_var = \"file\"\nvar_vs_file = \"file\"\nauto_vs_file = \"file\"\n",
		"two.bpvars.json":   `{"file_vs_file": "json"}`,
		"zero.bpvars.hcl":   "file_vs_file = \"zero\"\n",
		"main.bp.hcl":       "",
	})
	env := []string{
		"HOME=/root",
		"BP_VAR_from_env=e",
		"BP_VAR_env_vs_auto=env",
		"BP_VAR_env_vs_var=env",
		"BP_VAR_=ignored",
	}
	args := []VarArg{
		{Assign: "var_vs_file=var"},
		{File: filepath.Join(dir, "one.bpvars.hcl")},
		{Assign: "file_vs_var=var"},
		{File: filepath.Join(dir, "zero.bpvars.hcl")},
		{File: filepath.Join(dir, "two.bpvars.json")},
		{Assign: "env_vs_var=var"},
		{Assign: " spaced = a=b "},
	}
	inputs, diags := NewLoader().CollectInputs(dir, args, env)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	autoA, one, two := filepath.Join(dir, "a.auto.bpvars.hcl"), filepath.Join(dir, "one.bpvars.hcl"), filepath.Join(dir, "two.bpvars.json")
	want := map[string]string{
		"from_env":     "the environment variable BP_VAR_from_env raw e",
		"from_auto":    autoA + ` cty.StringVal("a")`,
		"auto_vs_auto": filepath.Join(dir, "b.auto.bpvars.hcl") + ` cty.StringVal("b")`,
		"env_vs_auto":  autoA + ` cty.StringVal("auto")`,
		"auto_vs_file": one + ` cty.StringVal("file")`,
		"var_vs_file":  one + ` cty.StringVal("file")`,
		"file_vs_var":  "the -var option raw var",
		"file_vs_file": two + ` cty.StringVal("json")`,
		"env_vs_var":   "the -var option raw var",
		"spaced":       "the -var option raw  a=b ",
	}
	for name, w := range want {
		if got := describe(inputs[name]); got != w {
			t.Errorf("%s: got %s, want %s", name, got, w)
		}
	}
	if len(inputs) != len(want) {
		t.Errorf("got %d inputs, want %d: %v", len(inputs), len(want), sortedKeys(inputs))
	}
	types := map[string]SourceType{"from_env": SourceEnv, "from_auto": SourceAutoFile, "var_vs_file": SourceFile, "file_vs_var": SourceCLI}
	for name, st := range types {
		if inputs[name].SourceType != st {
			t.Errorf("%s: source type %d, want %d", name, inputs[name].SourceType, st)
		}
	}
	if r := inputs["from_auto"].Range; r.Filename != autoA || r.Start.Line != 1 {
		t.Errorf("from_auto range = %v", r)
	}
}

func TestCollectInputsErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"block.bpvars.hcl":  "settings {\n}\n",
		"syntax.bpvars.hcl": "x = \n",
		"call.bpvars.hcl":   "x = upper(\"a\")\n",
	})
	cases := []struct {
		arg  VarArg
		want string
	}{
		{VarArg{Assign: "novalue"}, "Invalid -var option"},
		{VarArg{Assign: "=3"}, "Invalid -var option"},
		{VarArg{File: filepath.Join(dir, "missing.bpvars.hcl")}, "Failed to read variables file"},
		{VarArg{File: filepath.Join(dir, "block.bpvars.hcl")}, "Unexpected \"settings\" block"},
		{VarArg{File: filepath.Join(dir, "syntax.bpvars.hcl")}, "Invalid expression"},
		{VarArg{File: filepath.Join(dir, "call.bpvars.hcl")}, "Variables not allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.want+" "+tc.arg.Assign+filepath.Base(tc.arg.File), func(t *testing.T) {
			_, diags := NewLoader().CollectInputs(dir, []VarArg{tc.arg}, nil)
			if !diags.HasErrors() || diags[0].Summary != tc.want {
				t.Fatalf("diags = %v, want %q", diags, tc.want)
			}
			if diags[0].Detail == "" {
				t.Error("no detail")
			}
		})
	}
}

// moduleFrom decodes src as a one-file module.
func moduleFrom(t *testing.T, src string) *Module {
	t.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(src), "main.bp.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	mod := newModule(".")
	if diags := decodeFile(mod, file.Body); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return mod
}

const prepareSrc = `
variable "n"      { type = number }
variable "flag"   { type = bool }
variable "name"   { type = string }
variable "untyped" {}
variable "list"   { type = list(string) }
variable "tags"   { type = map(number) }
variable "obj" {
  type = object({
    name = string
    port = optional(number, 80)
    tls  = optional(object({ enabled = optional(bool, true) }), {})
  })
}
variable "with_default" {
  type    = string
  default = "dflt"
}
variable "nullable_default" {
  type    = string
  default = "dflt"
}
variable "not_nullable" {
  type     = string
  nullable = false
  default  = "dflt"
}
variable "secret" {
  type      = string
  sensitive = true
}
`

func TestPrepareVariables(t *testing.T) {
	mod := moduleFrom(t, prepareSrc)
	inputs := InputValues{
		"n":                {Raw: "3", SourceType: SourceCLI, Source: "the -var option"},
		"flag":             {Raw: "true", SourceType: SourceEnv, Source: "BP_VAR_flag"},
		"name":             {Raw: "a b \"c\"", SourceType: SourceCLI, Source: "the -var option"},
		"untyped":          {Raw: "eu-west", SourceType: SourceCLI, Source: "the -var option"},
		"list":             {Raw: `["a", "b"]`, SourceType: SourceCLI, Source: "the -var option"},
		"tags":             {Value: cty.ObjectVal(map[string]cty.Value{"x": cty.StringVal("1")}), SourceType: SourceFile, Source: "f"},
		"obj":              {Raw: `{ name = "db" }`, SourceType: SourceEnv, Source: "BP_VAR_obj"},
		"nullable_default": {Value: cty.NullVal(cty.DynamicPseudoType), SourceType: SourceFile, Source: "f"},
		"not_nullable":     {Value: cty.NullVal(cty.DynamicPseudoType), SourceType: SourceFile, Source: "f"},
		"secret":           {Raw: "hunter2", SourceType: SourceEnv, Source: "BP_VAR_secret"},
		"stray_env":        {Raw: "x", SourceType: SourceEnv, Source: "BP_VAR_stray_env"},
	}
	vals, diags := PrepareVariables(mod, inputs)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := map[string]cty.Value{
		"n":       cty.NumberIntVal(3),
		"flag":    cty.True,
		"name":    cty.StringVal(`a b "c"`),
		"untyped": cty.StringVal("eu-west"),
		"list":    cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
		"tags":    cty.MapVal(map[string]cty.Value{"x": cty.NumberIntVal(1)}),
		"obj": cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal("db"),
			"port": cty.NumberIntVal(80),
			"tls":  cty.ObjectVal(map[string]cty.Value{"enabled": cty.True}),
		}),
		"with_default":     cty.StringVal("dflt"),
		"nullable_default": cty.NullVal(cty.String),
		"not_nullable":     cty.StringVal("dflt"),
		"secret":           cty.StringVal("hunter2").Mark(funcs.SensitiveMark),
	}
	for name, w := range want {
		if got := vals[name]; !got.RawEquals(w) {
			t.Errorf("%s = %#v, want %#v", name, got, w)
		}
	}
	if len(vals) != len(want) {
		t.Errorf("got values for %v", sortedKeys(vals))
	}
	if len(diags) != 0 {
		t.Errorf("unexpected diagnostics: %s", diags.Error())
	}
}

func TestPrepareVariablesErrors(t *testing.T) {
	cases := []struct {
		name    string
		src     string
		inputs  InputValues
		summary string
		detail  string // substring of the detail
		line    int    // line of the subject, 0 for none
	}{
		{
			name:    "number from text",
			src:     `variable "n" { type = number }`,
			inputs:  InputValues{"n": {Raw: "two", SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "a number is required", line: 1,
		},
		{
			name:    "list syntax error",
			src:     `variable "l" { type = list(string) }`,
			inputs:  InputValues{"l": {Raw: `["a",`, SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "not a valid expression", line: 1,
		},
		{
			name:    "list of references",
			src:     `variable "l" { type = list(string) }`,
			inputs:  InputValues{"l": {Raw: `[var.x]`, SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "must be a constant value", line: 1,
		},
		{
			name: "object attribute path",
			src:  `variable "o" { type = object({ db = object({ port = number }) }) }`,
			inputs: InputValues{"o": {Value: cty.ObjectVal(map[string]cty.Value{
				"db": cty.ObjectVal(map[string]cty.Value{"port": cty.StringVal("x")}),
			}), SourceType: SourceFile, Source: "f.bpvars.hcl", Range: hcl.Range{Filename: "f.bpvars.hcl", Start: hcl.Pos{Line: 7}}}},
			summary: "Invalid value for variable", detail: `attribute "db".port: a number is required`, line: 7,
		},
		{
			name:    "missing object attribute",
			src:     `variable "o" { type = object({ name = string }) }`,
			inputs:  InputValues{"o": {Raw: `{}`, SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: `attribute "name" is required`, line: 1,
		},
		{
			name:    "required",
			src:     "\n" + `variable "region" {}`,
			summary: "No value for required variable", detail: "-var 'region=...'", line: 2,
		},
		{
			name:    "null for not nullable without default",
			src:     `variable "r" { nullable = false }`,
			inputs:  InputValues{"r": {Value: cty.NullVal(cty.String), SourceType: SourceFile, Source: "f"}},
			summary: "Invalid value for variable", detail: "not nullable", line: 1,
		},
		{
			name:    "undeclared -var",
			src:     `variable "web_count" { default = 1 }`,
			inputs:  InputValues{"web_cuont": {Raw: "3", SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Value for undeclared variable", detail: `Did you mean "web_count"?`,
		},
		{
			name: "validation message",
			src: `variable "n" {
  type = number
  validation {
    condition     = var.n < 10
    error_message = "n must be below 10, not ${var.n}."
  }
}`,
			inputs:  InputValues{"n": {Raw: "12", SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "n must be below 10, not 12.", line: 1,
		},
		{
			name: "validation of a sensitive value",
			src: `variable "pw" {
  sensitive = true
  validation {
    condition     = length(var.pw) > 8
    error_message = "${var.pw} is too short."
  }
}`,
			inputs:  InputValues{"pw": {Raw: "hunter2", SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "refers to a sensitive value, so it is not shown", line: 1,
		},
		{
			name: "sensitive type mismatch",
			src: `variable "pw" {
  type      = number
  sensitive = true
}`,
			inputs:  InputValues{"pw": {Raw: "hunter2", SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "the value does not match the type", line: 1,
		},
		{
			name: "validation error in condition",
			src: `variable "s" {
  type    = string
  default = null
  validation {
    condition     = length(var.s) > 1
    error_message = "too short"
  }
}`,
			summary: "Invalid function argument", detail: "", line: 5,
		},
		{
			name: "validation comparing variables",
			src: `variable "min" { default = 2 }
variable "max" {
  default = 5
  validation {
    condition     = var.min <= var.max
    error_message = "max (${var.max}) must be at least min (${var.min})."
  }
}`,
			inputs:  InputValues{"min": {Raw: "7", SourceType: SourceCLI, Source: "the -var option"}},
			summary: "Invalid value for variable", detail: "max (5) must be at least min (7).", line: 2,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mod := moduleFrom(t, tc.src)
			_, diags := PrepareVariables(mod, tc.inputs)
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Summary != tc.summary || !strings.Contains(d.Detail, tc.detail) {
				t.Errorf("got %q / %q, want %q containing %q", d.Summary, d.Detail, tc.summary, tc.detail)
			}
			if strings.Contains(d.Error(), "hunter2") {
				t.Errorf("diagnostic shows a sensitive value: %s", d.Error())
			}
			line := 0
			if d.Subject != nil {
				line = d.Subject.Start.Line
			}
			if line != tc.line {
				t.Errorf("subject line %d, want %d", line, tc.line)
			}
		})
	}
}

func TestPrepareVariablesWarnsAboutUndeclaredFileValues(t *testing.T) {
	mod := moduleFrom(t, `variable "a" { default = 1 }`)
	_, diags := PrepareVariables(mod, InputValues{
		"b": {Value: cty.NumberIntVal(1), SourceType: SourceAutoFile, Source: "x.auto.bpvars.hcl"},
		"c": {Raw: "1", SourceType: SourceEnv, Source: "BP_VAR_c"},
	})
	if len(diags) != 1 || diags[0].Severity != hcl.DiagWarning || diags[0].Summary != "Value for undeclared variable" {
		t.Errorf("diags = %v, want one warning for the file value and nothing for the environment", diags)
	}
}
