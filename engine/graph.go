package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/dag"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// phase is what a graph is built for.
type phase int

const (
	phasePlan phase = iota
	phaseApply
)

// graph is the engine's dependency graph plus indexes to find its nodes.
type graph struct {
	g         *dag.Graph[*node]
	resources map[string]*node // "path|type.name" and "path|data.type.name"
	locals    map[string]*node
	variables map[string]*node
	calls     map[string]*node
	outputs   map[string][]*node // by path
	providers map[string]*node
	deletes   map[string]*node // "path|type.name"
	// configures indexes configure blocks by "path|name", for depends_on.
	configures map[string]*node
	configs    []*blueprint.Config
	// deps caches resourceDeps.
	deps map[*node][]*node
	// groupUses are the nodes that refer to a self-hosted machine_group,
	// with the key of the group's configure block: connectGroupReady makes
	// them wait for it.
	groupUses []groupUse
}

// groupUse is a node that refers to a machine group whose members are
// converged by the configure block at key configure.
type groupUse struct {
	n         *node
	configure string
}

func key2(path []string, name string) string { return pathKey(path) + "|" + name }

// buildGraph builds the graph of cfg for a phase. prior is the state the
// walk starts from (orphans come from it); p is the plan being applied (nil
// while planning).
func buildGraph(ctx context.Context, root *blueprint.Config, prior *state.State, p *plan.Plan, ph phase) (*graph, hcl.Diagnostics) {
	gr := &graph{
		g:         dag.New[*node](),
		resources: map[string]*node{},
		locals:    map[string]*node{},
		variables: map[string]*node{},
		calls:     map[string]*node{},
		outputs:   map[string][]*node{},
		providers: map[string]*node{},
		deletes:   map[string]*node{},

		configures: map[string]*node{},
	}
	destroying := p != nil && p.Mode == plan.Destroy
	root.Walk(func(c *blueprint.Config) {
		gr.configs = append(gr.configs, c)
		if destroying {
			return
		}
		m := c.Module
		prefix := modulePrefix(c.Path)
		if c.Parent != nil {
			for _, name := range sortedNames(m.Variables) {
				gr.add(&node{kind: nodeVariable, cfg: c, variable: m.Variables[name], name: prefix + "var." + name, rng: m.Variables[name].DeclRange}, gr.variables, key2(c.Path, name))
			}
		}
		for _, name := range sortedNames(m.Locals) {
			gr.add(&node{kind: nodeLocal, cfg: c, local: m.Locals[name], name: prefix + "local." + name, rng: m.Locals[name].DeclRange}, gr.locals, key2(c.Path, name))
		}
		for _, name := range sortedNames(m.ModuleCalls) {
			gr.add(&node{kind: nodeModuleCall, cfg: c, call: m.ModuleCalls[name], name: prefix + "module." + name, rng: m.ModuleCalls[name].DeclRange}, gr.calls, key2(c.Path, name))
		}
		for _, r := range m.SortedResources() {
			kind := nodeResource
			if r.Mode == blueprint.DataResourceMode {
				kind = nodeData
			}
			gr.add(&node{kind: kind, cfg: c, resource: r, name: prefix + r.Addr(), provider: providerKeyFor(root, r), rng: r.DeclRange}, gr.resources, key2(c.Path, resourceKey(r)))
		}
		for _, name := range sortedNames(m.Outputs) {
			n := &node{kind: nodeOutput, cfg: c, output: m.Outputs[name], name: prefix + "output." + name, rng: m.Outputs[name].DeclRange}
			gr.g.Add(n)
			gr.outputs[pathKey(c.Path)] = append(gr.outputs[pathKey(c.Path)], n)
		}
		for _, name := range sortedNames(m.Configures) {
			gr.add(&node{kind: nodeConfigure, cfg: c, configure: m.Configures[name], name: prefix + "configure." + name, rng: m.Configures[name].DeclRange}, gr.configures, key2(c.Path, name))
		}
	})

	// Delete nodes: while planning, one per resource in state that the
	// blueprint no longer declares; while applying, one per resource the
	// plan deletes objects of.
	switch ph {
	case phasePlan:
		for _, r := range prior.Resources() {
			path, ok := configPath(r.Addr.Module)
			k := path + "|" + resourceAddrKey(r.Addr)
			if _, declared := gr.resources[k]; declared && ok && root.Descendant(splitPath(path)) != nil {
				continue
			}
			if _, seen := gr.deletes[k]; seen {
				continue
			}
			addr := state.ResourceAddr{Mode: r.Addr.Mode, Type: r.Addr.Type, Name: r.Addr.Name}
			n := &node{kind: nodeDelete, name: "delete " + modulePrefix(splitPath(path)) + resourceAddrKey(r.Addr), orphan: &addr, provider: providerKeyFromState(r.Provider)}
			n.cfg, n.deleteKey = nearestConfig(root, splitPath(path)), k
			gr.add(n, gr.deletes, k)
		}
	case phaseApply:
		for _, c := range p.Changes {
			if !c.Action.Deletes() && c.Deposed == "" {
				continue
			}
			path, _ := configPath(c.Addr.Resource.Module)
			k := path + "|" + resourceAddrKey(c.Addr.Resource)
			if _, seen := gr.deletes[k]; seen {
				continue
			}
			n := &node{kind: nodeDelete, name: "delete " + modulePrefix(splitPath(path)) + resourceAddrKey(c.Addr.Resource), provider: c.Provider}
			n.cfg, n.deleteKey = nearestConfig(root, splitPath(path)), k
			if res := gr.resources[k]; res != nil {
				n.resource = res.resource
			} else {
				addr := state.ResourceAddr{Mode: c.Addr.Resource.Mode, Type: c.Addr.Resource.Type, Name: c.Addr.Resource.Name}
				n.orphan = &addr
			}
			gr.add(n, gr.deletes, k)
		}
	}

	diags := gr.connect(root)
	if diags.HasErrors() {
		return gr, diags
	}
	gr.connectGroupReady()
	if ph == phaseApply {
		gr.connectDeletes(prior, p)
	}
	diags = append(diags, gr.cycles()...)
	return gr, diags
}

