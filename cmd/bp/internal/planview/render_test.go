package planview

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint/funcs"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// secrets are the sensitive values of the fixtures; no rendering may show
// any of them.
var secrets = []string{"hunter2", "s3cr3t", "tok-", "PRIVATE KEY"}

func addr(t testing.TB, s string) state.InstanceAddr {
	t.Helper()
	a, err := state.ParseInstanceAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func attrPath(steps ...any) cty.Path {
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

func str(s string) cty.Value { return cty.StringVal(s) }
func num(n int64) cty.Value  { return cty.NumberIntVal(n) }

func obj(attrs map[string]cty.Value) cty.Value { return cty.ObjectVal(attrs) }

// machine is a resource value with nested objects, lists, maps and sets.
func machine(image, content string, port int64, tags ...string) cty.Value {
	var tagVals []cty.Value
	for _, t := range tags {
		tagVals = append(tagVals, str(t))
	}
	tagSet := cty.SetValEmpty(cty.String)
	if len(tagVals) > 0 {
		tagSet = cty.SetVal(tagVals)
	}
	return obj(map[string]cty.Value{
		"id":        str("m-1"),
		"image":     str(image),
		"size":      str("small"),
		"labels":    cty.MapVal(map[string]cty.Value{"tier": str("web"), "env": str("prod")}),
		"tags":      tagSet,
		"user_data": str(content),
		"listener": cty.ListVal([]cty.Value{
			obj(map[string]cty.Value{"port": num(port), "target_port": num(8080), "protocol": str("tcp")}),
			obj(map[string]cty.Value{"port": num(443), "target_port": num(8443), "protocol": str("tcp")}),
		}),
		"address": str("10.0.0.5"),
		"ssh_key": cty.NullVal(cty.String),
	})
}

func machineType() cty.Type { return machine("x", "y", 1).Type() }

func fileVal(path, content string) cty.Value {
	return obj(map[string]cty.Value{"path": str(path), "content": str(content), "id": str(path), "sha256": str("e3b0c4")})
}

var sensitive = funcs.SensitiveMark

// cases are the plans the golden files show, built by hand.
func cases(t testing.TB) map[string]*plan.Plan {
	fileTy := fileVal("", "").Type()
	oldM := machine("debian-12", "#!/bin/sh\necho one\necho two\necho three\necho four\necho five\necho six\n", 80, "a", "b")
	newM := machine("debian-12", "#!/bin/sh\necho one\necho two\necho 3\necho four\necho five\necho six\n", 8080, "b", "c")
	newM = cty.ObjectVal(withAttr(newM, "address", cty.UnknownVal(cty.String)))
	pwTy := cty.Object(map[string]cty.Type{"length": cty.Number, "id": cty.String, "result": cty.String})
	pw := obj(map[string]cty.Value{"length": num(16), "id": str("ab12"), "result": str("hunter2hunter2xx")})
	moved := addr(t, "std_file.old")

	return map[string]*plan.Plan{
		"create": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "machine.web[0]"), Provider: "local", Action: plan.Create,
			Before: cty.NullVal(machineType()),
			After:  cty.ObjectVal(withAttr(withAttrV(machine("debian-12", "line one\nline two\n", 80, "a"), "id", cty.UnknownVal(cty.String)), "address", cty.UnknownVal(cty.String))),
		}, {
			Addr: addr(t, `module.app.std_file.f["a b"]`), Provider: "std", Action: plan.Create,
			Before: cty.NullVal(fileTy),
			After:  obj(map[string]cty.Value{"path": str("/tmp/x\x1b[31m"), "content": str("quote \" ${x} \\"), "id": cty.UnknownVal(cty.String), "sha256": cty.UnknownVal(cty.String)}),
		}}},
		"update": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "machine.web[0]"), Provider: "local", Action: plan.Update,
			Before: oldM, After: newM,
		}, {
			Addr: addr(t, "std_null.same"), Provider: "std", Action: plan.NoOp,
			Before: fileVal("/a", "a"), After: fileVal("/a", "a"),
		}}},
		"replace": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "std_file.f[0]"), Provider: "std", Action: plan.DeleteThenCreate,
			Before: fileVal("/tmp/a", "hello"), RequiresReplace: []cty.Path{attrPath("path")},
			After: obj(map[string]cty.Value{"path": str("/tmp/b"), "content": str("hello"), "id": cty.UnknownVal(cty.String), "sha256": cty.UnknownVal(cty.String)}),
		}, {
			Addr: addr(t, "machine.db"), Provider: "local", Action: plan.CreateThenDelete,
			Before: oldM, RequiresReplace: []cty.Path{attrPath("image"), attrPath("labels")},
			After: cty.ObjectVal(withAttr(withAttrV(oldM, "image", str("debian-13")), "labels", cty.MapVal(map[string]cty.Value{"tier": str("db"), "env": str("prod")}))),
		}}},
		"delete": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "std_file.f[1]"), Provider: "std", Action: plan.Delete, Reason: "its index is beyond the current count",
			Before: fileVal("/tmp/f1", "one\ntwo\n"), After: cty.NullVal(fileTy),
		}, {
			Addr: addr(t, "std_random.pw"), Deposed: "0a1b2c3d", Provider: "std", Action: plan.Delete,
			Before: pw, BeforeSensitive: []cty.Path{attrPath("result")}, After: cty.NullVal(pwTy),
		}}},
		"read": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "data.std_file.conf"), Provider: "std", Action: plan.Read, Reason: "its configuration is known only after apply",
			Before: cty.NullVal(fileTy), After: cty.UnknownVal(fileTy),
		}}},
		"drift": {Mode: plan.Normal,
			Drift: []*plan.ResourceChange{{
				Addr: addr(t, "std_file.f[0]"), Provider: "std", Action: plan.Delete, Reason: "deleted outside bp",
				Before: fileVal("/tmp/f0", "x"), After: cty.NullVal(fileTy),
			}, {
				Addr: addr(t, "std_file.g"), Provider: "std", Action: plan.Update,
				Before: fileVal("/tmp/g", "mine"), After: fileVal("/tmp/g", "theirs"),
			}},
			Changes: []*plan.ResourceChange{{
				Addr: addr(t, "std_file.f[0]"), Provider: "std", Action: plan.Create,
				Before: cty.NullVal(fileTy), After: obj(map[string]cty.Value{"path": str("/tmp/f0"), "content": str("x"), "id": cty.UnknownVal(cty.String), "sha256": cty.UnknownVal(cty.String)}),
			}, {
				Addr: addr(t, "std_file.g"), Provider: "std", Action: plan.Update,
				Before: fileVal("/tmp/g", "theirs"), After: fileVal("/tmp/g", "mine"),
			}}},
		"refresh_only_drift": {Mode: plan.RefreshOnly,
			Drift: []*plan.ResourceChange{{
				Addr: addr(t, "std_file.g"), Provider: "std", Action: plan.Update,
				Before: fileVal("/tmp/g", "mine"), After: fileVal("/tmp/g", "theirs"),
			}}},
		"refresh_only_none": {Mode: plan.RefreshOnly},
		"no_changes": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "std_null.same"), Provider: "std", Action: plan.NoOp, Before: fileVal("/a", "a"), After: fileVal("/a", "a"),
		}}},
		"destroy_none": {Mode: plan.Destroy},
		"hosts": {Mode: plan.Normal, HostChanges: []*plan.HostChange{
			{Configure: "configure.web", Host: "machine.web[0]", Address: "10.88.0.5", Roles: []string{"app"}, Unchanged: 7,
				Resources: []plan.HostResourceChange{
					{ID: "app/template./etc/nginx/sites-enabled/default", Status: "changed", Changes: []string{"content"},
						Diff: "--- /etc/nginx/sites-enabled/default\n+++ /etc/nginx/sites-enabled/default (template)\n@@ -1,2 +1,2 @@\n server {\n-  listen 80;\n+  listen 8080;\n"},
					{ID: "app/file./etc/app/secret", Status: "changed", Changes: []string{"content"}, Diff: "(sensitive)"},
					{ID: "app/package.nginx", Status: "unknown", Changes: []string{"arguments known after apply"}},
				},
				Handlers: []plan.HostResourceChange{{ID: "app/service.nginx", Status: "changed", Action: "reload"}}},
			{Configure: "configure.web", Host: "machine.web[1]", Address: "10.88.0.6", Roles: []string{"app"}, Unchanged: 10},
			{Configure: "configure.web", Host: "machine.web[2]", Roles: []string{"app"}, Pending: true},
			{Configure: "configure.db", Host: "machine.db", Address: "10.88.0.9", Roles: []string{"db"}, Error: "dial tcp 10.88.0.9:22: connection refused"},
		}},
		"realized": {Mode: plan.Normal,
			Realizations: []*plan.Realization{{Addr: "load_balancer.front", Module: "module.load_balancer:front", Summary: "HAProxy on a machine"}},
			Changes: []*plan.ResourceChange{{
				Addr: addr(t, "machine.web[0]"), Provider: "local", Action: plan.Create,
				Before: cty.NullVal(machineType()),
				After:  cty.ObjectVal(withAttr(machine("debian-12", "", 80, "a"), "address", cty.UnknownVal(cty.String))),
			}, {
				Addr: addr(t, "module.load_balancer:front.machine.this"), Provider: "local", Action: plan.Create,
				Before: cty.NullVal(machineType()),
				After:  cty.ObjectVal(withAttr(machine("debian-12", "", 80, "lb"), "address", cty.UnknownVal(cty.String))),
			}, {
				Addr: addr(t, "module.load_balancer:front.std_random.key"), Provider: "std", Action: plan.Create,
				Before: cty.NullVal(pwTy),
				After:  obj(map[string]cty.Value{"length": num(16), "id": cty.UnknownVal(cty.String), "result": cty.UnknownVal(cty.String)}), AfterSensitive: []cty.Path{attrPath("result")},
			}, {
				Addr: addr(t, "dns_zone.native"), Provider: "powerdns", Action: plan.Create,
				Before: cty.NullVal(cty.Object(map[string]cty.Type{"name": cty.String})),
				After:  obj(map[string]cty.Value{"name": str("example.test")}),
			}, {
				Addr: addr(t, "std_file.after"), Provider: "std", Action: plan.Create,
				Before: cty.NullVal(fileTy),
				After:  fileVal("/tmp/after", "x"),
			}}},
		"hosts_unchanged": {Mode: plan.Normal, HostChanges: []*plan.HostChange{
			{Configure: "configure.web", Host: "machine.web[0]", Address: "10.88.0.5", Roles: []string{"app"}, Unchanged: 10},
		}},
		"destroy": {Mode: plan.Destroy, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "std_random.pw"), Provider: "std", Action: plan.Delete,
			Before: pw, BeforeSensitive: []cty.Path{attrPath("result")}, After: cty.NullVal(pwTy),
		}}},
		"moved_imported": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			Addr: addr(t, "std_file.new"), PrevAddr: &moved, Provider: "std", Action: plan.NoOp,
			Before: fileVal("/tmp/n", "n"), After: fileVal("/tmp/n", "n"),
		}, {
			Addr: addr(t, "std_file.moved_and_changed"), PrevAddr: &moved, Provider: "std", Action: plan.Update,
			Before: fileVal("/tmp/m", "old"), After: fileVal("/tmp/m", "new"),
		}, {
			Addr: addr(t, "std_random.imp"), ImportID: "ab12", Provider: "std", Action: plan.NoOp,
			Before: pw, After: pw, BeforeSensitive: []cty.Path{attrPath("result")}, AfterSensitive: []cty.Path{attrPath("result")},
		}, {
			Addr: addr(t, "std_file.imp"), ImportID: "/etc/motd", Provider: "std", Action: plan.Update,
			Before: fileVal("/etc/motd", "hi"), After: fileVal("/etc/motd", "hello"),
		}}},
		"outputs": {Mode: plan.Normal,
			Changes: []*plan.ResourceChange{{
				Addr: addr(t, "std_file.f"), Provider: "std", Action: plan.Update,
				Before: fileVal("/tmp/f", "a"), After: cty.ObjectVal(withAttr(fileVal("/tmp/f", "b"), "sha256", cty.UnknownVal(cty.String))),
			}},
			Outputs: []*plan.OutputChange{
				{Name: "added", Action: plan.Create, Before: cty.NullVal(cty.DynamicPseudoType), After: cty.TupleVal([]cty.Value{str("a"), cty.UnknownVal(cty.String)})},
				{Name: "changed", Action: plan.Update, Before: str("v1"), After: str("v2")},
				{Name: "gone", Action: plan.Delete, Before: cty.MapVal(map[string]cty.Value{"k": str("v")}), After: cty.NullVal(cty.DynamicPseudoType)},
				{Name: "password", Action: plan.Update, Sensitive: true, Before: str("hunter2-old"), After: str("hunter2-new").Mark(sensitive)},
				{Name: "new_secret", Action: plan.Create, Sensitive: true, Before: cty.NullVal(cty.DynamicPseudoType), After: cty.UnknownVal(cty.String).Mark(sensitive)},
				{Name: "same", Action: plan.NoOp, Before: str("x"), After: str("x")},
				{Name: "later", Action: plan.Update, Before: str("x"), After: cty.UnknownVal(cty.String)},
			}},
		"outputs_only": {Mode: plan.Normal, Outputs: []*plan.OutputChange{
			{Name: "url", Action: plan.Create, Before: cty.NullVal(cty.DynamicPseudoType), After: str("http://example.test/")},
		}},
		"sensitive": {Mode: plan.Normal, Changes: []*plan.ResourceChange{{
			// A sensitive variable passed into std_null inputs: the
			// engine records the paths it reached.
			Addr: addr(t, "std_null.n"), Provider: "std", Action: plan.Update,
			Before: obj(map[string]cty.Value{"id": str("n1"),
				"inputs": obj(map[string]cty.Value{"token": str("tok-old"), "name": str("a"), "keys": cty.ListVal([]cty.Value{str("k1"), str("s3cr3t-1")})}),
				"note":   str("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")}),
			After: obj(map[string]cty.Value{"id": str("n1"),
				"inputs": obj(map[string]cty.Value{"token": str("tok-new"), "name": str("b"), "keys": cty.ListVal([]cty.Value{str("k1"), str("s3cr3t-2")})}),
				"note":   str("-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n")}),
			BeforeSensitive: []cty.Path{attrPath("inputs", "token"), attrPath("inputs", "keys", 1), attrPath("note")},
			AfterSensitive:  []cty.Path{attrPath("inputs", "token"), attrPath("inputs", "keys", 1), attrPath("note")},
		}, {
			Addr: addr(t, "std_random.pw"), Provider: "std", Action: plan.DeleteThenCreate, RequiresReplace: []cty.Path{attrPath("length")},
			Before: pw, BeforeSensitive: []cty.Path{attrPath("result")},
			After:          obj(map[string]cty.Value{"length": num(20), "id": cty.UnknownVal(cty.String), "result": cty.UnknownVal(cty.String)}),
			AfterSensitive: []cty.Path{attrPath("result")},
		}, {
			Addr: addr(t, "std_null.whole"), Provider: "std", Action: plan.Create,
			Before:         cty.NullVal(cty.Object(map[string]cty.Type{"inputs": cty.Map(cty.String)})),
			After:          obj(map[string]cty.Value{"inputs": cty.MapVal(map[string]cty.Value{"a": str("s3cr3t-3")})}),
			AfterSensitive: []cty.Path{attrPath("inputs")},
		}, {
			Addr: addr(t, "std_null.gone"), Provider: "std", Action: plan.Delete,
			Before:          obj(map[string]cty.Value{"inputs": cty.MapVal(map[string]cty.Value{"a": str("s3cr3t-4"), "b": str("fine")})}),
			BeforeSensitive: []cty.Path{attrPath("inputs", str("a"))},
			After:           cty.NullVal(cty.Object(map[string]cty.Type{"inputs": cty.Map(cty.String)})),
		}}},
		"errored": {Mode: plan.Normal, Errored: true},
	}
}

