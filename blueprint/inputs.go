package blueprint

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// Variable value files and environment.
const (
	// AutoVarsSuffix marks variable files loaded without being named.
	AutoVarsSuffix = ".auto.bpvars.hcl"
	// VarEnvPrefix prefixes environment variables that set input variables.
	VarEnvPrefix = "BP_VAR_"
)

// SourceType says where an input value came from, for messages and
// precedence (later types override earlier ones).
type SourceType int

// Value sources, lowest precedence first.
const (
	SourceEnv SourceType = iota + 1
	SourceAutoFile
	SourceFile
	SourceCLI
	SourceCaller
)

// InputValue is a value given for an input variable, not yet checked
// against the variable's declaration.
type InputValue struct {
	// Value is set for values read from files or given by a module call.
	Value cty.Value
	// Raw is set instead for -var and BP_VAR_ values, which are parsed once
	// the variable's type is known: primitive types take the text as it is,
	// other types parse it as an HCL expression.
	Raw        string
	SourceType SourceType
	// Source describes the origin: "-var option", "BP_VAR_x", a file name.
	Source string
	// Range points into a variable file; empty for the command line and
	// environment.
	Range hcl.Range
}

// InputValues are the given values by variable name.
type InputValues map[string]*InputValue

// VarArg is one -var or -var-file option, kept in command-line order because
// later options override earlier ones.
type VarArg struct {
	// Assign is the NAME=VALUE of a -var option.
	Assign string
	// File is the path of a -var-file option.
	File string
}

// CollectInputs gathers input values for the root module in dir from the
// environment (BP_VAR_name), *.auto.bpvars.hcl files in dir (in name order)
// and the -var / -var-file options, each overriding the ones before.
func (l *Loader) CollectInputs(dir string, args []VarArg, environ []string) (InputValues, hcl.Diagnostics) {
	inputs := InputValues{}
	var diags hcl.Diagnostics
	for _, kv := range environ {
		if !strings.HasPrefix(kv, VarEnvPrefix) {
			continue
		}
		name, raw, _ := strings.Cut(strings.TrimPrefix(kv, VarEnvPrefix), "=")
		if name == "" {
			continue
		}
		inputs[name] = &InputValue{Raw: raw, SourceType: SourceEnv, Source: "the environment variable " + VarEnvPrefix + name}
	}
	autoFiles, _ := filepath.Glob(filepath.Join(dir, "*"+AutoVarsSuffix))
	sort.Strings(autoFiles)
	for _, f := range autoFiles {
		diags = append(diags, l.readVarFile(f, SourceAutoFile, inputs)...)
	}
	for _, a := range args {
		if a.File != "" {
			diags = append(diags, l.readVarFile(a.File, SourceFile, inputs)...)
			continue
		}
		name, raw, ok := strings.Cut(a.Assign, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid -var option",
				Detail: fmt.Sprintf("The -var option takes NAME=VALUE, such as -var 'web_count=3', but %q is "+
					"not of that form. Write the variable name, an equals sign, then the value.", a.Assign),
			})
			continue
		}
		inputs[name] = &InputValue{Raw: raw, SourceType: SourceCLI, Source: "the -var option"}
	}
	return inputs, diags
}

// readVarFile reads NAME = VALUE lines of a variable file (HCL, or JSON for
// a name ending in .json) into inputs.
func (l *Loader) readVarFile(path string, st SourceType, inputs InputValues) hcl.Diagnostics {
	if _, err := os.Stat(path); err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Failed to read variables file",
			Detail:   fmt.Sprintf("Given variables file %s does not exist or cannot be read: %s.", path, err),
		}}
	}
	file, diags := l.LoadFile(path)
	if file == nil || diags.HasErrors() {
		return diags
	}
	attrs, attrDiags := file.Body.JustAttributes()
	for _, d := range attrDiags {
		d.Detail = "A variables file contains only NAME = VALUE assignments, such as web_count = 3."
	}
	diags = append(diags, attrDiags...)
	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		val, valDiags := attr.Expr.Value(nil)
		if valDiags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Variables not allowed",
				Detail:   "Values in a variables file must be constants: they cannot refer to other values or call functions.",
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		inputs[name] = &InputValue{Value: val, SourceType: st, Source: path, Range: attr.Range}
	}
	return diags
}

// PrepareVariables checks given values against the module's variable
// declarations and returns the final value of every variable: converted to
// its type, defaults filled in, sensitive values marked, validations run.
func PrepareVariables(m *Module, inputs InputValues) (map[string]cty.Value, hcl.Diagnostics) {
	out := make(map[string]cty.Value, len(m.Variables))
	var diags hcl.Diagnostics
	for _, name := range sortedKeys(inputs) {
		in := inputs[name]
		if _, declared := m.Variables[name]; declared {
			continue
		}
		switch in.SourceType {
		case SourceCLI:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value for undeclared variable",
				Detail: fmt.Sprintf("A variable named %q was assigned with %s, but the blueprint declares no such "+
					"variable.%s Declare it with a variable %q {} block, or remove the option.",
					name, in.Source, didYouMean(name, sortedKeys(m.Variables)), name),
			})
		case SourceFile, SourceAutoFile:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail: fmt.Sprintf("The file %s sets %q, which the blueprint does not declare, so it is ignored.%s",
					in.Source, name, didYouMean(name, sortedKeys(m.Variables))),
				Subject: in.Range.Ptr(),
			})
		}
	}
	valid := map[string]bool{}
	for _, name := range sortedKeys(m.Variables) {
		v := m.Variables[name]
		val, valDiags := finalVariableValue(v, inputs[name])
		diags = append(diags, valDiags...)
		if valDiags.HasErrors() {
			out[name] = cty.UnknownVal(v.Type)
			continue
		}
		// Marked before validation, so an error message that quotes a
		// sensitive value is not shown.
		if v.Sensitive {
			val = val.Mark(funcs.SensitiveMark)
		}
		out[name], valid[name] = val, true
	}
	// Validations run once every value is known, as they may compare
	// variables.
	for _, name := range sortedKeys(m.Variables) {
		if valid[name] {
			diags = append(diags, runValidations(m.Variables[name], out[name], out)...)
		}
	}
	return out, diags
}

