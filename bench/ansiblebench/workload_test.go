package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/resources"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// small is a workload with every kind, small enough for golden files.
var small = Workload{Directories: 2, Files: 3, Templates: 2, Lines: 3, Packages: 2, Services: 1}

func TestWorkloadCounts(t *testing.T) {
	for _, tc := range []struct {
		name             string
		w                Workload
		resources, tasks int
	}{
		{"default", DefaultWorkload, 200, 191},
		{"small", small, 13, 12},
		{"no packages", Workload{Directories: 1, Files: 1}, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.w.Resources(); got != tc.resources {
				t.Errorf("Resources() = %d, want %d", got, tc.resources)
			}
			if got := tc.w.Tasks(); got != tc.tasks {
				t.Errorf("Tasks() = %d, want %d", got, tc.tasks)
			}
			if got := strings.Count(tc.w.Playbook(), "\n    - name: "); got != tc.tasks {
				t.Errorf("the playbook has %d tasks, want %d", got, tc.tasks)
			}
		})
	}
}

func TestWorkloadValidate(t *testing.T) {
	for _, tc := range []struct {
		name, wantErr string
		w             Workload
	}{
		{"default", "", DefaultWorkload},
		{"no directory", "at least one directory", Workload{Files: 1}},
		{"too many packages", "at most 10 packages", Workload{Directories: 1, Packages: 11}},
		{"negative", "must not be negative", Workload{Directories: 1, Lines: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.w.validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("validate() = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestGolden compares what the small workload generates for bp and for
// Ansible with testdata/, so that a change to one side shows in review
// next to the other.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file, got string
	}{
		{"setup.bp.hcl", small.SetupRole()},
		{"bench.bp.hcl", small.BenchRole()},
		{"playbook.yml", small.Playbook()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, []byte(tc.got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if tc.got != string(want) {
				t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", tc.file, tc.got)
			}
		})
	}
}

// TestRolesAreValid loads both generated roles as a blueprint and checks
// every host resource's arguments with the agent's own validation, so a
// kind's change that the generator misses fails here and not minutes into
// a run.
func TestRolesAreValid(t *testing.T) {
	dir := t.TempDir()
	src := DefaultWorkload.SetupRole() + DefaultWorkload.BenchRole()
	if err := os.WriteFile(filepath.Join(dir, "roles.bp.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := blueprint.NewLoader().LoadDir(dir)
	if diags.HasErrors() {
		t.Fatalf("the generated roles do not load: %s", diags.Error())
	}
	want := map[string]int{"setup": DefaultWorkload.Services*2 + DefaultWorkload.lineFiles() + 3, "bench": DefaultWorkload.Resources()}
	for name, n := range want {
		role := cfg.Module.Roles[name]
		if role == nil {
			t.Fatalf("role %q is missing", name)
		}
		if len(role.Resources) != n {
			t.Errorf("role %q has %d resources, want %d", name, len(role.Resources), n)
		}
		for _, hr := range role.Resources {
			attrs := literalAttrs(t, hr.Config)
			for _, p := range resources.Validate(hr.Kind, attrs) {
				t.Errorf("role %s, %s: %s", name, hr.Addr(), p.Error())
			}
		}
	}
}

// literalAttrs evaluates a body of literal attributes into plain Go values.
func literalAttrs(t *testing.T, body hcl.Body) map[string]any {
	t.Helper()
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	out := map[string]any{}
	for name, a := range attrs {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", name, diags.Error())
		}
		b, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			t.Fatal(err)
		}
		var x any
		if err := json.Unmarshal(b, &x); err != nil {
			t.Fatal(err)
		}
		out[name] = x
	}
	return out
}

// TestTemplatesRenderAlike renders bp's template with HCL and Ansible's
// with the values its Jinja expressions take on a debian-12 machine named
// m-3, and wants the same text.
func TestTemplatesRenderAlike(t *testing.T) {
	label, number := templateVars(7)
	tpl, diags := hclsyntax.ParseTemplate([]byte(bpTemplate), "bench.conf.tpl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	host := cty.ObjectVal(map[string]cty.Value{
		"name":  cty.StringVal("m-3"),
		"facts": cty.ObjectVal(map[string]cty.Value{"os": cty.StringVal("debian"), "os_version": cty.StringVal("12")}),
	})
	v, diags := tpl.Value(&hcl.EvalContext{Variables: map[string]cty.Value{
		"label": cty.StringVal(label), "number": cty.NumberIntVal(int64(number)), "host": host}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	jinja := map[string]string{
		"label": label, "number": strconv.Itoa(number), "inventory_hostname": "m-3",
		"ansible_distribution | lower": "debian", "ansible_distribution_major_version": "12",
	}
	var unknown []string
	got := regexp.MustCompile(`{{ (.*?) }}`).ReplaceAllStringFunc(ansibleTemplate, func(m string) string {
		expr := m[3 : len(m)-3]
		if s, ok := jinja[expr]; ok {
			return s
		}
		unknown = append(unknown, expr)
		return m
	})
	if len(unknown) > 0 {
		t.Fatalf("the Ansible template uses expressions this test does not know: %q", unknown)
	}
	if got != v.AsString() {
		t.Errorf("the templates render differently:\nbp:\n%s\nAnsible:\n%s", v.AsString(), got)
	}
}

// TestAgentRequest checks the request the agent profile sends: one
// resource per bp resource, each valid for the agent, templates rendered.
func TestAgentRequest(t *testing.T) {
	req, err := DefaultWorkload.agentRequest("m-3", agentapi.Facts{OS: "debian", OSVersion: "12"})
	if err != nil {
		t.Fatal(err)
	}
	if err := req.Check(); err != nil {
		t.Fatalf("the request breaks the protocol: %v", err)
	}
	if len(req.Resources) != DefaultWorkload.Resources() {
		t.Fatalf("%d resources, want %d", len(req.Resources), DefaultWorkload.Resources())
	}
	templates := 0
	for _, res := range req.Resources {
		if _, problems := resources.NewFromRequest(res); len(problems) > 0 {
			t.Errorf("%s: %v", res.ID, problems)
		}
		if res.Kind == "template" {
			templates++
			if c, _ := res.Attrs["content"].(string); !strings.Contains(c, "host = m-3\nos = debian 12\n") {
				t.Errorf("%s: content %q lacks the host's name and facts", res.ID, c)
			}
		}
	}
	if templates != DefaultWorkload.Templates {
		t.Errorf("%d templates, want %d", templates, DefaultWorkload.Templates)
	}
}
