package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/mock"
)

// TestCreateRecordedBeforeProvider checks that the state holds a
// placeholder for an object while its provider creates it, and the real
// object afterwards.
func TestCreateRecordedBeforeProvider(t *testing.T) {
	tests := []struct {
		name string
		// first is applied before src, or "".
		first, src string
		addr       string
	}{
		{name: "create", src: `resource "mock_thing" "a" {
  name  = "a"
  value = "v"
}`, addr: "mock_thing.a"},
		{name: "replace", first: `resource "mock_thing" "a" {
  name  = "old"
  value = "v"
}`, src: `resource "mock_thing" "a" {
  name  = "a"
  value = "v"
}`, addr: "mock_thing.a"},
		{name: "create before destroy", first: `resource "mock_thing" "a" {
  name  = "old"
  value = "v"
  lifecycle { create_before_destroy = true }
}`, src: `resource "mock_thing" "a" {
  name  = "a"
  value = "v"
  lifecycle { create_before_destroy = true }
}`, addr: "mock_thing.a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			if tc.first != "" {
				h.mustApply(tc.first)
			}
			addr := mustAddr(t, tc.addr)
			e := h.engine(tc.src)
			ctx := context.Background()
			p, diags := e.Plan(ctx, h.state.DeepCopy(), engine.PlanOptions{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			backend := &memBackend{}
			var during *state.Object
			h.mock.SetHook(func(_ context.Context, call mock.Call) error {
				req, ok := call.Request.(providers.ApplyResourceChangeRequest)
				if !ok || !req.PriorState.IsNull() {
					return nil
				}
				s, _ := backend.Read(ctx)
				during = s.Object(addr)
				return nil
			})
			sy := state.NewSync(h.state.DeepCopy(), backend)
			if diags := e.Apply(ctx, p, sy); diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if during == nil {
				t.Fatalf("no object recorded for %s while the provider created it", addr)
			}
			if during.Status != state.Creating {
				t.Errorf("status while creating = %s, want creating", during.Status)
			}
			if got := str(during.Value, "name"); got != "a" {
				t.Errorf("placeholder name = %q, want the planned %q", got, "a")
			}
			if id := during.Value.GetAttr("id"); !id.IsNull() {
				t.Errorf("placeholder id = %#v, want null (unknown at plan time)", id)
			}
			after, _ := backend.Read(ctx)
			obj := after.Object(addr)
			if obj == nil || obj.Status != state.Ready || str(obj.Value, "id") == "?" {
				t.Fatalf("after apply %s = %+v, want a ready object with an id", addr, obj)
			}
		})
	}
}

// TestFailedCreateDropsPlaceholder checks that a create that made nothing
// leaves no placeholder, and that a create_before_destroy replacement
// gets its old object back.
func TestFailedCreateDropsPlaceholder(t *testing.T) {
	tests := []struct {
		name      string
		lifecycle string
		first     bool
		want      string // the addresses in state afterwards
	}{
		{name: "create", want: ""},
		{name: "replace", first: true, want: ""},
		{name: "create before destroy", lifecycle: "lifecycle { create_before_destroy = true }", first: true, want: "mock_thing.t"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			src := func(name string) string {
				return `resource "mock_thing" "t" {
  name = "` + name + `"
  ` + tc.lifecycle + `
}`
			}
			if tc.first {
				h.mustApply(src("old"))
			}
			h.mock.FailApply("mock_thing", "new", errors.New("no capacity"))
			if _, diags := h.apply(context.Background(), src("new"), engine.PlanOptions{}); !diags.HasErrors() {
				t.Fatal("apply succeeded")
			}
			if got := h.addrs(); got != tc.want {
				t.Fatalf("state holds %q, want %q", got, tc.want)
			}
			if obj := h.object("mock_thing.t"); obj != nil && (obj.Status != state.Ready || str(obj.Value, "name") != "old") {
				t.Errorf("object left = %s %#v, want the old ready object", obj.Status, obj.Value)
			}
		})
	}
}

// byName is the mock provider made to find a placeholder's object by name,
// as a provider whose objects have unique names can.
type byName struct {
	*session
	mock *mock.Provider
}

func (p *byName) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	if req.CurrentState.IsNull() || !req.CurrentState.GetAttr("id").IsNull() {
		return p.session.ReadResource(ctx, req)
	}
	for _, id := range p.mock.ObjectIDs(req.TypeName) {
		if obj, _ := p.mock.Object(req.TypeName, id); str(obj, "name") == str(req.CurrentState, "name") {
			attrs := req.CurrentState.AsValueMap()
			attrs["id"] = cty.StringVal(id)
			req.CurrentState = cty.ObjectVal(attrs)
			return p.session.ReadResource(ctx, req)
		}
	}
	return providers.ReadResourceResponse{NewState: cty.NullVal(req.CurrentState.Type())}
}