// finalVariableValue converts one given value (or the default) to the
// variable's type.
func finalVariableValue(v *Variable, in *InputValue) (cty.Value, hcl.Diagnostics) {
	if in == nil {
		if v.Required() {
			return cty.NilVal, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No value for required variable",
				Detail: fmt.Sprintf("The variable %q has no default, so a value must be given: use -var '%s=...', "+
					"a -var-file, a *%s file or the environment variable %s%s.",
					v.Name, v.Name, AutoVarsSuffix, VarEnvPrefix, v.Name),
				Subject: v.DeclRange.Ptr(),
			}}
		}
		return v.Default, nil
	}
	subject := in.Range.Ptr()
	if in.Range == (hcl.Range{}) {
		subject = v.DeclRange.Ptr()
	}
	invalid := func(why string) (cty.Value, hcl.Diagnostics) {
		return cty.NilVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail: fmt.Sprintf("The value for variable %q given by %s is not valid: %s. The variable's type is %s.",
				v.Name, in.Source, why, typeString(v.Type)),
			Subject: subject,
		}}
	}
	val := in.Value
	if in.Value == cty.NilVal {
		// A variable without a type constraint takes the text as a string,
		// as Terraform does: -var region=eu must not need quotes.
		if v.Type.IsPrimitiveType() || v.Type == cty.DynamicPseudoType {
			val = cty.StringVal(in.Raw)
		} else {
			expr, parseDiags := hclsyntax.ParseExpression([]byte(in.Raw), "<value for var."+v.Name+">", hcl.InitialPos)
			if parseDiags.HasErrors() {
				return invalid("it is not a valid expression (" + parseDiags[0].Summary + ")")
			}
			pv, valDiags := expr.Value(nil)
			if valDiags.HasErrors() {
				return invalid("it must be a constant value, such as [\"a\", \"b\"] or { name = \"x\" }")
			}
			val = pv
		}
	}
	if v.TypeDefaults != nil {
		val = v.TypeDefaults.Apply(val)
	}
	conv, err := convert.Convert(val, v.Type)
	if err != nil {
		if v.Sensitive {
			return invalid("the value does not match the type")
		}
		return invalid(conversionError(err))
	}
	// As in Terraform: null is a value of a nullable variable; a variable
	// that is not nullable takes its default instead, and must have one.
	if conv.IsNull() && !v.Nullable {
		if v.Default == cty.NilVal {
			return invalid("the variable is not nullable and has no default, so it needs a value other than null")
		}
		return v.Default, nil
	}
	return conv, nil
}

// ValidateVariable evaluates a variable's validation blocks against val:
// one error per rule val breaks, pointing at the variable. others holds
// the values of the module's other variables the rules refer to
// (ValidationVariables). A condition that is unknown (a value not known
// yet) is skipped.
func ValidateVariable(v *Variable, val cty.Value, others map[string]cty.Value) hcl.Diagnostics {
	return runValidations(v, val, others)
}

// runValidations evaluates a variable's validation blocks against val,
// with the values of the other variables they refer to from others (a
// variable missing there is unknown, so the rule is skipped).
func runValidations(v *Variable, val cty.Value, others map[string]cty.Value) hcl.Diagnostics {
	var diags hcl.Diagnostics
	vars := map[string]cty.Value{v.Name: val}
	for _, name := range v.ValidationVariables() {
		if o, ok := others[name]; ok {
			vars[name] = o
		} else {
			vars[name] = cty.DynamicVal
		}
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)},
		Functions: funcs.Table("."),
	}
	for _, rule := range v.Validations {
		result, resDiags := rule.Condition.Value(ctx)
		if resDiags.HasErrors() {
			diags = append(diags, resDiags...)
			continue
		}
		result, _ = result.UnmarkDeep()
		if !result.IsKnown() {
			continue
		}
		result, err := convert.Convert(result, cty.Bool)
		if err != nil || result.IsNull() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid validation condition",
				Detail: "A validation condition must be true or false, and this one is not (for this value). " +
					"Write a comparison such as var.x >= 1, and guard against null with var.x != null && ...",
				Subject: rule.Condition.Range().Ptr(),
			})
			continue
		}
		if !result.IsKnown() {
			continue
		}
		if result.True() {
			continue
		}
		msg := "The value is not valid."
		if m, mDiags := rule.ErrorMessage.Value(ctx); !mDiags.HasErrors() {
			if s, err := convert.Convert(m, cty.String); err == nil && s.IsKnown() && !s.IsNull() {
				if s.HasMarkDeep(funcs.SensitiveMark) {
					msg = "The error message refers to a sensitive value, so it is not shown."
				} else {
					msg = s.AsString()
				}
			}
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.", msg, shortRange(rule.DeclRange)),
			Subject:  v.DeclRange.Ptr(),
		})
	}
	return diags
}
