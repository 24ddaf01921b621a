package local

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/providers"
)

// testEngine connects to the engine make setup provides. A missing engine
// fails the test: the end-to-end tests must run in make test.
func testEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := Connect(context.Background(), ConnectOptions{})
	if err != nil {
		t.Fatalf("the local provider's tests need a container engine: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// warmImage builds debian-12 once per test binary (cached by the engine
// afterwards), printing progress to the test log.
var warmImage sync.Once

func buildTestImage(t testing.TB, e *Engine) {
	t.Helper()
	var err error
	warmImage.Do(func() {
		var out bytes.Buffer
		start := time.Now()
		_, err = e.BuildImage(context.Background(), BuildImageRequest{Name: "debian-12", Progress: &out})
		t.Logf("image debian-12 ready in %s:\n%s", time.Since(start).Round(time.Millisecond), out.String())
	})
	if err != nil {
		t.Fatalf("building debian-12: %v", err)
	}
}

// machineHarness drives the machine resource of a configured provider as
// the engine does, for one test project, and cleans up after itself.
type machineHarness struct {
	t       testing.TB
	p       *Provider
	e       *Engine
	project string
}

func newMachineHarness(t testing.TB) *machineHarness {
	t.Helper()
	e := testEngine(t)
	buildTestImage(t, e)
	id, _ := randomHex(3)
	project := "test-" + id
	p := New()
	cfg := cty.ObjectVal(map[string]cty.Value{"host": cty.NullVal(cty.String), "project": cty.StringVal(project)})
	if resp := p.Configure(context.Background(), providers.ConfigureRequest{Config: cfg}); resp.Diagnostics.HasErrors() {
		t.Fatalf("Configure: %v", resp.Diagnostics.Err())
	}
	h := &machineHarness{t: t, p: p, e: e, project: project}
	t.Cleanup(func() {
		h.removeAll()
		p.Close()
	})
	return h
}

// removeAll removes whatever the test project left on the engine.
func (h *machineHarness) removeAll() {
	ctx := context.Background()
	for _, c := range h.containers() {
		h.e.api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true})
	}
	h.e.api.NetworkRemove(ctx, networkName(h.project))
}

// containers lists the project's containers, running or not.
func (h *machineHarness) containers() []container.Summary {
	h.t.Helper()
	list, err := h.e.api.ContainerList(context.Background(), container.ListOptions{All: true,
		Filters: filters.NewArgs(filters.Arg("label", labelProject+"="+h.project))})
	if err != nil {
		h.t.Fatalf("listing containers: %v", err)
	}
	return list
}

// networkExists reports whether the project's network is on the engine.
func (h *machineHarness) networkExists() bool {
	list, err := h.e.api.NetworkList(context.Background(), network.ListOptions{})
	if err != nil {
		h.t.Fatalf("listing networks: %v", err)
	}
	for _, n := range list {
		if n.Name == networkName(h.project) {
			return true
		}
	}
	return false
}

// config returns a machine configuration: the given attributes, others null.
func machineConfig(attrs map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{}
	for name, a := range machineSch.Attributes {
		m[name] = cty.NullVal(a.Type)
	}
	for k, v := range attrs {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

// plan plans config over prior as the engine does.
func (h *machineHarness) plan(prior, config cty.Value) providers.PlanResourceChangeResponse {
	h.t.Helper()
	ctx := context.Background()
	if d := h.p.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: MachineType, Config: config}).Diagnostics; d.HasErrors() {
		h.t.Fatalf("validate: %v", d.Err())
	}
	resp := h.p.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{
		TypeName: MachineType, PriorState: prior, Config: config,
		ProposedNewState: providers.ProposedNewObject(machineSch, prior, config),
	})
	if resp.Diagnostics.HasErrors() {
		h.t.Fatalf("plan: %v", resp.Diagnostics.Err())
	}
	return resp
}

// apply applies a plan and checks the result keeps its promises.
func (h *machineHarness) apply(prior, planned, config cty.Value) (cty.Value, error) {
	h.t.Helper()
	resp := h.p.ApplyResourceChange(context.Background(), providers.ApplyResourceChangeRequest{
		TypeName: MachineType, PriorState: prior, PlannedState: planned, Config: config,
	})
	if resp.Diagnostics.HasErrors() {
		return resp.NewState, resp.Diagnostics.Err()
	}
	if !resp.NewState.IsWhollyKnown() {
		return resp.NewState, fmt.Errorf("new state is not wholly known: %#v", resp.NewState)
	}
	if err := keptPromises(planned, resp.NewState); err != nil {
		return resp.NewState, err
	}
	return resp.NewState, nil
}

// keptPromises checks every known planned attribute against the result.
func keptPromises(planned, got cty.Value) error {
	if planned.IsNull() {
		if !got.IsNull() {
			return fmt.Errorf("planned a delete, got %#v", got)
		}
		return nil
	}
	for name, pv := range planned.AsValueMap() {
		if pv.IsWhollyKnown() && !pv.RawEquals(got.GetAttr(name)) {
			return fmt.Errorf("attribute %s: planned %#v, got %#v", name, pv, got.GetAttr(name))
		}
	}
	return nil
}

// create plans and applies config as a new machine.
func (h *machineHarness) create(config cty.Value) cty.Value {
	h.t.Helper()
	null := cty.NullVal(machineTy)
	plan := h.plan(null, config)
	state, err := h.apply(null, plan.PlannedState, config)
	if err != nil {
		h.t.Fatalf("create: %v", err)
	}
	return state
}

// read refreshes state.
func (h *machineHarness) read(state cty.Value) cty.Value {
	h.t.Helper()
	resp := h.p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: MachineType, CurrentState: state})
	if resp.Diagnostics.HasErrors() {
		h.t.Fatalf("read: %v", resp.Diagnostics.Err())
	}
	return resp.NewState
}

// destroy plans and applies a delete.
func (h *machineHarness) destroy(state cty.Value) {
	h.t.Helper()
	if _, err := h.apply(state, cty.NullVal(machineTy), cty.NullVal(machineTy)); err != nil {
		h.t.Fatalf("destroy: %v", err)
	}
}

// sshRun runs cmd on the machine of state as its ssh_user with its login
// key, pinning its host key, and returns the combined output.
func sshRun(state cty.Value, cmd string) (string, error) {
	m := decodeMachine(state)
	signer, err := ssh.ParsePrivateKey([]byte(m.sshPrivateKey))
	if err != nil {
		return "", err
	}
	hostKey, _, err := parseHostKey([]byte(m.hostKey))
	if err != nil {
		return "", err
	}
	c, err := ssh.Dial("tcp", net.JoinHostPort(m.address, "22"), &ssh.ClientConfig{
		User: sshUser, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: ssh.FixedHostKey(hostKey), Timeout: 5 * time.Second,
	})
	if err != nil {
		return "", err
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer s.Close()
	out, err := s.CombinedOutput(cmd)
	return strings.TrimSpace(string(out)), err
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
