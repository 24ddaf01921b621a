package blueprint

import (
	"fmt"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// Data supplies the values references resolve to. The engine implements it
// over the values it has planned or applied so far; a value not known yet is
// cty.UnknownVal of its type (or cty.DynamicVal), which evaluation carries
// through as "known after apply".
//
// Each method gets the reference's range for its diagnostics. Methods may be
// called concurrently.
type Data interface {
	// Variable returns the final value of an input variable.
	Variable(ref VariableRef, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	// Local returns the value of a local value.
	Local(ref LocalRef, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	// Resource returns the whole resource: an object for a single instance,
	// a tuple for count and an object keyed by for_each keys.
	Resource(ref ResourceRef, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	// ModuleCall returns the outputs of a module call: an object of outputs,
	// or a tuple/object of those for count/for_each.
	ModuleCall(ref ModuleCallRef, rng hcl.Range) (cty.Value, hcl.Diagnostics)
}

// Scope evaluates expressions of one module instance. The zero values of the
// per-instance fields mean "not available here"; static validation has
// already ensured expressions use them only where they exist.
type Scope struct {
	Data Data
	// ModuleDir, RootDir and CWD give path.module, path.root and path.cwd.
	ModuleDir, RootDir, CWD string
	// CountIndex is count.index, or cty.NilVal.
	CountIndex cty.Value
	// EachKey and EachValue are each.key and each.value, or cty.NilVal.
	EachKey, EachValue cty.Value
	// Self is self inside a connection block, or cty.NilVal.
	Self cty.Value
	// Host is the machine being configured inside a role, or cty.NilVal.
	Host cty.Value
}

var funcTables sync.Map // module dir → map[string]function.Function

// Functions returns the function table for expressions of this scope's
// module, shared between scopes of the same directory.
func (s *Scope) Functions() map[string]function.Function {
	if t, ok := funcTables.Load(s.ModuleDir); ok {
		return t.(map[string]function.Function)
	}
	t, _ := funcTables.LoadOrStore(s.ModuleDir, funcs.Table(s.ModuleDir))
	return t.(map[string]function.Function)
}

// EvalExpr evaluates expr and converts the result to want (use
// cty.DynamicPseudoType for no conversion).
func (s *Scope) EvalExpr(expr hcl.Expression, want cty.Type) (cty.Value, hcl.Diagnostics) {
	refs, diags := References(expr)
	ctx, ctxDiags := s.EvalContext(refs)
	diags = append(diags, ctxDiags...)
	if diags.HasErrors() {
		return cty.UnknownVal(want), diags
	}
	val, valDiags := expr.Value(ctx)
	diags = append(diags, valDiags...)
	if valDiags.HasErrors() {
		return cty.UnknownVal(want), diags
	}
	if want != cty.DynamicPseudoType {
		conv, err := convert.Convert(val, want)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity:    hcl.DiagError,
				Summary:     "Incorrect value type",
				Detail:      fmt.Sprintf("Invalid expression value: %s.", convertErrorText(err, val)),
				Subject:     expr.Range().Ptr(),
				Expression:  expr,
				EvalContext: ctx,
			})
			return cty.UnknownVal(want), diags
		}
		val = conv
	}
	return val, diags
}

// EvalBody decodes body against spec (built from a provider or host
// resource schema) and returns the resulting object value. Dynamic blocks
// (dynamic "listener" { for_each = ... content { ... } }) are expanded.
func (s *Scope) EvalBody(body hcl.Body, spec hcldec.Spec) (cty.Value, hcl.Diagnostics) {
	refs, diags := traversalRefs(dynblock.VariablesHCLDec(body, spec))
	ctx, ctxDiags := s.EvalContext(refs)
	diags = append(diags, ctxDiags...)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	val, valDiags := hcldec.Decode(dynblock.Expand(body, ctx), spec, ctx)
	return val, append(diags, valDiags...)
}

// EvalContext builds the smallest hcl.EvalContext that covers refs: only the
// values referred to are fetched, so evaluating one expression costs what it
// refers to, not what the blueprint holds.
func (s *Scope) EvalContext(refs []*Reference) (*hcl.EvalContext, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	vars := map[string]cty.Value{}
	varVals := map[string]cty.Value{}
	localVals := map[string]cty.Value{}
	moduleVals := map[string]cty.Value{}
	pathVals := map[string]cty.Value{}
	managed := map[string]map[string]cty.Value{}
	dataSources := map[string]map[string]cty.Value{}

	data := s.Data
	if data == nil {
		data = noData{}
	}
	for _, ref := range refs {
		switch sub := ref.Subject.(type) {
		case VariableRef:
			if _, done := varVals[sub.Name]; !done {
				v, d := data.Variable(sub, ref.SourceRange)
				varVals[sub.Name], diags = v, append(diags, d...)
			}
		case LocalRef:
			if _, done := localVals[sub.Name]; !done {
				v, d := data.Local(sub, ref.SourceRange)
				localVals[sub.Name], diags = v, append(diags, d...)
			}
		case ModuleCallRef:
			if _, done := moduleVals[sub.Name]; !done {
				v, d := data.ModuleCall(sub, ref.SourceRange)
				moduleVals[sub.Name], diags = v, append(diags, d...)
			}
		case ResourceRef:
			into := managed
			if sub.Mode == DataResourceMode {
				into = dataSources
			}
			if into[sub.Type] == nil {
				into[sub.Type] = map[string]cty.Value{}
			}
			if _, done := into[sub.Type][sub.Name]; !done {
				v, d := data.Resource(sub, ref.SourceRange)
				into[sub.Type][sub.Name], diags = v, append(diags, d...)
			}
		case PathRef:
			pathVals["module"] = cty.StringVal(s.ModuleDir)
			pathVals["root"] = cty.StringVal(s.RootDir)
			pathVals["cwd"] = cty.StringVal(s.CWD)
		case CountRef:
			if s.CountIndex == cty.NilVal {
				diags = append(diags, unavailable(ref, "count.index", "count"))
				continue
			}
			vars["count"] = cty.ObjectVal(map[string]cty.Value{"index": s.CountIndex})
		case EachRef:
			if s.EachKey == cty.NilVal {
				diags = append(diags, unavailable(ref, "each."+sub.Name, "for_each"))
				continue
			}
			vars["each"] = cty.ObjectVal(map[string]cty.Value{"key": s.EachKey, "value": s.EachValue})
		case SelfRef:
			if s.Self == cty.NilVal {
				diags = append(diags, unavailable(ref, "self", "a connection block"))
				continue
			}
			vars["self"] = s.Self
		case HostRef:
			if s.Host == cty.NilVal {
				diags = append(diags, unavailable(ref, "host", "a role"))
				continue
			}
			vars["host"] = s.Host
		}
	}
	if len(varVals) > 0 {
		vars["var"] = cty.ObjectVal(varVals)
	}
	if len(localVals) > 0 {
		vars["local"] = cty.ObjectVal(localVals)
	}
	if len(moduleVals) > 0 {
		vars["module"] = cty.ObjectVal(moduleVals)
	}
	if len(pathVals) > 0 {
		vars["path"] = cty.ObjectVal(pathVals)
	}
	if len(managed) > 0 {
		byType := map[string]cty.Value{}
		for typ, names := range managed {
			obj := cty.ObjectVal(names)
			byType[typ] = obj
			vars[typ] = obj // the short TYPE.NAME form
		}
		vars["resource"] = cty.ObjectVal(byType)
	}
	if len(dataSources) > 0 {
		byType := map[string]cty.Value{}
		for typ, names := range dataSources {
			byType[typ] = cty.ObjectVal(names)
		}
		vars["data"] = cty.ObjectVal(byType)
	}
	return &hcl.EvalContext{Variables: vars, Functions: s.Functions()}, diags
}

func unavailable(ref *Reference, what, where string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Reference not available here",
		Detail:   fmt.Sprintf("%s is only available inside %s.", what, where),
		Subject:  ref.SourceRange.Ptr(),
	}
}

// convertErrorText describes a conversion failure without showing a
// sensitive value.
func convertErrorText(err error, val cty.Value) string {
	if val.HasMarkDeep(funcs.SensitiveMark) {
		return "the value is sensitive, and its type does not match what is expected here"
	}
	return err.Error()
}

// noData stands in for a Scope without Data: every reference to a
// declared object is an error rather than a nil-pointer panic.
type noData struct{}

var _ Data = noData{}

func (noData) err(what string, rng hcl.Range) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Reference not available here",
		Detail:   what + " cannot be used here: this expression is evaluated before any values are known. Use a constant.",
		Subject:  rng.Ptr(),
	}}
}

func (d noData) Variable(ref VariableRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return cty.DynamicVal, d.err(ref.String(), rng)
}

func (d noData) Local(ref LocalRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return cty.DynamicVal, d.err(ref.String(), rng)
}

func (d noData) Resource(ref ResourceRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return cty.DynamicVal, d.err(ref.String(), rng)
}

func (d noData) ModuleCall(ref ModuleCallRef, rng hcl.Range) (cty.Value, hcl.Diagnostics) {
	return cty.DynamicVal, d.err(ref.String(), rng)
}
