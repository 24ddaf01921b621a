package state

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// assertStatesEqual compares two states field by field; dependency and
// sensitive path order does not matter.
func assertStatesEqual(t *testing.T, got, want *State) {
	t.Helper()
	if got.Lineage != want.Lineage || got.Serial != want.Serial || got.Version != want.Version {
		t.Errorf("header: got %s/%d/v%d, want %s/%d/v%d", got.Lineage, got.Serial, got.Version, want.Lineage, want.Serial, want.Version)
	}
	if g, w := addrStrings(got), addrStrings(want); !slices.Equal(g, w) {
		t.Fatalf("instances: got %v, want %v", g, w)
	}
	for _, r := range want.Resources() {
		if g := got.Resource(r.Addr); g.Provider != r.Provider {
			t.Errorf("%s: provider %q, want %q", r.Addr, g.Provider, r.Provider)
		}
	}
	for _, a := range want.AllInstances() {
		gi, wi := got.Instance(a), want.Instance(a)
		assertObjectsEqual(t, a.String(), gi.Current, wi.Current)
		if g, w := gi.DeposedKeys(), wi.DeposedKeys(); !slices.Equal(g, w) {
			t.Errorf("%s: deposed keys %v, want %v", a, g, w)
		}
		for dk, o := range wi.Deposed {
			assertObjectsEqual(t, a.String()+" deposed "+string(dk), gi.Deposed[dk], o)
		}
	}
	if len(got.Outputs) != len(want.Outputs) {
		t.Errorf("outputs: %d, want %d", len(got.Outputs), len(want.Outputs))
	}
	for name, o := range want.Outputs {
		g := got.Outputs[name]
		if g == nil || !g.Value.RawEquals(o.Value) || g.Sensitive != o.Sensitive {
			t.Errorf("output %s: got %#v, want %#v", name, g, o)
		}
	}
}

func assertObjectsEqual(t *testing.T, what string, got, want *Object) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Fatalf("%s: got object %v, want %v", what, got, want)
	}
	if got == nil {
		return
	}
	wantVal, wantMarks := want.Value.UnmarkDeepWithPaths()
	if !got.Value.RawEquals(wantVal) {
		t.Errorf("%s: value\n got %#v\nwant %#v", what, got.Value, wantVal)
	}
	wantPaths := slices.Clone(want.SensitivePaths)
	for _, m := range wantMarks {
		wantPaths = append(wantPaths, m.Path)
	}
	g, _ := encodePaths(got.SensitivePaths)
	w, _ := encodePaths(wantPaths)
	if gj, wj := mustJSON(t, g), mustJSON(t, w); gj != wj {
		t.Errorf("%s: sensitive paths %s, want %s", what, gj, wj)
	}
	if !bytes.Equal(got.Private, want.Private) {
		t.Errorf("%s: private %q, want %q", what, got.Private, want.Private)
	}
	if g, w := encodeDependencies(got.Dependencies), encodeDependencies(want.Dependencies); !slices.Equal(g, w) {
		t.Errorf("%s: dependencies %v, want %v", what, g, w)
	}
	if got.CreateBeforeDestroy != want.CreateBeforeDestroy || got.Status != want.Status {
		t.Errorf("%s: cbd/status %v/%v, want %v/%v", what, got.CreateBeforeDestroy, got.Status, want.CreateBeforeDestroy, want.Status)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRoundTrip(t *testing.T) {
	want := richState(t)
	data, err := Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v\n%s", err, data)
	}
	assertStatesEqual(t, got, want)
	if got.WrittenBy != BPVersion {
		t.Errorf("WrittenBy = %q, want %q", got.WrittenBy, BPVersion)
	}
	again, err := Encode(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("encoding is not stable:\n%s\n---\n%s", data, again)
	}
}

func TestEncodeGolden(t *testing.T) {
	data, err := Encode(richState(t))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatalf("invalid JSON:\n%s", data)
	}
	golden := filepath.Join("testdata", "state.golden.json")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("Encode differs from %s (run go test -update if intended):\n%s", golden, data)
	}
}

