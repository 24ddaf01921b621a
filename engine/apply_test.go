package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/mock"
)

func TestRefreshDrift(t *testing.T) {
	src := `
resource "mock_thing" "mod" {
  name  = "mod"
  value = "want"
}
resource "mock_thing" "del" { name = "del" }
resource "mock_thing" "same" { name = "same" }`
	tests := []struct {
		name      string
		opts      engine.PlanOptions
		wantDrift string
		wantPlan  string
	}{
		{name: "refresh", wantDrift: "mock_thing.del=delete mock_thing.mod=update",
			wantPlan: "mock_thing.del=create mock_thing.mod=update"},
		{name: "no refresh", opts: engine.PlanOptions{SkipRefresh: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.mustApply(src)
			if err := h.mock.ModifyObject("mock_thing", h.id("mock_thing.mod"), map[string]cty.Value{"value": cty.StringVal("outside")}); err != nil {
				t.Fatal(err)
			}
			h.mock.DeleteObject("mock_thing", h.id("mock_thing.del"))
			h.mock.ResetCalls()
			p := h.mustPlan(src, tc.opts)
			var drift []string
			for _, c := range p.Drift {
				drift = append(drift, c.Addr.String()+"="+string(c.Action))
				if c.Reason == "" {
					t.Errorf("drift of %s has no reason", c.Addr)
				}
			}
			if got := strings.Join(drift, " "); got != tc.wantDrift {
				t.Errorf("drift:\n got %s\nwant %s", got, tc.wantDrift)
			}
			if got := summary(p); got != tc.wantPlan {
				t.Errorf("plan:\n got %s\nwant %s", got, tc.wantPlan)
			}
			reads := len(h.mock.CallsTo(mock.MethodReadResource))
			if tc.opts.SkipRefresh && reads != 0 {
				t.Errorf("-refresh=false read %d objects", reads)
			}
			if !tc.opts.SkipRefresh && reads != 3 {
				t.Errorf("refresh read %d objects, want 3", reads)
			}
		})
	}
}

func TestRefreshOnly(t *testing.T) {
	h := newHarness(t)
	src := `
resource "mock_thing" "t" {
  name  = "t"
  value = "want"
}
resource "mock_thing" "new" { name = "new" }`
	h.mustApply(`
resource "mock_thing" "t" {
  name  = "t"
  value = "want"
}`)
	if err := h.mock.ModifyObject("mock_thing", h.id("mock_thing.t"), map[string]cty.Value{"value": cty.StringVal("outside")}); err != nil {
		t.Fatal(err)
	}
	h.mock.ResetCalls()
	p, diags := h.apply(context.Background(), src, engine.PlanOptions{Mode: plan.RefreshOnly})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if len(p.Changes) != 0 || len(p.Drift) != 1 || !p.HasChanges() {
		t.Fatalf("refresh-only plan: changes %s, drift %d", summary(p), len(p.Drift))
	}
	if log := applyLog(h.mock); len(log) != 0 {
		t.Errorf("refresh-only apply changed objects: %q", log)
	}
	if got := str(h.object("mock_thing.t").Value, "value"); got != "outside" {
		t.Errorf("state not refreshed: value = %q", got)
	}
	if h.object("mock_thing.new") != nil {
		t.Errorf("refresh-only apply created an object")
	}
}

