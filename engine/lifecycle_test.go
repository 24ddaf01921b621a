package engine_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers/mock"
)

func TestApplyReplaceOrdering(t *testing.T) {
	tests := []struct {
		name      string
		lifecycle string
		action    plan.Action
		// first is the call that must come before the other.
		first, then string
	}{
		{name: "delete then create", action: plan.DeleteThenCreate, first: "delete:old", then: "create:new"},
		{name: "create before destroy", lifecycle: "lifecycle { create_before_destroy = true }",
			action: plan.CreateThenDelete, first: "create:new", then: "delete:old"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			src := func(name string) string {
				return `
resource "mock_thing" "t" {
  name = "` + name + `"
  ` + tc.lifecycle + `
}
resource "mock_thing" "user" {
  name  = "user"
  value = mock_thing.t.id
}`
			}
			h.mustApply(src("old"))
			oldID := h.id("mock_thing.t")
			h.mock.ResetCalls()
			p := h.mustApply(src("new"))
			if c := change(p, "mock_thing.t"); c.Action != tc.action {
				t.Fatalf("action = %s, want %s", c.Action, tc.action)
			}
			log := applyLog(h.mock)
			if indexOf(t, log, tc.first) > indexOf(t, log, tc.then) {
				t.Errorf("want %s before %s: %q", tc.first, tc.then, log)
			}
			if indexOf(t, log, "create:new") > indexOf(t, log, "update:user") {
				t.Errorf("dependent updated before its dependency was replaced: %q", log)
			}
			if _, ok := h.mock.Object("mock_thing", oldID); ok {
				t.Errorf("old object %s still exists", oldID)
			}
			inst := h.state.Instance(mustAddr(t, "mock_thing.t"))
			if inst == nil || len(inst.Deposed) != 0 || inst.Current == nil || str(inst.Current.Value, "name") != "new" {
				t.Errorf("state after replace: %+v", inst)
			}
			if got := str(h.object("mock_thing.user").Value, "value"); got != h.id("mock_thing.t") {
				t.Errorf("user.value = %q, want the new id %q", got, h.id("mock_thing.t"))
			}
		})
	}
}

func TestPlanPreventDestroy(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts engine.PlanOptions
	}{
		{name: "replace", src: `
resource "mock_thing" "vault" {
  name = "other"
  lifecycle { prevent_destroy = true }
}`},
		{name: "count decrease", src: `
resource "mock_thing" "vault" {
  count = 0
  name  = "vault"
  lifecycle { prevent_destroy = true }
}`},
		{name: "destroy", src: `
resource "mock_thing" "vault" {
  name = "vault"
  lifecycle { prevent_destroy = true }
}`, opts: engine.PlanOptions{Mode: plan.Destroy}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.mustApply(`
resource "mock_thing" "vault" {
  name = "vault"
  lifecycle { prevent_destroy = true }
}`)
			p, diags := h.plan(tc.src, tc.opts)
			if !diags.HasErrors() {
				t.Fatalf("plan succeeded: %s", summary(p))
			}
			d := diags.Errs()[0].Error()
			if !strings.Contains(d, "mock_thing.vault") || !strings.Contains(d, "prevent_destroy") {
				t.Errorf("error does not name the resource and the setting: %s", d)
			}
			if !p.Errored {
				t.Errorf("plan not marked Errored")
			}
		})
	}
}

func TestPlanIgnoreChanges(t *testing.T) {
	h := newHarness(t)
	h.mustApply(`
resource "mock_thing" "t" {
  name  = "t"
  value = "1"
  lifecycle { ignore_changes = [value] }
}`)
	p := h.mustPlan(`
resource "mock_thing" "t" {
  name  = "t"
  value = "2"
  lifecycle { ignore_changes = [value] }
}`, engine.PlanOptions{})
	if p.HasChanges() {
		t.Errorf("ignored attribute planned a change: %s", summary(p))
	}
	// Ignoring changes must also hold for drift.
	if err := h.mock.ModifyObject("mock_thing", h.id("mock_thing.t"), map[string]cty.Value{"value": cty.StringVal("outside")}); err != nil {
		t.Fatal(err)
	}
	p = h.mustPlan(`
resource "mock_thing" "t" {
  name  = "t"
  value = "1"
  lifecycle { ignore_changes = [value] }
}`, engine.PlanOptions{})
	if c := change(p, "mock_thing.t"); c.Action != plan.NoOp {
		t.Errorf("drift of an ignored attribute planned %s", c.Action)
	}
	if len(p.Drift) != 1 {
		t.Errorf("drift not reported: %d", len(p.Drift))
	}
}

