package funcs

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Shorthands for expected values.
var (
	str  = cty.StringVal
	num  = cty.NumberIntVal
	numf = cty.NumberFloatVal
)

func sens(v cty.Value) cty.Value { return v.Mark(SensitiveMark) }

func strs(ss ...string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = str(s)
	}
	return cty.ListVal(vals)
}

func strSet(ss ...string) cty.Value {
	if len(ss) == 0 {
		return cty.SetValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = str(s)
	}
	return cty.SetVal(vals)
}

// secret is the text of every sensitive string in testVars: no error
// message may ever contain it.
const secret = "hunter2"

// testVars are the variables of every expression test: u holds unknown
// values, s sensitive ones.
var testVars = map[string]cty.Value{
	"u": cty.ObjectVal(map[string]cty.Value{
		"str":  cty.UnknownVal(cty.String),
		"num":  cty.UnknownVal(cty.Number),
		"bool": cty.UnknownVal(cty.Bool),
		"list": cty.UnknownVal(cty.List(cty.String)),
		"map":  cty.UnknownVal(cty.Map(cty.String)),
		"dyn":  cty.DynamicVal,
	}),
	"s": cty.ObjectVal(map[string]cty.Value{
		"str":  sens(str(secret)),
		"num":  sens(num(42)),
		"map":  sens(cty.MapVal(map[string]cty.Value{"pw": str(secret)})),
		"list": cty.ListVal([]cty.Value{str("a"), sens(str(secret))}),
		"cidr": sens(str("10.0.0.0/8")),
		"b64":  sens(str("aHVudGVyMg==")),
		"json": sens(str(`{"pw":"hunter2"}`)),
		"bad":  sens(str("hunter2 is not base64 or json or a number")),
	}),
}

// exprCase is one expression evaluated with Table("testdata") and testVars.
type exprCase struct {
	name string
	expr string
	// want is the expected value. An unknown want matches any unknown
	// result of the same type and marks, whatever its refinements.
	want cty.Value
	// wantErr, when set, is a substring of the expected error's detail.
	wantErr string
	// errAt, when set, is the source text of the argument the error must
	// point at (its last occurrence in expr). HCL points at the first token
	// of an argument, so the error range must start inside that text.
	errAt string
}

func TestFunctions(t *testing.T) {
	cases := [][]exprCase{
		numberCases, stringCases, collectionCases, conversionCases,
		encodingCases, hashCases, fileCases, networkCases, timeCases,
		sensitiveCases, sensitiveCollectionCases, tryCases,
	}
	funcs := Table("testdata")
	called := map[string]bool{}
	for _, group := range cases {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) {
				expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "test.hcl", hcl.InitialPos)
				if diags.HasErrors() {
					t.Fatalf("parse %s: %s", tc.expr, diags.Error())
				}
				for name := range calledFunctions(expr) {
					called[name] = true
				}
				got, diags := expr.Value(&hcl.EvalContext{Variables: testVars, Functions: funcs})
				checkResult(t, tc, got, diags)
			})
		}
	}
	var missed []string
	for name := range funcs {
		if !called[name] {
			missed = append(missed, name)
		}
	}
	sort.Strings(missed)
	if len(missed) > 0 {
		t.Errorf("functions without an expression test: %s", strings.Join(missed, ", "))
	}
}

func checkResult(t *testing.T, tc exprCase, got cty.Value, diags hcl.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if strings.Contains(d.Summary+d.Detail, secret) {
			t.Errorf("a diagnostic reveals the sensitive value: %s: %s", d.Summary, d.Detail)
		}
	}
	if tc.wantErr != "" {
		if !diags.HasErrors() {
			t.Fatalf("%s = %#v, want an error containing %q", tc.expr, got, tc.wantErr)
		}
		if !strings.Contains(diags.Error(), tc.wantErr) {
			t.Errorf("%s: error is\n%s\nwant it to contain %q", tc.expr, diags.Error(), tc.wantErr)
		}
		if tc.errAt != "" {
			r := diags[0].Subject
			start := strings.LastIndex(tc.expr, tc.errAt)
			if r.Start.Byte < start || r.Start.Byte >= start+len(tc.errAt) {
				t.Errorf("%s: error points at %q, want %q", tc.expr, tc.expr[r.Start.Byte:r.End.Byte], tc.errAt)
			}
		}
		return
	}
	if diags.HasErrors() {
		t.Fatalf("%s: unexpected error: %s", tc.expr, diags.Error())
	}
	if !sameValue(got, tc.want) {
		t.Errorf("%s\n got: %#v\nwant: %#v", tc.expr, got, tc.want)
	}
}

// sameValue compares values exactly, marks included, except that an
// unknown want matches any unknown of its type and marks.
func sameValue(got, want cty.Value) bool {
	if !want.IsKnown() {
		g, gm := got.UnmarkDeep()
		w, wm := want.UnmarkDeep()
		return !g.IsKnown() && g.Type().Equals(w.Type()) && gm.Equal(wm)
	}
	return got.RawEquals(want)
}

