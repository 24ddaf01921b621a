package blueprint

import (
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// fakeData answers references from maps and records what was asked.
type fakeData struct {
	mu        sync.Mutex
	vars      map[string]cty.Value
	locals    map[string]cty.Value
	resources map[string]cty.Value // keyed by ResourceRef.String()
	modules   map[string]cty.Value
	asked     []string
}

var _ Data = (*fakeData)(nil)

func (f *fakeData) lookup(m map[string]cty.Value, key string, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	f.mu.Lock()
	f.asked = append(f.asked, key)
	f.mu.Unlock()
	if v, ok := m[key]; ok {
		return v, nil
	}
	return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "fake: no " + key, Subject: rng.Ptr()}}
}

func (f *fakeData) Variable(ref VariableRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.lookup(f.vars, ref.Name, rng)
}

func (f *fakeData) Local(ref LocalRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.lookup(f.locals, ref.Name, rng)
}

func (f *fakeData) Resource(ref ResourceRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.lookup(f.resources, ref.String(), rng)
}

func (f *fakeData) ModuleCall(ref ModuleCallRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return f.lookup(f.modules, ref.Name, rng)
}

func newFakeData() *fakeData {
	machine := func(addr string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal(addr), "id": cty.UnknownVal(cty.String)})
	}
	return &fakeData{
		vars: map[string]cty.Value{
			"n":        cty.NumberIntVal(2),
			"name":     cty.StringVal("web"),
			"password": cty.StringVal("hunter2").Mark(funcs.SensitiveMark),
			"unknown":  cty.UnknownVal(cty.String),
		},
		locals: map[string]cty.Value{"site": cty.StringVal("shop.example.test")},
		resources: map[string]cty.Value{
			"machine.web":        cty.TupleVal([]cty.Value{machine("10.0.0.1"), machine("10.0.0.2")}),
			"machine.new":        cty.UnknownVal(cty.Object(map[string]cty.Type{"address": cty.String})),
			"data.local_image.b": cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("img-1")}),
		},
		modules: map[string]cty.Value{"db": cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal("10.0.1.1")})},
	}
}

func parseExpr(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "e.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags.Error())
	}
	return expr
}

