package engine

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/resources"
)

// HostUnknown is the status of a host resource whose arguments are known
// only after apply, so check mode could not look at it.
const HostUnknown HostStatus = "unknown"

// desiredHostResources evaluates the roles of a configure block for one
// host: each host resource's body with `host` bound to it, templates
// rendered and local files read, in converge order. In check mode a
// resource whose arguments are not known yet is left out and reported as
// HostUnknown in unknown.
func (w *walker) desiredHostResources(n *node, mi moduleInstance, roles []*blueprint.Role, h configureHost, facts map[string]any, check bool) (out []DesiredHostResource, unknown []string, diags hcl.Diagnostics) {
	scope := w.e.scope(w.vals, n.cfg, mi, nil)
	scope.Host = hostValue(h, facts)
	for _, role := range roles {
		for _, hr := range orderHostResources(role) {
			id := role.Name + "/" + hr.Addr()
			kind, ok := hostKind(hr.Kind)
			if !ok {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported host resource kind",
					Detail: fmt.Sprintf("This version of bp cannot converge %q resources.", hr.Kind), Subject: hr.TypeRange.Ptr()})
				continue
			}
			val, d := scope.EvalBody(hr.Config, hostKindSpec(kind))
			diags = append(diags, d...)
			if d.HasErrors() {
				continue
			}
			val, pvm := val.UnmarkDeepWithPaths()
			sensitive := hr.Sensitive || len(pvm) > 0
			if !val.IsWhollyKnown() {
				if check {
					unknown = append(unknown, id)
					continue
				}
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Host resource arguments unknown",
					Detail: fmt.Sprintf("The arguments of %s depend on values that are still unknown after apply.", id), Subject: hr.DeclRange.Ptr()})
				continue
			}
			attrs, d := hostAttrs(kind, hr, val, scope, n.cfg.Module.Dir)
			diags = append(diags, d...)
			if d.HasErrors() {
				continue
			}
			if _, set := attrs[kind.NameAttribute]; !set && kind.NameAttribute != "" {
				attrs[kind.NameAttribute] = hr.Name
			}
			for _, p := range resources.Validate(kind.Name, attrs) {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: p.Summary,
					Detail: p.Detail, Subject: attrRange(hr, p.Attribute).Ptr()})
			}
			out = append(out, DesiredHostResource{ID: id, Kind: hr.Kind, Attrs: attrs, Sensitive: sensitive,
				Notify: notifyIDs(roles, role, hr), Source: w.sourceOf(hr.DeclRange)})
		}
	}
	return out, unknown, diags
}

// hostAttrs turns an evaluated body into the agent's plain JSON arguments.
// A template's `source` is rendered here with its `vars` and `host`, and a
// file's `source` read, so the agent receives `content`.
func hostAttrs(kind resources.KindSpec, hr *blueprint.HostResource, val cty.Value, scope *blueprint.Scope, dir string) (map[string]any, hcl.Diagnostics) {
	attrs := map[string]any{}
	for name, v := range val.AsValueMap() {
		if v.IsNull() || name == "vars" {
			continue
		}
		plain, err := plainValue(v)
		if err != nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid host resource argument",
				Detail: fmt.Sprintf("%s: %s.", name, err), Subject: attrRange(hr, name).Ptr()}}
		}
		attrs[name] = plain
	}
	src, _ := attrs["source"].(string)
	if src == "" || (kind.Name != "template" && kind.Name != "file") {
		return attrs, nil
	}
	path := src
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	file, err := sources.read(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read source file",
			Detail: fmt.Sprintf("%s. The source path is relative to the blueprint's directory.", err), Subject: attrRange(hr, "source").Ptr()}}
	}
	delete(attrs, "source")
	if kind.Name == "file" {
		attrs["content"] = file.text
		return attrs, nil
	}
	vars := map[string]cty.Value{"host": scope.Host}
	if v := val.GetAttr("vars"); !v.IsNull() {
		if !v.CanIterateElements() {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid template vars",
				Detail: "vars must be an object or a map of values.", Subject: attrRange(hr, "vars").Ptr()}}
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			vars[k.AsString()] = e
		}
	}
	content, diags := file.render(vars, scope.Functions())
	if diags.HasErrors() {
		return nil, diags
	}
	attrs["content"] = content
	return attrs, nil
}

// hostKindSpec is the hcldec spec of a kind's block body. Templates and
// files also take `source` (a local file) and templates `vars`.
func hostKindSpec(kind resources.KindSpec) hcldec.Spec {
	spec := hcldec.ObjectSpec{}
	for _, a := range kind.Attributes {
		spec[a.Name] = &hcldec.AttrSpec{Name: a.Name, Type: attrCtyType(a.Type), Required: a.Required && a.Name != kind.NameAttribute}
	}
	if kind.Name == "template" || kind.Name == "file" {
		spec["source"] = &hcldec.AttrSpec{Name: "source", Type: cty.String}
		if c, ok := spec["content"].(*hcldec.AttrSpec); ok {
			c.Required = false
		}
	}
	if kind.Name == "template" {
		spec["vars"] = &hcldec.AttrSpec{Name: "vars", Type: cty.DynamicPseudoType}
	}
	return spec
}

