package engine_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/toolkit"
)

// controllerSelfHosted realizes machine_group as groupSelfHosted does and
// the controller kinds (autoscaler, health_check) with the toolkit's own
// modules.
func controllerSelfHosted(t *testing.T) func(string) (*blueprint.SelfHosted, error) {
	group := groupSelfHosted(t)
	dir, err := toolkit.Dir()
	if err != nil {
		t.Fatal(err)
	}
	return func(kind string) (*blueprint.SelfHosted, error) {
		if kind == "autoscaler" || kind == "health_check" {
			r, _ := toolkit.Lookup(kind)
			return &blueprint.SelfHosted{Kind: kind, Summary: r.Summary, Schema: r.Schema, Dir: filepath.Join(dir, kind)}, nil
		}
		return group(kind)
	}
}

const controllerBlueprint = `
blueprint {
  required_providers {
    mock = { source = "builtin/mock" }
  }
}
resource "machine_group" "web" {
  min = 2
  max = 4
}
resource "autoscaler" "web" {
  group = resource.machine_group.web
  min   = %MIN%
  max   = 4
  metric {
    name   = "requests_per_member"
    target = 50
    source = { stats_url = "http://lb:8404/stats;csv", listener = [{ port = 80 }] }
  }
  scale_out_cooldown = "5s"
}
resource "health_check" "web" {
  targets = resource.machine_group.web
  http { path = "/healthz" }
  unhealthy_threshold = 2
}
output "group" { value = resource.autoscaler.web.group }
`

// The controller kinds create nothing but a record in state of their
// evaluated configuration, with defaults applied and the group's address
// found from the group argument.
func TestControllerKinds(t *testing.T) {
	h := newHarness(t)
	h.selfHosted = controllerSelfHosted(t)
	src := strings.ReplaceAll(controllerBlueprint, "%MIN%", "2")
	mustGroupApply(h, src, engine.PlanOptions{})

	record := func(kind string) cty.Value {
		t.Helper()
		addr, err := state.ParseInstanceAddr("module." + kind + ":web." + toolkit.ControllerRecord)
		if err != nil {
			t.Fatal(err)
		}
		obj := h.state.Object(addr)
		if obj == nil {
			t.Fatalf("no %s in state", addr)
		}
		return obj.Value.GetAttr("inputs")
	}
	for _, tc := range []struct {
		name  string
		value cty.Value
		path  []string
		want  cty.Value
	}{
		{"autoscaler group", record("autoscaler"), []string{"group"}, cty.StringVal("machine_group.web")},
		{"autoscaler min", record("autoscaler"), []string{"min"}, cty.NumberIntVal(2)},
		{"autoscaler cooldown", record("autoscaler"), []string{"scale_out_cooldown"}, cty.StringVal("5s")},
		{"autoscaler default scale-in cooldown", record("autoscaler"), []string{"scale_in_cooldown"}, cty.StringVal("300s")},
		{"health_check group", record("health_check"), []string{"group"}, cty.StringVal("machine_group.web")},
		{"health_check path", record("health_check"), []string{"http", "path"}, cty.StringVal("/healthz")},
		{"health_check default port", record("health_check"), []string{"http", "port"}, cty.NumberIntVal(80)},
		{"health_check threshold", record("health_check"), []string{"unhealthy_threshold"}, cty.NumberIntVal(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.value
			for _, p := range tc.path {
				v = v.GetAttr(p)
			}
			if !v.RawEquals(tc.want) && !(v.Type() == cty.Number && tc.want.Type() == cty.Number && v.Equals(tc.want).True()) {
				t.Errorf("%v = %#v, want %#v", tc.path, v, tc.want)
			}
		})
	}
	metric := record("autoscaler").GetAttr("metrics").Index(cty.NumberIntVal(0))
	if got := metric.GetAttr("backend"); !got.RawEquals(cty.StringVal("targets_80")) {
		t.Errorf("metric backend = %#v, want targets_80", got)
	}
	if got := h.state.Output("group"); got == nil || !got.Value.RawEquals(cty.StringVal("machine_group.web")) {
		t.Errorf("output group = %v, want the group's address", got)
	}
}

// A controller kind refuses what bp run cannot act on, pointing at the
// argument.
func TestControllerKindErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"autoscaler min below the group's", strings.ReplaceAll(controllerBlueprint, "%MIN%", "1"),
			`min (1) must be at least the group's min (2) and at most max (4)`},
		{"autoscaler max above the group's", strings.ReplaceAll(strings.ReplaceAll(controllerBlueprint, "%MIN%", "2"), "max   = 4", "max   = 6"),
			`max (6) must be at most the group's max (4)`},
		{"group is not a machine_group", strings.ReplaceAll(strings.ReplaceAll(controllerBlueprint, "%MIN%", "2"),
			"group = resource.machine_group.web", "group = resource.mock_thing.x") + `resource "mock_thing" "x" { name = "x" }`,
			"It refers to mock_thing.x, not to a machine_group"},
		{"targets is an attribute", strings.ReplaceAll(strings.ReplaceAll(controllerBlueprint, "%MIN%", "2"),
			"targets = resource.machine_group.web", "targets = resource.machine_group.web.members"), "rather than to the group itself"},
		{"both probes", strings.ReplaceAll(strings.ReplaceAll(controllerBlueprint, "%MIN%", "2"),
			`http { path = "/healthz" }`, `http { path = "/healthz" }
  tcp { port = 22 }`), "A health_check takes an http block or a tcp block, not both."},
		{"unknown metric", strings.ReplaceAll(strings.ReplaceAll(controllerBlueprint, "%MIN%", "2"),
			`"requests_per_member"`, `"rps"`), "A metric's name must be one of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.selfHosted = controllerSelfHosted(t)
			_, diags := groupApply(h, tc.src, engine.PlanOptions{})
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("diagnostics %q, want an error with %q", diags.Error(), tc.want)
			}
		})
	}
}