func TestScopeEvalExpr(t *testing.T) {
	host := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("web-0"), "index": cty.NumberIntVal(0),
		"labels": cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("web")}),
	})
	cases := []struct {
		name  string
		scope Scope
		expr  string
		want  cty.Type // cty.DynamicPseudoType for none
		check func(t *testing.T, v cty.Value)
		err   string // expected error summary
	}{
		{name: "variable", expr: `var.n + 1`, check: equals(cty.NumberIntVal(3))},
		{name: "local and var in template", expr: `"${var.name}.${local.site}"`, check: equals(cty.StringVal("web.shop.example.test"))},
		{name: "short resource form", expr: `machine.web[1].address`, check: equals(cty.StringVal("10.0.0.2"))},
		{name: "long resource form", expr: `resource.machine.web[0].address`, check: equals(cty.StringVal("10.0.0.1"))},
		{name: "both forms in one expression", expr: `machine.web[0].address == resource.machine.web[0].address`, check: equals(cty.True)},
		{name: "splat", expr: `length(machine.web[*].address)`, check: equals(cty.NumberIntVal(2))},
		{name: "data source", expr: `data.local_image.b.id`, check: equals(cty.StringVal("img-1"))},
		{name: "module output", expr: `module.db.address`, check: equals(cty.StringVal("10.0.1.1"))},
		{name: "path", scope: Scope{ModuleDir: "mod", RootDir: "root", CWD: "cwd"}, expr: `"${path.module}/${path.root}/${path.cwd}"`, check: equals(cty.StringVal("mod/root/cwd"))},
		{name: "function", expr: `upper(var.name)`, check: equals(cty.StringVal("WEB"))},
		{name: "conversion", expr: `var.n`, want: cty.String, check: equals(cty.StringVal("2"))},

		{name: "unknown attribute propagates", expr: `"http://${machine.web[0].id}/"`, check: unknownOf(cty.String)},
		{name: "unknown resource propagates", expr: `machine.new.address`, check: unknownOf(cty.String)},
		{name: "unknown variable through function", expr: `upper(var.unknown)`, check: unknownOf(cty.String)},
		{name: "unknown converted", expr: `var.unknown`, want: cty.String, check: unknownOf(cty.String)},

		{name: "sensitive propagates", expr: `"pw=${var.password}"`, check: sensitive(cty.StringVal("pw=hunter2"))},
		{name: "sensitive through function", expr: `sha256(var.password)`, check: func(t *testing.T, v cty.Value) {
			if !v.HasMark(funcs.SensitiveMark) {
				t.Errorf("%#v lost the sensitive mark", v)
			}
		}},
		{name: "sensitive conversion error hides value", expr: `var.password`, want: cty.Number, err: "Incorrect value type"},

		{name: "count.index", scope: Scope{CountIndex: cty.NumberIntVal(1)}, expr: `"web-${count.index}"`, check: equals(cty.StringVal("web-1"))},
		{name: "count.index unavailable", expr: `count.index`, err: "Reference not available here"},
		{name: "each", scope: Scope{EachKey: cty.StringVal("a"), EachValue: cty.NumberIntVal(5)}, expr: `"${each.key}=${each.value}"`, check: equals(cty.StringVal("a=5"))},
		{name: "each unavailable", expr: `each.value`, err: "Reference not available here"},
		{name: "host", scope: Scope{Host: host}, expr: `"${host.name}/${host.labels.tier}/${host.index}"`, check: equals(cty.StringVal("web-0/web/0"))},
		{name: "host unavailable", expr: `host.name`, err: "Reference not available here"},
		{name: "self", scope: Scope{Self: cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal("10.9.9.9")})}, expr: `self.address`, check: equals(cty.StringVal("10.9.9.9"))},
		{name: "self unavailable", expr: `self.address`, err: "Reference not available here"},

		{name: "data error is reported", expr: `var.nope`, err: "fake: no nope"},
		{name: "invalid reference", expr: `path.bogus`, err: "Invalid reference"},
		{name: "type mismatch", expr: `var.name`, want: cty.Number, err: "Incorrect value type"},
		{name: "evaluation error", expr: `var.n + "x"`, err: "Invalid operand"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			scope := tc.scope
			scope.Data = newFakeData()
			want := tc.want
			if want == cty.NilType {
				want = cty.DynamicPseudoType
			}
			val, diags := scope.EvalExpr(parseExpr(t, tc.expr), want)
			if tc.err != "" {
				if !diags.HasErrors() {
					t.Fatalf("got %#v, want error %q", val, tc.err)
				}
				if diags[0].Summary != tc.err {
					t.Errorf("error = %q (%s), want %q", diags[0].Summary, diags[0].Detail, tc.err)
				}
				if strings.Contains(diags.Error(), "hunter2") {
					t.Errorf("error shows a sensitive value: %s", diags.Error())
				}
				if val.IsKnown() {
					t.Errorf("value after an error = %#v, want unknown", val)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("EvalExpr(%s): %s", tc.expr, diags.Error())
			}
			tc.check(t, val)
		})
	}
}

func equals(want cty.Value) func(*testing.T, cty.Value) {
	return func(t *testing.T, got cty.Value) {
		t.Helper()
		if !got.RawEquals(want) {
			t.Errorf("got %#v, want %#v", got, want)
		}
	}
}

func unknownOf(ty cty.Type) func(*testing.T, cty.Value) {
	return func(t *testing.T, got cty.Value) {
		t.Helper()
		if got.IsKnown() || !got.Type().Equals(ty) {
			t.Errorf("got %#v, want an unknown %s (known after apply)", got, typeString(ty))
		}
	}
}

func sensitive(want cty.Value) func(*testing.T, cty.Value) {
	return func(t *testing.T, got cty.Value) {
		t.Helper()
		if !got.HasMark(funcs.SensitiveMark) {
			t.Errorf("%#v is not marked sensitive", got)
		}
		if un, _ := got.Unmark(); !un.RawEquals(want) {
			t.Errorf("got %#v, want %#v", un, want)
		}
	}
}

