package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Variable is a `variable` block: an input of the blueprint or module.
type Variable struct {
	Name        string
	Description string
	// Type is the type constraint; cty.DynamicPseudoType when none is given.
	Type cty.Type
	// TypeDefaults holds the defaults of optional(...) object attributes.
	TypeDefaults *typeexpr.Defaults
	// Default is cty.NilVal when the variable is required.
	Default     cty.Value
	Sensitive   bool
	Nullable    bool
	Validations []*Validation
	DeclRange   hcl.Range
}

// Required reports whether a value must be given for the variable.
func (v *Variable) Required() bool { return v.Default == cty.NilVal }

// Validation is a `validation` block of a variable.
type Validation struct {
	Condition    hcl.Expression
	ErrorMessage hcl.Expression
	DeclRange    hcl.Range
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"},
		{Name: "sensitive"}, {Name: "nullable"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "error_message", Required: true},
	},
}

func decodeVariable(block *hcl.Block) (*Variable, hcl.Diagnostics) {
	v := &Variable{
		Name:      block.Labels[0],
		Type:      cty.DynamicPseudoType,
		Nullable:  true,
		DeclRange: block.DefRange,
	}
	diags := checkName("variable", v.Name, block.LabelRanges[0])
	if reservedVariableNames[v.Name] {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Reserved variable name",
			Detail:   fmt.Sprintf("%q is reserved for meta-arguments of module calls; choose another name.", v.Name),
			Subject:  block.LabelRanges[0].Ptr(),
		})
	}
	content, moreDiags := block.Body.Content(variableSchema)
	explainUnsupported(moreDiags, "variable block", variableSchema)
	diags = append(diags, moreDiags...)

	if attr, ok := content.Attributes["description"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &v.Description)...)
	}
	if attr, ok := content.Attributes["sensitive"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &v.Sensitive)...)
	}
	if attr, ok := content.Attributes["nullable"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &v.Nullable)...)
	}
	if attr, ok := content.Attributes["type"]; ok {
		ty, defaults, tyDiags := typeexpr.TypeConstraintWithDefaults(attr.Expr)
		for _, d := range tyDiags {
			if d.Detail != "" {
				d.Detail += " Write a type such as string, number, bool, list(string), map(number) or object({ name = string, port = optional(number, 80) })."
			}
		}
		diags = append(diags, tyDiags...)
		if !tyDiags.HasErrors() {
			v.Type, v.TypeDefaults = ty, defaults
		}
	}
	if attr, ok := content.Attributes["default"]; ok {
		val, valDiags := attr.Expr.Value(nil)
		if valDiags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid default value",
				Detail: fmt.Sprintf("The default of variable %q must be a constant: it may not refer to "+
					"other values or call functions. Move computed values to a local.", v.Name),
				Subject: attr.Expr.Range().Ptr(),
			})
		} else {
			if v.TypeDefaults != nil {
				val = v.TypeDefaults.Apply(val)
			}
			converted, err := convert.Convert(val, v.Type)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid default value for variable",
					Detail: fmt.Sprintf("The default of variable %q does not match its type %s: %s. Change "+
						"the default, or the type.", v.Name, typeString(v.Type), conversionError(err)),
					Subject: attr.Expr.Range().Ptr(),
				})
			} else if converted.IsNull() && !v.Nullable {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid default value for variable",
					Detail:   fmt.Sprintf("Variable %q is not nullable, so its default cannot be null.", v.Name),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else {
				v.Default = converted
			}
		}
	}
	for _, b := range content.Blocks {
		vc, vcDiags := b.Body.Content(validationSchema)
		explainUnsupported(vcDiags, "validation block", validationSchema)
		diags = append(diags, vcDiags...)
		if vcDiags.HasErrors() {
			continue
		}
		val := &Validation{
			Condition:    vc.Attributes["condition"].Expr,
			ErrorMessage: vc.Attributes["error_message"].Expr,
			DeclRange:    b.DefRange,
		}
		diags = append(diags, checkValidationRefs(v.Name, "condition", val.Condition)...)
		diags = append(diags, checkValidationRefs(v.Name, "error_message", val.ErrorMessage)...)
		v.Validations = append(v.Validations, val)
	}
	return v, diags
}

// checkValidationRefs ensures a validation condition or error message refers
// only to variables (var.NAME): the variable it validates, or others of the
// same module, such as min <= max. validateModule checks that those others
// are declared.
func checkValidationRefs(name, arg string, expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		ref, refDiags := ParseRef(tr)
		if refDiags.HasErrors() {
			diags = append(diags, refDiags...)
			continue
		}
		if _, ok := ref.Subject.(VariableRef); ok {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference in variable validation",
			Detail: fmt.Sprintf("The %s of a validation of variable %q can only refer to variables (var.%s, or another "+
				"variable of the module), because it is checked before anything else is known. Move checks "+
				"that involve other values to where those values are used.", arg, name, name),
			Subject: tr.SourceRange().Ptr(),
		})
	}
	return diags
}

// ValidationVariables returns the names of the other variables of its
// module that v's validations refer to, in order.
func (v *Variable) ValidationVariables() []string {
	seen := map[string]bool{v.Name: true}
	var out []string
	for _, rule := range v.Validations {
		for _, expr := range []hcl.Expression{rule.Condition, rule.ErrorMessage} {
			if expr == nil {
				continue
			}
			for _, tr := range expr.Variables() {
				ref, diags := ParseRef(tr)
				if vr, ok := ref.Subject.(VariableRef); ok && !diags.HasErrors() && !seen[vr.Name] {
					seen[vr.Name] = true
					out = append(out, vr.Name)
				}
			}
		}
	}
	return out
}

// reservedVariableNames cannot be variable names because module calls use
// them as meta-arguments.
var reservedVariableNames = map[string]bool{
	"source": true, "version": true, "providers": true, "count": true,
	"for_each": true, "depends_on": true, "lifecycle": true,
}

func typeString(ty cty.Type) string {
	if ty == cty.DynamicPseudoType {
		return "any"
	}
	return typeexpr.TypeString(ty)
}
