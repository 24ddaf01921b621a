package blueprint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// refContext says which context-bound references an expression may use.
type refContext struct {
	// where names the block, for messages: `resource "machine" "web"`.
	where string
	count bool
	each  bool
	self  bool
	host  bool
	// selfResource, when set, is the resource whose body is being checked,
	// to catch a resource referring to itself.
	selfResource *ResourceRef
}

// validateModule checks one module of a loaded config statically: every
// reference names something declared, context-bound references are used in
// their context, module calls match their module's variables, and locals do
// not depend on themselves.
func validateModule(c *Config) hcl.Diagnostics {
	m := c.Module
	var diags hcl.Diagnostics
	check := func(refs []*Reference, refDiags hcl.Diagnostics, ctx refContext) {
		diags = append(diags, refDiags...)
		diags = append(diags, checkRefs(c, refs, ctx)...)
	}
	checkExpr := func(expr hcl.Expression, ctx refContext) {
		if expr != nil {
			refs, refDiags := References(expr)
			check(refs, refDiags, ctx)
		}
	}

	for _, name := range sortedKeys(m.Variables) {
		for _, rule := range m.Variables[name].Validations {
			where := refContext{where: fmt.Sprintf("a validation of variable %q", name)}
			checkExpr(rule.Condition, where)
			checkExpr(rule.ErrorMessage, where)
		}
	}
	for _, name := range sortedKeys(m.Locals) {
		checkExpr(m.Locals[name].Expr, refContext{where: "locals"})
	}
	diags = append(diags, localCycles(m)...)
	for _, key := range sortedKeys(m.Providers) {
		p := m.Providers[key]
		refs, refDiags := BodyReferences(p.Config)
		check(refs, refDiags, refContext{where: fmt.Sprintf("provider %q", p.Name)})
	}
	for _, r := range m.SortedResources() {
		where := fmt.Sprintf("resource %q %q", r.Type, r.Name)
		if r.Mode == DataResourceMode {
			where = fmt.Sprintf("data %q %q", r.Type, r.Name)
		}
		self := ResourceRef{Mode: r.Mode, Type: r.Type, Name: r.Name}
		meta := refContext{where: where, selfResource: &self}
		checkExpr(r.Count, meta)
		checkExpr(r.ForEach, meta)
		body := refContext{where: where, count: r.Count != nil, each: r.ForEach != nil, selfResource: &self}
		refs, refDiags := BodyReferences(r.Config)
		check(groupRoleRefsAllowed(r, refs), refDiags, body)
		if r.Mode == ManagedResourceMode && r.Type == GroupKind {
			_, roleDiags := groupRoles(m, r)
			diags = append(diags, roleDiags...)
		}
		if r.Connection != nil {
			conn := body
			conn.self, conn.selfResource = true, nil
			refs, refDiags := BodyReferences(r.Connection)
			check(refs, refDiags, conn)
		}
		diags = append(diags, checkDependsOn(c, r.DependsOn)...)
		diags = append(diags, checkProviderRef(m, r.Provider)...)
	}
	for _, name := range sortedKeys(m.ModuleCalls) {
		mc := m.ModuleCalls[name]
		where := fmt.Sprintf("module %q", name)
		checkExpr(mc.Count, refContext{where: where})
		checkExpr(mc.ForEach, refContext{where: where})
		for _, arg := range sortedKeys(mc.Arguments) {
			checkExpr(mc.Arguments[arg].Expr, refContext{where: where, count: mc.Count != nil, each: mc.ForEach != nil})
		}
		diags = append(diags, checkDependsOn(c, mc.DependsOn)...)
		for _, ref := range mc.Providers {
			diags = append(diags, checkProviderRef(m, ref)...)
		}
		if child := c.Children[name]; child != nil {
			diags = append(diags, checkModuleArguments(mc, child.Module)...)
		}
	}
	for _, name := range sortedKeys(m.Roles) {
		role := m.Roles[name]
		for _, hr := range role.Resources {
			refs, refDiags := BodyReferences(hr.Config)
			check(refs, refDiags, refContext{where: fmt.Sprintf("role %q", name), host: true})
		}
	}
	for _, name := range sortedKeys(m.Configures) {
		cf := m.Configures[name]
		checkExpr(cf.Hosts, refContext{where: fmt.Sprintf("configure %q", name)})
		for _, tr := range cf.Roles {
			a, _ := tr[1].(hcl.TraverseAttr)
			if _, ok := m.Roles[a.Name]; !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Reference to undeclared role",
					Detail: fmt.Sprintf("There is no role %q in this module.%s Declare it with a role %q { ... } block.",
						a.Name, didYouMean(a.Name, sortedKeys(m.Roles)), a.Name),
					Subject: tr.SourceRange().Ptr(),
				})
			}
		}
		diags = append(diags, checkDependsOn(c, cf.DependsOn)...)
	}
	for _, name := range sortedKeys(m.Outputs) {
		o := m.Outputs[name]
		checkExpr(o.Expr, refContext{where: fmt.Sprintf("output %q", name)})
		diags = append(diags, checkDependsOn(c, o.DependsOn)...)
	}
	imported := map[string]*Import{}
	for _, im := range m.Imports {
		checkExpr(im.ID, refContext{where: "import"})
		diags = append(diags, checkProviderRef(m, im.Provider)...)
		if im.To == nil {
			continue
		}
		if addr, aDiags := ParseObjectAddr(im.To); !aDiags.HasErrors() && addr.Kind() == "resource" {
			if prev, ok := imported[addr.String()]; ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate import",
					Detail: fmt.Sprintf("%s is already the target of the import block at %s. One object can be "+
						"imported into an address; remove one of the blocks.", addr.String(), shortRange(prev.DeclRange)),
					Subject: im.To.SourceRange().Ptr(),
				})
				continue
			}
			imported[addr.String()] = im
			if m.ResourceByAddr(ManagedResourceMode, addr.Type, addr.Name) == nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Import to undeclared resource",
					Detail: fmt.Sprintf("The import target %s is not declared. Add a resource %q %q block "+
						"describing the object, then import into it.", addr.String(), addr.Type, addr.Name),
					Subject: im.To.SourceRange().Ptr(),
				})
			}
		}
	}
	return diags
}

