package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// engineRun plans (and applies) the blueprint in dir against its state
// file, as bp apply does, and returns the plan.
func engineRun(t *testing.T, dir string, mode plan.Mode, apply bool) *plan.Plan {
	t.Helper()
	l := blueprint.NewLoader()
	cfg, diags := l.LoadDir(dir)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	ctx := context.Background()
	backend := state.NewLocal(filepath.Join(dir, "bp.state"))
	prior, err := backend.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(engine.Options{Config: cfg, Variables: map[string]cty.Value{}})
	defer e.Close()
	p, diags := e.Plan(ctx, prior, engine.PlanOptions{Mode: mode})
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	if apply {
		if diags := e.Apply(ctx, p, state.NewSync(prior, backend)); diags.HasErrors() {
			t.Fatalf("apply: %s", diags.Error())
		}
	}
	return p
}

// changes lists a plan's changes other than no-ops: "addr=action ...".
func changes(p *plan.Plan) string {
	var out []string
	for _, c := range p.Changes {
		if c.Action != plan.NoOp {
			out = append(out, c.Addr.String()+"="+string(c.Action))
		}
	}
	return strings.Join(out, " ")
}

// stateMachines returns the machine values recorded in dir's state, by
// instance address.
func stateMachines(t *testing.T, dir string) map[string]cty.Value {
	t.Helper()
	st, err := state.NewLocal(filepath.Join(dir, "bp.state")).Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]cty.Value{}
	for _, addr := range st.AllInstances() {
		if o := st.Object(addr); o != nil && addr.Resource.Type == MachineType {
			v, _ := o.Value.UnmarkDeep()
			out[addr.String()] = v
		}
	}
	return out
}

// TestBlueprintMachines applies a three-machine blueprint through the
// engine, as bp apply does: the machines answer SSH with the keys in state
// and reach each other; one removed behind Blueprint's back is planned for
// creation and comes back; destroy leaves no container and no network.
func TestBlueprintMachines(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: creates containers")
	}
	h := newMachineHarness(t) // for the project name, the engine and cleanup
	dir := t.TempDir()
	src := `
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}
provider "local" { project = "` + h.project + `" }
resource "machine" "m" {
  count  = 3
  name   = "m-${count.index}"
  labels = { index = tostring(count.index) }
}
output "addresses" { value = machine.m[*].address }
`
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	p := engineRun(t, dir, plan.Normal, true)
	t.Logf("plan+apply of 3 machines: %s", time.Since(start).Round(time.Millisecond))
	if got, want := changes(p), "machine.m[0]=create machine.m[1]=create machine.m[2]=create"; got != want {
		t.Fatalf("first plan: got %s, want %s", got, want)
	}
	ms := stateMachines(t, dir)
	if len(ms) != 3 {
		t.Fatalf("state holds %d machines, want 3", len(ms))
	}
	hostKeys := map[string]bool{}
	for i := range 3 {
		addr := fmt.Sprintf("machine.m[%d]", i)
		m, next := decodeMachine(ms[addr]), decodeMachine(ms[fmt.Sprintf("machine.m[%d]", (i+1)%3)])
		hostKeys[m.hostKey] = true
		out, err := sshRun(ms[addr], "hostname; bash -c '</dev/tcp/"+next.address+"/22' && echo reached "+next.name)
		if want := m.name + "\nreached " + next.name; err != nil || out != want {
			t.Errorf("ssh %s: got %q (%v), want %q", addr, out, err, want)
		}
	}
	if len(hostKeys) != 3 {
		t.Errorf("the 3 machines have %d distinct host keys; each must make its own at first boot", len(hostKeys))
	}

	if p := engineRun(t, dir, plan.Normal, false); p.HasChanges() {
		t.Fatalf("second plan should be empty, got %s", changes(p))
	}

	gone := decodeMachine(ms["machine.m[1]"])
	if err := h.e.api.ContainerRemove(context.Background(), gone.id, container.RemoveOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	if got, want := changes(engineRun(t, dir, plan.Normal, true)), "machine.m[1]=create"; got != want {
		t.Fatalf("plan after removing m-1 outside: got %s, want %s", got, want)
	}
	back := stateMachines(t, dir)["machine.m[1]"]
	if out, err := sshRun(back, "hostname"); err != nil || out != "m-1" {
		t.Fatalf("ssh to the recreated m-1: %q %v", out, err)
	}

	if got, want := changes(engineRun(t, dir, plan.Destroy, true)), "machine.m[0]=delete machine.m[1]=delete machine.m[2]=delete"; got != want {
		t.Fatalf("destroy plan: got %s, want %s", got, want)
	}
	if left := h.containers(); len(left) > 0 {
		t.Errorf("destroy left %d containers", len(left))
	}
	if h.networkExists() {
		t.Errorf("destroy left network %s", networkName(h.project))
	}
}