func (gr *graph) add(n *node, index map[string]*node, key string) {
	index[key] = n
	gr.g.Add(n)
}

// providerNode returns the node that configures provider key, adding it on
// first use.
func (gr *graph) providerNode(root *blueprint.Config, key string) *node {
	if n, ok := gr.providers[key]; ok {
		return n
	}
	n := &node{kind: nodeProvider, cfg: root, provider: key, name: "provider." + key}
	if p := root.Module.Providers[key]; p != nil {
		n.rng = p.DeclRange
	}
	gr.providers[key] = n
	gr.g.Add(n)
	for _, ref := range mustBodyRefs(providerBody(root, key)) {
		gr.connectRef(n, root, ref)
	}
	return n
}

func providerBody(root *blueprint.Config, key string) hcl.Body {
	if p := root.Module.Providers[key]; p != nil {
		return p.Config
	}
	return nil
}

func mustBodyRefs(body hcl.Body) []*blueprint.Reference {
	refs, _ := blueprint.BodyReferences(body)
	return refs
}

func mustRefs(expr hcl.Expression) []*blueprint.Reference {
	refs, _ := blueprint.References(expr)
	return refs
}

// connect adds the edges that references, depends_on, providers and module
// nesting imply.
func (gr *graph) connect(root *blueprint.Config) hcl.Diagnostics {
	for _, n := range gr.g.Vertices() {
		c := n.cfg
		// Everything inside a called module waits for the call's expansion.
		if c != nil && c.Parent != nil && n.kind != nodeDelete {
			if call := gr.calls[key2(c.Parent.Path, c.Path[len(c.Path)-1])]; call != nil {
				gr.g.Connect(n, call)
			}
		}
		switch n.kind {
		case nodeVariable:
			// A validation that compares variables runs after the others.
			for _, name := range n.variable.ValidationVariables() {
				gr.connectRef(n, c, &blueprint.Reference{Subject: blueprint.VariableRef{Name: name}})
			}
			call := c.Parent.Module.ModuleCalls[c.Path[len(c.Path)-1]]
			if arg, ok := call.Arguments[n.variable.Name]; ok {
				for _, ref := range mustRefs(arg.Expr) {
					gr.connectRef(n, c.Parent, ref)
				}
			}
		case nodeLocal:
			for _, ref := range mustRefs(n.local.Expr) {
				gr.connectRef(n, c, ref)
			}
		case nodeModuleCall:
			for _, ref := range append(mustRefs(n.call.Count), mustRefs(n.call.ForEach)...) {
				gr.connectRef(n, c, ref)
			}
			gr.connectDependsOn(n, c, n.call.DependsOn)
		case nodeResource, nodeData:
			r := n.resource
			refs := append(mustRefs(r.Count), mustRefs(r.ForEach)...)
			refs = append(refs, mustBodyRefs(r.Config)...)
			refs = append(refs, mustBodyRefs(r.Connection)...)
			for _, ref := range refs {
				gr.connectRef(n, c, ref)
			}
			gr.connectDependsOn(n, c, r.DependsOn)
			gr.g.Connect(n, gr.providerNode(root, n.provider))
		case nodeOutput:
			for _, ref := range mustRefs(n.output.Expr) {
				gr.connectRef(n, c, ref)
			}
			gr.connectDependsOn(n, c, n.output.DependsOn)
		case nodeConfigure:
			for _, ref := range mustRefs(n.configure.Hosts) {
				gr.connectRef(n, c, ref)
			}
			for _, roleName := range n.configure.RoleNames() {
				if role := c.Module.Roles[roleName]; role != nil {
					for _, hr := range role.Resources {
						for _, ref := range mustBodyRefs(hr.Config) {
							gr.connectRef(n, c, ref)
						}
					}
				}
			}
			gr.connectDependsOn(n, c, n.configure.DependsOn)
		case nodeDelete:
			if n.provider != "" {
				gr.g.Connect(n, gr.providerNode(root, n.provider))
			}
		}
	}
	return nil
}