// TestScopeEvalContextFetchesOnlyReferences checks that evaluating an
// expression asks Data only for what the expression refers to, once each.
func TestScopeEvalContextFetchesOnlyReferences(t *testing.T) {
	data := newFakeData()
	scope := Scope{Data: data}
	if _, diags := scope.EvalExpr(parseExpr(t, `var.n + var.n + length(machine.web)`), cty.Number); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := strings.Join(data.asked, ","); got != "n,machine.web" {
		t.Errorf("Data was asked for %q, want n,machine.web", got)
	}
}

func TestScopeWithoutData(t *testing.T) {
	var scope Scope
	_, diags := scope.EvalExpr(parseExpr(t, `var.x`), cty.String)
	if !diags.HasErrors() || diags[0].Summary != "Reference not available here" {
		t.Errorf("diags = %v, want a diagnostic instead of a panic", diags)
	}
	val, diags := scope.EvalExpr(parseExpr(t, `upper("a")`), cty.String)
	if diags.HasErrors() || val != cty.StringVal("A") {
		t.Errorf("constant expression: %#v, %v", val, diags)
	}
}

func TestScopeEvalBody(t *testing.T) {
	file, diags := hclsyntax.ParseConfig([]byte("image = var.name\nsize = \"small\"\nlisten { port = count.index }\n"), "b.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	spec := hcldec.ObjectSpec{
		"image": &hcldec.AttrSpec{Name: "image", Type: cty.String, Required: true},
		"size":  &hcldec.AttrSpec{Name: "size", Type: cty.String},
		"listen": &hcldec.BlockSpec{TypeName: "listen", Nested: hcldec.ObjectSpec{
			"port": &hcldec.AttrSpec{Name: "port", Type: cty.Number},
		}},
	}
	scope := Scope{Data: newFakeData(), CountIndex: cty.NumberIntVal(3)}
	val, diags := scope.EvalBody(file.Body, spec)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := cty.ObjectVal(map[string]cty.Value{
		"image":  cty.StringVal("web"),
		"size":   cty.StringVal("small"),
		"listen": cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(3)}),
	})
	if !val.RawEquals(want) {
		t.Errorf("EvalBody = %#v, want %#v", val, want)
	}
	scope.CountIndex = cty.NilVal
	if _, diags := scope.EvalBody(file.Body, spec); !diags.HasErrors() {
		t.Error("EvalBody without count.index did not fail")
	}
}

// TestScopeConcurrent evaluates from many goroutines, for -race: the
// function table is shared between scopes of a directory.
func TestScopeConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			scope := Scope{Data: newFakeData(), ModuleDir: "testdata", CountIndex: cty.NumberIntVal(int64(i))}
			val, diags := scope.EvalExpr(parseExpr(t, `"${upper(var.name)}-${count.index}"`), cty.String)
			if diags.HasErrors() || val.AsString() != "WEB-"+cty.NumberIntVal(int64(i)).AsBigFloat().String() {
				t.Errorf("goroutine %d: %#v %v", i, val, diags)
			}
		}(i)
	}
	wg.Wait()
}

func TestScopeEvalBodyDynamicBlocks(t *testing.T) {
	src := `
dynamic "listen" {
  for_each = var.ports
  iterator = p
  content {
    port = p.value + count.index
  }
}
`
	file, diags := hclsyntax.ParseConfig([]byte(src), "b.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	spec := hcldec.ObjectSpec{
		"listen": &hcldec.BlockListSpec{TypeName: "listen", Nested: hcldec.ObjectSpec{
			"port": &hcldec.AttrSpec{Name: "port", Type: cty.Number},
		}},
	}
	data := newFakeData()
	data.vars["ports"] = cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberIntVal(443)})
	scope := Scope{Data: data, CountIndex: cty.NumberIntVal(1)}
	val, diags := scope.EvalBody(file.Body, spec)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	port := func(n int64) cty.Value { return cty.ObjectVal(map[string]cty.Value{"port": cty.NumberIntVal(n)}) }
	want := cty.ObjectVal(map[string]cty.Value{"listen": cty.ListVal([]cty.Value{port(81), port(444)})})
	if !val.RawEquals(want) {
		t.Errorf("EvalBody = %#v, want %#v", val, want)
	}
}