func withAttr(v cty.Value, name string, val cty.Value) map[string]cty.Value {
	m := v.AsValueMap()
	m[name] = val
	return m
}

func withAttrV(v cty.Value, name string, val cty.Value) cty.Value {
	return cty.ObjectVal(withAttr(v, name, val))
}

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

func checkNoSecrets(t *testing.T, out []byte) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("output shows the secret %q:\n%s", s, out)
		}
	}
}

func TestRenderGolden(t *testing.T) {
	for name, p := range cases(t) {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, p, Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".txt", b.Bytes())
			checkNoSecrets(t, b.Bytes())
			if bytes.Contains(b.Bytes(), []byte("\x1b")) {
				t.Error("output without color holds escape sequences")
			}

			var c bytes.Buffer
			if err := Render(&c, p, Options{Color: true}); err != nil {
				t.Fatal(err)
			}
			checkNoSecrets(t, c.Bytes())
			if name == "update" || name == "replace" || name == "read" || name == "outputs" {
				checkGolden(t, name+".color.txt", c.Bytes())
			}
			if stripANSI(c.String()) != b.String() {
				t.Errorf("colored output differs from plain output beyond colors:\n%s", c.String())
			}
		})
	}
}

// stripANSI removes SGR sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := strings.IndexByte(s[i:], 'm')
			if j > 0 {
				i += j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"create", "Plan: 2 to add, 0 to change, 0 to destroy."},
		{"update", "Plan: 0 to add, 1 to change, 0 to destroy."},
		{"replace", "Plan: 2 to add, 0 to change, 2 to destroy."},
		{"destroy", "Plan: 0 to add, 0 to change, 1 to destroy."},
		{"moved_imported", "Plan: 2 to import, 0 to add, 2 to change, 0 to destroy."},
		{"no_changes", "No changes. Your infrastructure matches the blueprint."},
		{"destroy_none", "No changes. No objects need to be destroyed."},
		{"refresh_only_none", "No changes. Your infrastructure still matches the blueprint."},
	}
	all := cases(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Render(&b, all[tc.name], Options{}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "\n"+tc.want+"\n") && !strings.HasPrefix(b.String(), tc.want+"\n") {
				t.Errorf("output lacks the line %q:\n%s", tc.want, b.String())
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestRenderWriteError(t *testing.T) {
	if err := Render(failingWriter{}, cases(t)["update"], Options{}); err == nil {
		t.Error("Render hid the write error")
	}
}

func TestRenderUnsetValues(t *testing.T) {
	// Plans built by hand may leave Before or After unset.
	p := &plan.Plan{Mode: plan.Normal, Changes: []*plan.ResourceChange{
		{Addr: addr(t, "std_file.a"), Action: plan.Create, After: fileVal("/a", "a")},
		{Addr: addr(t, "std_file.b"), Action: plan.Delete, Before: fileVal("/b", "b")},
		{Addr: addr(t, "std_file.c"), Action: plan.Delete},
	}}
	var b bytes.Buffer
	if err := Render(&b, p, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`+ path    = "/a"`, `- path    = "/b" -> null`, "# std_file.c will be destroyed", "Plan: 1 to add, 0 to change, 2 to destroy."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}
