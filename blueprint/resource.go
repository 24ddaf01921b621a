package blueprint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// ResourceMode tells managed resources (`resource`) from data sources (`data`).
type ResourceMode int

const (
	// ManagedResourceMode is a `resource` block: an object bp creates and owns.
	ManagedResourceMode ResourceMode = iota
	// DataResourceMode is a `data` block: an object bp only reads.
	DataResourceMode
)

// Resource is a `resource` or `data` block. Config is the body without its
// meta-arguments; it is decoded later against the provider's schema.
type Resource struct {
	Mode ResourceMode
	Type string
	Name string

	Count     hcl.Expression // nil when not set
	ForEach   hcl.Expression // nil when not set
	DependsOn []hcl.Traversal
	Provider  *ProviderRef // nil when implied by the type
	Lifecycle Lifecycle
	// Realize is "" (the provider decides), "native" or "selfhosted"; only
	// portable kinds accept it.
	Realize string
	// Connection is the optional `connection` block (how to reach a machine
	// over SSH); `self` refers to the resource inside it.
	Connection hcl.Body

	Config    hcl.Body
	DeclRange hcl.Range
	TypeRange hcl.Range
}

// Lifecycle is the `lifecycle` block of a managed resource.
type Lifecycle struct {
	CreateBeforeDestroy bool
	PreventDestroy      bool
	IgnoreChanges       []hcl.Traversal
	IgnoreAllChanges    bool
}

// Addr returns "type.name" or "data.type.name".
func (r *Resource) Addr() string {
	if r.Mode == DataResourceMode {
		return "data." + r.Type + "." + r.Name
	}
	return r.Type + "." + r.Name
}

// ImpliedProvider is the provider name a resource uses when it has no
// `provider` argument: the type's prefix before the first underscore, or ""
// for portable kinds, which go to the blueprint's machine provider (see
// Module.MachineProvider).
func (r *Resource) ImpliedProvider() string {
	if IsPortableKind(r.Type) {
		return ""
	}
	if i := strings.IndexByte(r.Type, '_'); i > 0 {
		return r.Type[:i]
	}
	return r.Type
}

var resourceSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "count"}, {Name: "for_each"}, {Name: "depends_on"},
		{Name: "provider"}, {Name: "realize"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}, {Type: "connection"}},
}

var dataSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "count"}, {Name: "for_each"}, {Name: "depends_on"}, {Name: "provider"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
}

var lifecycleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "create_before_destroy"}, {Name: "prevent_destroy"}, {Name: "ignore_changes"},
	},
}

