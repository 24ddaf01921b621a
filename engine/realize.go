package engine

import (
	"context"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
)

// realize replaces, once per engine, the portable resources whose provider
// does not implement them with their self-hosted modules (see
// blueprint.Config.Realize). Whether a provider implements a kind is read
// from its schema, so the providers of portable resources start here.
func (e *Engine) realize(ctx context.Context) hcl.Diagnostics {
	e.realizeOnce.Do(func() {
		selfHosted := e.selfHosted
		if selfHosted == nil {
			selfHosted = func(string) (*blueprint.SelfHosted, error) { return nil, nil }
		}
		e.realizeDiags = e.root.Realize(blueprint.RealizeOptions{
			Native: func(r *blueprint.Resource) bool {
				pi, diags := e.provs.get(ctx, e.root, providerKeyFor(e.root, r), r.DeclRange)
				if diags.HasErrors() {
					return true // the resource's own plan reports the provider
				}
				_, ok := pi.schema.ResourceTypes[r.Type]
				return ok
			},
			SelfHosted: selfHosted,
		})
	})
	return e.realizeDiags
}

// realizations lists the self-hosted realizations in the module tree, for
// the plan.
func realizations(root *blueprint.Config) []*plan.Realization {
	var out []*plan.Realization
	root.Walk(func(c *blueprint.Config) {
		prefix := modulePrefix(c.Path)
		for _, key := range sortedNames(c.Module.Realizations) {
			rz := c.Module.Realizations[key]
			out = append(out, &plan.Realization{
				Addr: prefix + key, Module: prefix + "module." + rz.Call, Summary: rz.Summary,
			})
		}
	})
	return out
}
