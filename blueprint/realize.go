package blueprint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// SelfHosted is the self-hosted realization of a portable kind (DESIGN §1):
// a blueprint module, shipped inside bp, that builds the kind from machines
// and roles.
type SelfHosted struct {
	// Kind is the portable kind, such as "load_balancer".
	Kind string
	// Summary says in a few words what the module builds, for the plan:
	// "HAProxy on a machine".
	Summary string
	// Schema describes the resource block users write. Every argument and
	// nested block becomes a variable of the module of the same name; every
	// attribute is an output of the module.
	Schema *providers.Schema
	// Dir is the module's directory.
	Dir string
}

// Realization records a portable resource that a self-hosted module stands
// in for: references to the resource read the module call's outputs.
type Realization struct {
	Resource *Resource
	// Call is the name of the module call that realizes the resource; its
	// instances are the resource's instances.
	Call    string
	Summary string
}

// RealizeOptions say how Config.Realize chooses between native and
// self-hosted realizations.
type RealizeOptions struct {
	// Native reports whether r's provider implements r.Type itself. It is
	// asked only for resources without `realize`.
	Native func(r *Resource) bool
	// SelfHosted returns the self-hosted realization of a kind, or nil when
	// bp has none; an error says why an existing one cannot be used.
	SelfHosted func(kind string) (*SelfHosted, error)
}

// Hidden variables the engine sets on every self-hosted module call.
const (
	// RealizationNameVar names the instance: the resource name, with the
	// count index or for_each key appended ("front", "front-0"). Modules
	// use it to name their machines.
	RealizationNameVar = "realization_name"
	// DNSServerVar is the dns_zone's `server` output given to the
	// self-hosted dns_record that writes into that zone.
	DNSServerVar = "server"
)

// RealizationCallName is the name of the module call that realizes r:
// "load_balancer:front". The colon keeps it apart from every name a user can
// give a module call, and state addresses spell it
// module.load_balancer:front.machine.this.
func RealizationCallName(r *Resource) string { return r.Type + ":" + r.Name }

// IsRealizationCall reports whether a module call name is one
// RealizationCallName made, and if so returns the resource address it
// stands for ("load_balancer.front").
func IsRealizationCall(name string) (string, bool) {
	kind, res, ok := strings.Cut(name, ":")
	if !ok {
		return "", false
	}
	return kind + "." + res, true
}

// Realize replaces every portable resource that its provider does not
// implement (or that says realize = "selfhosted") with a call of the kind's
// self-hosted module, loaded into the tree below the resource's module. It
// records each replacement in Module.Realizations so references to the
// resource keep working. Calling it again does nothing.
func (c *Config) Realize(opts RealizeOptions) hcl.Diagnostics {
	root := c.Root()
	if root.realized {
		return nil
	}
	root.realized = true
	l := root.loader
	if l == nil {
		l = NewLoader()
	}
	var diags hcl.Diagnostics
	queue := []*Config{root}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, r := range cur.Module.SortedResources() {
			if r.Mode != ManagedResourceMode || !realizable(r) {
				continue
			}
			if r.Realize == "native" || (r.Realize == "" && opts.Native != nil && opts.Native(r)) {
				continue
			}
			sh, err := opts.SelfHosted(r.Type)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Self-hosted " + r.Type + " unavailable",
					Detail:   fmt.Sprintf("bp cannot prepare its self-hosted %s: %s.", r.Type, err),
					Subject:  r.DeclRange.Ptr(),
				})
				continue
			}
			if sh == nil {
				if r.Realize == "selfhosted" {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "No self-hosted realization",
						Detail: fmt.Sprintf("bp has no self-hosted %s yet. Remove realize = \"selfhosted\" and use a provider "+
							"that implements %s.", r.Type, r.Type),
						Subject: r.DeclRange.Ptr(),
					})
				}
				continue
			}
			diags = append(diags, cur.realize(l, r, sh)...)
		}
		for _, name := range sortedKeys(cur.Children) {
			queue = append(queue, cur.Children[name])
		}
	}
	return diags
}

// realizable reports whether r is a portable kind that can have a
// self-hosted realization; machines are always native.
func realizable(r *Resource) bool {
	return IsPortableKind(r.Type) && r.Type != "machine"
}

