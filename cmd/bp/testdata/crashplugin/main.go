// Command crashplugin is the std provider served as a plugin that dies in
// the middle of an apply: creating a std_null whose triggers hold
// crash = "apply" writes a line to stderr and exits with status 2, as a
// plugin that crashes or is killed would. The CLI tests use it to check
// that bp names the plugin, shows its last words, and keeps in the state
// everything that was created before.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
)

func main() {
	plugins.Serve(&crashing{Interface: std.New(), stderr: os.Stderr}, plugins.ServeOpts{Name: "std", Version: "0.1.0"})
}

type crashing struct {
	providers.Interface
	stderr *os.File
}

// ApplyResourceChange dies when asked to create a crashing std_null.
func (c *crashing) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if req.PriorState.IsNull() && wantsCrash(req.PlannedState) {
		fmt.Fprintln(c.stderr, "crashplugin: dying mid-apply, as asked")
		os.Exit(2)
	}
	return c.Interface.ApplyResourceChange(ctx, req)
}

func wantsCrash(v cty.Value) bool {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute("triggers") {
		return false
	}
	t := v.GetAttr("triggers")
	if t.IsNull() || !t.IsKnown() || !t.Type().IsMapType() {
		return false
	}
	crash, ok := t.AsValueMap()["crash"]
	return ok && crash.IsKnown() && !crash.IsNull() && crash.AsString() == "apply"
}