// checkRefs checks that every reference names something declared and is
// allowed where it appears.
func checkRefs(c *Config, refs []*Reference, ctx refContext) hcl.Diagnostics {
	m := c.Module
	var diags hcl.Diagnostics
	undeclared := func(ref *Reference, summary, detail string) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: ref.SourceRange.Ptr(),
		})
	}
	for _, ref := range refs {
		switch s := ref.Subject.(type) {
		case VariableRef:
			if _, ok := m.Variables[s.Name]; !ok {
				undeclared(ref, "Reference to undeclared input variable",
					fmt.Sprintf("An input variable named %q is not declared.%s Declare it with a variable %q {} block.",
						s.Name, didYouMean(s.Name, sortedKeys(m.Variables)), s.Name))
			}
		case LocalRef:
			if _, ok := m.Locals[s.Name]; !ok {
				undeclared(ref, "Reference to undeclared local value",
					fmt.Sprintf("A local value named %q is not declared.%s Declare it inside a locals { } block.",
						s.Name, didYouMean(s.Name, sortedKeys(m.Locals))))
			}
		case ResourceRef:
			if m.ResourceByAddr(s.Mode, s.Type, s.Name) == nil {
				candidates := sortedKeys(m.Resources)
				summary, kw := "Reference to undeclared resource", "resource"
				if s.Mode == DataResourceMode {
					candidates, summary, kw = sortedKeys(m.DataSources), "Reference to undeclared data source", "data"
				}
				hint := didYouMean(s.Type+"."+s.Name, candidates)
				if hint == "" && s.Mode == ManagedResourceMode {
					hint = rootTypoHint(m, s)
				}
				undeclared(ref, summary,
					fmt.Sprintf("A %s %q %q has not been declared in this module.%s Declare it with a %s %q %q "+
						"{ ... } block, or fix the reference.", kw, s.Type, s.Name, hint, kw, s.Type, s.Name))
				continue
			}
			if ctx.selfResource != nil && *ctx.selfResource == s {
				undeclared(ref, "Self-referential block",
					fmt.Sprintf("Configuration for %s may not refer to itself. To use an attribute of the "+
						"object being created, reference it from another resource or an output.", s.String()))
				continue
			}
			diags = append(diags, checkInstanceKey(m.ResourceByAddr(s.Mode, s.Type, s.Name), ref)...)
		case ModuleCallRef:
			mc, ok := m.ModuleCalls[s.Name]
			if !ok {
				undeclared(ref, "Reference to undeclared module",
					fmt.Sprintf("No module call named %q is declared in this module.%s Call the module with "+
						"a module %q { source = \"./path\" } block, or fix the name.", s.Name,
						didYouMean(s.Name, sortedKeys(m.ModuleCalls)), s.Name))
				continue
			}
			child := c.Children[mc.Name]
			if child == nil || len(ref.Remaining) == 0 || mc.Count != nil || mc.ForEach != nil {
				continue
			}
			if a, ok := ref.Remaining[0].(hcl.TraverseAttr); ok {
				if _, ok := child.Module.Outputs[a.Name]; !ok {
					undeclared(ref, "Unsupported attribute",
						fmt.Sprintf("Module %q has no output named %q.%s Add an output %q block to the module "+
							"in %s, or refer to one of its outputs.", s.Name, a.Name,
							didYouMean(a.Name, sortedKeys(child.Module.Outputs)), a.Name, mc.Source))
				}
			}
		case CountRef:
			if !ctx.count {
				undeclared(ref, "Reference to \"count\" in non-counted context",
					fmt.Sprintf("count.index is only available in a block that sets count; %s does not. "+
						"Add a count argument or remove the reference.", ctx.where))
			}
		case EachRef:
			if !ctx.each {
				undeclared(ref, "Reference to \"each\" in context without for_each",
					fmt.Sprintf("each.key and each.value are only available in a block that sets for_each; "+
						"%s does not. Add a for_each argument or remove the reference.", ctx.where))
			}
		case SelfRef:
			if !ctx.self {
				undeclared(ref, "Invalid \"self\" reference",
					fmt.Sprintf("self is only available inside a resource's connection block, not in %s. "+
						"Refer to the resource by its address instead.", ctx.where))
			}
		case HostRef:
			if !ctx.host {
				undeclared(ref, "Invalid \"host\" reference",
					fmt.Sprintf("host is only available inside a role, where it is the machine being "+
						"configured; %s is not in a role.", ctx.where))
			}
		case RoleRef:
			undeclared(ref, "Invalid \"role\" reference",
				"Roles are not values: refer to them only in a configure block's roles list, such as roles = [role.app].")
		}
	}
	return diags
}