func TestApplyFailure(t *testing.T) {
	h := newHarness(t)
	h.mock.FailApply("mock_thing", "bad", errors.New("quota exceeded"))
	src := `
resource "mock_thing" "bad" { name = "bad" }
resource "mock_thing" "child" {
  name  = "child"
  value = mock_thing.bad.id
}
resource "mock_thing" "grandchild" {
  name  = "grandchild"
  value = mock_thing.child.id
}
resource "mock_thing" "free" {
  count = 3
  name  = "free${count.index}"
}
output "bad" { value = mock_thing.bad.id }
output "free" { value = mock_thing.free[0].id }`
	_, diags := h.apply(context.Background(), src, engine.PlanOptions{})
	if !diags.HasErrors() {
		t.Fatal("apply succeeded")
	}
	errs := diags.Errs()
	if len(errs) != 1 {
		t.Errorf("want one error (the failure, not its skipped dependents), got %d: %s", len(errs), diags.Error())
	}
	msg := diags.Error()
	if !strings.Contains(msg, "quota exceeded") || !strings.Contains(msg, "mock_thing.bad") {
		t.Errorf("diagnostic does not name the failed resource and the cause: %s", msg)
	}
	if got, want := h.addrs(), "mock_thing.free[0] mock_thing.free[1] mock_thing.free[2]"; got != want {
		t.Errorf("state: %s, want %s", got, want)
	}
	if log := strings.Join(applyLog(h.mock), " "); strings.Contains(log, "child") {
		t.Errorf("dependents of the failure were applied: %s", log)
	}
	if len(h.mock.ObjectIDs("mock_thing")) != 3 {
		t.Errorf("provider objects: %v", h.mock.ObjectIDs("mock_thing"))
	}
	if o := h.state.Output("free"); o == nil {
		t.Errorf("output of the independent branch not saved")
	}
	// The next plan picks up where the failed apply stopped.
	h.mock.FailApply("mock_thing", "bad", nil)
	p := h.mustApply(src)
	if got, want := summary(p), "mock_thing.bad=create mock_thing.child=create mock_thing.grandchild=create"; got != want {
		t.Errorf("retry plan:\n got %s\nwant %s", got, want)
	}
}

func TestApplyFailedCreateBeforeDestroyKeepsOldObject(t *testing.T) {
	h := newHarness(t)
	src := func(name string) string {
		return `
resource "mock_thing" "t" {
  name = "` + name + `"
  lifecycle { create_before_destroy = true }
}`
	}
	h.mustApply(src("old"))
	oldID := h.id("mock_thing.t")
	h.mock.FailApply("mock_thing", "new", errors.New("no capacity"))
	if _, diags := h.apply(context.Background(), src("new"), engine.PlanOptions{}); !diags.HasErrors() {
		t.Fatal("apply succeeded")
	}
	inst := h.state.Instance(mustAddr(t, "mock_thing.t"))
	if inst == nil || inst.Current == nil || len(inst.Deposed) != 0 || h.id("mock_thing.t") != oldID {
		t.Fatalf("the old object should be current again: %+v", inst)
	}
	if _, ok := h.mock.Object("mock_thing", oldID); !ok {
		t.Errorf("old object was deleted")
	}
	h.mock.FailApply("mock_thing", "new", nil)
	h.mustApply(src("new"))
	if _, ok := h.mock.Object("mock_thing", oldID); ok {
		t.Errorf("old object survived the retried replacement")
	}
}

func TestPlanDeposedLeftOver(t *testing.T) {
	h := newHarness(t)
	src := `resource "mock_thing" "t" { name = "t" }`
	h.mustApply(src)
	// Simulate a crash between the create and the delete of a
	// create_before_destroy replacement: the old object is deposed.
	oldID := h.id("mock_thing.t")
	addr := mustAddr(t, "mock_thing.t")
	key := h.state.Depose(addr)
	h.mustApply(`resource "mock_thing" "t" { name = "t" }`)
	if inst := h.state.Instance(addr); inst == nil || len(inst.Deposed) != 0 || inst.Current == nil {
		t.Fatalf("deposed %s not cleaned up: %+v", key, inst)
	}
	if _, ok := h.mock.Object("mock_thing", oldID); ok {
		t.Errorf("deposed object not deleted")
	}
}

func TestPlanTaintedIsReplaced(t *testing.T) {
	h := newHarness(t)
	src := `resource "mock_thing" "t" { name = "t" }`
	h.mustApply(src)
	obj := h.object("mock_thing.t").DeepCopy()
	obj.Status = state.Tainted
	h.state.SetInstance(mustAddr(t, "mock_thing.t"), "provider.mock", obj)
	p := h.mustPlan(src, engine.PlanOptions{})
	if c := change(p, "mock_thing.t"); c.Action != plan.DeleteThenCreate || !strings.Contains(c.Reason, "tainted") {
		t.Fatalf("tainted object: %+v", c)
	}
}

