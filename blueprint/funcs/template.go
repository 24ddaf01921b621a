package funcs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// RenderTemplate parses src as an HCL template (the syntax of a quoted
// string without the quotes: "${name}", "%{ if … }", "%{ for … }") and
// evaluates it with vars as its only variables and funcs as its functions.
// filename names the template in diagnostics.
//
// Every problem comes back as a diagnostic with a range in the template; a
// reference to a variable that vars lacks is reported before evaluation as
// "Missing template variable". The result must be known: an unknown value
// anywhere it is used is an error. Marks are dropped from the result, so a
// caller that passes sensitive vars must treat the output as sensitive.
func RenderTemplate(src []byte, filename string, vars map[string]cty.Value, funcs map[string]function.Function) (string, hcl.Diagnostics) {
	expr, diags := parseTemplate(src, filename)
	if diags.HasErrors() {
		return "", diags
	}
	if diags := checkTemplateVars(expr, vars, true); diags.HasErrors() {
		return "", diags
	}
	val, diags := evalTemplate(expr, vars, funcs)
	if diags.HasErrors() {
		return "", diags
	}
	val, _ = val.UnmarkDeep()
	if !val.IsWhollyKnown() {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Template result not known",
			Detail:   "The template uses a value that is not known yet (it will be known only after apply), so it cannot be rendered now.",
			Subject:  expr.Range().Ptr(),
		}}
	}
	return val.AsString(), nil
}

func parseTemplate(src []byte, filename string) (hclsyntax.Expression, hcl.Diagnostics) {
	return hclsyntax.ParseTemplate(src, filename, hcl.InitialPos)
}

// checkTemplateVars reports every reference in expr to a variable that vars
// does not define. suggest allows "Did you mean" hints, which name other
// keys of vars; callers turn it off when the keys themselves are sensitive.
func checkTemplateVars(expr hclsyntax.Expression, vars map[string]cty.Value, suggest bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, traversal := range expr.Variables() {
		name := traversal.RootName()
		if _, ok := vars[name]; ok {
			continue
		}
		detail := fmt.Sprintf("The template refers to %q, but vars has no key %q.", name, name)
		if s := suggestKey(name, vars); suggest && s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		} else {
			detail += fmt.Sprintf(" Add %s = … to the vars argument.", name)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing template variable",
			Detail:   detail,
			Subject:  traversal.SourceRange().Ptr(),
		})
	}
	return diags
}

// suggestKey returns the key of vars closest to name, if one is close.
func suggestKey(name string, vars map[string]cty.Value) string {
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best, bestDist := "", 3
	for _, k := range keys {
		if d := levenshtein.Distance(name, k, nil); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// evalTemplate evaluates a parsed template and converts its result to a
// string. The result may be unknown or marked.
func evalTemplate(expr hclsyntax.Expression, vars map[string]cty.Value, funcs map[string]function.Function) (cty.Value, hcl.Diagnostics) {
	ctx := &hcl.EvalContext{Variables: vars, Functions: funcs}
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.UnknownVal(cty.String), diags
	}
	str, err := convert.Convert(val, cty.String)
	if err != nil {
		return cty.UnknownVal(cty.String), append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid template result",
			Detail:   fmt.Sprintf("The template produced %s, but it must produce a string. A template that is a single interpolation returns that value as it is: use a function such as jsonencode or join to turn it into text.", val.Type().FriendlyName()),
			Subject:  expr.Range().Ptr(),
		})
	}
	if str.IsNull() {
		return cty.UnknownVal(cty.String), append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid template result",
			Detail:   "The template produced null, but it must produce a string.",
			Subject:  expr.Range().Ptr(),
		})
	}
	return str, diags
}

// diagsError turns error diagnostics into one error message that names the
// template position of the first of them.
func diagsError(diags hcl.Diagnostics) string {
	errs := diags.Errs()
	if len(errs) == 0 {
		return ""
	}
	msg := diagMessage(errs[0])
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more errors in the template)", len(errs)-1)
	}
	return msg
}

// diagMessage formats an error as "file:line,col-col: summary; detail"
// when it is a diagnostic with a range.
func diagMessage(err error) string {
	d, ok := err.(*hcl.Diagnostic)
	if !ok {
		return err.Error()
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += "; " + strings.TrimSuffix(d.Detail, ".")
	}
	if d.Subject != nil {
		msg = d.Subject.String() + ": " + msg
	}
	return msg
}

// makeTemplateFileFunc returns templatefile(path, vars). funcs are the
// functions a template may call; Table passes itself with templatefile
// replaced by a function that refuses, so templates cannot recurse.
func makeTemplateFileFunc(baseDir string, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Reads the file at the given path (relative to the module directory), renders it as a template with the given vars as its only variables, and returns the result.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String, AllowMarked: true},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowMarked: true},
		},
		Type: func(args []cty.Value) (cty.Type, error) {
			ty := args[1].Type()
			if !ty.IsObjectType() && !ty.IsMapType() && ty != cty.DynamicPseudoType {
				return cty.NilType, function.NewArgErrorf(1, "vars must be an object or a map, such as { name = \"web\" }, not %s", ty.FriendlyName())
			}
			return cty.String, nil
		},
		RefineResult: refineNotNull,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path, pathMarks := args[0].Unmark()
			vars, varsMarks := args[1].Unmark()
			// The keys of a sensitive vars object are not offered as
			// "Did you mean" suggestions.
			suggest := !varsMarks.Has(SensitiveMark)
			val, err := renderTemplateFile(baseDir, path.AsString(), vars, suggest, funcs)
			if err != nil && pathMarks.Has(SensitiveMark) {
				// The path is sensitive, and messages about the file name it.
				err = redactError(err, args[:1])
			}
			if err != nil {
				return cty.NilVal, err
			}
			return val.WithMarks(pathMarks, varsMarks), nil
		},
	})
}

// renderTemplateFile is the body of templatefile once marks are off path
// and vars.
func renderTemplateFile(baseDir, path string, vars cty.Value, suggest bool, funcs map[string]function.Function) (cty.Value, error) {
	src, err := readFile(baseDir, path)
	if err != nil {
		return cty.NilVal, function.NewArgError(0, err)
	}
	expr, diags := parseTemplate(src, path)
	if diags.HasErrors() {
		return cty.NilVal, function.NewArgErrorf(0, "%s", diagsError(diags))
	}
	// vars is known and not null: the function spec does not allow either.
	varMap := vars.AsValueMap()
	if varMap == nil {
		varMap = map[string]cty.Value{}
	}
	if diags := checkTemplateVars(expr, varMap, suggest); diags.HasErrors() {
		return cty.NilVal, function.NewArgErrorf(1, "%s", diagsError(diags))
	}
	val, diags := evalTemplate(expr, varMap, funcs)
	if diags.HasErrors() {
		return cty.NilVal, function.NewArgErrorf(0, "%s", diagsError(diags))
	}
	return val, nil
}

// noNestedTemplateFunc stands in for templatefile inside templates.
var noNestedTemplateFunc = function.New(&function.Spec{
	Description: "templatefile cannot be called from inside a template.",
	// Every value is let through so the call fails even when its
	// arguments are not known yet.
	Params: []function.Parameter{
		{Name: "path", Type: cty.String, AllowUnknown: true, AllowNull: true, AllowMarked: true},
		{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(_ []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.NilVal, function.NewArgErrorf(0, "templatefile cannot be called from inside a template (templates may not include other templates); render the inner template in the blueprint and pass its result in vars")
	},
})
