package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/providers"
)

// testLoadBalancer is a self-hosted load_balancer made of mock things: one
// "machine" per instance, named after the instance, whose id is the
// address.
const testLoadBalancer = `
variable "realization_name" { type = string }
variable "targets" { type = list(string) }
variable "balance" {
  type    = string
  default = null
}
variable "listener" {
  type = list(object({ port = number, target_port = number }))
}
resource "mock_thing" "lb" {
  name  = "lb-${var.realization_name}"
  value = join(",", [for l in var.listener : "${l.port}->${coalesce(l.target_port, l.port)}"])
}
resource "mock_thing" "conf" {
  name  = "conf-${var.realization_name}"
  value = "${coalesce(var.balance, "roundrobin")}:${join(",", var.targets)}"
}
output "address"  { value = resource.mock_thing.lb.id }
output "targets"  { value = var.targets }
output "balance"  { value = coalesce(var.balance, "roundrobin") }
output "listener" { value = var.listener }
`

func testSelfHosted(t *testing.T) func(string) (*blueprint.SelfHosted, error) {
	dir := filepath.Join(t.TempDir(), "load_balancer")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(testLoadBalancer), 0o644); err != nil {
		t.Fatal(err)
	}
	listener := providers.Schema{Attributes: map[string]*providers.Attribute{
		"port":        {Type: cty.Number, Required: true},
		"target_port": {Type: cty.Number, Optional: true},
	}}
	schema := &providers.Schema{
		Attributes: map[string]*providers.Attribute{
			"targets": {Type: cty.List(cty.String), Required: true},
			"balance": {Type: cty.String, Optional: true},
			"address": {Type: cty.String, Computed: true},
		},
		Blocks: map[string]*providers.NestedBlock{
			"listener": {Nesting: providers.NestingList, Block: listener, MinItems: 1},
		},
	}
	return func(kind string) (*blueprint.SelfHosted, error) {
		if kind != "load_balancer" {
			return nil, nil
		}
		return &blueprint.SelfHosted{Kind: kind, Summary: "mock things", Schema: schema, Dir: dir}, nil
	}
}

const realizeBlueprint = `
blueprint {
  required_providers {
    mock = { source = "builtin/mock" }
  }
}
variable "n" { default = 2 }
resource "mock_thing" "web" {
  count = var.n
  name  = "web-${count.index}"
}
resource "load_balancer" "front" {
  listener { port = 80 }
  listener {
    port        = 443
    target_port = 8443
  }
  targets = resource.mock_thing.web[*].id
}
resource "mock_thing" "dns" {
  name  = "dns"
  value = resource.load_balancer.front.address
}
output "lb" { value = resource.load_balancer.front.address }
output "balance" { value = resource.load_balancer.front.balance }
`

// A portable resource its provider does not implement is realized by the
// self-hosted module: its resources are planned and applied under the
// resource's module address, and references to the resource read the
// module's outputs.
func TestSelfHostedRealization(t *testing.T) {
	h := newHarness(t)
	h.selfHosted = testSelfHosted(t)
	p := h.mustApply(realizeBlueprint)
	want := `mock_thing.dns=create mock_thing.web[0]=create mock_thing.web[1]=create module.load_balancer:front.mock_thing.conf=create module.load_balancer:front.mock_thing.lb=create`
	if got := actions(p); got != want {
		t.Fatalf("plan:\n got %s\nwant %s", got, want)
	}
	if len(p.Realizations) != 1 || p.Realizations[0].Addr != "load_balancer.front" || p.Realizations[0].Module != "module.load_balancer:front" {
		t.Errorf("plan realizations = %+v, want load_balancer.front under module.load_balancer:front", p.Realizations)
	}
	lb := h.object("module.load_balancer:front.mock_thing.lb")
	if got := lb.Value.GetAttr("name").AsString(); got != "lb-front" {
		t.Errorf("machine name = %q, want lb-front (from realization_name)", got)
	}
	if got := lb.Value.GetAttr("value").AsString(); got != "80->80,443->8443" {
		t.Errorf("listeners = %q, want both listener blocks", got)
	}
	conf := h.object("module.load_balancer:front.mock_thing.conf")
	web0, web1 := h.id("mock_thing.web[0]"), h.id("mock_thing.web[1]")
	if got, want := conf.Value.GetAttr("value").AsString(), "roundrobin:"+web0+","+web1; got != want {
		t.Errorf("targets = %q, want %q", got, want)
	}
	dns := h.object("mock_thing.dns")
	if got, want := dns.Value.GetAttr("value").AsString(), lb.Value.GetAttr("id").AsString(); got != want {
		t.Errorf("resource.load_balancer.front.address = %q, want the module's address %q", got, want)
	}

	// A third web machine changes the targets in place.
	h.vars = map[string]string{"n": "3"}
	p = h.mustPlan(realizeBlueprint, engine.PlanOptions{})
	if got, want := actions(p), `mock_thing.web[2]=create module.load_balancer:front.mock_thing.conf=update`; got != want {
		t.Errorf("plan after adding a target:\n got %s\nwant %s", got, want)
	}
}

func TestSelfHostedRealizationErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"unknown argument", `targets = []
  listener { port = 80 }
  colour = "red"`, `An argument named "colour" is not expected here`},
		{"missing required", `listener { port = 80 }`, `The argument "targets" is required`},
		{"missing block", `targets = []`, `Insufficient listener blocks`},
		{"lifecycle", `targets = []
  listener { port = 80 }
  lifecycle { prevent_destroy = true }`, `Unsupported on a self-hosted load_balancer`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.selfHosted = testSelfHosted(t)
			src := "blueprint {\n  required_providers {\n    mock = { source = \"builtin/mock\" }\n  }\n}\nresource \"load_balancer\" \"front\" {\n  " + tc.body + "\n}\n"
			_, diags := h.plan(src, engine.PlanOptions{})
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("diagnostics = %v, want one containing %q", diags, tc.want)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename == "" {
					t.Errorf("diagnostic without a position: %s", d.Error())
				}
			}
		})
	}
	t.Run("no self-hosted realization", func(t *testing.T) {
		h := newHarness(t)
		_, diags := h.plan("resource \"dns_zone\" \"z\" {\n  realize = \"selfhosted\"\n}\n", engine.PlanOptions{})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "No self-hosted realization") {
			t.Fatalf("diagnostics = %v", diags)
		}
	})
}