func TestPlanMoved(t *testing.T) {
	h := newHarness(t)
	h.mustApply(`
resource "mock_thing" "old" { name = "a" }
resource "mock_thing" "list" {
  count = 1
  name  = "l"
}`)
	id, listID := h.id("mock_thing.old"), h.id("mock_thing.list[0]")
	h.mock.ResetCalls()
	src := `
resource "mock_thing" "new" { name = "a" }
resource "mock_thing" "map" {
  for_each = toset(["x"])
  name     = "l"
}
moved {
  from = mock_thing.old
  to   = mock_thing.new
}
moved {
  from = mock_thing.list[0]
  to   = mock_thing.map["x"]
}`
	p := h.mustPlan(src, engine.PlanOptions{})
	if p.HasChanges() {
		t.Fatalf("moved resources planned changes: %s", summary(p))
	}
	for addr, prev := range map[string]string{"mock_thing.new": "mock_thing.old", `mock_thing.map["x"]`: "mock_thing.list[0]"} {
		c := change(p, addr)
		if c == nil || c.PrevAddr == nil || c.PrevAddr.String() != prev {
			t.Errorf("%s PrevAddr = %v, want %s", addr, c, prev)
		}
	}
	h.mustApply(src)
	if got, want := h.addrs(), `mock_thing.map["x"] mock_thing.new`; got != want {
		t.Errorf("state: %s, want %s", got, want)
	}
	if h.id("mock_thing.new") != id || h.id(`mock_thing.map["x"]`) != listID {
		t.Errorf("moved objects changed identity")
	}
	if log := applyLog(h.mock); len(log) != 0 {
		t.Errorf("moving called apply: %q", log)
	}
}

func TestPlanImport(t *testing.T) {
	h := newHarness(t)
	if err := h.mock.SetObject("mock_thing", "ext-1", cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("ext"), "value": cty.StringVal("old"), "secret": cty.NullVal(cty.String), "id": cty.StringVal("ext-1"),
	})); err != nil {
		t.Fatal(err)
	}
	src := `
import {
  to = mock_thing.adopted
  id = "ext-1"
}
resource "mock_thing" "adopted" {
  name  = "ext"
  value = "new"
}`
	p := h.mustPlan(src, engine.PlanOptions{})
	c := change(p, "mock_thing.adopted")
	if c == nil || c.Action != plan.Update || c.ImportID != "ext-1" {
		t.Fatalf("import change = %+v", c)
	}
	h.mustApply(src)
	if h.id("mock_thing.adopted") != "ext-1" {
		t.Errorf("imported object has id %s", h.id("mock_thing.adopted"))
	}
	if v, _ := h.mock.Object("mock_thing", "ext-1"); str(v, "value") != "new" {
		t.Errorf("imported object not updated: %#v", v)
	}
	// Once imported, the import block is a no-op.
	if p := h.mustPlan(src, engine.PlanOptions{}); p.HasChanges() {
		t.Errorf("second plan: %s", summary(p))
	}

	_, diags := h.plan(`
import {
  to = mock_thing.missing
  id = "nope"
}
resource "mock_thing" "missing" { name = "m" }`, engine.PlanOptions{})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "nope") {
		t.Errorf("importing a missing object: %v", diags)
	}
}