// calledFunctions returns the names of the functions expr calls.
func calledFunctions(expr hclsyntax.Expression) map[string]bool {
	names := map[string]bool{}
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			names[call.Name] = true
		}
		return nil
	})
	return names
}

var numberCases = []exprCase{
	{name: "abs", expr: `abs(-3)`, want: num(3)},
	{name: "abs/unknown", expr: `abs(u.num)`, want: cty.UnknownVal(cty.Number)},
	{name: "abs/sensitive", expr: `abs(s.num)`, want: sens(num(42))},
	{name: "ceil", expr: `ceil(1.2)`, want: num(2)},
	{name: "floor", expr: `floor(1.8)`, want: num(1)},
	{name: "log", expr: `log(16, 2)`, want: num(4)},
	{name: "max", expr: `max(1, 5, 3)`, want: num(5)},
	{name: "max/unknown", expr: `max(1, u.num)`, want: cty.UnknownVal(cty.Number)},
	{name: "min", expr: `min(4, 2, 8)`, want: num(2)},
	{name: "min/no arguments", expr: `min()`, wantErr: "must pass at least one number"},
	{name: "parseint", expr: `parseint("ff", 16)`, want: num(255)},
	{name: "parseint/bad digits", expr: `parseint("zz", 10)`, wantErr: "cannot parse", errAt: `"zz"`},
	{name: "parseint/sensitive error is hidden", expr: `parseint(s.bad, 10)`, wantErr: "details are hidden because an argument is sensitive", errAt: "s.bad"},
	{name: "pow", expr: `pow(2, 10)`, want: num(1024)},
	{name: "signum", expr: `signum(-5)`, want: num(-1)},
}

var stringCases = []exprCase{
	{name: "chomp", expr: `chomp("x\n\n")`, want: str("x")},
	{name: "endswith", expr: `endswith("hello", "lo")`, want: cty.True},
	{name: "endswith/false", expr: `endswith("hello", "he")`, want: cty.False},
	{name: "endswith/unknown", expr: `endswith(u.str, "x")`, want: cty.UnknownVal(cty.Bool)},
	{name: "startswith", expr: `startswith("hello", "he")`, want: cty.True},
	{name: "startswith/sensitive", expr: `startswith(s.str, "hun")`, want: sens(cty.True)},
	{name: "strcontains", expr: `strcontains("hello", "ell")`, want: cty.True},
	{name: "format", expr: `format("%s-%02d", "web", 3)`, want: str("web-03")},
	{name: "format/sensitive", expr: `format("pw=%s", s.str)`, want: sens(str("pw=" + secret))},
	{name: "format/unknown", expr: `format("%s", u.str)`, want: cty.UnknownVal(cty.String)},
	{name: "format/bad verb", expr: `format("%d", "x")`, wantErr: "unsupported value for \"%d\""},
	{name: "format/bad verb on sensitive", expr: `format("%d", s.str)`, wantErr: "details are hidden"},
	{name: "formatlist", expr: `formatlist("%s=%d", ["a", "b"], [1, 2])`, want: strs("a=1", "b=2")},
	{name: "indent", expr: `indent(2, "a\nb")`, want: str("a\n  b")},
	{name: "join", expr: `join(",", ["a", "b"])`, want: str("a,b")},
	{name: "join/sensitive element", expr: `join(",", s.list)`, want: sens(str("a," + secret))},
	{name: "join/unknown", expr: `join(",", u.list)`, want: cty.UnknownVal(cty.String)},
	{name: "lower", expr: `lower("AbC")`, want: str("abc")},
	{name: "upper", expr: `upper("abc")`, want: str("ABC")},
	{name: "upper/sensitive", expr: `upper(s.str)`, want: sens(str("HUNTER2"))},
	{name: "upper/unknown", expr: `upper(u.str)`, want: cty.UnknownVal(cty.String)},
	{name: "upper/number converts", expr: `upper(5)`, want: str("5")},
	{name: "upper/list is wrong", expr: `upper(["a"])`, wantErr: "string required", errAt: `["a"]`},
	{name: "regex", expr: `regex("[0-9]+", "ab123")`, want: str("123")},
	{name: "regex/no match", expr: `regex("[0-9]+", "abc")`, wantErr: "pattern did not match"},
	{name: "regexall", expr: `regexall("[0-9]", "a1b2")`, want: strs("1", "2")},
	{name: "replace", expr: `replace("a-b-c", "-", "_")`, want: str("a_b_c")},
	{name: "replace/regex", expr: `replace("a1b22", "/[0-9]+/", "#")`, want: str("a#b#")},
	{name: "replace/regex groups", expr: `replace("v1.2", "/v(\\d+)\\.(\\d+)/", "$2.$1")`, want: str("2.1")},
	{name: "replace/bad regex", expr: `replace("x", "/(/", "y")`, wantErr: "error parsing regexp", errAt: `"/(/"`},
	{name: "replace/sensitive", expr: `replace(s.str, "2", "3")`, want: sens(str("hunter3"))},
	{name: "split", expr: `split(",", "a,b")`, want: strs("a", "b")},
	{name: "strrev", expr: `strrev("abc")`, want: str("cba")},
	{name: "substr", expr: `substr("hello", 1, 3)`, want: str("ell")},
	{name: "substr/negative offset", expr: `substr("hello", -3, -1)`, want: str("llo")},
	{name: "title", expr: `title("hello world")`, want: str("Hello World")},
	{name: "trim", expr: `trim("?!hi!?", "?!")`, want: str("hi")},
	{name: "trimprefix", expr: `trimprefix("prefix-x", "prefix-")`, want: str("x")},
	{name: "trimsuffix", expr: `trimsuffix("x.txt", ".txt")`, want: str("x")},
	{name: "trimspace", expr: `trimspace("  x \n")`, want: str("x")},
}

