package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
	_ "github.com/blueprint-engine/bp/providers/std"
)

// resolver starts the kv provider in-process for source "example/kv", as the
// plugin client would start the binary, and built-in providers otherwise.
type resolver struct{}

func (resolver) Provider(name, source string) (providers.Interface, error) {
	if source == "example/kv" {
		return Provider().Interface(), nil
	}
	return engine.BuiltinResolver{}.Provider(name, source)
}

// cycle plans the blueprint in dir with vars, applies the plan when apply is
// set, and returns the plan's actions as "address=action", sorted.
func cycle(t *testing.T, dir string, vars map[string]string, mode plan.Mode, apply bool) string {
	t.Helper()
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
	e := engine.New(engine.Options{Config: cfg, Variables: values, Providers: resolver{}})
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
	var out []string
	for _, c := range p.Changes {
		if c.Action != plan.NoOp {
			out = append(out, c.Addr.String()+"="+string(c.Action))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestBlueprint runs the example blueprint through the real engine: create,
// no-op, in-place update, destroy.
func TestBlueprint(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("blueprint", "main.bp.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	readFile := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	got := cycle(t, dir, nil, plan.Normal, true)
	want := "data.kv_entry.db_password=read kv_entry.db_password=create kv_entry.greeting=create std_file.app_config=create std_random.db_password=create"
	if got != want {
		t.Fatalf("first plan:\n got %s\nwant %s", got, want)
	}
	if conf := readFile("out/app.conf"); conf != "greeting=hello\ngreeting_version=1\ndb_password_version=1\n" {
		t.Errorf("app.conf = %q", conf)
	}
	if entry := readFile("data/db_password.json"); !strings.Contains(entry, `"sensitive_value": "`) || strings.Contains(entry, `"sensitive_value": ""`) {
		t.Errorf("db_password entry holds no password: %s", entry)
	}

	if got := cycle(t, dir, nil, plan.Normal, false); got != "" {
		t.Fatalf("second plan should have no changes, got %s", got)
	}

	got = cycle(t, dir, map[string]string{"greeting": "bonjour"}, plan.Normal, true)
	if want := "kv_entry.greeting=update std_file.app_config=update"; got != want {
		t.Fatalf("greeting change:\n got %s\nwant %s", got, want)
	}
	if conf := readFile("out/app.conf"); conf != "greeting=bonjour\ngreeting_version=2\ndb_password_version=1\n" {
		t.Errorf("app.conf after update = %q", conf)
	}
	if got := cycle(t, dir, map[string]string{"greeting": "bonjour"}, plan.Normal, false); got != "" {
		t.Fatalf("plan after update should have no changes, got %s", got)
	}

	got = cycle(t, dir, map[string]string{"greeting": "bonjour"}, plan.Destroy, true)
	want = "kv_entry.db_password=delete kv_entry.greeting=delete std_file.app_config=delete std_random.db_password=delete"
	if got != want {
		t.Fatalf("destroy:\n got %s\nwant %s", got, want)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "data")); len(entries) != 0 {
		t.Errorf("entries left after destroy: %v", entries)
	}
}
