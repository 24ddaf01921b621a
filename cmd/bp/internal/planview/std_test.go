package planview

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	_ "github.com/blueprint-engine/bp/providers/std"
)

// tokenBlueprint passes a sensitive variable into std_null inputs, which
// std_null copies into its computed outputs at apply; the engine marks the
// copy sensitive too. var.name changes update it in place.
const tokenBlueprint = `
variable "token" {
  type      = string
  sensitive = true
  default   = "tok-e2e-secret"
}
variable "name" {
  type    = string
  default = "a"
}
resource "std_null" "n" {
  inputs = {
    token = var.token
    name  = var.name
  }
}
`

// randomBlueprint holds a std_random, whose result is sensitive by schema,
// and a sensitive output of it; var.name changes force a replacement.
const randomBlueprint = `
variable "name" {
  type    = string
  default = "a"
}
resource "std_random" "pw" {
  length  = 16
  keepers = { name = var.name }
}
output "pw" {
  value     = std_random.pw.result
  sensitive = true
}
`

// stdPlan plans (and applies) the blueprint above with the std provider.
func stdPlan(t *testing.T, dir, src, name string, mode plan.Mode, apply bool) *plan.Plan {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	l := blueprint.NewLoader()
	cfg, diags := l.LoadDir(dir)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	var args []blueprint.VarArg
	if name != "" {
		args = append(args, blueprint.VarArg{Assign: "name=" + name})
	}
	inputs, diags := l.CollectInputs(dir, args, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	values, diags := blueprint.PrepareVariables(cfg.Module, inputs)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ctx := context.Background()
	backend := state.NewLocal(filepath.Join(dir, "bp.state"))
	prior, err := backend.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(engine.Options{Config: cfg, Variables: values})
	defer e.Close()
	p, diags := e.Plan(ctx, prior, engine.PlanOptions{Mode: mode})
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	if apply {
		if diags := e.Apply(ctx, p, state.NewSync(prior, backend)); diags.HasErrors() {
			t.Fatalf("apply: %s", diags.Error())
		}
	}
	return p
}

// checkHidden fails when out shows any of secrets.
func checkHidden(t *testing.T, what string, out []byte, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%s shows the secret %q:\n%s", what, s, out)
		}
	}
}

// checkPlanViews renders p every way a plan is shown, also after a trip
// through a saved plan file, and checks that no secret shows and that the
// sensitive placeholder does.
func checkPlanViews(t *testing.T, p *plan.Plan, secrets ...string) {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, p, Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	checkHidden(t, "Render", b.Bytes(), secrets...)
	if !bytes.Contains(b.Bytes(), []byte(sensitiveText)) {
		t.Errorf("Render shows no sensitive placeholder:\n%s", b.Bytes())
	}
	js, err := plan.JSON(p)
	if err != nil {
		t.Fatal(err)
	}
	checkHidden(t, "plan.JSON", js, secrets...)
	file := filepath.Join(t.TempDir(), "saved")
	if err := plan.WriteFile(file, p); err != nil {
		t.Fatal(err)
	}
	saved, err := plan.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := Render(&c, saved, Options{}); err != nil {
		t.Fatal(err)
	}
	checkHidden(t, "Render of a saved plan", c.Bytes(), secrets...)
	if !bytes.Contains(c.Bytes(), []byte(sensitiveText)) {
		t.Errorf("Render of a saved plan shows no sensitive placeholder:\n%s", c.Bytes())
	}
}

// TestStdSensitiveVariable plans and applies a sensitive variable passed
// into std_null inputs with the real engine and std provider, and checks
// that neither it nor the provider's copy of it shows in the plan, in later
// plans or in the state.
func TestStdSensitiveVariable(t *testing.T) {
	const secret = "tok-e2e-secret"
	dir := t.TempDir()
	p := stdPlan(t, dir, tokenBlueprint, "a", plan.Normal, true)
	if add, _, _ := p.Counts(); add != 1 {
		t.Fatalf("planned %d creates, want 1", add)
	}
	checkPlanViews(t, p, secret)

	t.Run("update", func(t *testing.T) {
		p := stdPlan(t, dir, tokenBlueprint, "b", plan.Normal, false)
		if _, change, _ := p.Counts(); change != 1 {
			t.Fatalf("changing name planned %d updates, want 1", change)
		}
		checkPlanViews(t, p, secret)
	})
	t.Run("destroy", func(t *testing.T) {
		checkPlanViews(t, stdPlan(t, dir, tokenBlueprint, "a", plan.Destroy, false), secret)
	})
	t.Run("state", func(t *testing.T) {
		st, err := state.NewLocal(filepath.Join(dir, "bp.state")).Read(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n := st.Object(addr(t, "std_null.n"))
		if n == nil || n.Value.GetAttr("outputs").GetAttr("token").AsString() != secret {
			t.Fatalf("std_null.n in state = %+v, want outputs holding the copied token", n)
		}
		var b bytes.Buffer
		if err := RenderState(&b, st, Options{}); err != nil {
			t.Fatal(err)
		}
		checkHidden(t, "RenderState", b.Bytes(), secret)
		js, err := plan.StateJSON(st)
		if err != nil {
			t.Fatal(err)
		}
		checkHidden(t, "plan.StateJSON", js, secret)
	})
}

// TestStdSensitiveResult applies a std_random and checks that its result,
// sensitive by schema, never shows in later plans, the state or outputs.
func TestStdSensitiveResult(t *testing.T) {
	dir := t.TempDir()
	stdPlan(t, dir, randomBlueprint, "a", plan.Normal, true)
	st, err := state.NewLocal(filepath.Join(dir, "bp.state")).Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pw := st.Object(addr(t, "std_random.pw"))
	if pw == nil {
		t.Fatal("std_random.pw is not in state")
	}
	result := pw.Value.GetAttr("result").AsString()

	t.Run("replace", func(t *testing.T) {
		p := stdPlan(t, dir, randomBlueprint, "b", plan.Normal, false)
		if add, _, destroy := p.Counts(); add != 1 || destroy != 1 {
			t.Fatalf("changing keepers planned %d creates and %d destroys, want a replacement", add, destroy)
		}
		checkPlanViews(t, p, result)
	})
	t.Run("destroy", func(t *testing.T) {
		checkPlanViews(t, stdPlan(t, dir, randomBlueprint, "a", plan.Destroy, false), result)
	})
	t.Run("state", func(t *testing.T) {
		var b bytes.Buffer
		if err := RenderState(&b, st, Options{}); err != nil {
			t.Fatal(err)
		}
		checkHidden(t, "RenderState", b.Bytes(), result)
		var o bytes.Buffer
		if err := RenderOutputs(&o, st.Outputs, Options{}); err != nil {
			t.Fatal(err)
		}
		checkHidden(t, "RenderOutputs", o.Bytes(), result)
		if o.String() != "pw = <sensitive>\n" {
			t.Errorf("RenderOutputs = %q", o.String())
		}
		js, err := plan.StateJSON(st)
		if err != nil {
			t.Fatal(err)
		}
		checkHidden(t, "plan.StateJSON", js, result)
	})
}
