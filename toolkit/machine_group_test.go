package toolkit

import (
	"testing"

	"github.com/blueprint-engine/bp/blueprint"
)

// TestMachineGroupNames checks that the names the machine_group module
// contract uses are the ones the engine's realization fills in.
func TestMachineGroupNames(t *testing.T) {
	for _, tc := range []struct{ name, toolkit, engine string }{
		{"roles argument", GroupRolesAttribute, blueprint.GroupRolesArg},
		{"rollout block", GroupRolloutBlock, blueprint.GroupRolloutBlock},
		{"size override variable", GroupSizeOverrideVar, blueprint.GroupSizeOverrideVar},
		{"kind", machineGroup().Kind, blueprint.GroupKind},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.toolkit != tc.engine {
				t.Errorf("toolkit says %q, the engine %q", tc.toolkit, tc.engine)
			}
		})
	}
	r, _ := Lookup("machine_group")
	if r.Schema.Attributes[blueprint.GroupMachinesOutput] == nil {
		t.Errorf("no %s attribute: the group's configure block reads its hosts from it", blueprint.GroupMachinesOutput)
	}
}