var collectionCases = []exprCase{
	{name: "alltrue", expr: `alltrue([true, true])`, want: cty.True},
	{name: "alltrue/false", expr: `alltrue([true, false])`, want: cty.False},
	{name: "alltrue/empty", expr: `alltrue([])`, want: cty.True},
	{name: "alltrue/known false beats unknown", expr: `alltrue([u.bool, false])`, want: cty.False},
	{name: "alltrue/unknown", expr: `alltrue([u.bool, true])`, want: cty.UnknownVal(cty.Bool)},
	{name: "alltrue/null is false", expr: `alltrue([true, null])`, want: cty.False},
	{name: "anytrue", expr: `anytrue([false, true])`, want: cty.True},
	{name: "anytrue/empty", expr: `anytrue([])`, want: cty.False},
	{name: "anytrue/known true beats unknown", expr: `anytrue([u.bool, true])`, want: cty.True},
	{name: "anytrue/unknown", expr: `anytrue([u.bool, false])`, want: cty.UnknownVal(cty.Bool)},
	{name: "chunklist", expr: `chunklist(["a", "b", "c"], 2)`, want: cty.ListVal([]cty.Value{strs("a", "b"), strs("c")})},
	{name: "coalesce", expr: `coalesce(null, "", "b")`, want: str("b")},
	{name: "coalesce/numbers", expr: `coalesce(null, 2, 3)`, want: num(2)},
	{name: "coalesce/unknown", expr: `coalesce(u.str, "b")`, want: cty.UnknownVal(cty.String)},
	{name: "coalesce/nothing", expr: `coalesce(null, "")`, wantErr: "every argument is null or an empty string"},
	{name: "coalescelist", expr: `coalescelist([], ["a"])`, want: cty.TupleVal([]cty.Value{str("a")})},
	{name: "compact", expr: `compact(["a", "", null, "b"])`, want: strs("a", "b")},
	{name: "concat", expr: `concat(["a"], ["b", "c"])`, want: cty.TupleVal([]cty.Value{str("a"), str("b"), str("c")})},
	{name: "contains", expr: `contains(["a", "b"], "b")`, want: cty.True},
	{name: "contains/unknown", expr: `contains(u.list, "b")`, want: cty.UnknownVal(cty.Bool)},
	{name: "distinct", expr: `distinct(["a", "b", "a"])`, want: strs("a", "b")},
	{name: "element", expr: `element(["a", "b"], 3)`, want: str("b")},
	{name: "element/empty", expr: `element([], 0)`, wantErr: "cannot use element function with an empty list"},
	{name: "flatten", expr: `flatten([["a"], [["b"]], []])`, want: cty.TupleVal([]cty.Value{str("a"), str("b")})},
	{name: "index", expr: `index(["a", "b"], "b")`, want: num(1)},
	{name: "index/missing", expr: `index(["a", "b"], "c")`, wantErr: "not an element of the list", errAt: `"c"`},
	{name: "index/missing sensitive", expr: `index(["a", "b"], s.str)`, wantErr: "details are hidden", errAt: "s.str"},
	{name: "index/unknown", expr: `index(u.list, "a")`, want: cty.UnknownVal(cty.Number)},
	{name: "index/not a list", expr: `index("a", "a")`, wantErr: "index needs a list or tuple, not string"},
	{name: "keys", expr: `keys({b = 1, a = 2})`, want: cty.TupleVal([]cty.Value{str("a"), str("b")})},
	{name: "keys/sensitive map", expr: `keys(s.map)`, want: sens(strs("pw"))},
	{name: "values", expr: `values({b = 1, a = 2})`, want: cty.TupleVal([]cty.Value{num(2), num(1)})},
	{name: "length/list", expr: `length(["a", "b"])`, want: num(2)},
	{name: "length/string", expr: `length("héllo")`, want: num(5)},
	{name: "length/object", expr: `length({a = 1, b = "x"})`, want: num(2)},
	{name: "length/map", expr: `length(tomap({a = 1}))`, want: num(1)},
	{name: "length/unknown list", expr: `length(u.list)`, want: cty.UnknownVal(cty.Number)},
	{name: "length/known list of unknowns", expr: `length([u.str, u.str])`, want: num(2)},
	{name: "length/sensitive string", expr: `length(s.str)`, want: sens(num(7))},
	{name: "length/sensitive element is not the length", expr: `length(s.list)`, want: num(2)},
	{name: "length/number", expr: `length(5)`, wantErr: "length needs a string, list, set, tuple, map or object, not number"},
	{name: "lookup", expr: `lookup({a = "x"}, "a", "d")`, want: str("x")},
	{name: "lookup/default", expr: `lookup({a = "x"}, "b", "d")`, want: str("d")},
	{name: "lookup/sensitive map", expr: `lookup(s.map, "pw", "")`, want: sens(str(secret))},
	{name: "lookup/unknown map", expr: `lookup(u.map, "a", "d")`, want: cty.UnknownVal(cty.String)},
	{name: "merge/objects", expr: `merge({a = 1, b = 2}, {b = "x", c = 3})`, want: cty.ObjectVal(map[string]cty.Value{"a": num(1), "b": str("x"), "c": num(3)})},
	{name: "merge/maps", expr: `merge(tomap({a = "1"}), tomap({b = "2"}))`, want: cty.MapVal(map[string]cty.Value{"a": str("1"), "b": str("2")})},
	{name: "merge/sensitive", expr: `merge({a = 1}, s.map)`, want: sens(cty.ObjectVal(map[string]cty.Value{"a": num(1), "pw": str(secret)}))},
	{name: "merge/unknown", expr: `merge({a = 1}, u.map)`, want: cty.DynamicVal},
	{name: "merge/not a map", expr: `merge({a = 1}, "x")`, wantErr: "arguments must be maps or objects"},
	{name: "one", expr: `one(["a"])`, want: str("a")},
	{name: "one/empty", expr: `one(tolist([]))`, want: cty.NullVal(cty.DynamicPseudoType)},
	{name: "one/empty list of string", expr: `one(compact([""]))`, want: cty.NullVal(cty.String)},
	{name: "one/too many", expr: `one(["a", "b"])`, wantErr: "the tuple has 2 elements; one needs zero or one"},
	{name: "one/too many in list", expr: `one(tolist(["a", "b"]))`, wantErr: "the collection has 2 elements; one needs zero or one"},
	{name: "one/unknown", expr: `one(u.list)`, want: cty.UnknownVal(cty.String)},
	{name: "range", expr: `range(3)`, want: cty.ListVal([]cty.Value{num(0), num(1), num(2)})},
	{name: "reverse", expr: `reverse(["a", "b"])`, want: cty.TupleVal([]cty.Value{str("b"), str("a")})},
	{name: "setintersection", expr: `setintersection(["a", "b"], ["b", "c"])`, want: strSet("b")},
	{name: "setproduct", expr: `setproduct(["a"], ["x", "y"])`, want: cty.ListVal([]cty.Value{cty.TupleVal([]cty.Value{str("a"), str("x")}), cty.TupleVal([]cty.Value{str("a"), str("y")})})},
	{name: "setsubtract", expr: `setsubtract(["a", "b"], ["b"])`, want: strSet("a")},
	{name: "setunion", expr: `setunion(["a"], ["b"])`, want: strSet("a", "b")},
	{name: "slice", expr: `slice(["a", "b", "c"], 1, 3)`, want: cty.TupleVal([]cty.Value{str("b"), str("c")})},
	{name: "slice/out of range", expr: `slice(["a"], 0, 5)`, wantErr: "must not be greater than the length"},
	{name: "sort", expr: `sort(["b", "a"])`, want: strs("a", "b")},
	{name: "sum", expr: `sum([1, 2, 3.5])`, want: numf(6.5)},
	{name: "sum/empty", expr: `sum([])`, wantErr: "cannot sum an empty list"},
	{name: "sum/unknown element", expr: `sum([1, u.num])`, want: cty.UnknownVal(cty.Number)},
	{name: "sum/null element", expr: `sum([1, null])`, wantErr: "element 1 is null"},
	{name: "sum/sensitive", expr: `sum([1, s.num])`, want: sens(num(43))},
	{name: "transpose", expr: `transpose({a = ["x", "y"], b = ["x"]})`, want: cty.MapVal(map[string]cty.Value{"x": strs("a", "b"), "y": strs("a")})},
	{name: "transpose/empty", expr: `transpose({})`, want: cty.MapValEmpty(cty.List(cty.String))},
	{name: "transpose/unknown", expr: `transpose({a = [u.str]})`, want: cty.UnknownVal(cty.Map(cty.List(cty.String)))},
	{name: "zipmap", expr: `zipmap(["a", "b"], [1, 2])`, want: cty.ObjectVal(map[string]cty.Value{"a": num(1), "b": num(2)})},
}