func TestPlanDataSources(t *testing.T) {
	h := newHarness(t)
	src := `
data "mock_data" "known" { name = "k" }
resource "mock_thing" "t" {
  name  = "t"
  value = data.mock_data.known.value
}
data "mock_data" "later" { name = mock_thing.t.id }
resource "mock_thing" "u" {
  name  = "u"
  value = data.mock_data.later.value
}
output "later" { value = data.mock_data.later.value }`
	p := h.mustPlan(src, engine.PlanOptions{})
	if got := str(change(p, "mock_thing.t").After, "value"); got != "value-of-k" {
		t.Errorf("known data source was not read at plan: value = %q", got)
	}
	if c := change(p, "data.mock_data.later"); c == nil || c.Action != plan.Read {
		t.Fatalf("unknown config should defer the read to apply, got %+v", c)
	}
	if c := change(p, "data.mock_data.known"); c != nil && c.Action != plan.NoOp {
		t.Errorf("known data source planned %s", c.Action)
	}
	if v := change(p, "mock_thing.u").After.GetAttr("value"); v.IsKnown() {
		t.Errorf("u.value should be unknown at plan, got %#v", v)
	}
	reads := len(h.mock.CallsTo("ReadDataSource"))
	h.mustApply(src)
	if got := len(h.mock.CallsTo("ReadDataSource")) - reads; got != 2 {
		t.Errorf("apply run read data sources %d times, want 2 (plan of known, apply of later)", got)
	}
	tid := h.id("mock_thing.t")
	if got := str(h.object("mock_thing.u").Value, "value"); got != "value-of-"+tid {
		t.Errorf("u.value = %q, want value-of-%s", got, tid)
	}
	if o := h.state.Output("later"); o == nil || o.Value.AsString() != "value-of-"+tid {
		t.Errorf("output later = %+v", o)
	}
	if obj := h.object("data.mock_data.later"); obj == nil {
		t.Errorf("data source read at apply is not in state")
	}
	if p := h.mustPlan(src, engine.PlanOptions{}); p.HasChanges() {
		t.Errorf("second plan: %s", summary(p))
	}
}

func TestPlanOutputs(t *testing.T) {
	h := newHarness(t)
	src := func(v string) string {
		return `
resource "mock_thing" "t" {
  name  = "t"
  value = "` + v + `"
}
output "v" { value = mock_thing.t.value }
output "id" { value = mock_thing.t.id }
output "s" {
  value     = "secret-${mock_thing.t.value}"
  sensitive = true
}`
	}
	p := h.mustPlan(src("1"), engine.PlanOptions{})
	outs := map[string]*plan.OutputChange{}
	for _, o := range p.Outputs {
		outs[o.Name] = o
	}
	if o := outs["v"]; o == nil || o.Action != plan.Create || o.After.AsString() != "1" {
		t.Errorf("output v = %+v", o)
	}
	if o := outs["id"]; o == nil || o.After.IsKnown() {
		t.Errorf("output id should be unknown at plan: %+v", o)
	}
	if o := outs["s"]; o == nil || !o.Sensitive {
		t.Errorf("output s should be sensitive: %+v", o)
	}
	h.mustApply(src("1"))
	if o := h.state.Output("id"); o == nil || o.Value.AsString() != h.id("mock_thing.t") {
		t.Errorf("state output id = %+v", o)
	}
	if o := h.state.Output("s"); o == nil || !o.Sensitive {
		t.Errorf("state output s = %+v", o)
	}
	p = h.mustPlan(src("2"), engine.PlanOptions{})
	for _, o := range p.Outputs {
		want := plan.NoOp
		if o.Name == "v" || o.Name == "s" {
			want = plan.Update
		}
		if o.Action != want {
			t.Errorf("output %s action %s, want %s", o.Name, o.Action, want)
		}
	}
}

