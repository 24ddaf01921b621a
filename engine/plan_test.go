package engine_test

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
)

func TestPlanReferenceEdges(t *testing.T) {
	h := newHarness(t)
	src := `
locals { prefix = "p-${mock_thing.base.id}" }
resource "mock_thing" "base" { name = "base" }
resource "mock_thing" "via_local" {
  name  = "via-local"
  value = local.prefix
}
resource "mock_thing" "via_module" {
  name  = "via-module"
  value = module.m.out
}
resource "mock_thing" "after" {
  name       = "after"
  depends_on = [mock_thing.via_module]
}
module "m" {
  source = "./m"
  in     = mock_thing.base.id
}
-- m/main.bp.hcl --
variable "in" { type = string }
resource "mock_thing" "inner" {
  name  = "inner"
  value = var.in
}
output "out" { value = mock_thing.inner.id }
`
	h.mustApply(src)
	log := applyLog(h.mock)
	before := func(a, b string) {
		t.Helper()
		if indexOf(t, log, "create:"+a) > indexOf(t, log, "create:"+b) {
			t.Errorf("%s was created after %s: %q", a, b, log)
		}
	}
	before("base", "via-local")   // through a local
	before("base", "inner")       // through a module variable
	before("inner", "via-module") // through a module output
	before("via-module", "after") // depends_on
	if got, want := str(h.object("mock_thing.via_local").Value, "value"), "p-"+h.id("mock_thing.base"); got != want {
		t.Errorf("via_local.value = %q, want %q", got, want)
	}
	if got, want := str(h.object("mock_thing.via_module").Value, "value"), h.id("module.m.mock_thing.inner"); got != want {
		t.Errorf("via_module.value = %q, want %q", got, want)
	}
	if p := h.mustPlan(src, engine.PlanOptions{}); p.HasChanges() {
		t.Errorf("second plan has changes: %s", summary(p))
	}
}

func TestPlanDependencyCycle(t *testing.T) {
	h := newHarness(t)
	_, diags := h.plan(`
resource "mock_thing" "a" {
  name  = "a"
  value = mock_thing.c.id
}
resource "mock_thing" "b" {
  name  = "b"
  value = local.from_a
}
locals { from_a = mock_thing.a.id }
resource "mock_thing" "c" {
  name  = "c"
  value = mock_thing.b.id
}
resource "mock_thing" "free" { name = "free" }
`, engine.PlanOptions{})
	var cycles []string
	for _, d := range diags {
		if d.Summary == "Dependency cycle" {
			cycles = append(cycles, d.Detail)
			if d.Subject == nil {
				t.Errorf("cycle diagnostic has no subject")
			}
		}
	}
	if len(cycles) != 1 {
		t.Fatalf("want one cycle diagnostic, got %d: %s", len(cycles), diags.Error())
	}
	for _, member := range []string{"mock_thing.a (", "mock_thing.b (", "mock_thing.c (", "local.from_a ("} {
		if !strings.Contains(cycles[0], member) {
			t.Errorf("cycle detail does not name %q with its range: %s", member, cycles[0])
		}
	}
	if strings.Contains(cycles[0], "free") {
		t.Errorf("cycle names a resource outside it: %s", cycles[0])
	}
	if !strings.Contains(cycles[0], "main.bp.hcl:2,1") {
		t.Errorf("cycle detail lacks file:line,col ranges: %s", cycles[0])
	}
}

