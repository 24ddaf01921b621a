package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/blueprint-engine/bp/toolkit"
)

// testMachineGroup is a self-hosted machine_group made of mock things: the
// real module's size keeper (std_group_size) and one mock_thing per member,
// whose id is its address.
const testMachineGroup = `
variable "realization_name" { type = string }
variable "size_override" { type = number }
variable "template" {
  type    = object({ image = optional(string), size = optional(string), labels = optional(map(string)), network = optional(string), running = optional(bool) })
  default = null
}
variable "min" { type = number }
variable "max" { type = number }
variable "desired" {
  type    = number
  default = null
}
resource "std_group_size" "this" {
  desired  = coalesce(var.desired, var.min)
  min      = var.min
  max      = var.max
  override = var.size_override
}
resource "mock_thing" "member" {
  count = resource.std_group_size.this.size
  name  = "${var.realization_name}-${count.index}"
  value = try(var.template.image, "none")
}
output "members"  { value = resource.mock_thing.member[*].id }
output "machines" { value = [for m in resource.mock_thing.member : { name = m.name, address = m.id }] }
output "size"     { value = resource.std_group_size.this.size }
output "template" { value = var.template }
output "min"      { value = var.min }
output "max"      { value = var.max }
output "desired"  { value = coalesce(var.desired, var.min) }
`

// groupSelfHosted realizes machine_group with testMachineGroup and the
// toolkit's schema, and load_balancer as testSelfHosted does.
func groupSelfHosted(t *testing.T) func(string) (*blueprint.SelfHosted, error) {
	lb := testSelfHosted(t)
	dir := filepath.Join(t.TempDir(), "machine_group")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(testMachineGroup), 0o644); err != nil {
		t.Fatal(err)
	}
	r, ok := toolkit.Lookup("machine_group")
	if !ok {
		t.Fatal("the toolkit has no machine_group")
	}
	return func(kind string) (*blueprint.SelfHosted, error) {
		if kind == "machine_group" {
			return &blueprint.SelfHosted{Kind: kind, Summary: r.Summary, Schema: r.Schema, Dir: dir}, nil
		}
		return lb(kind)
	}
}

// stdAndMock resolves "std" to the built-in std provider and everything
// else as mockResolver does.
type stdAndMock struct{ mockResolver }

func (r *stdAndMock) Provider(name, source string) (providers.Interface, error) {
	if name == "std" {
		return std.New(), nil
	}
	return r.mockResolver.Provider(name, source)
}

// groupApply plans src with opts and applies the plan, as `bp apply` does,
// with an engine that has the std provider for the group's size keeper.
func groupApply(h *harness, src string, opts engine.PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	h.t.Helper()
	h.write(src)
	l := blueprint.NewLoader()
	cfg, diags := l.LoadDir(h.dir)
	if diags.HasErrors() {
		return nil, diags
	}
	var args []blueprint.VarArg
	for k, v := range h.vars {
		args = append(args, blueprint.VarArg{Assign: k + "=" + v})
	}
	inputs, diags := l.CollectInputs(h.dir, args, nil)
	if diags.HasErrors() {
		return nil, diags
	}
	values, diags := blueprint.PrepareVariables(cfg.Module, inputs)
	if diags.HasErrors() {
		return nil, diags
	}
	e := engine.New(engine.Options{
		Config: cfg, Variables: values, Providers: &stdAndMock{mockResolver{t: h.t, mock: h.mock}},
		Hosts: h.hosts, SelfHosted: h.selfHosted,
	})
	defer e.Close()
	p, diags := e.Plan(context.Background(), h.state.DeepCopy(), opts)
	if diags.HasErrors() {
		return p, diags
	}
	sy := state.NewSync(h.state.DeepCopy(), &memBackend{})
	diags = append(diags, e.Apply(context.Background(), p, sy)...)
	h.state = sy.Snapshot()
	return p, diags
}

func mustGroupApply(h *harness, src string, opts engine.PlanOptions) *plan.Plan {
	h.t.Helper()
	p, diags := groupApply(h, src, opts)
	if diags.HasErrors() {
		h.t.Fatalf("apply: %s", diags.Error())
	}
	return p
}

