package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Referenceable is anything an expression can refer to. The concrete types
// below are its only implementations.
type Referenceable interface {
	// String renders the subject as it is written in a blueprint.
	String() string
	referenceable()
}

// VariableRef is var.NAME.
type VariableRef struct{ Name string }

// LocalRef is local.NAME.
type LocalRef struct{ Name string }

// ResourceRef is resource.TYPE.NAME, TYPE.NAME or data.TYPE.NAME.
type ResourceRef struct {
	Mode ResourceMode
	Type string
	Name string
}

// ModuleCallRef is module.NAME.
type ModuleCallRef struct{ Name string }

// PathRef is path.module, path.root or path.cwd.
type PathRef struct{ Name string }

// CountRef is count.index.
type CountRef struct{ Name string }

// EachRef is each.key or each.value.
type EachRef struct{ Name string }

// SelfRef is self, inside a resource's connection block.
type SelfRef struct{}

// HostRef is host.ATTR, inside a role: the machine being configured.
type HostRef struct{ Name string }

// RoleRef is role.NAME, in a configure block's roles.
type RoleRef struct{ Name string }

func (VariableRef) referenceable()   {}
func (LocalRef) referenceable()      {}
func (ResourceRef) referenceable()   {}
func (ModuleCallRef) referenceable() {}
func (PathRef) referenceable()       {}
func (CountRef) referenceable()      {}
func (EachRef) referenceable()       {}
func (SelfRef) referenceable()       {}
func (HostRef) referenceable()       {}
func (RoleRef) referenceable()       {}

func (r VariableRef) String() string   { return "var." + r.Name }
func (r LocalRef) String() string      { return "local." + r.Name }
func (r ModuleCallRef) String() string { return "module." + r.Name }
func (r PathRef) String() string       { return "path." + r.Name }
func (r CountRef) String() string      { return "count." + r.Name }
func (r EachRef) String() string       { return "each." + r.Name }
func (SelfRef) String() string         { return "self" }
func (r HostRef) String() string       { return "host." + r.Name }
func (r RoleRef) String() string       { return "role." + r.Name }
func (r ResourceRef) String() string {
	if r.Mode == DataResourceMode {
		return "data." + r.Type + "." + r.Name
	}
	return r.Type + "." + r.Name
}

// Reference is one reference found in an expression.
type Reference struct {
	Subject Referenceable
	// SourceRange covers the whole traversal as written.
	SourceRange hcl.Range
	// Remaining is the part of the traversal after the subject, such as
	// .address in resource.machine.web.address.
	Remaining hcl.Traversal
}

// hostAttrs are the attributes of `host` inside a role.
var hostAttrs = []string{"name", "address", "index", "labels", "facts", "private_address", "ssh_user"}

// ParseRef interprets a traversal found in an expression.
func ParseRef(tr hcl.Traversal) (*Reference, hcl.Diagnostics) {
	root := tr.RootName()
	rng := tr.SourceRange()
	invalid := func(detail string) (*Reference, hcl.Diagnostics) {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid reference",
			Detail:   detail,
			Subject:  rng.Ptr(),
		}}
	}
	attrName := func(i int) (string, bool) {
		if len(tr) <= i {
			return "", false
		}
		a, ok := tr[i].(hcl.TraverseAttr)
		return a.Name, ok
	}
	named := func(subject string, example string) (string, *Reference, hcl.Diagnostics) {
		name, ok := attrName(1)
		if !ok {
			r, d := invalid(fmt.Sprintf("%q must be followed by a name, such as %s.", subject, example))
			return "", r, d
		}
		return name, nil, nil
	}
	ref := &Reference{SourceRange: rng}
	switch root {
	case "var", "local", "module", "role", "path", "count", "each", "host":
		examples := map[string]string{
			"var": "var.web_count", "local": "local.site", "module": "module.db.address",
			"role": "role.app", "path": "path.module", "count": "count.index",
			"each": "each.key", "host": "host.address",
		}
		name, r, d := named(root, examples[root])
		if d != nil {
			return r, d
		}
		ref.Remaining = tr[2:]
		switch root {
		case "var":
			ref.Subject = VariableRef{Name: name}
		case "local":
			ref.Subject = LocalRef{Name: name}
		case "module":
			ref.Subject = ModuleCallRef{Name: name}
		case "role":
			ref.Subject = RoleRef{Name: name}
		case "path":
			if name != "module" && name != "root" && name != "cwd" {
				return invalid(fmt.Sprintf("path has only module, root and cwd, not %q.%s", name,
					didYouMean(name, []string{"module", "root", "cwd"})))
			}
			ref.Subject = PathRef{Name: name}
		case "count":
			if name != "index" {
				return invalid(fmt.Sprintf("count has only one attribute, index, not %q.", name))
			}
			ref.Subject = CountRef{Name: name}
		case "each":
			if name != "key" && name != "value" {
				return invalid(fmt.Sprintf("each has only key and value, not %q.%s", name,
					didYouMean(name, []string{"key", "value"})))
			}
			ref.Subject = EachRef{Name: name}
		case "host":
			if !contains(hostAttrs, name) {
				return invalid(fmt.Sprintf("host has no attribute %q; it has %v.%s", name, hostAttrs,
					didYouMean(name, hostAttrs)))
			}
			ref.Subject = HostRef{Name: name}
		}
		return ref, nil
	case "self":
		ref.Subject = SelfRef{}
		ref.Remaining = tr[1:]
		return ref, nil
	case "resource", "data":
		typ, ok1 := attrName(1)
		name, ok2 := attrName(2)
		if !ok1 || !ok2 {
			return invalid(fmt.Sprintf("A reference to a %s must name its type and name, such as %s.machine.web.",
				map[string]string{"resource": "resource", "data": "data source"}[root], root))
		}
		mode := ManagedResourceMode
		if root == "data" {
			mode = DataResourceMode
		}
		ref.Subject = ResourceRef{Mode: mode, Type: typ, Name: name}
		ref.Remaining = tr[3:]
		return ref, nil
	case "terraform", "blueprint":
		return invalid(fmt.Sprintf("%q cannot be referred to in expressions.", root))
	}
	name, ok := attrName(1)
	if !ok {
		return invalid(fmt.Sprintf("There is no value named %q. To refer to a resource write TYPE.NAME or "+
			"resource.TYPE.NAME; for a variable write var.%s, for a local value local.%s.", root, root, root))
	}
	ref.Subject = ResourceRef{Mode: ManagedResourceMode, Type: root, Name: name}
	ref.Remaining = tr[2:]
	return ref, nil
}