func decodeResource(block *hcl.Block, mode ResourceMode) (*Resource, hcl.Diagnostics) {
	r := &Resource{
		Mode: mode, Type: block.Labels[0], Name: block.Labels[1],
		DeclRange: block.DefRange, TypeRange: block.LabelRanges[0],
	}
	what := "resource"
	schema := resourceSchema
	if mode == DataResourceMode {
		what, schema = "data source", dataSchema
	}
	diags := checkName(what+" type", r.Type, block.LabelRanges[0])
	diags = append(diags, checkName(what, r.Name, block.LabelRanges[1])...)
	if reservedRootNames[r.Type] {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Reserved resource type name",
			Detail:   fmt.Sprintf("%q is a reserved word in expressions and cannot be a resource type.", r.Type),
			Subject:  block.LabelRanges[0].Ptr(),
		})
	}

	content, config, moreDiags := block.Body.PartialContent(schema)
	diags = append(diags, moreDiags...)
	r.Config = config

	if attr, ok := content.Attributes["count"]; ok {
		r.Count = attr.Expr
	}
	if attr, ok := content.Attributes["for_each"]; ok {
		r.ForEach = attr.Expr
		if r.Count != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid combination of \"count\" and \"for_each\"",
				Detail:   "A " + what + " may use count or for_each, not both. Remove one of them.",
				Subject:  attr.NameRange.Ptr(),
			})
		}
	}
	if attr, ok := content.Attributes["depends_on"]; ok {
		deps, depDiags := decodeDependsOn(attr)
		r.DependsOn, diags = deps, append(diags, depDiags...)
	}
	if attr, ok := content.Attributes["provider"]; ok {
		ref, refDiags := decodeProviderRef(attr.Expr)
		r.Provider, diags = ref, append(diags, refDiags...)
	}
	if attr, ok := content.Attributes["realize"]; ok {
		realizeDiags := gohcl.DecodeExpression(attr.Expr, nil, &r.Realize)
		diags = append(diags, realizeDiags...)
		switch {
		case realizeDiags.HasErrors():
		case !IsPortableKind(r.Type):
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid realize argument",
				Detail: fmt.Sprintf("Only portable kinds (%s) can choose a realization; %q is a provider-specific type.",
					strings.Join(PortableKinds(), ", "), r.Type),
				Subject: attr.NameRange.Ptr(),
			})
		case r.Realize != "native" && r.Realize != "selfhosted":
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid realize argument",
				Detail:   fmt.Sprintf("realize must be \"native\" or \"selfhosted\", not %q.", r.Realize),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	var lifecycleRange, connectionRange *hcl.Range
	for _, b := range content.Blocks {
		switch b.Type {
		case "lifecycle":
			if lifecycleRange != nil {
				diags = append(diags, duplicateSingleton("lifecycle block", what+" "+r.Addr(), *lifecycleRange, b.DefRange))
				continue
			}
			lifecycleRange = b.DefRange.Ptr()
			if mode == DataResourceMode {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unsupported lifecycle block",
					Detail:   "Data sources are only read, never created or destroyed, so they take no lifecycle block. Remove it.",
					Subject:  b.DefRange.Ptr(),
				})
				continue
			}
			diags = append(diags, decodeLifecycle(b, &r.Lifecycle)...)
		case "connection":
			if connectionRange != nil {
				diags = append(diags, duplicateSingleton("connection block", what+" "+r.Addr(), *connectionRange, b.DefRange))
				continue
			}
			connectionRange = b.DefRange.Ptr()
			r.Connection = b.Body
		}
	}
	return r, diags
}

func decodeLifecycle(block *hcl.Block, lc *Lifecycle) hcl.Diagnostics {
	content, diags := block.Body.Content(lifecycleSchema)
	explainUnsupported(diags, "lifecycle block", lifecycleSchema)
	if attr, ok := content.Attributes["create_before_destroy"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &lc.CreateBeforeDestroy)...)
	}
	if attr, ok := content.Attributes["prevent_destroy"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &lc.PreventDestroy)...)
	}
	if attr, ok := content.Attributes["ignore_changes"]; ok {
		if kw := hcl.ExprAsKeyword(attr.Expr); kw == "all" {
			lc.IgnoreAllChanges = true
			return diags
		}
		exprs, listDiags := hcl.ExprList(attr.Expr)
		if listDiags.HasErrors() {
			return append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid ignore_changes",
				Detail:   "ignore_changes takes a list of attribute names, such as [labels, tags[\"owner\"]], or the keyword all.",
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
		for _, e := range exprs {
			tr, trDiags := hcl.RelTraversalForExpr(e)
			if trDiags.HasErrors() {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid ignore_changes",
					Detail:   "Each ignore_changes entry must be an attribute name of this resource, without quotes, such as labels.",
					Subject:  e.Range().Ptr(),
				})
				continue
			}
			lc.IgnoreChanges = append(lc.IgnoreChanges, tr)
		}
	}
	return diags
}

// decodeDependsOn reads a depends_on list of static references.
func decodeDependsOn(attr *hcl.Attribute) ([]hcl.Traversal, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid depends_on",
			Detail:   "depends_on takes a list of references to resources, data sources or modules, such as [resource.machine.web, module.db].",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	var deps []hcl.Traversal
	for _, e := range exprs {
		tr, trDiags := hcl.AbsTraversalForExpr(e)
		if trDiags.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid depends_on reference",
				Detail:   "Each depends_on entry must be a plain reference to a resource, data source or module, without quotes or function calls.",
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		deps = append(deps, tr)
	}
	return deps, diags
}