func TestModules(t *testing.T) {
	h := newHarness(t)
	src := `
module "web" {
  source = "./web"
  count  = 2
  tag    = "w${count.index}"
}
module "db" {
  source   = "./web"
  for_each = { a = "x", "b.c" = "y" }
  tag      = "${each.key}-${each.value}"
}
resource "mock_thing" "front" {
  name  = "front"
  value = join(",", module.web[*].id)
}
output "db" { value = module.db["b.c"].id }
-- web/main.bp.hcl --
variable "tag" { type = string }
resource "mock_thing" "m" {
  name  = var.tag
  value = "in-module"
}
output "id" { value = mock_thing.m.id }
`
	p := h.mustApply(src)
	want := `mock_thing.front=create module.db["a"].mock_thing.m=create module.db["b.c"].mock_thing.m=create module.web[0].mock_thing.m=create module.web[1].mock_thing.m=create`
	if got := summary(p); got != want {
		t.Errorf("plan:\n got %s\nwant %s", got, want)
	}
	if got := str(h.object(`module.web[1].mock_thing.m`).Value, "name"); got != "w1" {
		t.Errorf("web[1] name = %q", got)
	}
	front := str(h.object("mock_thing.front").Value, "value")
	if front != h.id("module.web[0].mock_thing.m")+","+h.id("module.web[1].mock_thing.m") {
		t.Errorf("front.value = %q", front)
	}
	if o := h.state.Output("db"); o == nil || o.Value.AsString() != h.id(`module.db["b.c"].mock_thing.m`) {
		t.Errorf("output db = %+v", o)
	}
	if p := h.mustPlan(src, engine.PlanOptions{}); p.HasChanges() {
		t.Errorf("second plan: %s", summary(p))
	}
	// Shrinking a module's count deletes the instance's resources.
	p = h.mustPlan(strings.Replace(src, "count  = 2", "count  = 1", 1), engine.PlanOptions{})
	if c := change(p, "module.web[1].mock_thing.m"); c == nil || c.Action != plan.Delete {
		t.Errorf("module.web[1] resource after count decrease: %+v", c)
	}
	// Removing a module call deletes its resources, quoted keys included.
	p = h.mustPlan(strings.Split(src, `module "db"`)[0]+"\n-- web/main.bp.hcl --"+strings.Split(src, "-- web/main.bp.hcl --")[1], engine.PlanOptions{})
	for _, a := range []string{`module.db["a"].mock_thing.m`, `module.db["b.c"].mock_thing.m`} {
		if c := change(p, a); c == nil || c.Action != plan.Delete {
			t.Errorf("%s after removing the call: %+v", a, c)
		}
	}
}

func mustAddr(t *testing.T, s string) state.InstanceAddr {
	t.Helper()
	a, err := state.ParseInstanceAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCreateBeforeDestroyIsForcedOntoDependencies(t *testing.T) {
	h := newHarness(t)
	src := func(base string) string {
		return `
resource "mock_thing" "base" { name = "` + base + `" }
locals { base = mock_thing.base.id }
resource "mock_thing" "front" {
  name  = "front-${local.base}"
  lifecycle { create_before_destroy = true }
}`
	}
	h.mustApply(src("b1"))
	h.mock.ResetCalls()
	p := h.mustApply(src("b2"))
	for _, addr := range []string{"mock_thing.base", "mock_thing.front"} {
		if c := change(p, addr); c.Action != plan.CreateThenDelete {
			t.Errorf("%s: %s, want %s", addr, c.Action, plan.CreateThenDelete)
		}
	}
	log := applyLog(h.mock)
	if indexOf(t, log, "create:b2") > indexOf(t, log, "delete:b1") {
		t.Errorf("base deleted before its replacement was created: %q", log)
	}
	if got := len(h.mock.ObjectIDs("mock_thing")); got != 2 {
		t.Errorf("provider holds %d objects, want 2", got)
	}
}

func TestPlanInterrupted(t *testing.T) {
	h := newHarness(t)
	src := `
resource "mock_thing" "c" {
  count = 6
  name  = "c${count.index}"
}`
	h.mustApply(src)
	h.parallelism = 1
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reads atomic.Int32
	h.mock.SetHook(func(_ context.Context, call mock.Call) error {
		if call.Method == mock.MethodReadResource && reads.Add(1) == 2 {
			cancel()
		}
		return nil
	})
	p, diags := h.engine(src).Plan(ctx, h.state, engine.PlanOptions{})
	if !p.Errored || !strings.Contains(diags.Error(), "Interrupted") {
		t.Fatalf("want an errored plan with an Interrupted diagnostic: %v", diags)
	}
	if n := reads.Load(); n != 2 {
		t.Errorf("%d refreshes ran, want 2 (nothing after the interrupt)", n)
	}
}

func TestGraphDOT(t *testing.T) {
	h := newHarness(t)
	dot, diags := h.engine(`
resource "mock_thing" "a" { name = "a" }
resource "mock_thing" "b" {
  name  = "b"
  value = mock_thing.a.id
}`).GraphDOT(context.Background(), nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if !strings.Contains(dot, `"mock_thing.b" -> "mock_thing.a"`) {
		t.Errorf("DOT lacks the edge b -> a:\n%s", dot)
	}
}
