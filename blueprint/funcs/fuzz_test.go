package funcs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// callNoPanic calls f and fails if it panicked: go-cty turns a panic in a
// function into a function.PanicError instead of crashing.
func callNoPanic(t *testing.T, name string, f function.Function, args ...cty.Value) (cty.Value, error) {
	t.Helper()
	v, err := f.Call(args)
	var panicErr function.PanicError
	if errors.As(err, &panicErr) {
		t.Fatalf("%s panicked: %v\n%s", name, panicErr.Value, panicErr.Stack)
	}
	return v, err
}

func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"a": [1, 2.5, "x", null, true]}`, `[]`, `"s"`, `{`, `1e999999`,
		"a: 1\nb: [x, y]\n", "- &a x\n- *a\n", "!!binary aGk=", "? [a]\n: b\n", "a: !!int x", "{a: b",
	} {
		f.Add(seed)
	}
	funcs := Table(f.TempDir())
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			t.Skip("cty strings are UTF-8")
		}
		for _, name := range []string{"jsondecode", "yamldecode", "csvdecode", "base64decode"} {
			// Decoded values are not encoded again here: go-cty takes
			// seconds to print a number such as 1e999999 in full, which the
			// fuzzer would report as a hang.
			callNoPanic(t, name, funcs[name], cty.StringVal(src))
		}
	})
}

func FuzzTemplateFile(f *testing.F) {
	for _, name := range []string{"site.conf.tpl", "funcs.tpl", "typo.tpl", "bad_syntax.tpl", "arith.tpl", "nested.tpl"} {
		src, err := os.ReadFile(filepath.Join("testdata", "templates", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add("%{ for k, v in m }${k}=${v}%{ endfor }${x[0]}${y ? 1 : 2}")
	f.Add("${")
	f.Add("%{ if }%{ endif }")
	dir := f.TempDir()
	funcs := Table(dir)
	vars := cty.ObjectVal(map[string]cty.Value{
		"x": cty.ListVal([]cty.Value{cty.StringVal("a")}),
		"y": cty.True,
		"m": cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v").Mark(SensitiveMark)}),
		"u": cty.UnknownVal(cty.String),
	})
	f.Fuzz(func(t *testing.T, src string) {
		path := filepath.Join(dir, "t.tpl")
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		callNoPanic(t, "templatefile", funcs["templatefile"], cty.StringVal("t.tpl"), vars)
		// RenderTemplate is called directly, without go-cty's recover.
		RenderTemplate([]byte(src), "t.tpl", vars.AsValueMap(), funcs)
	})
}

func FuzzCIDR(f *testing.F) {
	f.Add("10.0.0.0/8", int64(4), int64(3))
	f.Add("fd00::/120", int64(-1), int64(200))
	f.Add("0.0.0.0/0", int64(32), int64(-4294967296))
	f.Add("::/0", int64(128), int64(1))
	f.Add("1.2.3.4/32", int64(0), int64(0))
	funcs := Table(f.TempDir())
	f.Fuzz(func(t *testing.T, prefix string, a, b int64) {
		if !utf8.ValidString(prefix) {
			t.Skip("cty strings are UTF-8")
		}
		p, x, y := cty.StringVal(prefix), cty.NumberIntVal(a), cty.NumberIntVal(b)
		callNoPanic(t, "cidrhost", funcs["cidrhost"], p, x)
		callNoPanic(t, "cidrsubnet", funcs["cidrsubnet"], p, x, y)
		callNoPanic(t, "cidrsubnets", funcs["cidrsubnets"], p, x, y)
		callNoPanic(t, "cidrnetmask", funcs["cidrnetmask"], p)
	})
}
