package view

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// maxValueLen bounds how much of a string value a diagnostic shows.
const maxValueLen = 60

// expressionValues describes the values of the variables an expression
// refers to, so that a failed condition shows why it failed:
//
//	var.web_count is 0
//
// It returns one line per distinct reference that resolves in the
// diagnostic's evaluation context, sorted. Values with marks (sensitive
// values) are never shown.
func expressionValues(d *hcl.Diagnostic) []string {
	if d.Expression == nil || d.EvalContext == nil {
		return nil
	}
	seen := map[string]bool{}
	var lines []string
	for _, traversal := range d.Expression.Variables() {
		name := traversalString(traversal)
		if seen[name] {
			continue
		}
		seen[name] = true
		val, diags := traversal.TraverseAbs(d.EvalContext)
		if diags.HasErrors() {
			continue
		}
		lines = append(lines, name+" "+describeValue(val))
	}
	sort.Strings(lines)
	return lines
}

// traversalString renders a traversal as it is written: var.list[0].name.
func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			b.WriteString("[" + describeKey(s.Key) + "]")
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

func describeKey(k cty.Value) string {
	switch {
	case k.IsMarked() || !k.IsKnown() || k.IsNull():
		return "…"
	case k.Type() == cty.String:
		return fmt.Sprintf("%q", k.AsString())
	case k.Type() == cty.Number:
		return k.AsBigFloat().Text('f', -1)
	}
	return "…"
}

// describeValue says what a value is, briefly: "is 3", `is "debian-12"`,
// "is a list of string with 2 elements", "will be known only after apply".
func describeValue(v cty.Value) string {
	switch {
	case v.IsMarked():
		return "has a sensitive value"
	case !v.IsKnown():
		return "will be known only after apply"
	case v.IsNull():
		return "is null"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		s := v.AsString()
		if len([]rune(s)) > maxValueLen {
			s = string([]rune(s)[:maxValueLen]) + "…"
		}
		return fmt.Sprintf("is %q", s)
	case ty == cty.Number:
		return "is " + v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		return fmt.Sprintf("is %t", v.True())
	case ty.IsListType(), ty.IsSetType(), ty.IsMapType():
		n := v.LengthInt()
		if n == 0 {
			return fmt.Sprintf("is an empty %s", ty.FriendlyName())
		}
		return fmt.Sprintf("is a %s with %d %s", ty.FriendlyName(), n, plural(n, "element"))
	case ty.IsTupleType():
		n := v.LengthInt()
		return fmt.Sprintf("is a tuple with %d %s", n, plural(n, "element"))
	case ty.IsObjectType():
		n := len(ty.AttributeTypes())
		return fmt.Sprintf("is an object with %d %s", n, plural(n, "attribute"))
	}
	return "is a " + ty.FriendlyName()
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
