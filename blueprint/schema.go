package blueprint

import "github.com/hashicorp/hcl/v2"

// fileSchema lists the top-level blocks of a blueprint file.
var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "blueprint"},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "role", LabelNames: []string{"name"}},
		{Type: "configure", LabelNames: []string{"name"}},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "moved"},
		{Type: "import"},
	},
}

// topLevelBlockNames is used for "Did you mean" suggestions.
var topLevelBlockNames = func() []string {
	names := make([]string, len(fileSchema.Blocks))
	for i, b := range fileSchema.Blocks {
		names[i] = b.Type
	}
	return names
}()

// reservedRootNames may not be used as resource types in the TYPE.NAME
// reference form because they already mean something at the root of an
// expression.
var reservedRootNames = map[string]bool{
	"var": true, "local": true, "resource": true, "data": true, "module": true,
	"path": true, "count": true, "each": true, "self": true, "host": true,
	"role": true, "blueprint": true, "terraform": true, "configure": true,
}
