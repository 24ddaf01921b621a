package local

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/providers"
)

// sshUser is the user every local machine is logged in to as.
const sshUser = "root"

// planMachine plans a machine's create or update from the engine's
// proposal: the proposal already holds the configuration, the defaults and
// the prior computed values; this adds what the provider knows in advance
// and marks what apply will change.
func planMachine(req providers.PlanResourceChangeRequest, project string) providers.PlanResourceChangeResponse {
	prior, proposed := req.PriorState, req.ProposedNewState
	attrs := proposed.AsValueMap()
	attrs["ssh_user"] = cty.StringVal(sshUser)
	if cn := attr(req.Config, "network", cty.String); cn.IsKnown() && cn.IsNull() {
		attrs["network"] = cty.StringVal(networkName(project))
		if pn, ok := stringAttr(prior, "network"); ok {
			attrs["network"] = cty.StringVal(pn)
		}
	}
	if !prior.IsNull() {
		wasRunning := attr(prior, "running", cty.Bool)
		running := attrs["running"]
		if running.IsKnown() && !running.IsNull() && running.True() && (wasRunning.IsNull() || !wasRunning.True()) {
			// A machine started again may get another address.
			attrs["address"] = cty.UnknownVal(cty.String)
			attrs["private_address"] = cty.UnknownVal(cty.String)
		}
	}
	planned := cty.ObjectVal(attrs)
	return providers.PlanResourceChangeResponse{
		PlannedState:    planned,
		RequiresReplace: machineSch.RequiresReplaceChanges(prior, planned),
	}
}