var conversionCases = []exprCase{
	{name: "tobool", expr: `tobool("true")`, want: cty.True},
	{name: "tobool/bad", expr: `tobool("yes")`, wantErr: `cannot convert "yes" to bool`},
	{name: "tobool/sensitive bad is hidden", expr: `tobool(s.str)`, wantErr: "details are hidden"},
	{name: "tolist", expr: `tolist(["a", "b"])`, want: strs("a", "b")},
	{name: "tomap", expr: `tomap({a = "x"})`, want: cty.MapVal(map[string]cty.Value{"a": str("x")})},
	{name: "tonumber", expr: `tonumber("42")`, want: num(42)},
	{name: "tonumber/sensitive bad is hidden", expr: `tonumber(s.str)`, wantErr: "details are hidden", errAt: "s.str"},
	{name: "tonumber/unknown", expr: `tonumber(u.str)`, want: cty.UnknownVal(cty.Number)},
	{name: "toset", expr: `toset(["a", "a"])`, want: strSet("a")},
	{name: "tostring", expr: `tostring(5)`, want: str("5")},
	{name: "tostring/sensitive", expr: `tostring(s.num)`, want: sens(str("42"))},
}

var encodingCases = []exprCase{
	{name: "base64encode", expr: `base64encode("hunter3")`, want: str("aHVudGVyMw==")},
	{name: "base64decode", expr: `base64decode("aGk=")`, want: str("hi")},
	{name: "base64decode/sensitive", expr: `base64decode(s.b64)`, want: sens(str(secret))},
	{name: "base64decode/invalid", expr: `base64decode("!!")`, wantErr: "not valid standard base64", errAt: `"!!"`},
	{name: "base64decode/invalid sensitive", expr: `base64decode(s.bad)`, wantErr: "details are hidden"},
	{name: "base64decode/binary", expr: `base64decode("//4=")`, wantErr: "not valid UTF-8"},
	{name: "base64decode/unknown", expr: `base64decode(u.str)`, want: cty.UnknownVal(cty.String)},
	{name: "csvdecode", expr: `csvdecode("a,b\n1,2\n")`, want: cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"a": str("1"), "b": str("2")})})},
	{name: "jsonencode", expr: `jsonencode({a = [1, "x"], b = null})`, want: str(`{"a":[1,"x"],"b":null}`)},
	{name: "jsonencode/sensitive", expr: `jsonencode({pw = s.str})`, want: sens(str(`{"pw":"hunter2"}`))},
	{name: "jsonencode/unknown", expr: `jsonencode({a = u.str})`, want: cty.UnknownVal(cty.String)},
	{name: "jsondecode", expr: `jsondecode("{\"a\": [1, true]}")`, want: cty.ObjectVal(map[string]cty.Value{"a": cty.TupleVal([]cty.Value{num(1), cty.True})})},
	{name: "jsondecode/invalid", expr: `jsondecode("{")`, wantErr: "EOF"},
	{name: "jsondecode/sensitive", expr: `jsondecode(s.json).pw`, want: sens(str(secret))},
	{name: "jsondecode/invalid sensitive", expr: `jsondecode(s.bad)`, wantErr: "details are hidden"},
	{name: "jsondecode/unknown", expr: `jsondecode(u.str)`, want: cty.DynamicVal},
	{name: "urlencode", expr: `urlencode("a b&c=d/é")`, want: str("a+b%26c%3Dd%2F%C3%A9")},
	{name: "yamlencode", expr: `yamlencode({a = ["x", 1]})`, want: str("\"a\":\n- \"x\"\n- 1\n")},
	{name: "yamldecode", expr: `yamldecode("a: [1, x]\nb: true\n")`, want: cty.ObjectVal(map[string]cty.Value{"a": cty.TupleVal([]cty.Value{num(1), str("x")}), "b": cty.True})},
	{name: "yamldecode/invalid", expr: `yamldecode("a: [")`, wantErr: "did not find expected node content"},
	{name: "yamldecode/invalid sensitive", expr: `yamldecode(format("%s: [", s.str))`, wantErr: "details are hidden"},
	{name: "yamldecode/sensitive", expr: `yamldecode(s.json).pw`, want: sens(str(secret))},
}