// realize replaces r in c's module by a call of sh's module.
func (c *Config) realize(l *Loader, r *Resource, sh *SelfHosted) hcl.Diagnostics {
	m := c.Module
	name := RealizationCallName(r)
	diags := unsupportedOnRealized(r, sh)
	args, argDiags := realizationArguments(c, r, sh)
	diags = append(diags, argDiags...)
	if diags.HasErrors() {
		return diags
	}
	mod, modDiags := l.loadModule(sh.Dir)
	diags = append(diags, modDiags...)
	if mod == nil || modDiags.HasErrors() {
		return diags
	}
	call := &ModuleCall{
		Name: name, Source: sh.Dir, SourceRange: r.TypeRange, Arguments: args,
		Count: r.Count, ForEach: r.ForEach, DependsOn: r.DependsOn,
		Providers: map[string]*ProviderRef{}, DeclRange: r.DeclRange,
	}
	child := &Config{
		Module: mod, Path: append(append([]string(nil), c.Path...), name), Parent: c,
		Children: map[string]*Config{}, CallRange: r.DeclRange,
	}
	diags = append(diags, l.loadChildren(child, []string{absDir(sh.Dir)})...)
	child.Walk(func(cc *Config) { diags = append(diags, validateModule(cc)...) })
	for arg, attr := range args {
		if _, ok := mod.Variables[arg]; !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Self-hosted module lacks a variable",
				Detail:   fmt.Sprintf("The self-hosted %s module has no variable %q; this is a bug in bp.", r.Type, arg),
				Subject:  attr.Range.Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return diags
	}
	delete(m.Resources, r.Addr())
	m.ModuleCalls[name] = call
	c.Children[name] = child
	if m.Realizations == nil {
		m.Realizations = map[string]*Realization{}
	}
	m.Realizations[r.Addr()] = &Realization{Resource: r, Call: name, Summary: sh.Summary}
	if r.Type == GroupKind {
		diags = append(diags, c.realizeGroupRoles(r, name)...)
	}
	return diags
}

// unsupportedOnRealized refuses the meta-arguments a module call cannot
// carry.
func unsupportedOnRealized(r *Resource, sh *SelfHosted) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(what string) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported on a self-hosted " + r.Type,
			Detail: fmt.Sprintf("This %s is realized by bp as %s, which does not support %s. Remove it, or use a "+
				"provider that implements %s natively.", r.Type, sh.Summary, what, r.Type),
			Subject: r.DeclRange.Ptr(),
		})
	}
	lc := r.Lifecycle
	if lc.CreateBeforeDestroy || lc.PreventDestroy || lc.IgnoreAllChanges || len(lc.IgnoreChanges) > 0 {
		bad("a lifecycle block")
	}
	if r.Connection != nil {
		bad("a connection block")
	}
	return diags
}

// realizationArguments turns the resource body into the module call's
// arguments: each attribute as written, each nested block type as one
// value, plus the hidden variables.
func realizationArguments(c *Config, r *Resource, sh *SelfHosted) (map[string]*hcl.Attribute, hcl.Diagnostics) {
	spec := SpecForSchema(sh.Schema).(hcldec.ObjectSpec)
	content, diags := r.Config.Content(hcldec.ImpliedSchema(spec))
	for _, d := range diags {
		if d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type" {
			d.Detail = strings.TrimSpace(d.Detail + " " + fmt.Sprintf("A %s takes %s.", r.Type, argumentList(sh.Schema)))
		}
	}
	args := map[string]*hcl.Attribute{}
	for name, attr := range content.Attributes {
		args[name] = attr
	}
	for name := range sh.Schema.Blocks {
		rng := r.DeclRange
		if blocks := content.Blocks.OfType(name); len(blocks) > 0 {
			rng = blocks[0].DefRange
		}
		args[name] = &hcl.Attribute{Name: name, Expr: &specExpr{body: r.Config, spec: spec[name], rng: rng}, Range: rng, NameRange: rng}
	}
	args[RealizationNameVar] = &hcl.Attribute{Name: RealizationNameVar, Expr: instanceNameExpr(r), Range: r.DeclRange, NameRange: r.DeclRange}
	if r.Type == GroupKind {
		delete(args, GroupRolesArg)
		delete(args, GroupRolloutBlock)
		args[GroupSizeOverrideVar] = &hcl.Attribute{Name: GroupSizeOverrideVar, Expr: groupSizeOverrideExpr(c, r), Range: r.DeclRange, NameRange: r.DeclRange}
	}
	if arg, ok := ControllerGroupArg(r.Type); ok {
		expr, groupDiags := controllerGroupExpr(c, r, content.Attributes[arg])
		diags = append(diags, groupDiags...)
		if expr != nil {
			args[ControllerGroupVar] = &hcl.Attribute{Name: ControllerGroupVar, Expr: expr, Range: expr.Range(), NameRange: expr.Range()}
		}
	}
	if r.Type == "dns_record" {
		expr, serverDiags := dnsServerExpr(c, r, content.Attributes["zone"])
		diags = append(diags, serverDiags...)
		if expr != nil {
			args[DNSServerVar] = &hcl.Attribute{Name: DNSServerVar, Expr: expr, Range: expr.Range(), NameRange: expr.Range()}
		}
	}
	return args, diags
}