func attrCtyType(t resources.AttrType) cty.Type {
	switch t {
	case resources.TypeNumber:
		return cty.Number
	case resources.TypeBool:
		return cty.Bool
	case resources.TypeStringList:
		return cty.List(cty.String)
	case resources.TypeStringMap:
		return cty.Map(cty.String)
	case resources.TypeAny:
		return cty.DynamicPseudoType
	default:
		return cty.String
	}
}

// hostKinds indexes the host resource kinds by name, built once: every
// resource of every host looks its kind up.
var hostKinds = sync.OnceValue(func() map[string]resources.KindSpec {
	m := map[string]resources.KindSpec{}
	for _, k := range resources.Kinds() {
		m[k.Name] = k
	}
	return m
})

// hostKind returns the spec of a host resource kind.
func hostKind(name string) (resources.KindSpec, bool) {
	k, ok := hostKinds()[name]
	return k, ok
}

// attrRange is the range of an argument in a host resource's body, or the
// block's when it is not written there.
func attrRange(hr *blueprint.HostResource, name string) hcl.Range {
	if attrs, diags := hr.Config.JustAttributes(); !diags.HasErrors() {
		if a, ok := attrs[name]; ok {
			return a.Expr.Range()
		}
	}
	return hr.DeclRange
}

// notifyIDs resolves a host resource's notify list (service.NAME) to IDs,
// preferring the service of the same role.
func notifyIDs(roles []*blueprint.Role, own *blueprint.Role, hr *blueprint.HostResource) []string {
	var out []string
	for _, tr := range hr.Notify {
		addr := traversalAddr(tr)
		owner := own.Name
		if !roleHas(own, addr) {
			for _, r := range roles {
				if roleHas(r, addr) {
					owner = r.Name
					break
				}
			}
		}
		out = append(out, owner+"/"+addr)
	}
	return out
}

func roleHas(r *blueprint.Role, addr string) bool {
	for _, hr := range r.Resources {
		if hr.Addr() == addr {
			return true
		}
	}
	return false
}

// traversalAddr renders KIND.NAME from a traversal such as service.nginx.
func traversalAddr(tr hcl.Traversal) string {
	s := tr.RootName()
	for _, step := range tr[1:] {
		if a, ok := step.(hcl.TraverseAttr); ok {
			s += "." + a.Name
		}
	}
	return s
}

// orderHostResources returns a role's resources in converge order:
// declaration order, except that a resource comes after those it
// depends_on.
func orderHostResources(role *blueprint.Role) []*blueprint.HostResource {
	byAddr := map[string]*blueprint.HostResource{}
	for _, hr := range role.Resources {
		byAddr[hr.Addr()] = hr
	}
	var out []*blueprint.HostResource
	state := map[*blueprint.HostResource]int{} // 1 visiting, 2 done
	var visit func(hr *blueprint.HostResource)
	visit = func(hr *blueprint.HostResource) {
		if state[hr] != 0 {
			return // done, or a cycle (the loader reports cycles)
		}
		state[hr] = 1
		for _, tr := range hr.DependsOn {
			if dep := byAddr[traversalAddr(tr)]; dep != nil {
				visit(dep)
			}
		}
		state[hr] = 2
		out = append(out, hr)
	}
	for _, hr := range role.Resources {
		visit(hr)
	}
	return out
}

// jsonToCty converts plain JSON-decoded values (facts) to a cty value.
func jsonToCty(v any) cty.Value {
	switch x := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case float64:
		return cty.NumberFloatVal(x)
	case int:
		return cty.NumberIntVal(int64(x))
	case int64:
		return cty.NumberIntVal(x)
	case json.Number:
		if n, err := cty.ParseNumberVal(string(x)); err == nil {
			return n
		}
		return cty.StringVal(string(x))
	case []any:
		if len(x) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(x))
		for i, e := range x {
			elems[i] = jsonToCty(e)
		}
		return cty.TupleVal(elems)
	case []string:
		if len(x) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(x))
		for i, e := range x {
			elems[i] = cty.StringVal(e)
		}
		return cty.TupleVal(elems)
	case map[string]any:
		if len(x) == 0 {
			return cty.EmptyObjectVal
		}
		attrs := make(map[string]cty.Value, len(x))
		for k, e := range x {
			attrs[k] = jsonToCty(e)
		}
		return cty.ObjectVal(attrs)
	default:
		raw, err := json.Marshal(x)
		if err != nil {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		var plain any
		if json.Unmarshal(raw, &plain) != nil {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		return jsonToCty(plain)
	}
}

// sourceOf renders where a declaration is, relative to the root blueprint
// directory when it is inside it: "main.bp.hcl:42".
func (w *walker) sourceOf(rng hcl.Range) string {
	name := rng.Filename
	if rel, err := filepath.Rel(w.e.root.Module.Dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		name = rel
	}
	return fmt.Sprintf("%s:%d", name, rng.Start.Line)
}