func TestParallelism(t *testing.T) {
	tests := []struct {
		name        string
		parallelism int
		src         string
	}{
		{name: "count", parallelism: 3, src: `
resource "mock_thing" "c" {
  count = 12
  name  = "c${count.index}"
}`},
		{name: "separate resources and data", parallelism: 4, src: `
resource "mock_thing" "a" { name = "a" }
resource "mock_thing" "b" { name = "b" }
resource "mock_thing" "c" { name = "c" }
resource "mock_thing" "d" { name = "d" }
resource "mock_thing" "e" {
  for_each = toset(["1", "2", "3", "4", "5"])
  name     = "e${each.key}"
}
data "mock_data" "x" {
  count = 6
  name  = "x${count.index}"
}`},
		{name: "one at a time", parallelism: 1, src: `
resource "mock_thing" "c" {
  count = 4
  name  = "c${count.index}"
}
resource "mock_thing" "d" { name = "d" }`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.parallelism = tc.parallelism
			h.mock.SetDelay(20 * time.Millisecond)
			h.mustApply(tc.src)
			if got := h.mock.MaxConcurrent(); got != tc.parallelism {
				t.Errorf("max concurrent calls = %d, want %d", got, tc.parallelism)
			}
			// Delete everything, with refresh: the limit holds there too.
			p, diags := h.apply(context.Background(), tc.src, engine.PlanOptions{Mode: plan.Destroy})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if got := h.mock.MaxConcurrent(); got != tc.parallelism {
				t.Errorf("after destroy (%d changes), max concurrent calls = %d, want %d", len(p.Changes), got, tc.parallelism)
			}
		})
	}
}

func TestApplyCancellation(t *testing.T) {
	h := newHarness(t)
	h.parallelism = 2
	src := `
resource "mock_thing" "c" {
  count = 10
  name  = "c${count.index}"
}
resource "mock_thing" "after" {
  name  = "after"
  value = mock_thing.c[9].id
}`
	e := h.engine(src)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p, diags := e.Plan(ctx, h.state, engine.PlanOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var started atomic.Int32
	h.mock.SetDelay(30 * time.Millisecond)
	h.mock.SetHook(func(_ context.Context, call mock.Call) error {
		if call.Method == mock.MethodApplyResourceChange {
			if started.Add(1) == 3 {
				cancel()
			}
		}
		return nil
	})
	sy := state.NewSync(h.state.DeepCopy(), &memBackend{})
	diags = e.Apply(ctx, p, sy)
	st := sy.Snapshot()
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "Interrupted") {
		t.Fatalf("want an Interrupted error, got %v", diags)
	}
	if n := strings.Count(diags.Error(), "Interrupted"); n != 1 {
		t.Errorf("interruption reported %d times: %s", n, diags.Error())
	}
	for _, d := range diags {
		if d.Summary != "Interrupted" {
			t.Errorf("unexpected diagnostic besides the interruption: %s: %s", d.Summary, d.Detail)
		}
	}
	// The calls in flight when ctx was cancelled finished; nothing new
	// started after it.
	calls := int(started.Load())
	if calls < 3 || calls > 4 {
		t.Errorf("%d applies started, want the 3rd to cancel and at most one more already in flight", calls)
	}
	if got := st.InstanceCount(); got != calls {
		t.Errorf("state holds %d objects, want the %d that were created", got, calls)
	}
	if got := len(h.mock.ObjectIDs("mock_thing")); got != calls {
		t.Errorf("provider holds %d objects, want %d", got, calls)
	}
	if st.Object(mustAddr(t, "mock_thing.after")) != nil {
		t.Errorf("a dependent was created after the interrupt")
	}
}

func TestDeleteOrdering(t *testing.T) {
	chain := `
resource "mock_thing" "a" { name = "a" }
resource "mock_thing" "b" {
  name  = "b"
  value = mock_thing.a.id
}
locals { b = mock_thing.b.id }
resource "mock_thing" "c" {
  count = 2
  name  = "c${count.index}"
  value = local.b
}`
	tests := []struct {
		name string
		// first is the blueprint applied first; chain when empty.
		first string
		// next is the blueprint applied after first, or "" for destroy.
		next string
		// order lists delete calls that must come in this order.
		order []string
	}{
		{name: "orphans by recorded dependencies", next: `resource "mock_thing" "other" { name = "other" }`,
			order: []string{"delete:c1", "delete:b", "delete:a"}},
		{name: "destroy", order: []string{"delete:c0", "delete:b", "delete:a"}},
		{name: "count decrease after its dependent's update", first: `
resource "mock_thing" "x" {
  count = 2
  name  = "x${count.index}"
}
resource "mock_thing" "y" {
  name  = "y"
  value = join(",", mock_thing.x[*].id)
}`, next: `
resource "mock_thing" "x" {
  count = 1
  name  = "x${count.index}"
}
resource "mock_thing" "y" {
  name  = "y"
  value = join(",", mock_thing.x[*].id)
}`, order: []string{"update:y", "delete:x1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			first := tc.first
			if first == "" {
				first = chain
			}
			h.mustApply(first)
			h.mock.ResetCalls()
			var diags interface{ HasErrors() bool }
			if tc.next == "" {
				_, d := h.apply(context.Background(), first, engine.PlanOptions{Mode: plan.Destroy})
				diags = d
			} else {
				_, d := h.apply(context.Background(), tc.next, engine.PlanOptions{})
				diags = d
			}
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			log := applyLog(h.mock)
			for i := 1; i < len(tc.order); i++ {
				if indexOf(t, log, tc.order[i-1]) > indexOf(t, log, tc.order[i]) {
					t.Errorf("want %s before %s: %q", tc.order[i-1], tc.order[i], log)
				}
			}
		})
	}
}

