package engine_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// copyBlueprint passes a sensitive variable into std_null inputs, which
// the provider copies into outputs, and uses the copy in an output.
const copyBlueprint = `
variable "token" {
  type      = string
  sensitive = true
  default   = "tok-secret"
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
output "copy" {
  value     = std_null.n.outputs.token
  sensitive = true
}
`

func pathStrings(paths []cty.Path) []string {
	var out []string
	for _, p := range paths {
		out = append(out, state.FormatPath(p))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stdEngine returns an engine with the built-in providers for the
// blueprint in dir, with its default variables.
func stdEngine(t *testing.T, dir string) *engine.Engine {
	t.Helper()
	l := blueprint.NewLoader()
	cfg, diags := l.LoadDir(dir)
	if diags.HasErrors() {
		t.Fatalf("load: %s", diags.Error())
	}
	values, diags := blueprint.PrepareVariables(cfg.Module, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	e := engine.New(engine.Options{Config: cfg, Variables: values})
	t.Cleanup(e.Close)
	return e
}

func readState(t *testing.T, dir string) (*state.Local, *state.State) {
	t.Helper()
	b := state.NewLocal(filepath.Join(dir, "bp.state"))
	st, err := b.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b, st
}

// TestCopiedSecretsStaySensitive applies a std_null that copies a
// sensitive input and checks the copy is hidden wherever the value goes:
// the state, later plans, and after an update.
func TestCopiedSecretsStaySensitive(t *testing.T) {
	want := []string{".inputs.token", ".outputs.token"}
	addr := mustAddr(t, "std_null.n")
	dir := t.TempDir()
	cycle(t, dir, copyBlueprint, nil, true, plan.Normal)
	_, st := readState(t, dir)
	if got := pathStrings(st.Object(addr).SensitivePaths); !slices.Equal(got, want) {
		t.Fatalf("sensitive paths in state after create = %q, want %q", got, want)
	}

	steps := []struct {
		name       string
		vars       map[string]string
		wantAction plan.Action
	}{
		{name: "no change", wantAction: plan.NoOp},
		{name: "update", vars: map[string]string{"name": "b"}, wantAction: plan.Update},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			p := cycle(t, dir, copyBlueprint, step.vars, true, plan.Normal)
			c := change(p, "std_null.n")
			if c == nil || c.Action != step.wantAction {
				t.Fatalf("change = %+v, want %s", c, step.wantAction)
			}
			if got := pathStrings(c.BeforeSensitive); !slices.Equal(got, want) {
				t.Errorf("before sensitive = %q, want %q", got, want)
			}
			if step.wantAction == plan.NoOp {
				if got := pathStrings(c.AfterSensitive); !slices.Equal(got, want) {
					t.Errorf("after sensitive = %q, want %q", got, want)
				}
			}
			_, st := readState(t, dir)
			if got := pathStrings(st.Object(addr).SensitivePaths); !slices.Equal(got, want) {
				t.Errorf("sensitive paths in state = %q, want %q", got, want)
			}
		})
	}
}

// TestCopiedSecretsInOlderState plans against a state recorded before the
// engine looked for copies: the copy is hidden in the plan, with or
// without refresh, and in the state the next apply writes.
func TestCopiedSecretsInOlderState(t *testing.T) {
	for _, opts := range []engine.PlanOptions{{}, {SkipRefresh: true}} {
		t.Run("skip refresh "+map[bool]string{true: "yes", false: "no"}[opts.SkipRefresh], func(t *testing.T) {
			addr := mustAddr(t, "std_null.n")
			dir := t.TempDir()
			cycle(t, dir, copyBlueprint, nil, true, plan.Normal)
			b, st := readState(t, dir)
			old := st.Object(addr).DeepCopy()
			old.SensitivePaths = []cty.Path{cty.GetAttrPath("inputs").GetAttr("token")}
			st.SetInstance(addr, "provider.std", old)
			if err := b.Write(context.Background(), st); err != nil {
				t.Fatal(err)
			}
			p, diags := stdEngine(t, dir).Plan(context.Background(), st.DeepCopy(), opts)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			c := change(p, "std_null.n")
			want := []string{".inputs.token", ".outputs.token"}
			if got := pathStrings(c.BeforeSensitive); c.Action != plan.NoOp || !slices.Equal(got, want) {
				t.Errorf("%s with before sensitive %q, want a no-op hiding %q", c.Action, got, want)
			}
			if got := pathStrings(p.PriorState.Object(addr).SensitivePaths); !slices.Equal(got, want) {
				t.Errorf("prior state hides %q, want %q", got, want)
			}
		})
	}
}

// TestImportHidesSensitive imports a std_random, whose result is
// sensitive by schema: the imported object hides it from the start.
func TestImportHidesSensitive(t *testing.T) {
	dir := t.TempDir()
	src := `
import {
  to = std_random.pw
  id = "imported-secret"
}
resource "std_random" "pw" { length = 20 } # a replacement shows the imported value as before
`
	p := cycle(t, dir, src, nil, false, plan.Normal)
	c := change(p, "std_random.pw")
	if c == nil || c.ImportID == "" {
		t.Fatalf("no import planned: %+v", c)
	}
	if got := pathStrings(c.BeforeSensitive); !slices.Contains(got, ".result") {
		t.Errorf("the imported object hides %q, want .result among them", got)
	}
	if got := pathStrings(p.PriorState.Object(mustAddr(t, "std_random.pw")).SensitivePaths); !slices.Contains(got, ".result") {
		t.Errorf("the imported object in the prior state hides %q, want .result among them", got)
	}
}