// connectRef makes n depend on what ref, found in module c, refers to.
func (gr *graph) connectRef(n *node, c *blueprint.Config, ref *blueprint.Reference) {
	switch s := ref.Subject.(type) {
	case blueprint.VariableRef:
		if t := gr.variables[key2(c.Path, s.Name)]; t != nil {
			gr.g.Connect(n, t)
		}
	case blueprint.LocalRef:
		if t := gr.locals[key2(c.Path, s.Name)]; t != nil {
			gr.g.Connect(n, t)
		}
	case blueprint.ResourceRef:
		if rz := c.Module.Realizations[s.String()]; rz != nil {
			gr.connectRef(n, c, &blueprint.Reference{Subject: blueprint.ModuleCallRef{Name: rz.Call}})
			if rz.Resource.Type == blueprint.GroupKind {
				gr.groupUses = append(gr.groupUses, groupUse{n: n, configure: key2(c.Path, rz.Call)})
			}
			return
		}
		if t := gr.resources[key2(c.Path, s.String())]; t != nil && t != n {
			gr.g.Connect(n, t)
		}
	case blueprint.ModuleCallRef:
		if t := gr.calls[key2(c.Path, s.Name)]; t != nil {
			gr.g.Connect(n, t)
		}
		for _, out := range gr.outputs[pathKey(append(append([]string(nil), c.Path...), s.Name))] {
			gr.g.Connect(n, out)
		}
	}
}

// connectGroupReady makes what refers to a machine group wait until the
// group's members are converged (and pass the rollout's health check): a
// load balancer whose targets are the members adds a new member only once
// it serves. The edge is left out where the group's configure block itself
// depends on the node (a role that reads the load balancer's address), as
// it would close a cycle; there the node sees the members as they are
// created.
func (gr *graph) connectGroupReady() {
	for _, u := range gr.groupUses {
		cf := gr.configures[u.configure]
		if cf == nil || cf == u.n || gr.g.HasEdge(u.n, cf) {
			continue
		}
		if slices.Contains(gr.g.Ancestors(cf), u.n) {
			continue
		}
		gr.g.Connect(u.n, cf)
	}
}

func (gr *graph) connectDependsOn(n *node, c *blueprint.Config, deps []hcl.Traversal) {
	for _, tr := range deps {
		addr, diags := blueprint.ParseObjectAddr(tr)
		if diags.HasErrors() {
			continue
		}
		switch addr.Kind() {
		case "module":
			gr.connectRef(n, c, &blueprint.Reference{Subject: blueprint.ModuleCallRef{Name: addr.Module}})
			continue
		case "configure":
			if t := gr.configures[key2(c.Path, addr.Configure)]; t != nil && t != n {
				gr.g.Connect(n, t)
			}
			continue
		}
		gr.connectRef(n, c, &blueprint.Reference{Subject: blueprint.ResourceRef{Mode: addr.Mode, Type: addr.Type, Name: addr.Name}})
	}
}

