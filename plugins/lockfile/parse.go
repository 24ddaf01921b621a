package lockfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// hashPattern is the one checksum form bp writes and accepts.
var hashPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

var (
	fileSchema = &hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"source"}}},
	}
	providerSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "version", Required: true},
			{Name: "constraints"},
			{Name: "hashes", Required: true},
		},
	}
)

// Load reads the lock file at path. A missing file is an empty lock, not an
// error: a blueprint that was never initialized has none.
func Load(path string) (*Lock, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return New(), hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read the lock file",
			Detail:   fmt.Sprintf("%s. Check the file's permissions, or delete it and run bp init to write a new one.", upperFirst(err.Error())),
		}}
	}
	return Parse(src, path)
}

// Parse reads a lock file's content; filename is used in diagnostics.
// Every problem is an error diagnostic with the range of what is wrong;
// the returned lock holds the entries that were valid.
func Parse(src []byte, filename string) (*Lock, hcl.Diagnostics) {
	lock := New()
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return lock, diags
	}
	lock.Source = file
	content, contentDiags := file.Body.Content(fileSchema)
	diags = append(diags, contentDiags...)
	for _, block := range content.Blocks {
		p, pDiags := decodeProvider(block)
		diags = append(diags, pDiags...)
		if p == nil {
			continue
		}
		if prev := lock.Provider(p.Source); prev != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate provider in lock file",
				Detail: fmt.Sprintf("Provider %q is already locked at %s. Remove one of the blocks, or delete "+
					"the lock file and run bp init to write a new one.", p.Source, prev.DeclRange),
				Subject: p.DeclRange.Ptr(),
			})
			continue
		}
		lock.SetProvider(p)
	}
	return lock, diags
}

// decodeProvider decodes one provider block; it returns nil when the block
// is unusable.
func decodeProvider(block *hcl.Block) (*Provider, hcl.Diagnostics) {
	p := &Provider{Source: block.Labels[0], DeclRange: block.DefRange}
	var diags hcl.Diagnostics
	if strings.TrimSpace(p.Source) == "" {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid provider source",
			Detail:   "A provider block in the lock file needs the provider's source as its label, such as provider \"example/kv\".",
			Subject:  block.LabelRanges[0].Ptr(),
		})
	}
	content, contentDiags := block.Body.Content(providerSchema)
	diags = append(diags, contentDiags...)
	if attr, ok := content.Attributes["version"]; ok {
		v, d := stringValue(attr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			if _, err := goversion.NewVersion(v); err != nil {
				diags = append(diags, attrError(attr, "Invalid version",
					fmt.Sprintf("%q is not a version; bp init writes versions like \"1.2.3\".", v)))
			}
			p.Version = v
		}
	}
	if attr, ok := content.Attributes["constraints"]; ok {
		c, d := stringValue(attr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			if _, err := goversion.NewConstraint(c); err != nil {
				diags = append(diags, attrError(attr, "Invalid version constraint",
					fmt.Sprintf("%q is not a version constraint; write constraints like \">= 1.0, < 2.0\".", c)))
			}
			p.Constraints = c
		}
	}
	if attr, ok := content.Attributes["hashes"]; ok {
		hashes, d := hashesValue(attr)
		diags = append(diags, d...)
		p.Hashes = hashes
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return p, diags
}

// stringValue evaluates attr as a constant string.
func stringValue(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return "", constantOnly(attr, diags)
	}
	if v.IsNull() || !v.Type().Equals(cty.String) {
		return "", hcl.Diagnostics{attrError(attr, "Invalid lock file value",
			fmt.Sprintf("The %q of a locked provider must be a string.", attr.Name))}
	}
	return v.AsString(), nil
}

// hashesValue evaluates attr as a non-empty list of checksums.
func hashesValue(attr *hcl.Attribute) ([]string, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, constantOnly(attr, diags)
	}
	ty := v.Type()
	if v.IsNull() || !ty.IsTupleType() && !ty.IsListType() || v.LengthInt() == 0 {
		return nil, hcl.Diagnostics{attrError(attr, "Invalid hashes",
			`The hashes of a locked provider must be a non-empty list of checksums such as ["sha256:…"].`)}
	}
	var hashes []string
	for it := v.ElementIterator(); it.Next(); {
		_, h := it.Element()
		if h.IsNull() || !h.Type().Equals(cty.String) || !hashPattern.MatchString(h.AsString()) {
			shown := "this value"
			if !h.IsNull() && h.Type().Equals(cty.String) {
				shown = fmt.Sprintf("%q", h.AsString())
			}
			diags = append(diags, attrError(attr, "Invalid checksum",
				fmt.Sprintf("%s is not a checksum; bp writes \"sha256:\" followed by 64 lowercase hex digits. "+
					"Delete the lock file and run bp init to record the checksums again.", upperFirst(shown))))
			continue
		}
		hashes = append(hashes, h.AsString())
	}
	return hashes, diags
}

// constantOnly explains that a lock file holds no expressions.
func constantOnly(attr *hcl.Attribute, diags hcl.Diagnostics) hcl.Diagnostics {
	return hcl.Diagnostics{attrError(attr, "Invalid lock file value",
		fmt.Sprintf("The %q of a locked provider must be a literal value, not an expression (%s).",
			attr.Name, strings.TrimSuffix(diags[0].Summary, ".")))}
}

func attrError(attr *hcl.Attribute, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: attr.Expr.Range().Ptr()}
}

// upperFirst capitalizes the first letter of s for the start of a sentence.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
