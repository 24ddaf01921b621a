package blueprint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/zclconf/go-cty/cty"
)

// Settings is the `blueprint` block: required version, providers and the
// state backend.
type Settings struct {
	RequiredVersion      string
	RequiredVersionRange hcl.Range
	RequiredProviders    map[string]*RequiredProvider
	Backend              *Backend
	DeclRange            hcl.Range
}

// RequiredProvider is one entry of `required_providers`.
type RequiredProvider struct {
	Name string
	// Source is "builtin/NAME" for built-in providers, or a plugin source such
	// as "example.com/acme/kv".
	Source string
	// Version is a version constraint such as ">= 1.2, < 2.0"; may be empty.
	Version   string
	DeclRange hcl.Range
}

// IsBuiltin reports whether the provider ships inside bp.
func (p *RequiredProvider) IsBuiltin() bool {
	return len(p.Source) > len("builtin/") && p.Source[:len("builtin/")] == "builtin/"
}

// Backend is the `backend "TYPE" { ... }` block inside `blueprint`.
type Backend struct {
	Type      string
	Config    hcl.Body
	DeclRange hcl.Range
	TypeRange hcl.Range
}

var settingsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "required_providers"},
		{Type: "backend", LabelNames: []string{"type"}},
	},
}

// knownBackends are the state backends bp offers.
var knownBackends = []string{"local", "postgres"}

func decodeSettings(block *hcl.Block) (*Settings, hcl.Diagnostics) {
	s := &Settings{DeclRange: block.DefRange, RequiredProviders: map[string]*RequiredProvider{}}
	content, diags := block.Body.Content(settingsSchema)
	explainUnsupported(diags, "blueprint block", settingsSchema)
	if attr, ok := content.Attributes["required_version"]; ok {
		diags = append(diags, gohcl.DecodeExpression(attr.Expr, nil, &s.RequiredVersion)...)
		s.RequiredVersionRange = attr.Expr.Range()
		if s.RequiredVersion != "" {
			if _, err := ParseConstraint(s.RequiredVersion); err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid version constraint",
					Detail:   fmt.Sprintf("%s. Write constraints like \">= 0.1\" or \">= 0.1, < 2.0\".", err),
					Subject:  attr.Expr.Range().Ptr(),
				})
			} else if ok, _ := VersionSatisfies(Version, s.RequiredVersion); !ok {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unsupported Blueprint version",
					Detail: fmt.Sprintf("This blueprint requires bp %s, but this is bp %s. Install a bp that "+
						"satisfies the constraint, or change required_version.", s.RequiredVersion, Version),
					Subject: attr.Expr.Range().Ptr(),
				})
			}
		}
	}
	for _, b := range content.Blocks {
		switch b.Type {
		case "required_providers":
			diags = append(diags, decodeRequiredProviders(b, s.RequiredProviders)...)
		case "backend":
			if s.Backend != nil {
				diags = append(diags, duplicateSingleton("backend block", "a blueprint block", s.Backend.DeclRange, b.DefRange))
				continue
			}
			s.Backend = &Backend{Type: b.Labels[0], Config: b.Body, DeclRange: b.DefRange, TypeRange: b.LabelRanges[0]}
			if !contains(knownBackends, b.Labels[0]) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unknown backend type",
					Detail: fmt.Sprintf("There is no backend %q. The available backends are \"local\" and "+
						"\"postgres\".%s", b.Labels[0], didYouMean(b.Labels[0], knownBackends)),
					Subject: b.LabelRanges[0].Ptr(),
				})
			}
		}
	}
	return s, diags
}

func decodeRequiredProviders(block *hcl.Block, into map[string]*RequiredProvider) hcl.Diagnostics {
	attrs, diags := block.Body.JustAttributes()
	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		rp := &RequiredProvider{Name: name, DeclRange: attr.Range}
		val, valDiags := attr.Expr.Value(nil)
		if valDiags.HasErrors() || val.IsNull() || !val.Type().IsObjectType() && !val.Type().IsMapType() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid required_providers entry",
				Detail: fmt.Sprintf("The entry for provider %q must be an object such as "+
					"{ source = \"builtin/%s\", version = \">= 1.0\" }, with constant values only.", name, name),
				Subject: attr.Expr.Range().Ptr(),
			})
			continue
		}
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			key := k.AsString()
			if key != "source" && key != "version" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Unsupported argument",
					Detail:   fmt.Sprintf("A required_providers entry takes only \"source\" and \"version\", not %q.", key),
					Subject:  attr.Expr.Range().Ptr(),
				})
				continue
			}
			if v.IsNull() || !v.Type().Equals(cty.String) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid required_providers entry",
					Detail:   fmt.Sprintf("The %q of provider %q must be a string.", key, name),
					Subject:  attr.Expr.Range().Ptr(),
				})
				continue
			}
			if key == "source" {
				rp.Source = v.AsString()
			} else {
				rp.Version = v.AsString()
				if _, err := ParseConstraint(rp.Version); err != nil {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError,
						Summary:  "Invalid version constraint",
						Detail:   fmt.Sprintf("Provider %q: %s.", name, err),
						Subject:  attr.Expr.Range().Ptr(),
					})
				}
			}
		}
		if rp.Source == "" {
			rp.Source = "builtin/" + name
		}
		into[name] = rp
	}
	return diags
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
