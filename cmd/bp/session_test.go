package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// backendBlock parses `backend "TYPE" { body }` into the settings a loaded
// blueprint would have.
func backendBlock(t *testing.T, typ, body string) *blueprint.Settings {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(body), "main.bp.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return &blueprint.Settings{Backend: &blueprint.Backend{Type: typ, Config: f.Body}}
}

func TestOpenBackend(t *testing.T) {
	tests := []struct {
		name     string
		settings *blueprint.Settings
		wantPath string
		wantErr  string
	}{
		{name: "no blueprint block", settings: nil, wantPath: filepath.Join("dir", "bp.state")},
		{name: "no backend block", settings: &blueprint.Settings{}, wantPath: filepath.Join("dir", "bp.state")},
		{name: "local with path", settings: backendBlock(t, "local", `path = "states/prod.state"`), wantPath: filepath.Join("dir", "states", "prod.state")},
		{name: "local absolute path", settings: backendBlock(t, "local", `path = "/var/lib/bp/x.state"`), wantPath: "/var/lib/bp/x.state"},
		{name: "local without path", settings: backendBlock(t, "local", ``), wantPath: filepath.Join("dir", "bp.state")},
		{name: "local with unknown argument", settings: backendBlock(t, "local", `file = "x"`), wantErr: "The local backend takes one optional argument"},
		{name: "local with wrong type", settings: backendBlock(t, "local", `path = ["x"]`), wantErr: "Unsuitable value type"},
		{name: "postgres", settings: backendBlock(t, "postgres", `conn = "postgres://"`), wantErr: "Backend not supported yet"},
		{name: "unknown", settings: backendBlock(t, "s3", ``), wantErr: "Unknown backend"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, path, diags := openBackend(tc.settings, "dir")
			if tc.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error()+diags[0].Detail, tc.wantErr) {
					t.Fatalf("diags = %v, want an error with %q", diags, tc.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			local, ok := b.(*state.Local)
			if !ok || local.Path != tc.wantPath || path != tc.wantPath {
				t.Errorf("backend %#v at %q, want a local backend at %q", b, path, tc.wantPath)
			}
		})
	}
}

func TestCheckSavedPlan(t *testing.T) {
	stored := func(lineage string, serial uint64, withResource bool) *state.State {
		s := state.New()
		s.Lineage, s.Serial = lineage, serial
		if withResource {
			s.SetOutput("x", &state.Output{})
		}
		return s
	}
	tests := []struct {
		name    string
		plan    *plan.Plan
		current *state.State
		wantErr string
	}{
		{name: "same state", plan: &plan.Plan{StateLineage: "L", StateSerial: 4}, current: stored("L", 4, true)},
		{name: "state moved on", plan: &plan.Plan{StateLineage: "L", StateSerial: 4}, current: stored("L", 6, true),
			wantErr: "Saved plan is stale: The state changed since the plan was made (serial 4, now 6). Run bp plan again."},
		{name: "other lineage", plan: &plan.Plan{StateLineage: "L", StateSerial: 4}, current: stored("M", 4, true),
			wantErr: "Saved plan is for another state"},
		{name: "no state then and now", plan: &plan.Plan{StateLineage: "L", StateSerial: 0}, current: stored("fresh", 0, false)},
		{name: "no state then, applied since", plan: &plan.Plan{StateLineage: "L", StateSerial: 0}, current: stored("M", 3, true),
			wantErr: "Saved plan is for another state"},
		{name: "errored plan", plan: &plan.Plan{StateLineage: "L", StateSerial: 4, Errored: true}, current: stored("L", 4, true),
			wantErr: "Saved plan is incomplete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := checkSavedPlan(tc.plan, tc.current)
			if tc.wantErr == "" {
				if diags.HasErrors() {
					t.Fatalf("refused: %s", diags.Error())
				}
				if tc.current.Lineage != tc.plan.StateLineage {
					t.Errorf("the state keeps lineage %q; it must take the plan's %q", tc.current.Lineage, tc.plan.StateLineage)
				}
				return
			}
			if !diags.HasErrors() {
				t.Fatal("accepted, want refused")
			}
			if got := diags[0].Summary + ": " + diags[0].Detail; !strings.Contains(got, tc.wantErr) {
				t.Errorf("got %q, want %q", got, tc.wantErr)
			}
		})
	}
}

func TestMatchesAddr(t *testing.T) {
	inst := func(s string) state.InstanceAddr {
		a, err := state.ParseInstanceAddr(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	tests := []struct {
		inst, filter string
		want         bool
	}{
		{"std_file.a", "std_file.a", true},
		{"std_file.a[0]", "std_file.a", true},
		{`std_file.a["k"]`, "std_file.a", true},
		{"std_file.ab", "std_file.a", false},
		{"std_file.a[1]", "std_file.a[0]", false},
		{"module.web.std_file.a", "module.web", true},
		{"module.web2.std_file.a", "module.web", false},
		{"module.web[0].std_file.a", "module.web", true},
	}
	for _, tc := range tests {
		t.Run(tc.inst+" by "+tc.filter, func(t *testing.T) {
			if got := matchesAddr(inst(tc.inst), tc.filter); got != tc.want {
				t.Errorf("matchesAddr = %v, want %v", got, tc.want)
			}
		})
	}
}
