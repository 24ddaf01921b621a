package funcs

import (
	"os"
	"regexp"
	"sort"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// unknownArgs returns one unknown argument per parameter of f (and one for
// its variadic parameter), each marked with marks.
func unknownArgs(f function.Function, marks ...any) []cty.Value {
	params := f.Params()
	if vp := f.VarParam(); vp != nil {
		params = append(params, *vp)
	}
	args := make([]cty.Value, len(params))
	for i, p := range params {
		v := cty.UnknownVal(p.Type)
		for _, m := range marks {
			v = v.Mark(m)
		}
		args[i] = v
	}
	return args
}

// notFromArguments are the functions whose result does not follow from
// the values of their arguments.
var notFromArguments = map[string]bool{
	"uuid": true, "timestamp": true, // impure, no arguments
	"try": true, "can": true, // take expressions, tested in TestFunctions
	"issensitive": true, // known even for unknown values
}

// TestUnknownArguments calls every function with unknown arguments: none
// may fail, and each must return an unknown result.
func TestUnknownArguments(t *testing.T) {
	for name, f := range Table(t.TempDir()) {
		if notFromArguments[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			got, err := f.Call(unknownArgs(f))
			if err != nil {
				t.Fatalf("%s(unknown...) failed: %v", name, err)
			}
			if got.IsKnown() {
				t.Errorf("%s(unknown...) = %#v, want an unknown value", name, got)
			}
		})
	}
}

// TestSensitiveUnknownArguments checks that a sensitive unknown argument
// gives a sensitive unknown result: the mark survives even when the
// function does not run.
func TestSensitiveUnknownArguments(t *testing.T) {
	for name, f := range Table(t.TempDir()) {
		if notFromArguments[name] || name == "nonsensitive" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			got, err := f.Call(unknownArgs(f, SensitiveMark))
			if err != nil {
				t.Fatalf("%s(sensitive unknown...) failed: %v", name, err)
			}
			if got.IsKnown() || !got.HasMarkDeep(SensitiveMark) {
				t.Errorf("%s(sensitive unknown...) = %#v, want a sensitive unknown value", name, got)
			}
		})
	}
}

// TestOtherMarksKept checks that nonsensitive removes only SensitiveMark.
func TestOtherMarksKept(t *testing.T) {
	type otherMark struct{}
	v := cty.ObjectVal(map[string]cty.Value{
		"a": str("x").Mark(SensitiveMark).Mark(otherMark{}),
		"b": str("y").Mark(SensitiveMark),
	}).Mark(SensitiveMark)
	got, err := Table(".")["nonsensitive"].Call([]cty.Value{v})
	if err != nil {
		t.Fatal(err)
	}
	if got.HasMarkDeep(SensitiveMark) {
		t.Errorf("nonsensitive left a sensitive mark: %#v", got)
	}
	if !got.GetAttr("a").HasMark(otherMark{}) {
		t.Errorf("nonsensitive removed another mark: %#v", got)
	}
}

// TestDocumented checks that every function has a description and is
// named in the package documentation, and that the documentation names no
// function that does not exist.
func TestDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	funcs := Table(".")
	for name, f := range funcs {
		if f.Description() == "" {
			t.Errorf("%s has no description", name)
		}
		if !regexp.MustCompile(`\b` + name + `\b`).Match(doc) {
			t.Errorf("%s is not in the package documentation (doc.go)", name)
		}
	}
	var unknown []string
	for _, m := range regexp.MustCompile(`\b([a-z][a-z0-9]*)\(`).FindAllSubmatch(doc, -1) {
		if _, ok := funcs[string(m[1])]; !ok {
			unknown = append(unknown, string(m[1]))
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		t.Errorf("doc.go shows calls to functions that do not exist: %v", unknown)
	}
}

// TestTableIsFresh checks that callers may change the map Table returns.
func TestTableIsFresh(t *testing.T) {
	a := Table("a")
	delete(a, "upper")
	if _, ok := Table("b")["upper"]; !ok {
		t.Error("deleting from one Table result changed another")
	}
}
