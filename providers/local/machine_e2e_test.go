package local

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/zclconf/go-cty/cty"
)

// TestMachineLifecycle runs the whole life of three machines on the real
// engine: create in parallel, log in to each with its stored key, reach one
// machine from another, lose one behind the provider's back and get it
// back, stop and start one, change labels in place, destroy everything and
// find nothing left.
func TestMachineLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: creates containers")
	}
	h := newMachineHarness(t)
	names := []string{"web-0", "web-1", "db"}
	configs := make([]cty.Value, len(names))
	states := make([]cty.Value, len(names))
	for i, n := range names {
		configs[i] = machineConfig(map[string]cty.Value{
			"name":   cty.StringVal(n),
			"labels": cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("web")}),
		})
	}

	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			null := cty.NullVal(machineTy)
			plan := h.plan(null, configs[i])
			states[i], errs[i] = h.apply(null, plan.PlannedState, configs[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("create %s: %v", names[i], err)
		}
	}
	t.Logf("3 machines SSH-ready in %s", time.Since(start).Round(time.Millisecond))

	for i, n := range names {
		out, err := sshRun(states[i], "hostname && cat /etc/bp/labels.json")
		if err != nil {
			t.Fatalf("ssh %s: %v (%s)", n, err, out)
		}
		if want := n + "\n{\n  \"tier\": \"web\"\n}"; out != want {
			t.Errorf("ssh %s: got %q, want %q", n, out, want)
		}
		other := decodeMachine(states[(i+1)%len(names)])
		if out, err := sshRun(states[i], fmt.Sprintf("bash -c '</dev/tcp/%s/22' && echo reached", other.address)); err != nil || out != "reached" {
			t.Errorf("%s cannot reach %s at %s: %v (%s)", n, other.name, other.address, err, out)
		}
	}

	t.Run("removed outside", func(t *testing.T) {
		m := decodeMachine(states[1])
		if err := h.e.api.ContainerRemove(context.Background(), m.id, container.RemoveOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		if got := h.read(states[1]); !got.IsNull() {
			t.Fatalf("read of a removed machine: got %#v, want null", got)
		}
		states[1] = h.create(configs[1])
		if out, err := sshRun(states[1], "hostname"); err != nil || out != names[1] {
			t.Fatalf("recreated machine: %v (%s)", err, out)
		}
	})

	t.Run("stopped outside", func(t *testing.T) {
		m := decodeMachine(states[2])
		stop := 5
		if err := h.e.api.ContainerStop(context.Background(), m.id, container.StopOptions{Timeout: &stop}); err != nil {
			t.Fatal(err)
		}
		read := h.read(states[2])
		if read.IsNull() || read.GetAttr("running").True() {
			t.Fatalf("read of a stopped machine: got %#v, want running = false", read)
		}
		plan := h.plan(read, configs[2])
		if len(plan.RequiresReplace) > 0 || !plan.PlannedState.GetAttr("running").True() {
			t.Fatalf("plan for a stopped machine: %#v replace %v", plan.PlannedState, plan.RequiresReplace)
		}
		var err error
		if states[2], err = h.apply(read, plan.PlannedState, configs[2]); err != nil {
			t.Fatal(err)
		}
		if _, err := sshRun(states[2], "true"); err != nil {
			t.Fatalf("started machine: %v", err)
		}
	})

	t.Run("labels in place", func(t *testing.T) {
		cfg := machineConfig(map[string]cty.Value{
			"name":   cty.StringVal(names[0]),
			"labels": cty.MapVal(map[string]cty.Value{"tier": cty.StringVal("front")}),
		})
		plan := h.plan(states[0], cfg)
		if len(plan.RequiresReplace) > 0 {
			t.Fatalf("labels change requires replace: %v", plan.RequiresReplace)
		}
		var err error
		if states[0], err = h.apply(states[0], plan.PlannedState, cfg); err != nil {
			t.Fatal(err)
		}
		if out, _ := sshRun(states[0], "cat /etc/bp/labels.json"); out != "{\n  \"tier\": \"front\"\n}" {
			t.Fatalf("labels file: %q", out)
		}
	})

	t.Run("image change replaces", func(t *testing.T) {
		cfg := machineConfig(map[string]cty.Value{"name": cty.StringVal(names[0]), "image": cty.StringVal("other")})
		if plan := h.plan(states[0], cfg); len(plan.RequiresReplace) == 0 {
			t.Fatal("an image change must require replacement")
		}
	})

	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.destroy(states[i])
		}()
	}
	wg.Wait()
	if left := h.containers(); len(left) > 0 {
		t.Errorf("destroy left %d containers", len(left))
	}
	if h.networkExists() {
		t.Errorf("destroy left network %s", networkName(h.project))
	}
}