// resourceDeps returns, for every resource and data node, the resource and
// data nodes it depends on directly or through locals, variables, outputs
// and modules. What a non-resource node leads to is computed once and
// shared by every node that reaches it, so the cost stays near O(V+E) for
// the usual graphs rather than one traversal per resource.
func (gr *graph) resourceDeps() map[*node][]*node {
	if gr.deps != nil {
		return gr.deps
	}
	reached := map[*node][]*node{}
	var reach func(n *node) []*node
	reach = func(n *node) []*node {
		if r, ok := reached[n]; ok {
			return r
		}
		reached[n] = nil // the graph is acyclic, but never loop
		var out []*node
		var seen map[*node]bool
		add := func(d *node) {
			if seen == nil {
				seen = map[*node]bool{}
			}
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
		for _, d := range gr.g.DependenciesOf(n) {
			switch d.kind {
			case nodeResource, nodeData:
				add(d)
			case nodeProvider, nodeDelete:
			default:
				for _, x := range reach(d) {
					add(x)
				}
			}
		}
		reached[n] = out
		return out
	}
	deps := make(map[*node][]*node, len(gr.resources))
	for _, n := range gr.resources {
		deps[n] = reach(n)
	}
	gr.deps = deps
	return deps
}

// forcedCreateBeforeDestroy returns the managed resources that must be
// replaced create-before-destroy although their lifecycle does not say so:
// those a create_before_destroy resource depends on, directly or through
// others. Replacing one of them delete-first would have to delete it
// before its dependent's new object exists, which cannot be ordered.
func (gr *graph) forcedCreateBeforeDestroy() map[*node]bool {
	var cbd []*node
	for _, n := range gr.resources {
		if n.kind == nodeResource && n.resource.Lifecycle.CreateBeforeDestroy {
			cbd = append(cbd, n)
		}
	}
	if len(cbd) == 0 {
		return nil
	}
	deps := gr.resourceDeps()
	forced := map[*node]bool{}
	for len(cbd) > 0 {
		n := cbd[len(cbd)-1]
		cbd = cbd[:len(cbd)-1]
		for _, d := range deps[n] {
			if d.kind == nodeResource && !forced[d] {
				forced[d] = true
				cbd = append(cbd, d)
			}
		}
	}
	return forced
}

// connectDeletes orders deletions: an object is deleted only after the
// objects that depend on it are deleted, and after the resources whose
// objects depended on it (by the state) are updated, so they stop using
// it first. A replaced object's old copy goes before its new one is
// created, unless create_before_destroy asks for the opposite, in which
// case dependents move to the new object first.
func (gr *graph) connectDeletes(prior *state.State, p *plan.Plan) {
	deps := gr.resourceDeps()
	// dependents[k] lists the keys of resources that depend on k, by the
	// blueprint or by the state.
	dependents := map[string]map[string]bool{}
	addDependent := func(k, dk string) {
		if k == dk {
			return
		}
		if dependents[k] == nil {
			dependents[k] = map[string]bool{}
		}
		dependents[k][dk] = true
	}
	for n, ds := range deps {
		for _, d := range ds {
			addDependent(d.key(), n.key())
		}
	}
	// stateDependents[k] lists the keys of resources whose objects depended
	// on k when last applied.
	stateDependents := map[string]map[string]bool{}
	for _, r := range prior.Resources() {
		path, _ := configPath(r.Addr.Module)
		k := path + "|" + resourceAddrKey(r.Addr)
		for _, ik := range r.Keys() {
			inst := r.Instance(ik)
			if inst == nil || inst.Current == nil {
				continue
			}
			for _, d := range inst.Current.Dependencies {
				dpath, _ := configPath(d.Module)
				dk := dpath + "|" + resourceAddrKey(d)
				addDependent(dk, k)
				if stateDependents[dk] == nil {
					stateDependents[dk] = map[string]bool{}
				}
				stateDependents[dk][k] = true
			}
		}
	}
	configureUsers := gr.configureUsers()
	actions := map[string]map[plan.Action]bool{}
	for _, c := range p.Changes {
		path, _ := configPath(c.Addr.Resource.Module)
		k := path + "|" + resourceAddrKey(c.Addr.Resource)
		if actions[k] == nil {
			actions[k] = map[plan.Action]bool{}
		}
		actions[k][c.Action] = true
	}
	for _, k := range sortedNames(gr.deletes) {
		del := gr.deletes[k]
		for _, dk := range sortedNames(dependents[k]) {
			if other := gr.deletes[dk]; other != nil && other != del {
				gr.g.Connect(del, other)
			}
		}
		replaced := actions[k][plan.DeleteThenCreate] || actions[k][plan.CreateThenDelete]
		if !replaced {
			for _, dk := range sortedNames(stateDependents[k]) {
				if other := gr.resources[dk]; other != nil {
					gr.g.Connect(del, other)
				}
			}
			// Configure blocks that use the resource converge their hosts
			// without the deleted objects first: a load balancer stops
			// sending requests to a machine before the machine goes.
			for _, cf := range configureUsers[k] {
				gr.g.Connect(del, cf)
			}
		}
		res := gr.resources[k]
		if res == nil {
			continue
		}
		if actions[k][plan.DeleteThenCreate] {
			gr.g.Connect(res, del)
		}
		if actions[k][plan.CreateThenDelete] {
			gr.g.Connect(del, res)
			for _, dk := range sortedNames(dependents[k]) {
				if other := gr.resources[dk]; other != nil {
					gr.g.Connect(del, other)
				}
			}
		}
	}
}

// configureUsers maps the key of each resource to the configure blocks
// whose hosts or roles refer to it, directly or through locals, variables,
// outputs and modules (not through other resources).
func (gr *graph) configureUsers() map[string][]*node {
	out := map[string][]*node{}
	for _, name := range sortedNames(gr.configures) {
		cf := gr.configures[name]
		seen := map[string]bool{}
		var visit func(n *node)
		visited := map[*node]bool{}
		visit = func(n *node) {
			if visited[n] {
				return
			}
			visited[n] = true
			for _, d := range gr.g.DependenciesOf(n) {
				switch d.kind {
				case nodeResource:
					if k := d.key(); !seen[k] {
						seen[k] = true
						out[k] = append(out[k], cf)
					}
				case nodeData, nodeProvider, nodeDelete, nodeConfigure:
				default:
					visit(d)
				}
			}
		}
		visit(cf)
	}
	return out
}

// cycles reports every dependency cycle as one diagnostic naming its members.
func (gr *graph) cycles() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, cycle := range gr.g.Cycles() {
		var parts []string
		for _, n := range cycle {
			part := n.name
			if n.rng != (hcl.Range{}) {
				part += fmt.Sprintf(" (%s:%d,%d)", n.rng.Filename, n.rng.Start.Line, n.rng.Start.Column)
			}
			parts = append(parts, part)
		}
		d := &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Dependency cycle",
			Detail: fmt.Sprintf("These depend on each other in a loop, so none can be planned first: %s. "+
				"Break the loop by removing one of the references (or depends_on entries) between them.",
				strings.Join(parts, " -> ")),
		}
		if cycle[0].rng != (hcl.Range{}) {
			d.Subject = cycle[0].rng.Ptr()
		}
		diags = append(diags, d)
	}
	return diags
}