func TestDestroy(t *testing.T) {
	h := newHarness(t)
	src := `
resource "mock_thing" "a" { name = "a" }
module "m" {
  source = "./m"
  count  = 2
  in     = mock_thing.a.id
}
data "mock_data" "d" { name = "d" }
output "a" { value = mock_thing.a.id }
-- m/main.bp.hcl --
variable "in" { type = string }
resource "mock_thing" "inner" {
  name  = "inner-${var.in}"
}`
	h.mustApply(src)
	h.mock.ResetCalls()
	p, diags := h.apply(context.Background(), src, engine.PlanOptions{Mode: plan.Destroy})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got, want := summary(p), "mock_thing.a=delete module.m[0].mock_thing.inner=delete module.m[1].mock_thing.inner=delete"; got != want {
		t.Errorf("destroy plan:\n got %s\nwant %s", got, want)
	}
	if !h.state.Empty() || len(h.mock.ObjectIDs("mock_thing")) != 0 {
		t.Errorf("after destroy: state %q, objects %v", h.addrs(), h.mock.ObjectIDs("mock_thing"))
	}
	log := applyLog(h.mock)
	if indexOf(t, log, "delete:a") < len(log)-1 {
		t.Errorf("a was deleted before the module's resources that depend on it: %q", log)
	}
}

func TestApplyProviderResultChecks(t *testing.T) {
	h := newHarness(t)
	// A provider that applies a value other than the one it planned.
	liar := &lyingProvider{Provider: h.mock}
	e := h.engineWith(`resource "mock_thing" "t" {
  name  = "t"
  value = "planned"
}`, liar)
	p, diags := e.Plan(context.Background(), h.state, engine.PlanOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	sy := state.NewSync(h.state.DeepCopy(), &memBackend{})
	diags = e.Apply(context.Background(), p, sy)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "inconsistent result") {
		t.Fatalf("want an inconsistent-result error, got %v", diags)
	}
	if sy.Snapshot().Object(mustAddr(t, "mock_thing.t")) == nil {
		t.Errorf("the object the provider created is not in state")
	}
}

// lyingProvider changes value after apply.
type lyingProvider struct{ *mock.Provider }

func (p *lyingProvider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	resp := p.Provider.ApplyResourceChange(ctx, req)
	if !resp.NewState.IsNull() {
		m := resp.NewState.AsValueMap()
		m["value"] = cty.StringVal("surprise")
		resp.NewState = cty.ObjectVal(m)
	}
	return resp
}

func TestApplyFailureMessage(t *testing.T) {
	h := newHarness(t)
	h.mock.FailApply("mock_thing", "b1", errors.New("quota exceeded"))
	_, diags := h.apply(context.Background(), `
resource "mock_thing" "t" {
  count = 2
  name  = "b${count.index}"
}`, engine.PlanOptions{})
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	d := diags[0]
	if d.Subject == nil || d.Subject.Start.Line != 2 {
		t.Errorf("subject %v should be the resource block", d.Subject)
	}
	if !strings.Contains(d.Detail, "mock_thing.t[1]") || strings.Contains(d.Detail, "mock_thing.t[0]") {
		t.Errorf("detail should name the failed instance only: %s", d.Detail)
	}
	t.Logf("%s: %s", d.Summary, d.Detail)
}