func TestPlanCountExpansion(t *testing.T) {
	h := newHarness(t)
	src := func(n string) string {
		return `
variable "n" { type = number }
resource "mock_thing" "c" {
  count = var.n
  name  = "c${count.index}"
}
`
	}
	h.vars = map[string]string{"n": "3"}
	p := h.mustApply(src(""))
	if got, want := summary(p), "mock_thing.c[0]=create mock_thing.c[1]=create mock_thing.c[2]=create"; got != want {
		t.Fatalf("create:\n got %s\nwant %s", got, want)
	}
	h.vars = map[string]string{"n": "1"}
	p = h.mustPlan(src(""), engine.PlanOptions{})
	if got, want := summary(p), "mock_thing.c[1]=delete mock_thing.c[2]=delete"; got != want {
		t.Fatalf("decrease:\n got %s\nwant %s", got, want)
	}
	for _, a := range []string{"mock_thing.c[1]", "mock_thing.c[2]"} {
		if c := change(p, a); c.Reason == "" || !strings.Contains(c.Reason, "count") {
			t.Errorf("%s delete reason = %q, want one about count", a, c.Reason)
		}
	}
	h.mustApply(src(""))
	if got, want := h.addrs(), "mock_thing.c[0]"; got != want {
		t.Fatalf("state after decrease: %s", got)
	}
	if ids := h.mock.ObjectIDs("mock_thing"); len(ids) != 1 {
		t.Fatalf("provider holds %d objects, want 1", len(ids))
	}
}

func TestPlanForEachKeyChange(t *testing.T) {
	h := newHarness(t)
	src := func(keys string) string {
		return `
resource "mock_thing" "e" {
  for_each = toset([` + keys + `])
  name     = each.key
  value    = "v-${each.value}"
}
`
	}
	h.mustApply(src(`"a", "b"`))
	if got, want := h.addrs(), `mock_thing.e["a"] mock_thing.e["b"]`; got != want {
		t.Fatalf("state: %s", got)
	}
	p := h.mustPlan(src(`"b", "c"`), engine.PlanOptions{})
	if got, want := summary(p), `mock_thing.e["a"]=delete mock_thing.e["c"]=create`; got != want {
		t.Fatalf("key change:\n got %s\nwant %s", got, want)
	}
	if c := change(p, `mock_thing.e["a"]`); !strings.Contains(c.Reason, "for_each") {
		t.Errorf("delete reason = %q, want one about for_each", c.Reason)
	}
	if c := change(p, `mock_thing.e["b"]`); c == nil || c.Action != plan.NoOp {
		t.Errorf(`mock_thing.e["b"] should be a no-op, got %+v`, c)
	}
}

func TestPlanRemovedResource(t *testing.T) {
	h := newHarness(t)
	h.mustApply(`
resource "mock_thing" "keep" { name = "keep" }
resource "mock_thing" "gone" {
  count = 2
  name  = "gone${count.index}"
}
`)
	p := h.mustPlan(`resource "mock_thing" "keep" { name = "keep" }`, engine.PlanOptions{})
	if got, want := summary(p), "mock_thing.gone[0]=delete mock_thing.gone[1]=delete"; got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	if c := change(p, "mock_thing.gone[0]"); c.Reason != "no longer in the blueprint" {
		t.Errorf("reason = %q", c.Reason)
	}
}

func TestPlanUpdateVersusReplace(t *testing.T) {
	tests := []struct {
		name        string
		change      string
		action      plan.Action
		replacePath string
	}{
		{name: "in place", change: `name = "x"` + "\n" + `value = "2"`, action: plan.Update},
		{name: "requires replace", change: `name = "y"` + "\n" + `value = "1"`, action: plan.DeleteThenCreate, replacePath: "name"},
		{name: "no change", change: `name = "x"` + "\n" + `value = "1"`, action: plan.NoOp},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.mustApply(`
resource "mock_thing" "t" {
  name  = "x"
  value = "1"
}`)
			p := h.mustPlan(`resource "mock_thing" "t" {`+"\n"+tc.change+"\n}", engine.PlanOptions{})
			c := change(p, "mock_thing.t")
			if c == nil || c.Action != tc.action {
				t.Fatalf("action = %+v, want %s", c, tc.action)
			}
			if tc.replacePath != "" {
				if len(c.RequiresReplace) != 1 || !c.RequiresReplace[0].Equals(cty.GetAttrPath(tc.replacePath)) {
					t.Errorf("RequiresReplace = %#v", c.RequiresReplace)
				}
				if c.After.GetAttr("id").IsKnown() {
					t.Errorf("replacement should leave id unknown, got %#v", c.After.GetAttr("id"))
				}
			}
		})
	}
}