// interruptedCreate records in h's state a placeholder for mock_thing.NAME,
// as a crash during its create leaves it; when created, the provider holds
// the object.
func interruptedCreate(t *testing.T, h *harness, name string, created bool) {
	t.Helper()
	val := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal(name), "value": cty.StringVal("v"), "secret": cty.NullVal(cty.String), "id": cty.NullVal(cty.String),
	})
	h.state.SetInstance(mustAddr(t, "mock_thing."+name), "provider.mock", &state.Object{Value: val, Status: state.Creating})
	if created {
		full := cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(name), "value": cty.StringVal("v"), "secret": cty.NullVal(cty.String), "id": cty.StringVal("mock_thing-77"),
		})
		if err := h.mock.SetObject("mock_thing", "mock_thing-77", full); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPlanResolvesPlaceholder plans with a placeholder left by a crash:
// an object the provider finds is replaced, and a placeholder whose object
// was never created is dropped; with or without refresh, and also when the
// blueprint no longer declares it or everything is destroyed.
func TestPlanResolvesPlaceholder(t *testing.T) {
	const src = `resource "mock_thing" "t" {
  name  = "t"
  value = "v"
}`
	const other = `resource "mock_thing" "other" { name = "other" }`
	tests := []struct {
		name    string
		src     string
		created bool
		opts    engine.PlanOptions
		want    string // the plan's summary
		// left says whether mock_thing.t exists after the apply.
		left bool
	}{
		{name: "found", src: src, created: true, want: "mock_thing.t=delete-create", left: true},
		{name: "found without refresh", src: src, created: true, opts: engine.PlanOptions{SkipRefresh: true}, want: "mock_thing.t=delete-create", left: true},
		{name: "not created", src: src, want: "mock_thing.t=create", left: true},
		{name: "not created without refresh", src: src, opts: engine.PlanOptions{SkipRefresh: true}, want: "mock_thing.t=create", left: true},
		{name: "orphan found", src: other, created: true, want: "mock_thing.other=create mock_thing.t=delete"},
		{name: "orphan not created", src: other, want: "mock_thing.other=create"},
		{name: "destroy found", src: src, created: true, opts: engine.PlanOptions{Mode: plan.Destroy}, want: "mock_thing.t=delete"},
		{name: "destroy not created", src: src, opts: engine.PlanOptions{Mode: plan.Destroy}, want: "mock_thing.t=delete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			interruptedCreate(t, h, "t", tc.created)
			prov := &byName{session: &session{Provider: h.mock, t: t}, mock: h.mock}
			e := h.engineWith(tc.src, prov)
			ctx := context.Background()
			p, diags := e.Plan(ctx, h.state.DeepCopy(), tc.opts)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if got := summary(p); got != tc.want {
				t.Fatalf("plan:\n got %s\nwant %s", got, tc.want)
			}
			if len(p.Drift) > 0 {
				t.Errorf("resolving a placeholder is no drift: %+v", p.Drift[0])
			}
			if c := change(p, "mock_thing.t"); c != nil && c.Action == plan.DeleteThenCreate && !strings.Contains(c.Reason, "interrupted") {
				t.Errorf("reason = %q, want one saying an apply was interrupted", c.Reason)
			}
			if tc.opts.Mode != plan.Destroy {
				if obj := p.PriorState.Object(mustAddr(t, "mock_thing.t")); obj != nil && obj.Status == state.Creating {
					t.Errorf("the plan's prior state still holds the placeholder")
				}
			}
			backend := &memBackend{}
			sy := state.NewSync(h.state.DeepCopy(), backend)
			if diags := e.Apply(ctx, p, sy); diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			st := sy.Snapshot()
			obj := st.Object(mustAddr(t, "mock_thing.t"))
			if tc.left != (obj != nil) || (obj != nil && obj.Status != state.Ready) {
				t.Errorf("after apply the state holds %+v, want an object: %v", obj, tc.left)
			}
			if _, found := h.mock.Object("mock_thing", "mock_thing-77"); found {
				t.Errorf("the object of the interrupted create was not deleted")
			}
			for _, id := range h.mock.ObjectIDs("mock_thing") {
				if obj, _ := h.mock.Object("mock_thing", id); str(obj, "name") == "t" && !tc.left {
					t.Errorf("the provider still holds %s", id)
				}
			}
		})
	}
}

// TestPlaceholderReadError explains what to do when the provider cannot
// tell whether an interrupted create happened.
func TestPlaceholderReadError(t *testing.T) {
	h := newHarness(t)
	interruptedCreate(t, h, "t", false)
	h.mock.SetHook(func(_ context.Context, call mock.Call) error {
		if call.Method == mock.MethodReadResource {
			return errors.New("API unreachable")
		}
		return nil
	})
	_, diags := h.plan(`resource "mock_thing" "t" { name = "t" }`, engine.PlanOptions{})
	if !diags.HasErrors() {
		t.Fatal("plan succeeded")
	}
	var all strings.Builder
	for _, d := range diags {
		all.WriteString(d.Summary + ": " + d.Detail + "\n")
	}
	for _, want := range []string{"API unreachable", "interrupted while creating mock_thing.t", "bp state rm mock_thing.t"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("diagnostics do not say %q:\n%s", want, all.String())
		}
	}
}