// checkDependsOn checks depends_on entries name declared resources or modules.
func checkDependsOn(c *Config, deps []hcl.Traversal) hcl.Diagnostics {
	m := c.Module
	var diags hcl.Diagnostics
	for _, tr := range deps {
		addr, aDiags := ParseObjectAddr(tr)
		if aDiags.HasErrors() {
			diags = append(diags, aDiags...)
			continue
		}
		found := false
		switch addr.Kind() {
		case "module":
			_, found = m.ModuleCalls[addr.Module]
		case "configure":
			_, found = m.Configures[addr.Configure]
		default:
			found = m.ResourceByAddr(addr.Mode, addr.Type, addr.Name) != nil
		}
		if !found {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid depends_on reference",
				Detail: fmt.Sprintf("%s is not declared in this module.%s depends_on must name resources, "+
					"data sources, module calls or configure blocks of the same module.", addr.String(),
					didYouMean(addr.String(), append(append(sortedKeys(m.Resources), prefixed("module.", sortedKeys(m.ModuleCalls))...),
						prefixed("configure.", sortedKeys(m.Configures))...))),
				Subject: tr.SourceRange().Ptr(),
			})
		}
	}
	return diags
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// checkProviderRef checks an explicit provider selection names a
// configuration declared in the module.
func checkProviderRef(m *Module, ref *ProviderRef) hcl.Diagnostics {
	if ref == nil || ref.Alias == "" {
		return nil
	}
	if _, ok := m.Providers[ref.Key()]; ok {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Reference to undeclared provider configuration",
		Detail: fmt.Sprintf("There is no provider %q block with alias = %q in this module.%s Declare one, "+
			"or drop the alias to use the default configuration.", ref.Name, ref.Alias,
			didYouMean(ref.Key(), sortedKeys(m.Providers))),
		Subject: ref.Range.Ptr(),
	}}
}

