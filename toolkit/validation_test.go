package toolkit

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/blueprint/funcs"
)

// failedValidations evaluates the validation blocks of a module's variable
// for val, as blueprint does for a root variable, and returns the error
// messages of the failed ones.
func failedValidations(t *testing.T, kind, name string, val cty.Value) []string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	v := loadedModule(t, filepath.Join(dir, kind)).Variables[name]
	if v == nil {
		t.Fatalf("module %s has no variable %s", kind, name)
	}
	if v.TypeDefaults != nil {
		val = v.TypeDefaults.Apply(val)
	}
	val, err = convert.Convert(val, v.Type)
	if err != nil {
		t.Fatalf("%s is not a %s: %v", name, v.Type.FriendlyName(), err)
	}
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{name: val})},
		Functions: funcs.Table(dir),
	}
	var failed []string
	for _, rule := range v.Validations {
		ok, diags := rule.Condition.Value(ctx)
		if diags.HasErrors() {
			t.Fatalf("validation of %s: %s", name, diags.Error())
		}
		if ok.Type() != cty.Bool || ok.IsNull() {
			t.Fatalf("validation of %s is %#v, not a bool", name, ok)
		}
		if ok.False() {
			msg, _ := rule.ErrorMessage.Value(ctx)
			failed = append(failed, msg.AsString())
		}
	}
	return failed
}

// loadedModules caches the modules failedValidations loads (the fuzz test
// calls it for every input).
var loadedModules sync.Map

func loadedModule(t *testing.T, dir string) *blueprint.Module {
	t.Helper()
	if m, ok := loadedModules.Load(dir); ok {
		return m.(*blueprint.Module)
	}
	cfg, diags := blueprint.NewLoader().LoadDir(dir)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	loadedModules.Store(dir, cfg.Module)
	return cfg.Module
}

func TestModuleValidations(t *testing.T) {
	list := func(vs ...cty.Value) cty.Value {
		if len(vs) == 0 {
			return cty.ListValEmpty(listener(1, 0, "").Type())
		}
		return cty.ListVal(vs)
	}
	strList := func(ss ...string) cty.Value {
		vs := make([]cty.Value, len(ss))
		for i, s := range ss {
			vs[i] = cty.StringVal(s)
		}
		return cty.ListVal(vs)
	}
	for _, tc := range []struct {
		name, kind, variable string
		val                  cty.Value
		want                 string // a fragment of the one failed message; empty: valid
	}{
		{"one listener", "load_balancer", "listener", list(listener(80, 0, "")), ""},
		{"http and tcp", "load_balancer", "listener", list(listener(80, 8080, "http"), listener(5432, 0, "tcp")), ""},
		{"no listener", "load_balancer", "listener", list(), "at least one listener"},
		{"udp", "load_balancer", "listener", list(listener(53, 0, "udp")), "\"http\" or \"tcp\""},
		{"port out of range", "load_balancer", "listener", list(listener(70000, 0, "")), "1 to 65535"},
		{"negative target port", "load_balancer", "listener", list(listener(80, -1, "")), "1 to 65535"},
		{"fractional port", "load_balancer", "listener",
			list(cty.ObjectVal(map[string]cty.Value{"port": cty.NumberFloatVal(80.5), "target_port": nullNum, "protocol": nullStr})), "whole numbers"},
		{"same port twice", "load_balancer", "listener", list(listener(80, 0, ""), listener(80, 8080, "")), "same port"},
		{"stats port", "load_balancer", "listener", list(listener(8404, 0, "")), "8404"},
		{"addresses", "load_balancer", "targets", strList("10.0.0.1", "web-1.internal"), ""},
		{"no targets", "load_balancer", "targets", cty.ListValEmpty(cty.String), ""},
		{"target with port", "load_balancer", "targets", strList("10.0.0.1:8080"), "without a port"},
		{"no health check", "load_balancer", "health_check", cty.NullVal(healthType), ""},
		{"full health check", "load_balancer", "health_check", health("/healthz", "500ms", 3, 5), ""},
		{"relative path", "load_balancer", "health_check", health("healthz", "", 0, 0), "start with /"},
		{"path with a space", "load_balancer", "health_check", health("/a b", "", 0, 0), "start with /"},
		{"interval with a space", "load_balancer", "health_check", health("", "2 s", 0, 0), "duration"},
		{"interval without unit", "load_balancer", "health_check", health("", "2000", 0, 0), ""},
		{"negative threshold", "load_balancer", "health_check", health("", "", -1, 0), "thresholds"},
		{"default balance", "load_balancer", "balance", cty.NullVal(cty.String), ""},
		{"leastconn", "load_balancer", "balance", cty.StringVal("leastconn"), ""},
		{"unknown balance", "load_balancer", "balance", cty.StringVal("random"), "roundrobin"},
		{"zone", "dns_zone", "name", cty.StringVal("example.test"), ""},
		{"zone with a dot", "dns_zone", "name", cty.StringVal("example.test."), ""},
		{"zone with a space", "dns_zone", "name", cty.StringVal("example test"), "domain"},
		{"zone with an empty label", "dns_zone", "name", cty.StringVal("example..test"), "domain"},
	} {
		t.Run(tc.kind+"/"+tc.name, func(t *testing.T) {
			failed := failedValidations(t, tc.kind, tc.variable, tc.val)
			switch {
			case tc.want == "" && len(failed) > 0:
				t.Errorf("valid value rejected: %q", failed)
			case tc.want != "" && (len(failed) != 1 || !strings.Contains(failed[0], tc.want)):
				t.Errorf("failed validations = %q, want one saying %q", failed, tc.want)
			}
		})
	}
}
