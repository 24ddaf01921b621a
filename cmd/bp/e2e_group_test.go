package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestMachineGroup applies a self-hosted machine_group of nginx members on
// real machines, resizes it through its desired size (2, 3, then 2) and
// checks that every member is converged and answers, that the group shrinks
// from its highest member, and that destroy leaves nothing (the cleanup
// fails the test on leftovers).
func TestMachineGroup(t *testing.T) {
	b := newE2EBlueprint(t, "group")
	plan, _ := b.mustBP(0, "plan", "-no-color")
	for _, want := range []string{
		"# machine_group.web is self-hosted: identical machines",
		"# module.machine_group:web.machine.member[1] will be created",
		"configure.machine_group:web",
	} {
		if !strings.Contains(plan, want) {
			t.Fatalf("the plan lacks %q:\n%s", want, plan)
		}
	}

	var prev []string
	for _, size := range []int{2, 3, 2} {
		b.setVars(map[string]cty.Value{"desired": cty.NumberIntVal(int64(size))})
		b.mustBP(0, "apply", "-auto-approve", "-no-color")
		members := b.addresses("members")
		if len(members) != size {
			t.Fatalf("desired %d: members %v", size, members)
		}
		if got := strings.TrimSpace(b.output("size")); got != fmt.Sprint(size) {
			t.Errorf("desired %d: output size = %q", size, got)
		}
		// Members keep their index: growing adds at the end, shrinking
		// removes the last.
		for i := 0; i < len(prev) && i < size; i++ {
			if members[i] != prev[i] {
				t.Errorf("desired %d: member %d is %s, was %s", size, i, members[i], prev[i])
			}
		}
		for _, addr := range members {
			_, body := httpGet(t, "http://"+addr+"/")
			if want := "member " + addr; strings.TrimSpace(body) != want {
				t.Errorf("desired %d: %s answers %q, want %q", size, addr, body, want)
			}
		}
		// -detailed-exitcode exits 2 when the plan has changes.
		b.mustBP(0, "plan", "-no-color", "-detailed-exitcode")
		prev = members
	}
}
