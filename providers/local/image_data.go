package local

import (
	"context"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

func imageDataSchema() *providers.Schema {
	return &providers.Schema{
		Description: "Looks up a machine image on the engine; it does not build one (machines build their image on first use).",
		Attributes: map[string]*providers.Attribute{
			"name": {Type: cty.String, Required: true, Description: "The recipe name, such as debian-12."},
			"exists": {Type: cty.Bool, Computed: true,
				Description: "Whether the image of the recipe's current version is on the engine."},
			"id":             {Type: cty.String, Computed: true, Description: "The engine's image ID; null when the image does not exist."},
			"ref":            {Type: cty.String, Computed: true, Description: "The engine's reference of the current version, such as bp/debian-12:1."},
			"recipe_version": {Type: cty.Number, Computed: true, Description: "The recipe's current version."},
			"created":        {Type: cty.String, Computed: true, Description: "When the image was built (RFC 3339); null when it does not exist."},
		},
	}
}

// readImageData looks up the current image of a recipe.
func readImageData(ctx context.Context, e *Engine, cfg cty.Value) providers.ReadDataSourceResponse {
	name, _ := stringAttr(cfg, "name")
	r, err := lookupRecipe(name)
	if err != nil {
		return providers.ReadDataSourceResponse{Diagnostics: providers.Diagnostics{
			providers.AttributeErrorf(cty.GetAttrPath("name"), "Unknown image", "%s.", upper(err.Error()))}}
	}
	out := map[string]cty.Value{
		"name":           cty.StringVal(name),
		"exists":         cty.False,
		"id":             cty.NullVal(cty.String),
		"ref":            cty.StringVal(r.ref()),
		"recipe_version": cty.NumberIntVal(int64(r.version)),
		"created":        cty.NullVal(cty.String),
	}
	img, err := e.inspectImage(ctx, r)
	switch {
	case err == nil:
		out["exists"], out["id"] = cty.True, cty.StringVal(img.ID)
		if !img.Created.IsZero() {
			out["created"] = cty.StringVal(img.Created.UTC().Format(time.RFC3339))
		}
	case !cerrdefs.IsNotFound(err):
		return providers.ReadDataSourceResponse{Diagnostics: providers.Diagnostics{providers.FromError("Cannot look up the image", err)}}
	}
	return providers.ReadDataSourceResponse{State: cty.ObjectVal(out)}
}

// upper capitalizes the first letter of an error message.
func upper(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