// members returns the names of the group's members in state, in order.
func members(h *harness) string {
	var out []string
	for _, a := range h.state.AllInstances() {
		if a.Resource.String() == "module.machine_group:web.mock_thing.member" {
			out = append(out, h.state.Object(a).Value.GetAttr("name").AsString())
		}
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func groupBlueprint(min, max, desired int) string {
	return `
blueprint {
  required_providers {
    mock = { source = "builtin/mock" }
  }
}
resource "machine_group" "web" {
  template { image = "debian-12" }
  min     = ` + itoa(min) + `
  max     = ` + itoa(max) + `
  desired = ` + itoa(desired) + `
}
resource "mock_thing" "lb" {
  name  = "lb"
  value = join(",", resource.machine_group.web.members)
}
output "size" { value = resource.machine_group.web.size }
`
}

func itoa(n int) string { return strconv.Itoa(n) }

// The size of a group is its desired size until GroupSizes overrides it;
// later applies keep the override while desired is unchanged, a change of
// desired takes over again, and every size stays within min and max.
func TestMachineGroupSize(t *testing.T) {
	h := newHarness(t)
	h.selfHosted = groupSelfHosted(t)
	steps := []struct {
		name        string
		src         string
		sizes       map[string]int
		wantMembers string
		wantChanges string
	}{
		{"create at desired", groupBlueprint(1, 4, 2), nil, "web-0 web-1",
			"mock_thing.lb=create module.machine_group:web.mock_thing.member[0]=create module.machine_group:web.mock_thing.member[1]=create module.machine_group:web.std_group_size.this=create"},
		{"same blueprint: nothing to do", groupBlueprint(1, 4, 2), nil, "web-0 web-1", ""},
		{"override scales out", groupBlueprint(1, 4, 2), map[string]int{"machine_group.web": 3}, "web-0 web-1 web-2",
			"mock_thing.lb=update module.machine_group:web.mock_thing.member[2]=create module.machine_group:web.std_group_size.this=update"},
		{"a later apply keeps the override", groupBlueprint(1, 4, 2), nil, "web-0 web-1 web-2", ""},
		{"override is clamped to max", groupBlueprint(1, 4, 2), map[string]int{"machine_group.web": 9}, "web-0 web-1 web-2 web-3",
			"mock_thing.lb=update module.machine_group:web.mock_thing.member[3]=create module.machine_group:web.std_group_size.this=update"},
		{"a lower max shrinks from the highest index", groupBlueprint(1, 2, 2), nil, "web-0 web-1",
			"mock_thing.lb=update module.machine_group:web.mock_thing.member[2]=delete module.machine_group:web.mock_thing.member[3]=delete module.machine_group:web.std_group_size.this=update"},
		{"a changed desired takes over", groupBlueprint(1, 4, 1), nil, "web-0",
			"mock_thing.lb=update module.machine_group:web.mock_thing.member[1]=delete module.machine_group:web.std_group_size.this=update"},
		{"override is clamped to min", groupBlueprint(1, 4, 1), map[string]int{"machine_group.web": 0}, "web-0",
			"module.machine_group:web.std_group_size.this=update"},
	}
	for _, st := range steps {
		p := mustGroupApply(h, st.src, engine.PlanOptions{GroupSizes: st.sizes})
		if got := actions(p); got != st.wantChanges {
			t.Errorf("%s: plan\n got %s\nwant %s", st.name, got, st.wantChanges)
		}
		if got := members(h); got != st.wantMembers {
			t.Fatalf("%s: members %q, want %q", st.name, got, st.wantMembers)
		}
		lb := h.object("mock_thing.lb").Value.GetAttr("value").AsString()
		if n := len(strings.Split(lb, ",")); n != len(strings.Fields(st.wantMembers)) {
			t.Errorf("%s: load balancer targets %q, want one per member", st.name, lb)
		}
		if out := h.state.Output("size"); out == nil || out.Value.AsBigFloat().String() != itoa(len(strings.Fields(st.wantMembers))) {
			t.Errorf("%s: output size = %v, want %d", st.name, out, len(strings.Fields(st.wantMembers)))
		}
	}
}

func TestMachineGroupSizeErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sizes map[string]int
		want  string
	}{
		{"unknown group", map[string]int{"machine_group.api": 3}, "A size was given for machine_group.api"},
		{"negative", map[string]int{"machine_group.web": -1}, "give a whole number from 0 up"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.selfHosted = groupSelfHosted(t)
			_, diags := groupApply(h, groupBlueprint(1, 3, 2), engine.PlanOptions{GroupSizes: tc.sizes})
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("diagnostics = %v, want one containing %q", diags, tc.want)
			}
		})
	}
}

