package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/engine/state"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func mustAddr(t testing.TB, s string) state.InstanceAddr {
	t.Helper()
	a, err := state.ParseInstanceAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func path(steps ...any) cty.Path {
	var p cty.Path
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			p = p.GetAttr(s)
		case int:
			p = p.Index(cty.NumberIntVal(int64(s)))
		case cty.Value:
			p = p.Index(s)
		}
	}
	return p
}

// fixture is a plan with every feature a saved plan must keep: unknowns,
// sensitive values in changes, outputs and variables, deposed objects,
// moves, imports, drift, a prior state and config files.
func fixture(t testing.TB) *Plan {
	t.Helper()
	fileTy := cty.Object(map[string]cty.Type{"path": cty.String, "content": cty.String, "id": cty.String, "mode": cty.Number})
	prior := state.New()
	prior.Lineage = "5b0a4a36-0d6c-4a35-8d7f-1b1f1f0e2f10"
	prior.Serial = 4
	oldFile := cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("/tmp/a"), "content": cty.StringVal("old\ntext\n"), "id": cty.StringVal("/tmp/a"), "mode": cty.NumberIntVal(420)})
	prior.SetInstance(mustAddr(t, "std_file.f[0]"), "provider.std", &state.Object{Value: oldFile})
	pw := cty.ObjectVal(map[string]cty.Value{"length": cty.NumberIntVal(12), "id": cty.StringVal("abcd"), "result": cty.StringVal("hunter2-secret")})
	prior.SetInstance(mustAddr(t, "std_random.pw"), "provider.std", &state.Object{Value: pw, SensitivePaths: []cty.Path{path("result")}})
	prior.Outputs["pw"] = &state.Output{Value: cty.StringVal("hunter2-secret"), Sensitive: true}

	moved := mustAddr(t, "std_null.old")
	return &Plan{
		Mode:         Normal,
		StateLineage: prior.Lineage,
		StateSerial:  prior.Serial,
		PriorState:   prior,
		Changes: []*ResourceChange{
			{
				Addr: mustAddr(t, "std_file.f[0]"), Provider: "std", Action: DeleteThenCreate,
				Before: oldFile,
				After: cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("/tmp/b"), "content": cty.StringVal("old\nnew\n"),
					"id": cty.UnknownVal(cty.String), "mode": cty.NumberIntVal(420)}),
				RequiresReplace: []cty.Path{path("path")},
				Private:         []byte{0, 1, 2, 255},
			},
			{
				Addr: mustAddr(t, `std_file.g["x y"]`), Provider: "std", Action: Create,
				Before: cty.NullVal(fileTy),
				After:  cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("/tmp/g"), "content": cty.UnknownVal(cty.String).RefineNotNull(), "id": cty.UnknownVal(cty.String), "mode": cty.NullVal(cty.Number)}),
			},
			{
				Addr: mustAddr(t, "std_null.n"), PrevAddr: &moved, Provider: "std", Action: Update,
				Before: cty.ObjectVal(map[string]cty.Value{"inputs": cty.MapVal(map[string]cty.Value{"token": cty.StringVal("old-secret"), "name": cty.StringVal("a")}),
					"id": cty.StringVal("n1"), "tags": cty.SetVal([]cty.Value{cty.StringVal("a")}), "ports": cty.ListVal([]cty.Value{cty.NumberIntVal(80)})}),
				After: cty.ObjectVal(map[string]cty.Value{"inputs": cty.MapVal(map[string]cty.Value{"token": cty.StringVal("new-secret"), "name": cty.StringVal("a")}),
					"id": cty.StringVal("n1"), "tags": cty.SetVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}), "ports": cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberFloatVal(8.5)})}),
				BeforeSensitive: []cty.Path{path("inputs", cty.StringVal("token"))},
				AfterSensitive:  []cty.Path{path("inputs", cty.StringVal("token"))},
			},
			{
				Addr: mustAddr(t, "std_random.pw"), Provider: "std", Action: Delete, Deposed: "0a1b2c3d",
				Before: pw, BeforeSensitive: []cty.Path{path("result")}, After: cty.NullVal(pw.Type()),
				Reason: "no longer in the blueprint",
			},
			{
				Addr: mustAddr(t, "module.web[1].std_random.imp"), Provider: "std.east", Action: NoOp, ImportID: "imported-id",
				Before: pw, After: pw, BeforeSensitive: []cty.Path{path("result")}, AfterSensitive: []cty.Path{path("result")},
			},
			{
				Addr: mustAddr(t, "data.std_file.d"), Provider: "std", Action: Read,
				Before: cty.NullVal(fileTy), After: cty.UnknownVal(fileTy), Reason: "its configuration is known only after apply",
			},
		},
		Drift: []*ResourceChange{{
			Addr: mustAddr(t, "std_file.gone"), Provider: "std", Action: Delete, Reason: "deleted outside bp",
			Before: oldFile, After: cty.NullVal(fileTy),
		}},
		Outputs: []*OutputChange{
			{Name: "files", Action: Create, Before: cty.NullVal(cty.DynamicPseudoType), After: cty.TupleVal([]cty.Value{cty.StringVal("/tmp/b"), cty.UnknownVal(cty.String)})},
			{Name: "pw", Action: Update, Sensitive: true, Before: cty.StringVal("hunter2-secret"), After: cty.StringVal("new-secret").Mark(funcs.SensitiveMark)},
		},
		Variables: map[string]cty.Value{
			"n":     cty.NumberIntVal(2),
			"token": cty.StringVal("var-secret").Mark(funcs.SensitiveMark),
			"cfg":   cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "key": cty.StringVal("nested-secret").Mark(funcs.SensitiveMark)}),
		},
		ConfigFiles: map[string][]byte{"main.bp.hcl": []byte("resource \"std_null\" \"n\" {}\n"), "templates/a.tpl": []byte("hi ${name}\n")},
		Errored:     false,
	}

}

// checkGolden compares got with testdata/name, or rewrites the file with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", file, got)
	}
}