// References returns every reference in expr.
func References(expr hcl.Expression) ([]*Reference, hcl.Diagnostics) {
	if expr == nil {
		return nil, nil
	}
	return traversalRefs(expr.Variables())
}

// BodyReferences returns every reference in body, found without a schema:
// all attributes and nested blocks of native syntax, all values of JSON.
func BodyReferences(body hcl.Body) ([]*Reference, hcl.Diagnostics) {
	if body == nil {
		return nil, nil
	}
	return traversalRefs(bodyTraversals(body))
}

func bodyTraversals(body hcl.Body) []hcl.Traversal {
	return bodyTraversalsIn(body, nil)
}

// bodyTraversalsIn collects the traversals of body, leaving out those rooted
// at the iterators of enclosing dynamic blocks (listener.value inside
// dynamic "listener"), which are not references to declared objects.
func bodyTraversalsIn(body hcl.Body, iterators map[string]bool) []hcl.Traversal {
	var out []hcl.Traversal
	keep := func(trs []hcl.Traversal) {
		for _, tr := range trs {
			if !iterators[tr.RootName()] {
				out = append(out, tr)
			}
		}
	}
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		attrs, _ := body.JustAttributes()
		for _, name := range sortedKeys(attrs) {
			keep(attrs[name].Expr.Variables())
		}
		return out
	}
	// Going through the hcl.Body interface, rather than the syntax tree,
	// leaves out what an earlier PartialContent took (meta-arguments such as
	// count, provider or notify), which are not part of this body any more
	// and are not expressions to be checked as references.
	attrSchema := &hcl.BodySchema{}
	for _, name := range sortedKeys(sb.Attributes) {
		attrSchema.Attributes = append(attrSchema.Attributes, hcl.AttributeSchema{Name: name})
	}
	content, _, _ := body.PartialContent(attrSchema)
	for _, name := range sortedKeys(content.Attributes) {
		keep(content.Attributes[name].Expr.Variables())
	}
	visible := map[string]bool{}
	for _, b := range sb.Blocks {
		if _, known := visible[b.Type]; !known {
			visible[b.Type] = blockTypeVisible(body, b.Type)
		}
		switch {
		case !visible[b.Type]:
		case b.Type == "dynamic" && len(b.Labels) == 1:
			out = append(out, dynamicBlockTraversals(b, iterators)...)
		default:
			out = append(out, bodyTraversalsIn(b.Body, iterators)...)
		}
	}
	return out
}

// dynamicBlockTraversals collects the traversals of a dynamic block: its
// for_each and labels, and its content without the block's own iterator.
func dynamicBlockTraversals(b *hclsyntax.Block, iterators map[string]bool) []hcl.Traversal {
	var out []hcl.Traversal
	iterator := b.Labels[0]
	for name, attr := range b.Body.Attributes {
		if name == "iterator" {
			if tr, diags := hcl.AbsTraversalForExpr(attr.Expr); !diags.HasErrors() && len(tr) == 1 {
				iterator = tr.RootName()
			}
			continue
		}
		for _, tr := range attr.Expr.Variables() {
			if !iterators[tr.RootName()] {
				out = append(out, tr)
			}
		}
	}
	inner := map[string]bool{iterator: true}
	for name := range iterators {
		inner[name] = true
	}
	for _, cb := range b.Body.Blocks {
		if cb.Type == "content" {
			out = append(out, bodyTraversalsIn(cb.Body, inner)...)
		}
	}
	return out
}

// blockTypeVisible reports whether blocks of type typ are still part of
// body, that is, not taken by an earlier PartialContent. Asking for the type
// without labels returns the blocks, or an error about their labels, unless
// they are hidden; either answer means they are there. Blocks of one type
// with different numbers of labels are all found this way.
func blockTypeVisible(body hcl.Body, typ string) bool {
	content, _, diags := body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: typ}}})
	return len(content.Blocks) > 0 || diags.HasErrors()
}

func traversalRefs(trs []hcl.Traversal) ([]*Reference, hcl.Diagnostics) {
	var refs []*Reference
	var diags hcl.Diagnostics
	for _, tr := range trs {
		ref, refDiags := ParseRef(tr)
		diags = append(diags, refDiags...)
		if ref != nil {
			refs = append(refs, ref)
		}
	}
	return refs, diags
}