const groupRolesBlueprint = `
blueprint {
  required_providers {
    mock = { source = "builtin/mock" }
  }
}
locals { greeting = "hello" }
role "app" {
  file "/etc/motd" { content = "${local.greeting} from ${host.name}" }
}
resource "machine_group" "web" {
  roles   = [role.app]
  min     = 1
  max     = 4
  desired = 2
}
`

// A group's roles are converged on its members by a configure block bp
// declares beside the group, whose roles see the declaring module.
func TestMachineGroupRoles(t *testing.T) {
	h := newHarness(t)
	h.selfHosted = groupSelfHosted(t)
	fh := newFakeHosts()
	h.hosts = fh
	mustGroupApply(h, groupRolesBlueprint, engine.PlanOptions{})
	var hosts []string
	for _, r := range fh.requests {
		if r.Check {
			continue
		}
		for _, host := range r.Hosts {
			hosts = append(hosts, host.Address)
		}
	}
	slices.Sort(hosts)
	want := []string{h.id("module.machine_group:web.mock_thing.member[0]"), h.id("module.machine_group:web.mock_thing.member[1]")}
	slices.Sort(want)
	if !slices.Equal(hosts, want) {
		t.Fatalf("converged hosts %v, want the members %v", hosts, want)
	}
	for host, res := range fh.desired {
		if len(res) != 1 || !strings.HasPrefix(res[0].Attrs["content"].(string), "hello from ") {
			t.Errorf("host %s desired %+v, want the app role's motd with the root's local", host, res)
		}
	}

	// A plan shows the group's configure block for a new member.
	p, diags := func() (*plan.Plan, hcl.Diagnostics) {
		h.write(groupRolesBlueprint)
		return groupPlan(h, engine.PlanOptions{GroupSizes: map[string]int{"machine_group.web": 3}})
	}()
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var pending []string
	for _, hc := range p.HostChanges {
		if hc.Configure != "configure.machine_group:web" {
			t.Errorf("host change of %s, want configure.machine_group:web", hc.Configure)
		}
		if hc.Pending {
			pending = append(pending, hc.Host)
		}
	}
	if len(p.HostChanges) != 3 || len(pending) != 1 {
		t.Errorf("host changes %+v, want 3 of which one pending (the new member)", p.HostChanges)
	}
	// Members are named by their instance addresses in the group's module.
	var named []string
	for _, hc := range p.HostChanges {
		if !hc.Pending {
			named = append(named, hc.Host)
		}
	}
	slices.Sort(named)
	if want := []string{"module.machine_group:web.mock_thing.member[0]", "module.machine_group:web.mock_thing.member[1]"}; !slices.Equal(named, want) {
		t.Errorf("members named %v, want %v", named, want)
	}
}

// groupPlan plans the blueprint in h.dir.
func groupPlan(h *harness, opts engine.PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	l := blueprint.NewLoader()
	cfg, diags := l.LoadDir(h.dir)
	if diags.HasErrors() {
		return nil, diags
	}
	e := engine.New(engine.Options{
		Config: cfg, Providers: &stdAndMock{mockResolver{t: h.t, mock: h.mock}}, Hosts: h.hosts, SelfHosted: h.selfHosted,
	})
	defer e.Close()
	return e.Plan(context.Background(), h.state.DeepCopy(), opts)
}

func TestMachineGroupRoleErrors(t *testing.T) {
	for _, tc := range []struct {
		name, roles, want string
	}{
		{"undeclared role", "[role.ap]", `There is no role "ap" in this module. Did you mean "app"?`},
		{"not a role", "[local.x]", "roles takes references to role blocks"},
		{"quoted", `["role.app"]`, "must be a bare reference"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.selfHosted = groupSelfHosted(t)
			src := strings.Replace(groupRolesBlueprint, "[role.app]", tc.roles, 1)
			_, diags := groupApply(h, src, engine.PlanOptions{})
			found := false
			for _, d := range diags {
				found = found || (d.Severity == hcl.DiagError && strings.Contains(d.Summary+": "+d.Detail, tc.want))
			}
			if !found {
				t.Fatalf("diagnostics = %v, want one containing %q", diags, tc.want)
			}
		})
	}
}