var hashCases = []exprCase{
	{name: "md5", expr: `md5("hello")`, want: str("5d41402abc4b2a76b9719d911017c592")},
	{name: "sha1", expr: `sha1("hello")`, want: str("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d")},
	{name: "sha256", expr: `sha256("hello")`, want: str("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")},
	{name: "sha256/sensitive", expr: `sha256(s.str)`, want: sens(str("f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7"))},
	{name: "sha256/unknown", expr: `sha256(u.str)`, want: cty.UnknownVal(cty.String)},
	{name: "sha512", expr: `sha512("hello")`, want: str("9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043")},
	{name: "base64sha256", expr: `base64sha256("hello")`, want: str("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")},
	{name: "base64sha512", expr: `base64sha512("hello")`, want: str("m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==")},
	{name: "uuid", expr: `length(uuid())`, want: num(36)},
}

var fileCases = []exprCase{
	{name: "file", expr: `file("hello.txt")`, want: str("hello\n")},
	{name: "file/subdirectory", expr: `file("sub/nested.txt")`, want: str("in sub\n")},
	{name: "file/missing", expr: `file("nope.txt")`, wantErr: `no file exists at "nope.txt"`, errAt: `"nope.txt"`},
	{name: "file/binary", expr: `file("binary.bin")`, wantErr: "not valid UTF-8 text; use filebase64", errAt: `"binary.bin"`},
	{name: "file/unknown path", expr: `file(u.str)`, want: cty.UnknownVal(cty.String)},
	{name: "file/sensitive path hides the name", expr: `file(format("%s.txt", s.str))`, wantErr: "details are hidden"},
	{name: "file/directory", expr: `file("sub")`, wantErr: `cannot read "sub"`},
	{name: "file/user home not supported", expr: `file("~bob/x")`, wantErr: `only "~" (the current user's home directory) is supported`},
	{name: "filebase64", expr: `filebase64("binary.bin")`, want: str("//4AYmlu")},
	{name: "filebase64/missing", expr: `filebase64("nope.bin")`, wantErr: `no file exists at "nope.bin"`},
	{name: "filemd5", expr: `filemd5("hello.txt")`, want: str("b1946ac92492d2347c6235b4d2611184")},
	{name: "filesha1", expr: `filesha1("hello.txt")`, want: str("f572d396fae9206628714fb2ce00f72e94f2258f")},
	{name: "filesha256", expr: `filesha256("hello.txt")`, want: str("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")},
	{name: "filesha512", expr: `filesha512("hello.txt")`, want: str("e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629")},
	{name: "fileexists", expr: `fileexists("hello.txt")`, want: cty.True},
	{name: "fileexists/missing", expr: `fileexists("nope.txt")`, want: cty.False},
	{name: "fileexists/directory", expr: `fileexists("sub")`, wantErr: "exists but is not a regular file"},
	{name: "templatefile", expr: `templatefile("templates/funcs.tpl", {name = "web", tags = ["a"], net = "10.0.0.0/24"})`, want: str("WEB [\"a\"] 10.0.0.5 1\n")},
	{name: "templatefile/missing var", expr: `templatefile("templates/typo.tpl", {name = "x"})`, wantErr: `templates/typo.tpl:1,9-13: Missing template variable; The template refers to "nmae", but vars has no key "nmae". Did you mean "name"?`, errAt: `{name = "x"}`},
	{name: "templatefile/two missing vars", expr: `templatefile("templates/two_missing.tpl", {})`, wantErr: `vars has no key "one". Add one = … to the vars argument (and 1 more errors in the template)`},
	{name: "templatefile/missing file", expr: `templatefile("templates/nope.tpl", {})`, wantErr: `no file exists at "templates/nope.tpl"`, errAt: `"templates/nope.tpl"`},
	{name: "templatefile/vars not an object", expr: `templatefile("templates/typo.tpl", "x")`, wantErr: "vars must be an object or a map", errAt: `"x"`},
	{name: "templatefile/no recursion", expr: `templatefile("templates/nested.tpl", {})`, wantErr: "templatefile cannot be called from inside a template"},
	{name: "templatefile/syntax error", expr: `templatefile("templates/bad_syntax.tpl", {})`, wantErr: "templates/bad_syntax.tpl:3,1-1: Missing expression"},
	{name: "templatefile/not a string", expr: `templatefile("templates/not_string.tpl", {tags = ["a"]})`, wantErr: "The template produced tuple, but it must produce a string"},
	{name: "templatefile/evaluation error", expr: `templatefile("templates/arith.tpl", {items = ["a"]})`, wantErr: "templates/arith.tpl:1,"},
	{name: "templatefile/unknown var", expr: `templatefile("templates/typo.tpl", {nmae = u.str})`, want: cty.UnknownVal(cty.String)},
	{name: "templatefile/unknown vars", expr: `templatefile("templates/typo.tpl", u.map)`, want: cty.UnknownVal(cty.String)},
	{name: "templatefile/sensitive var", expr: `templatefile("templates/typo.tpl", {nmae = s.str})`, want: sens(str("hello " + secret + "\n"))},
	{name: "templatefile/sensitive var in error", expr: `templatefile("templates/arith.tpl", {items = [s.str]})`, wantErr: "templates/arith.tpl:1,"},
	{name: "templatefile/sensitive vars keys not suggested", expr: `templatefile("templates/typo.tpl", s.map)`, wantErr: `Add nmae = … to the vars argument`},
	{name: "abspath", expr: `abspath("sub/../hello.txt")`, want: str(filepath.ToSlash(mustAbs("testdata/hello.txt")))},
	{name: "abspath/absolute stays", expr: `abspath("/etc/x")`, want: str("/etc/x")},
	{name: "basename", expr: `basename("a/b/c.txt")`, want: str("c.txt")},
	{name: "dirname", expr: `dirname("a/b/c.txt")`, want: str("a/b")},
	{name: "pathexpand", expr: `pathexpand("~/x")`, want: str(filepath.Join(mustHome(), "x"))},
	{name: "pathexpand/plain", expr: `pathexpand("a/~/b")`, want: str("a/~/b")},
}