// DOT renders the graph for `bp graph`.
func (gr *graph) DOT() string {
	return gr.g.DOT(func(n *node) string { return n.name })
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// resourceAddrKey is "type.name" or "data.type.name" of a state address.
func resourceAddrKey(a state.ResourceAddr) string {
	if a.Mode == state.Data {
		return "data." + a.Type + "." + a.Name
	}
	return a.Type + "." + a.Name
}

// providerKeyFromState turns a state provider string ("provider.std",
// "provider.std.east") into a configuration key.
func providerKeyFromState(s string) string { return strings.TrimPrefix(s, "provider.") }

// providerStateName is the state form of a provider key.
func providerStateName(key string) string { return "provider." + key }

func splitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

// nearestConfig returns the config at path, or its deepest existing
// ancestor (for orphans of modules that were removed).
func nearestConfig(root *blueprint.Config, path []string) *blueprint.Config {
	c := root
	for _, name := range path {
		next := c.Children[name]
		if next == nil {
			return c
		}
		c = next
	}
	return c
}

// configPath strips instance keys from a module instance address:
// `module.a[0].module.b["x"]` → "a.b". It reports false for a malformed
// address.
func configPath(mod string) (string, bool) {
	if mod == "" {
		return "", true
	}
	var names []string
	s := mod
	for {
		rest, ok := strings.CutPrefix(s, "module.")
		if !ok {
			return "", false
		}
		i := strings.IndexAny(rest, ".[]\"")
		if i < 0 {
			i = len(rest)
		}
		if i == 0 {
			return "", false
		}
		names = append(names, rest[:i])
		s = rest[i:]
		if strings.HasPrefix(s, "[") {
			end := closingBracket(s)
			if end < 0 {
				return "", false
			}
			s = s[end+1:]
		}
		if s == "" {
			return strings.Join(names, "."), true
		}
		if s, ok = strings.CutPrefix(s, "."); !ok {
			return "", false
		}
	}
}

// closingBracket returns the index of the "]" that closes the instance key
// s starts with ("[0]", `["a]\"b"]`), or -1.
func closingBracket(s string) int {
	inQuote := false
	for j := 1; j < len(s); j++ {
		switch {
		case inQuote && s[j] == '\\':
			j++
		case s[j] == '"':
			inQuote = !inQuote
		case !inQuote && s[j] == ']':
			return j
		}
	}
	return -1
}
