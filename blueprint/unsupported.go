package blueprint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// explainUnsupported adds to HCL's "Unsupported argument" and "Unsupported
// block type" diagnostics what the block accepts instead, so the fix can be
// read off the message even when no name is close enough for HCL's own
// "Did you mean".
func explainUnsupported(diags hcl.Diagnostics, what string, schema *hcl.BodySchema) {
	var attrs, blocks []string
	for _, a := range schema.Attributes {
		attrs = append(attrs, a.Name)
	}
	for _, b := range schema.Blocks {
		blocks = append(blocks, b.Type)
	}
	var parts []string
	if len(attrs) > 0 {
		parts = append(parts, "the arguments "+andList(attrs))
	}
	if len(blocks) > 0 {
		parts = append(parts, andList(blocks)+" blocks")
	}
	accepts := "nothing"
	if len(parts) > 0 {
		accepts = strings.Join(parts, ", and ")
	}
	for _, d := range diags {
		if d.Summary == "Unsupported argument" || d.Summary == "Unsupported block type" {
			d.Detail = strings.TrimSpace(fmt.Sprintf("%s %s takes %s.", d.Detail, capitalize(article(what))+" "+what, accepts))
		}
	}
}

// andList renders names as "a", "a and b" or "a, b and c".
func andList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
