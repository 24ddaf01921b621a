package engine_test

import (
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// PlanOptions.Replace replaces an unchanged instance (a group member, as
// bp run does for a failed one): only that instance, its dependents
// updated, and it comes back under the same address with a new object.
func TestPlanReplace(t *testing.T) {
	h := newHarness(t)
	h.selfHosted = groupSelfHosted(t)
	src := groupBlueprint(1, 4, 2)
	mustGroupApply(h, src, engine.PlanOptions{})
	member := func(i string) state.InstanceAddr {
		a, err := state.ParseInstanceAddr("module.machine_group:web.mock_thing.member[" + i + "]")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	before := h.state.Object(member("1")).Value.GetAttr("id").AsString()

	for _, tc := range []struct {
		name        string
		replace     []state.InstanceAddr
		wantChanges string
		wantErr     string
	}{
		{"nothing to replace", nil, "", ""},
		{"one member", []state.InstanceAddr{member("1")},
			"mock_thing.lb=update module.machine_group:web.mock_thing.member[1]=delete-create", ""},
		{"an instance that does not exist", []state.InstanceAddr{member("7")}, "", "-replace=module.machine_group:web.mock_thing.member[7] names no resource instance"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, diags := groupApply(h, src, engine.PlanOptions{Replace: tc.replace})
			if tc.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.wantErr) {
					t.Fatalf("diagnostics %q, want an error with %q", diags.Error(), tc.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if got := actions(p); got != tc.wantChanges {
				t.Errorf("plan\n got %s\nwant %s", got, tc.wantChanges)
			}
			for _, c := range p.Changes {
				if c.Action == plan.DeleteThenCreate && !strings.Contains(c.Reason, "-replace") {
					t.Errorf("%s: reason %q does not say it was requested", c.Addr, c.Reason)
				}
			}
		})
	}
	if after := h.state.Object(member("1")).Value.GetAttr("id").AsString(); after == before {
		t.Errorf("member[1] kept its object %s; it was to be replaced", before)
	}
	if got := members(h); got != "web-0 web-1" {
		t.Errorf("members after the replacement = %q, want web-0 web-1", got)
	}
}