var networkCases = []exprCase{
	{name: "cidrhost", expr: `cidrhost("10.12.112.0/20", 16)`, want: str("10.12.112.16")},
	{name: "cidrhost/crosses octet", expr: `cidrhost("10.12.112.0/20", 268)`, want: str("10.12.113.12")},
	{name: "cidrhost/negative", expr: `cidrhost("10.0.0.0/24", -1)`, want: str("10.0.0.255")},
	{name: "cidrhost/host bits ignored", expr: `cidrhost("10.0.0.77/24", 1)`, want: str("10.0.0.1")},
	{name: "cidrhost/ipv6", expr: `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, want: str("fd00:fd12:3456:7890::22")},
	{name: "cidrhost/ipv6 huge", expr: `cidrhost("fd00::/8", -1)`, want: str("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")},
	{name: "cidrhost/out of range", expr: `cidrhost("10.0.0.0/24", 256)`, wantErr: "host number 256 is outside the prefix 10.0.0.0/24, which has 256 addresses", errAt: "256"},
	{name: "cidrhost/out of range negative", expr: `cidrhost("10.0.0.0/30", -5)`, wantErr: "host number -5 is outside", errAt: "-5"},
	{name: "cidrhost/fraction", expr: `cidrhost("10.0.0.0/24", 1.5)`, wantErr: "hostnum must be a whole number, not 1.5"},
	{name: "cidrhost/bad prefix", expr: `cidrhost("10.0.0.0", 1)`, wantErr: `"10.0.0.0" is not a CIDR prefix`, errAt: `"10.0.0.0"`},
	{name: "cidrhost/unknown", expr: `cidrhost(u.str, 1)`, want: cty.UnknownVal(cty.String)},
	{name: "cidrhost/sensitive", expr: `cidrhost(s.cidr, 1)`, want: sens(str("10.0.0.1"))},
	{name: "cidrhost/sensitive error hidden", expr: `cidrhost(s.str, 1)`, wantErr: "details are hidden", errAt: "s.str"},
	{name: "cidrsubnet", expr: `cidrsubnet("172.16.0.0/12", 4, 2)`, want: str("172.18.0.0/16")},
	{name: "cidrsubnet/small", expr: `cidrsubnet("10.1.2.0/24", 4, 15)`, want: str("10.1.2.240/28")},
	{name: "cidrsubnet/zero bits", expr: `cidrsubnet("10.1.2.0/24", 0, 0)`, want: str("10.1.2.0/24")},
	{name: "cidrsubnet/ipv6", expr: `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, want: str("fd00:fd12:3456:7800:a200::/72")},
	{name: "cidrsubnet/too many bits", expr: `cidrsubnet("10.0.0.0/24", 9, 0)`, wantErr: "cannot extend a /24 prefix by 9 bits: an IPv4 address has only 32 bits, so newbits can be at most 8", errAt: "9"},
	{name: "cidrsubnet/huge bits", expr: `cidrsubnet("10.0.0.0/24", 9223372036854775807, 0)`, wantErr: "cannot extend a /24 prefix", errAt: "9223372036854775807"},
	{name: "cidrsubnet/negative bits", expr: `cidrsubnet("10.0.0.0/24", -1, 0)`, wantErr: "newbits must not be negative"},
	{name: "cidrsubnet/netnum out of range", expr: `cidrsubnet("10.0.0.0/24", 2, 4)`, wantErr: "subnet number 4 does not fit: extending 10.0.0.0/24 by 2 bits gives 4 subnets, numbered 0 to 3", errAt: "4"},
	{name: "cidrsubnet/negative netnum", expr: `cidrsubnet("10.0.0.0/24", 2, -1)`, wantErr: "subnet number -1 does not fit"},
	{name: "cidrnetmask", expr: `cidrnetmask("172.16.0.0/12")`, want: str("255.240.0.0")},
	{name: "cidrnetmask/32", expr: `cidrnetmask("10.0.0.1/32")`, want: str("255.255.255.255")},
	{name: "cidrnetmask/ipv6", expr: `cidrnetmask("fd00::/48")`, wantErr: "netmasks exist only for IPv4"},
	{name: "cidrsubnets", expr: `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, want: strs("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20")},
	{name: "cidrsubnets/ipv6", expr: `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, want: strs("fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88")},
	{name: "cidrsubnets/none", expr: `cidrsubnets("10.0.0.0/8")`, want: strs()},
	{name: "cidrsubnets/full", expr: `cidrsubnets("10.0.0.0/24", 1, 1, 1)`, wantErr: "not enough room left in 10.0.0.0/24 for a /25 subnet after the 2 subnet(s) before it", errAt: "1"},
	{name: "cidrsubnets/zero bits", expr: `cidrsubnets("10.0.0.0/24", 0)`, wantErr: "newbits must be at least 1"},
	{name: "cidrsubnets/unknown", expr: `cidrsubnets("10.0.0.0/24", u.num)`, want: cty.UnknownVal(cty.List(cty.String))},
}

