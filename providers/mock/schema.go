package mock

import (
	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// DefaultSchema returns the schemas New uses: the resource type mock_thing
// and the data source mock_data, described in the package documentation.
// Each call returns a new value the caller may change.
func DefaultSchema() providers.ProviderSchema {
	return providers.ProviderSchema{
		Provider: &providers.Schema{Attributes: map[string]*providers.Attribute{
			"endpoint": {Type: cty.String, Optional: true, Description: "Recorded by Configure; has no effect."},
		}},
		ResourceTypes: map[string]*providers.Schema{
			"mock_thing": {
				Description: "An object held in memory.",
				Attributes: map[string]*providers.Attribute{
					"name":   {Type: cty.String, Required: true, RequiresReplace: true, Description: "The thing's name; changing it replaces the thing."},
					"value":  {Type: cty.String, Optional: true, Description: "Any string; changing it updates in place."},
					"secret": {Type: cty.String, Optional: true, Sensitive: true, Description: "A sensitive string."},
					"id":     {Type: cty.String, Computed: true, Description: "Assigned at create: mock_thing-N."},
				},
			},
		},
		DataSources: map[string]*providers.Schema{
			"mock_data": {
				Description: "A value computed from name.",
				Attributes: map[string]*providers.Attribute{
					"name":  {Type: cty.String, Required: true, Description: "What to look up."},
					"id":    {Type: cty.String, Computed: true, Description: "The name."},
					"value": {Type: cty.String, Computed: true, Description: `"value-of-" followed by name.`},
				},
			},
		},
	}
}
