package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// Provider is a `provider "NAME"` block: the configuration of one provider
// instance. Config is the body minus `alias`, decoded later against the
// provider's schema.
type Provider struct {
	Name      string
	Alias     string
	Config    hcl.Body
	DeclRange hcl.Range
	NameRange hcl.Range
}

// Key is "name" or "name.alias", the key of Module.Providers.
func (p *Provider) Key() string {
	if p.Alias == "" {
		return p.Name
	}
	return p.Name + "." + p.Alias
}

// ProviderRef is a `provider = NAME` or `provider = NAME.ALIAS` meta-argument.
type ProviderRef struct {
	Name  string
	Alias string
	Range hcl.Range
}

// Key is "name" or "name.alias".
func (r *ProviderRef) Key() string {
	if r.Alias == "" {
		return r.Name
	}
	return r.Name + "." + r.Alias
}

var providerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "alias"}},
}

func decodeProvider(block *hcl.Block) (*Provider, hcl.Diagnostics) {
	p := &Provider{Name: block.Labels[0], DeclRange: block.DefRange, NameRange: block.LabelRanges[0]}
	diags := checkName("provider", p.Name, block.LabelRanges[0])
	content, config, moreDiags := block.Body.PartialContent(providerSchema)
	diags = append(diags, moreDiags...)
	p.Config = config
	if attr, ok := content.Attributes["alias"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &p.Alias)...)
		diags = append(diags, checkName("provider alias", p.Alias, attr.Expr.Range())...)
	}
	return p, diags
}

func decodeProviderRef(expr hcl.Expression) (*ProviderRef, hcl.Diagnostics) {
	tr, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(tr) < 1 || len(tr) > 2 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid provider reference",
			Detail:   "The provider argument takes a provider name or NAME.ALIAS, without quotes, such as provider = local.east.",
			Subject:  expr.Range().Ptr(),
		}}
	}
	ref := &ProviderRef{Name: tr.RootName(), Range: expr.Range()}
	if len(tr) == 2 {
		attr, ok := tr[1].(hcl.TraverseAttr)
		if !ok {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid provider reference",
				Detail:   fmt.Sprintf("Write the alias as %s.ALIAS, without brackets.", ref.Name),
				Subject:  expr.Range().Ptr(),
			}}
		}
		ref.Alias = attr.Name
	}
	return ref, nil
}