var timeCases = []exprCase{
	{name: "timestamp", expr: `length(formatdate("YYYY", timestamp()))`, want: num(4)},
	{name: "formatdate", expr: `formatdate("YYYY-MM-DD hh:mm", "2025-03-04T05:06:07Z")`, want: str("2025-03-04 05:06")},
	{name: "timeadd", expr: `timeadd("2025-01-01T00:00:00Z", "90m")`, want: str("2025-01-01T01:30:00Z")},
	{name: "timeadd/bad duration", expr: `timeadd("2025-01-01T00:00:00Z", "soon")`, wantErr: "invalid duration"},
}

var sensitiveCases = []exprCase{
	{name: "sensitive", expr: `sensitive("x")`, want: sens(str("x"))},
	{name: "sensitive/unknown", expr: `sensitive(u.str)`, want: sens(cty.UnknownVal(cty.String))},
	{name: "sensitive/null", expr: `sensitive(null)`, want: sens(cty.NullVal(cty.DynamicPseudoType))},
	{name: "nonsensitive", expr: `nonsensitive(s.str)`, want: str(secret)},
	{name: "nonsensitive/deep", expr: `nonsensitive(s.list)`, want: strs("a", secret)},
	{name: "nonsensitive/plain value", expr: `nonsensitive("x")`, want: str("x")},
	{name: "nonsensitive/unknown", expr: `nonsensitive(sensitive(u.str))`, want: cty.UnknownVal(cty.String)},
	{name: "issensitive", expr: `issensitive(s.str)`, want: cty.True},
	{name: "issensitive/nested", expr: `issensitive({a = s.str})`, want: cty.True},
	{name: "issensitive/plain", expr: `issensitive("x")`, want: cty.False},
	{name: "issensitive/unknown", expr: `issensitive(sensitive(u.str))`, want: cty.True},
}

