package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	_ "github.com/blueprint-engine/bp/providers/std"
)

// cycle runs plan (+ apply) of the blueprint src with vars against the
// state file in dir, and returns the plan.
func cycle(t *testing.T, dir, src string, vars map[string]string, apply bool, mode plan.Mode) *plan.Plan {
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
	for k, v := range vars {
		args = append(args, blueprint.VarArg{Assign: k + "=" + v})
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
		sy := state.NewSync(prior, backend)
		if diags := e.Apply(ctx, p, sy); diags.HasErrors() {
			t.Fatalf("apply: %s", diags.Error())
		}
	}
	return p
}

func actions(p *plan.Plan) string {
	var out []string
	for _, c := range p.Changes {
		if c.Action != plan.NoOp {
			out = append(out, c.Addr.String()+"="+string(c.Action))
		}
	}
	return strings.Join(out, " ")
}

func TestStdCycle(t *testing.T) {
	dir := t.TempDir()
	src := `
variable "n" {
  type    = number
  default = 2
}
variable "text" {
  type    = string
  default = "hello"
}
resource "std_random" "pw" { length = 12 }
resource "std_file" "f" {
  count   = var.n
  path    = "${path.module}/out-${count.index}.txt"
  content = "${var.text} ${count.index} ${std_random.pw.id}"
}
resource "std_null" "after" {
  inputs = { files = resource.std_file.f[*].id }
}
output "files" { value = std_file.f[*].path }
output "pw" {
  value     = std_random.pw.result
  sensitive = true
}
`
	p := cycle(t, dir, src, nil, true, plan.Normal)
	if got, want := actions(p), `std_file.f[0]=create std_file.f[1]=create std_null.after=create std_random.pw=create`; got != want {
		t.Fatalf("first plan:\n got %s\nwant %s", got, want)
	}
	for i := 0; i < 2; i++ {
		b, err := os.ReadFile(filepath.Join(dir, "out-"+string(rune('0'+i))+".txt"))
		if err != nil || !strings.HasPrefix(string(b), "hello ") {
			t.Fatalf("file %d: %q %v", i, b, err)
		}
	}
	if p := cycle(t, dir, src, nil, false, plan.Normal); p.HasChanges() {
		t.Fatalf("second plan should be empty, got %s", actions(p))
	}
	p = cycle(t, dir, src, map[string]string{"text": "bye"}, true, plan.Normal)
	if got, want := actions(p), `std_file.f[0]=update std_file.f[1]=update`; got != want {
		t.Fatalf("text change:\n got %s\nwant %s", got, want)
	}
	p = cycle(t, dir, src, map[string]string{"text": "bye", "n": "1"}, true, plan.Normal)
	if got, want := actions(p), `std_file.f[1]=delete std_null.after=update`; got != want {
		t.Fatalf("count change:\n got %s\nwant %s", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out-1.txt")); !os.IsNotExist(err) {
		t.Fatalf("out-1.txt should be deleted: %v", err)
	}
	// Drift: delete a file behind bp's back.
	if err := os.Remove(filepath.Join(dir, "out-0.txt")); err != nil {
		t.Fatal(err)
	}
	p = cycle(t, dir, src, map[string]string{"text": "bye", "n": "1"}, false, plan.Normal)
	if got, want := actions(p), `std_file.f[0]=create`; !strings.HasPrefix(got, want) || len(p.Drift) != 1 {
		t.Fatalf("drift: got %s with %d drift", got, len(p.Drift))
	}
	p = cycle(t, dir, src, map[string]string{"text": "bye", "n": "1"}, true, plan.Destroy)
	if got, want := actions(p), `std_file.f[0]=delete std_null.after=delete std_random.pw=delete`; got != want {
		t.Fatalf("destroy:\n got %s\nwant %s", got, want)
	}
	st, err := state.NewLocal(filepath.Join(dir, "bp.state")).Read(context.Background())
	if err != nil || !st.Empty() {
		t.Fatalf("state after destroy should be empty: %v %v", err, st.AllInstances())
	}
}