// recordingHosts converges like fakeHosts and records, at each apply
// converge, which mock things exist.
type recordingHosts struct {
	*fakeHosts
	h    *harness
	mu   sync.Mutex
	seen [][]string
	// delay is how long a converge takes before the recording.
	delay time.Duration
}

func (r *recordingHosts) ConfigureHosts(ctx context.Context, req engine.ConfigureHostsRequest) []engine.HostOutcome {
	if !req.Check {
		time.Sleep(r.delay)
		r.mu.Lock()
		r.seen = append(r.seen, r.h.mock.ObjectIDs("mock_thing"))
		r.mu.Unlock()
	}
	return r.fakeHosts.ConfigureHosts(ctx, req)
}

const groupBehindBalancer = `
blueprint {
  required_providers {
    mock = { source = "builtin/mock" }
  }
}
resource "machine_group" "web" {
  min     = 1
  max     = 4
  desired = 3
}
role "balancer" {
  file "/etc/targets" { content = join(",", resource.machine_group.web.members) }
}
configure "lb" {
  hosts = [{ name = "lb", address = "10.9.9.9" }]
  roles = [role.balancer]
}
`

// Scaling in takes a member out of the configure blocks that use it (the
// load balancer) before the member is deleted.
func TestMachineGroupScaleInReconfiguresFirst(t *testing.T) {
	h := newHarness(t)
	h.selfHosted = groupSelfHosted(t)
	rh := &recordingHosts{fakeHosts: newFakeHosts(), h: h}
	h.hosts = rh
	mustGroupApply(h, groupBehindBalancer, engine.PlanOptions{})
	gone := h.id("module.machine_group:web.mock_thing.member[2]")
	rh.seen = nil
	mustGroupApply(h, groupBehindBalancer, engine.PlanOptions{GroupSizes: map[string]int{"machine_group.web": 2}})
	targets := fmt.Sprint(rh.lastDesired("host[0]")["balancer/file./etc/targets"].Attrs["content"])
	if strings.Contains(targets, gone) || len(strings.Split(targets, ",")) != 2 {
		t.Fatalf("load balancer targets %q, want the two members left, without %s", targets, gone)
	}
	if len(rh.seen) == 0 || !slices.Contains(rh.seen[0], gone) {
		t.Fatalf("member %s was deleted before the load balancer was reconfigured (things at converge: %v)", gone, rh.seen)
	}
	if _, exists := h.mock.Object("mock_thing", gone); exists {
		t.Errorf("member %s still exists after the apply", gone)
	}
}

const groupJoinsAfterConverge = `
blueprint {
  required_providers {
    mock = { source = "builtin/mock" }
  }
}
role "app" {
  file "/etc/motd" { content = "member ${host.name}" }
}
resource "machine_group" "web" {
  roles   = [role.app]
  min     = 1
  max     = 4
  desired = 2
}
resource "mock_thing" "lb" {
  name  = "lb"
  value = join(",", resource.machine_group.web.members)
}
`

// What refers to a group's members (a load balancer) waits until the
// members are converged; where the group's roles read that resource, the
// wait is left out rather than closing a cycle.
func TestMachineGroupJoinsAfterConverge(t *testing.T) {
	t.Run("waits", func(t *testing.T) {
		h := newHarness(t)
		h.selfHosted = groupSelfHosted(t)
		// A slow converge: what does not wait for it is created meanwhile.
		rh := &recordingHosts{fakeHosts: newFakeHosts(), h: h, delay: 50 * time.Millisecond}
		h.hosts = rh
		mustGroupApply(h, groupJoinsAfterConverge, engine.PlanOptions{})
		lb := h.id("mock_thing.lb")
		if len(rh.seen) != 1 {
			t.Fatalf("%d converges, want 1 (the group's)", len(rh.seen))
		}
		if slices.Contains(rh.seen[0], lb) || len(rh.seen[0]) != 2 {
			t.Fatalf("at the members' converge the mock things were %v: want the 2 members and not yet %s", rh.seen[0], lb)
		}
	})
	t.Run("role reads the consumer", func(t *testing.T) {
		h := newHarness(t)
		h.selfHosted = groupSelfHosted(t)
		h.hosts = newFakeHosts()
		src := strings.Replace(groupJoinsAfterConverge, `"member ${host.name}"`, `"behind ${resource.mock_thing.lb.value}"`, 1)
		mustGroupApply(h, src, engine.PlanOptions{})
	})
}