// sensitiveCollectionCases pass whole sensitive collections: the result
// must stay sensitive.
var sensitiveCollectionCases = []exprCase{
	{name: "concat/sensitive list", expr: `concat(sensitive(["a"]), ["b"])`, want: sens(cty.TupleVal([]cty.Value{str("a"), str("b")}))},
	{name: "concat/sensitive and unknown elements", expr: `concat([s.str], [u.str])`, want: cty.TupleVal([]cty.Value{sens(str(secret)), cty.UnknownVal(cty.String)})},
	{name: "values/sensitive map", expr: `values(s.map)`, want: sens(strs(secret))},
	{name: "element/sensitive list", expr: `element(sensitive(["a"]), 0)`, want: sens(str("a"))},
	{name: "sort/sensitive list", expr: `sort(sensitive(["b", "a"]))`, want: sens(strs("a", "b"))},
	{name: "contains/sensitive list", expr: `contains(sensitive(["a"]), "a")`, want: sens(cty.True)},
	{name: "one/sensitive list", expr: `one(sensitive(["a"]))`, want: sens(str("a"))},
	{name: "index/sensitive list", expr: `index(sensitive(["a"]), "a")`, want: sens(num(0))},
	{name: "transpose/sensitive map", expr: `transpose(sensitive({a = ["b"]}))`, want: sens(cty.MapVal(map[string]cty.Value{"b": strs("a")}))},
	{name: "alltrue/sensitive list", expr: `alltrue(sensitive([true]))`, want: sens(cty.True)},
	{name: "tolist/sensitive tuple", expr: `tolist(sensitive(["a"]))`, want: sens(strs("a"))},
	{name: "coalesce/sensitive", expr: `coalesce(s.str, "x")`, want: sens(str(secret))},
	{name: "split/sensitive", expr: `split(",", s.str)`, want: sens(strs(secret))},
	{name: "cidrsubnets/sensitive", expr: `cidrsubnets(s.cidr, 8)`, want: sens(strs("10.0.0.0/16"))},
	{name: "templatefile/sensitive vars", expr: `templatefile("templates/typo.tpl", sensitive({nmae = "x"}))`, want: sens(str("hello x\n"))},
	{name: "templatefile/sensitive path", expr: `templatefile(sensitive("templates/typo.tpl"), {nmae = "x"})`, want: sens(str("hello x\n"))},
	{name: "templatefile/sensitive path error hidden", expr: `templatefile(sensitive("templates/nope.tpl"), {})`, wantErr: "details are hidden"},
	{name: "tostring/sensitive null", expr: `tostring(sensitive(null))`, want: sens(cty.NullVal(cty.String))},
}

var tryCases = []exprCase{
	{name: "try", expr: `try(tonumber("x"), 7)`, want: num(7)},
	{name: "try/first works", expr: `try(upper("a"), "b")`, want: str("A")},
	{name: "try/unknown", expr: `try(u.str, "b")`, want: cty.DynamicVal},
	{name: "can", expr: `can(cidrhost("10.0.0.0/24", 300))`, want: cty.False},
	{name: "can/ok", expr: `can(cidrhost("10.0.0.0/24", 3))`, want: cty.True},
}

func mustAbs(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return abs
}

func mustHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		panic(err)
	}
	return home
}
