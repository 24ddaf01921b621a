package local

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/zclconf/go-cty/cty"
)

// TestBootFailureShowsLog creates a machine whose init fails at once: the
// create fails quickly (not at the boot timeout) with the tail of the boot
// log, records the container so the next apply replaces it, and a delete
// removes it.
func TestBootFailureShowsLog(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: creates containers")
	}
	h := newMachineHarness(t)
	ctx := context.Background()
	ref := "bp-test/broken:" + h.project
	base, err := h.e.api.ContainerCreate(ctx, &container.Config{Image: recipes["debian-12"].ref()}, nil, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer h.e.api.ContainerRemove(ctx, base.ID, container.RemoveOptions{Force: true})
	// Podman's commit wants a Config body even when Changes say it all.
	if _, err := h.e.api.ContainerCommit(ctx, base.ID, container.CommitOptions{Reference: ref, Config: &container.Config{},
		Changes: []string{`CMD ["/bin/sh", "-c", "echo init exploded; exit 3"]`}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.e.api.ImageRemove(ctx, ref, image.RemoveOptions{Force: true}) })

	config := machineConfig(map[string]cty.Value{"name": cty.StringVal("broken"), "image": cty.StringVal(ref)})
	null := cty.NullVal(machineTy)
	plan := h.plan(null, config)
	state, err := h.apply(null, plan.PlannedState, config)
	if err == nil {
		t.Fatal("create of a machine that cannot boot succeeded")
	}
	for _, want := range []string{"did not become reachable over SSH", "not running", "exit code 3", "boot log", "init exploded"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	if state.IsNull() || decodeMachine(state).id == "" {
		t.Fatalf("a failed create must record the container it made, got %#v", state)
	}
	h.destroy(state)
	if left := h.containers(); len(left) > 0 {
		t.Errorf("delete left %d containers", len(left))
	}
}