// argumentList names what a schema accepts, for error details.
func argumentList(s *providers.Schema) string {
	var names []string
	for name, a := range s.Attributes {
		if a.Required || a.Optional {
			names = append(names, name)
		}
	}
	for name := range s.Blocks {
		names = append(names, name+" blocks")
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "no arguments"
	}
	return strings.Join(names, ", ")
}

// instanceNameExpr is the realization_name argument: the resource name,
// with the instance key appended for count and for_each.
func instanceNameExpr(r *Resource) hcl.Expression {
	src := r.Name
	switch {
	case r.Count != nil:
		src += "-${count.index}"
	case r.ForEach != nil:
		src += "-${each.key}"
	default:
		return hcl.StaticExpr(cty.StringVal(r.Name), r.DeclRange)
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(src), r.DeclRange.Filename, r.DeclRange.Start)
	if diags.HasErrors() {
		return hcl.StaticExpr(cty.StringVal(r.Name), r.DeclRange)
	}
	return expr
}

// dnsServerExpr finds the self-hosted dns_zone a record writes into — the
// zone its `zone` argument refers to (zone = resource.dns_zone.main.name) or
// the one whose name it spells — and returns a reference to that zone's
// server.
func dnsServerExpr(c *Config, r *Resource, zone *hcl.Attribute) (hcl.Expression, hcl.Diagnostics) {
	if zone == nil {
		return nil, nil // the missing argument is reported by the decoder
	}
	zoneRes := ""
	if refs, _ := References(zone.Expr); len(refs) == 1 {
		if rr, ok := refs[0].Subject.(ResourceRef); ok && rr.Type == "dns_zone" && rr.Mode == ManagedResourceMode {
			zoneRes = rr.Name
		}
	}
	if zoneRes == "" {
		if v, d := zone.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			want := strings.TrimSuffix(v.AsString(), ".")
			for _, z := range c.Module.SortedResources() {
				if z.Type != "dns_zone" || z.Mode != ManagedResourceMode {
					continue
				}
				attrs, _ := z.Config.JustAttributes()
				if a, ok := attrs["name"]; ok {
					if zv, zd := a.Expr.Value(nil); !zd.HasErrors() && zv.Type() == cty.String && zv.IsKnown() && !zv.IsNull() &&
						strings.TrimSuffix(zv.AsString(), ".") == want {
						zoneRes = z.Name
					}
				}
			}
		}
	}
	if zoneRes == "" {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No DNS server for this record",
			Detail: "A self-hosted dns_record is written into a self-hosted dns_zone of the same module. Set zone to " +
				"that zone's name, as in zone = resource.dns_zone.main.name, or declare the zone with " +
				"resource \"dns_zone\" \"main\" { name = \"example.test\" }.",
			Subject: zone.Expr.Range().Ptr(),
		}}
	}
	rng := zone.Expr.Range()
	return &hclsyntax.ScopeTraversalExpr{
		Traversal: hcl.Traversal{
			hcl.TraverseRoot{Name: "resource", SrcRange: rng},
			hcl.TraverseAttr{Name: "dns_zone", SrcRange: rng},
			hcl.TraverseAttr{Name: zoneRes, SrcRange: rng},
			hcl.TraverseAttr{Name: DNSServerVar, SrcRange: rng},
		},
		SrcRange: rng,
	}, nil
}

// specExpr is an expression whose value is one part of a body decoded
// with a spec: how a nested block type of a realized resource becomes one
// module argument.
type specExpr struct {
	body hcl.Body
	spec hcldec.Spec
	rng  hcl.Range
}

var _ hcl.Expression = (*specExpr)(nil)

func (e *specExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, _, diags := hcldec.PartialDecode(e.body, e.spec, ctx)
	return v, diags
}

func (e *specExpr) Variables() []hcl.Traversal { return hcldec.Variables(e.body, e.spec) }
func (e *specExpr) Range() hcl.Range           { return e.rng }
func (e *specExpr) StartRange() hcl.Range      { return e.rng }