// checkModuleArguments matches a call's arguments with the module's variables.
func checkModuleArguments(mc *ModuleCall, child *Module) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range sortedKeys(mc.Arguments) {
		if _, ok := child.Variables[name]; !ok {
			attr := mc.Arguments[name]
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported argument",
				Detail: fmt.Sprintf("Module %q (%s) has no variable named %q.%s", mc.Name, mc.Source, name,
					didYouMean(name, sortedKeys(child.Variables))),
				Subject: attr.NameRange.Ptr(),
			})
		}
	}
	var missing []string
	for _, name := range sortedKeys(child.Variables) {
		if child.Variables[name].Required() {
			if _, ok := mc.Arguments[name]; !ok {
				missing = append(missing, name)
			}
		}
	}
	if len(missing) > 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing required argument",
			Detail: fmt.Sprintf("Module %q requires %s, which has no default. Set it in the module block: %s = ...",
				mc.Name, quoteList(missing), missing[0]),
			Subject: mc.DeclRange.Ptr(),
		})
	}
	return diags
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// localCycles reports locals that depend on themselves, one diagnostic per
// cycle naming every member.
func localCycles(m *Module) hcl.Diagnostics {
	deps := map[string][]string{}
	for name, lv := range m.Locals {
		refs, _ := References(lv.Expr)
		for _, ref := range refs {
			if lr, ok := ref.Subject.(LocalRef); ok {
				if _, declared := m.Locals[lr.Name]; declared {
					deps[name] = append(deps[name], lr.Name)
				}
			}
		}
	}
	const (
		unvisited = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var diags hcl.Diagnostics
	var visit func(string)
	visit = func(n string) {
		state[n] = active
		stack = append(stack, n)
		for _, d := range deps[n] {
			switch state[d] {
			case unvisited:
				visit(d)
			case active:
				start := len(stack) - 1
				for stack[start] != d {
					start--
				}
				cycle := append([]string(nil), stack[start:]...)
				var parts []string
				for _, member := range cycle {
					parts = append(parts, fmt.Sprintf("local.%s (%s)", member, shortRange(m.Locals[member].DeclRange)))
				}
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Cycle in local values",
					Detail: fmt.Sprintf("These local values depend on each other in a loop: %s -> local.%s. "+
						"Break the loop by computing one of them without the others.", strings.Join(parts, " -> "), d),
					Subject: m.Locals[cycle[0]].DeclRange.Ptr(),
				})
			}
		}
		stack = stack[:len(stack)-1]
		state[n] = done
	}
	for _, name := range sortedKeys(m.Locals) {
		if state[name] == unvisited {
			visit(name)
		}
	}
	return diags
}

// rootTypoHint suggests the reference a mistyped root probably meant, such
// as var.web_count for vr.web_count, which parses as a resource of type
// "vr". It stays silent when TYPE is a declared resource type.
func rootTypoHint(m *Module, s ResourceRef) string {
	for _, r := range m.Resources {
		if r.Type == s.Type {
			return ""
		}
	}
	declared := map[string]bool{
		"var":    m.Variables[s.Name] != nil,
		"local":  m.Locals[s.Name] != nil,
		"module": m.ModuleCalls[s.Name] != nil,
		"each":   s.Name == "key" || s.Name == "value",
		"count":  s.Name == "index",
		"path":   s.Name == "module" || s.Name == "root" || s.Name == "cwd",
	}
	var roots []string
	for root, ok := range declared {
		if ok {
			roots = append(roots, root)
		}
	}
	sort.Strings(roots)
	if root := nameSuggestion(s.Type, roots); root != "" {
		return fmt.Sprintf(" Did you mean %q?", root+"."+s.Name)
	}
	return ""
}

// checkInstanceKey checks that a reference to a resource's attributes picks
// an instance when, and only when, the resource has count: with count the
// resource is a list of instances and has no attributes of its own.
// (for_each resources are objects keyed by instance key, where .key and
// ["key"] both read an instance, so they are left to evaluation.)
func checkInstanceKey(r *Resource, ref *Reference) hcl.Diagnostics {
	if len(ref.Remaining) == 0 {
		return nil
	}
	_, indexed := ref.Remaining[0].(hcl.TraverseIndex)
	addr := ref.Subject.String()
	switch {
	case r.Count != nil && !indexed:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Missing resource instance key",
			Detail: fmt.Sprintf("Because %s has count set, its attributes must be read from one instance, "+
				"such as %s[0]%s, or from all of them with %s[*]%s.", addr, addr,
				traversalString(ref.Remaining), addr, traversalString(ref.Remaining)),
			Subject: ref.SourceRange.Ptr(),
		}}
	case r.Count == nil && r.ForEach == nil && indexed:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unexpected resource instance key",
			Detail: fmt.Sprintf("%s has neither count nor for_each, so it is a single object: refer to it "+
				"without an index, such as %s%s.", addr, addr, traversalString(ref.Remaining[1:])),
			Subject: ref.SourceRange.Ptr(),
		}}
	}
	return nil
}