func TestEncodeEmpty(t *testing.T) {
	s := New()
	s.Lineage = "l"
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": 1,\n  \"lineage\": \"l\",\n  \"serial\": 0,\n  \"bp_version\": \"dev\",\n  \"resources\": [],\n  \"outputs\": {}\n}\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	got, err := Decode(data)
	if err != nil || !got.Empty() {
		t.Errorf("Decode: %v, empty=%v", err, got != nil && got.Empty())
	}
}

func TestEncodeMarksBecomeSensitivePaths(t *testing.T) {
	s := New()
	a := mustAddr(t, "t.a")
	s.SetInstance(a, "p", &Object{Value: cty.ObjectVal(map[string]cty.Value{
		"pw":   cty.StringVal("x").Mark("sensitive"),
		"list": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b").Mark("sensitive")}),
	})})
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	o := got.Object(a)
	if o.Value.ContainsMarked() {
		t.Error("decoded value carries marks")
	}
	paths, _ := encodePaths(o.SensitivePaths)
	if g, w := mustJSON(t, paths), `[[{"attr":"list"},{"index":1}],[{"attr":"pw"}]]`; g != w {
		t.Errorf("sensitive paths %s, want %s", g, w)
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		obj     *Object
		out     *Output
		wantErr string
	}{
		{name: "unknown attribute", obj: &Object{Value: cty.ObjectVal(map[string]cty.Value{"a": cty.ObjectVal(map[string]cty.Value{"b": cty.UnknownVal(cty.String)})})},
			wantErr: "cannot encode t.a: attribute .a.b is unknown"},
		{name: "no value", obj: &Object{}, wantErr: "has no value"},
		{name: "set path", obj: &Object{Value: cty.EmptyObjectVal, SensitivePaths: []cty.Path{cty.GetAttrPath("s").Index(cty.True)}}, wantErr: "index of type bool cannot be recorded"},
		{name: "fractional index", obj: &Object{Value: cty.EmptyObjectVal, SensitivePaths: []cty.Path{cty.IndexPath(cty.NumberFloatVal(1.5))}}, wantErr: "index 1.5 is not an integer"},
		{name: "unknown output", out: &Output{Value: cty.UnknownVal(cty.String)}, wantErr: `output "o": (the whole value) is unknown`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New()
			if tc.obj != nil {
				s.SetInstance(mustAddr(t, "t.a"), "p", tc.obj)
			}
			if tc.out != nil {
				s.SetOutput("o", tc.out)
			}
			_, err := Encode(s)
			checkErr(t, err, tc.wantErr)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	inst := func(fields string) string {
		return `{"version":1,"lineage":"l","serial":1,"resources":[{"module":"","mode":"managed","type":"t","name":"a","provider":"p","instances":[` + fields + `]}]}`
	}
	okObj := `"status":"ready","attributes":{},"attributes_type":["object",{}]`
	tests := []struct {
		name, in, wantErr string
	}{
		{"not json", `hello`, "invalid state file: line 1: invalid character 'h'"},
		{"syntax line", "{\n\"version\": 1,\n,}", "line 3"},
		{"no version", `{"lineage":"x"}`, `it has no "version"`},
		{"newer version", `{"version":2}`, "format version 2 is newer than this bp understands (up to 1); upgrade bp"},
		{"old version", `{"version":0}`, "unsupported state file format version 0"},
		{"version string", `{"version":"1"}`, "cannot unmarshal string"},
		{"no lineage", `{"version":1}`, `"lineage" is missing`},
		{"bad serial", `{"version":1,"lineage":"l","serial":-1}`, "cannot unmarshal number -1"},
		{"bad mode", `{"version":1,"lineage":"l","resources":[{"mode":"x","type":"t","name":"a","provider":"p"}]}`, `mode "x"`},
		{"bad module", `{"version":1,"lineage":"l","resources":[{"module":"web","mode":"managed","type":"t","name":"a","provider":"p"}]}`, `invalid module path "web"`},
		{"bad type", `{"version":1,"lineage":"l","resources":[{"mode":"managed","type":"t.x","name":"a","provider":"p"}]}`, `type: "t.x" is not a valid name`},
		{"no provider", `{"version":1,"lineage":"l","resources":[{"mode":"managed","type":"t","name":"a"}]}`, `t.a has no "provider"`},
		{"no instances", inst(``), "t.a has no instances"},
		{"duplicate resource", `{"version":1,"lineage":"l","resources":[{"mode":"managed","type":"t","name":"a","provider":"p","instances":[{` + okObj + `}]},{"mode":"managed","type":"t","name":"a","provider":"p","instances":[{` + okObj + `}]}]}`, "t.a appears more than once"},
		{"duplicate key", inst(`{"index_key":1,` + okObj + `},{"index_key":1,` + okObj + `}`), "t.a[1] appears more than once"},
		{"negative key", inst(`{"index_key":-1,` + okObj + `}`), "index_key -1 is neither"},
		{"float key", inst(`{"index_key":1.5,` + okObj + `}`), "index_key 1.5 is neither"},
		{"empty instance", inst(`{"index_key":null}`), "neither a current object"},
		{"bad status", inst(`{"status":"x","attributes":{},"attributes_type":["object",{}]}`), `t.a: status "x"`},
		{"missing type", inst(`{"status":"ready","attributes":{}}`), "attributes: the type is missing"},
		{"missing value", inst(`{"status":"ready","attributes_type":"string"}`), "attributes: the value is missing"},
		{"bad type json", inst(`{"status":"ready","attributes":{},"attributes_type":["bogus"]}`), "attributes: invalid type"},
		{"value mismatch", inst(`{"status":"ready","attributes":"x","attributes_type":["object",{}]}`), "attributes:"},
		{"bad private", inst(`{` + okObj + `,"private":"!!"}`), "illegal base64"},
		{"bad dependency", inst(`{` + okObj + `,"dependencies":["x"]}`), `dependencies: invalid address "x"`},
		{"bad path step", inst(`{` + okObj + `,"sensitive_paths":[[{}]]}`), `sensitive_paths[0]: step 0 must have exactly one`},
		{"both path step", inst(`{` + okObj + `,"sensitive_paths":[[{"attr":"a","index":0}]]}`), `exactly one`},
		{"bad path index", inst(`{` + okObj + `,"sensitive_paths":[[{"index":true}]]}`), `index true is neither`},
		{"deposed without key", inst(`{"deposed":[{` + okObj + `}]}`), `deposed[0] has no "deposed_key"`},
		{"duplicate deposed", inst(`{"deposed":[{"deposed_key":"a",` + okObj + `},{"deposed_key":"a",` + okObj + `}]}`), `deposed object "a" appears more than once`},
		{"deposed key on instance", inst(`{"deposed_key":"a",` + okObj + `}`), `"deposed_key" belongs inside "deposed"`},
		{"bad output", `{"version":1,"lineage":"l","outputs":{"o":{"value":[],"type":"string"}}}`, `output "o":`},
		{"huge number", `{"version":1,"lineage":"l","outputs":{"o":{"value":{"a":[1e99999999]},"type":["object",{"a":["list","number"]}]}}}`, `output "o": the number at .a[0] is out of range`},
		{"tiny number", `{"version":1,"lineage":"l","outputs":{"o":{"value":1e-99999999,"type":"number"}}}`, `out of range`},
		{"null output", `{"version":1,"lineage":"l","outputs":{"o":null}}`, `output "o": the output is null`},
		{"trailing garbage", `{"version":1,"lineage":"l"} x`, "invalid state file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.in))
			checkErr(t, err, tc.wantErr)
		})
	}
}

func TestDecodeGoldenFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "state.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	assertStatesEqual(t, got, richState(t))
}

func FuzzDecode(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "state.golden.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte(`{"version":1,"lineage":"l","resources":[{"mode":"data","type":"t","name":"a","provider":"p","instances":[{"index_key":"k","status":"tainted","attributes":{"value":[1,"x"],"type":["tuple",["number","string"]]},"attributes_type":"dynamic"}]}]}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data)
		if err != nil {
			if !strings.Contains(err.Error(), "state") {
				t.Errorf("error %q does not say it is about the state file", err)
			}
			return
		}
		// Whatever decodes must encode, and then be stable.
		enc, err := Encode(s)
		if err != nil {
			t.Fatalf("decoded state does not encode: %v", err)
		}
		s2, err := Decode(enc)
		if err != nil {
			t.Fatalf("encoded state does not decode: %v\n%s", err, enc)
		}
		enc2, err := Encode(s2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable:\n%s\n---\n%s", enc, enc2)
		}
	})
}
