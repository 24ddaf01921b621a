package engine

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/resources"
)

// ValidateRoles checks the host resources of every role in the module tree
// without any host, as bp validate does: arguments the kind does not have,
// required arguments left out, values of the wrong type and the kind's own
// rules (an enum value such as a service's state, a file mode) on every
// value known without a host. Values that depend on host, variables,
// resources or other blueprint values are checked when a plan evaluates
// the roles for each host. Every diagnostic points at the argument (or the
// block) it is about.
func ValidateRoles(cfg *blueprint.Config) hcl.Diagnostics {
	var diags hcl.Diagnostics
	var walk func(c *blueprint.Config)
	walk = func(c *blueprint.Config) {
		fns := funcs.Table(c.Module.Dir)
		names := make([]string, 0, len(c.Module.Roles))
		for name := range c.Module.Roles {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			for _, hr := range c.Module.Roles[name].Resources {
				diags = append(diags, validateHostResource(hr, fns)...)
			}
		}
		children := make([]string, 0, len(c.Children))
		for name := range c.Children {
			children = append(children, name)
		}
		sort.Strings(children)
		for _, name := range children {
			walk(c.Children[name])
		}
	}
	if cfg != nil {
		walk(cfg)
	}
	return diags
}

// validateHostResource checks one host resource's body. fns are the
// functions its expressions may call.
func validateHostResource(hr *blueprint.HostResource, fns map[string]function.Function) hcl.Diagnostics {
	kind, ok := hostKind(hr.Kind)
	if !ok {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unsupported host resource kind",
			Detail: fmt.Sprintf("This version of bp cannot converge %q resources.", hr.Kind), Subject: hr.TypeRange.Ptr()}}
	}
	spec := hostKindSpec(kind).(hcldec.ObjectSpec)
	// Content reports unsupported arguments and missing required ones, and
	// returns the arguments it found even then.
	content, diags := hr.Config.Content(hcldec.ImpliedSchema(spec))
	if content == nil {
		return diags
	}

	attrs := map[string]any{}
	// unknown holds the arguments the kind's rules cannot judge: their
	// value needs a host or the rest of the blueprint, or it was already
	// reported wrong or missing.
	unknown := map[string]bool{}
	for name, s := range spec {
		if as, ok := s.(*hcldec.AttrSpec); ok && as.Required && content.Attributes[name] == nil {
			unknown[name] = true
		}
	}
	for name, a := range content.Attributes {
		as, ok := spec[name].(*hcldec.AttrSpec)
		if !ok {
			continue
		}
		v, ok := staticValue(a.Expr, fns)
		if !ok {
			unknown[name] = true
			continue
		}
		v, err := convert.Convert(v, as.Type)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Incorrect attribute value type",
				Detail:  fmt.Sprintf("Inappropriate value for attribute %q: %s.", name, err),
				Subject: a.Expr.Range().Ptr(), Expression: a.Expr})
			unknown[name] = true
			continue
		}
		if name == "vars" || name == "source" {
			// bp's own arguments: they become the content the agent gets.
			continue
		}
		plain, err := plainValue(v)
		if err != nil {
			unknown[name] = true
			continue
		}
		attrs[name] = plain
	}
	if _, ok := content.Attributes["source"]; ok {
		unknown["content"] = true
	}
	if _, set := attrs[kind.NameAttribute]; !set && kind.NameAttribute != "" && !unknown[kind.NameAttribute] {
		attrs[kind.NameAttribute] = hr.Name
	}
	for _, p := range resources.Validate(kind.Name, attrs) {
		if unknown[p.Attribute] || (p.Attribute == "" && len(unknown) > 0) {
			continue
		}
		subject := hr.DeclRange
		if a, ok := content.Attributes[p.Attribute]; ok {
			subject = a.Expr.Range()
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: p.Summary, Detail: p.Detail, Subject: subject.Ptr()})
	}
	// In source order, whatever order the checks found them in.
	sort.SliceStable(diags, func(i, j int) bool { return startByte(diags[i]) < startByte(diags[j]) })
	return diags
}

func startByte(d *hcl.Diagnostic) int {
	if d.Subject == nil {
		return -1
	}
	return d.Subject.Start.Byte
}

// staticValue evaluates expr when it needs no variables (literals,
// function calls on literals) and reports false when the value is not
// known without a host or the rest of the blueprint, or when evaluating it
// fails (the plan reports that with the values at hand).
func staticValue(expr hcl.Expression, fns map[string]function.Function) (cty.Value, bool) {
	if len(expr.Variables()) > 0 {
		return cty.NilVal, false
	}
	v, diags := expr.Value(&hcl.EvalContext{Functions: fns})
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return v, true
}
