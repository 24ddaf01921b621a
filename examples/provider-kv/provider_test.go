package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/plugins/sdk/providertest"
	"github.com/blueprint-engine/bp/providers"
)

func TestConformance(t *testing.T) {
	importByKey := func(s cty.Value) string { return s.GetAttr("key").AsString() }
	providertest.RunWithConfig(t, Provider().Interface(), providertest.Config{"dir": t.TempDir()},
		providertest.Case{
			Name:         "kv_entry in place",
			ResourceType: "kv_entry",
			Create:       providertest.Config{"key": "greeting", "value": "hello", "sensitive_value": "s3cret"},
			Update:       providertest.Config{"key": "greeting", "value": "hi", "ttl": 3600},
			ImportID:     importByKey,
		},
		providertest.Case{
			Name:           "kv_entry replaced",
			ResourceType:   "kv_entry",
			Create:         providertest.Config{"key": "old"},
			Update:         providertest.Config{"key": "new"},
			UpdateReplaces: true,
			ImportID:       importByKey,
		},
	)
}

// TestNotSchemaPlanned checks that kv_entry is not declared schema-planned:
// its PlanModify decides the version of an update, and its Required key and
// Int ttl are checked at plan time, so bp must ask the plugin for its plans.
// (The conformance kit above would report a wrong declaration.)
func TestNotSchemaPlanned(t *testing.T) {
	if got := Provider().Interface().(plugins.SchemaPlanner).SchemaPlannedResourceTypes(); len(got) > 0 {
		t.Errorf("kv declares %q schema-planned, want none", got)
	}
}

// kv is the kv provider configured on a temporary directory, driven like
// the engine drives it.
type kv struct {
	t      *testing.T
	p      providers.Interface
	store  *Store
	schema providers.ProviderSchema
}

func newKV(t *testing.T) *kv {
	t.Helper()
	dir := t.TempDir()
	p := Provider().Interface()
	schema := p.GetSchema(context.Background()).Schema
	config := cty.ObjectVal(map[string]cty.Value{"dir": cty.StringVal(dir)})
	if diags := p.Configure(context.Background(), providers.ConfigureRequest{Config: config}).Diagnostics; diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	store, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &kv{t: t, p: p, store: store, schema: schema}
}

// config returns a configuration of the schema s: attrs, all others null.
func config(s *providers.Schema, attrs map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{}
	for name, ty := range s.ImpliedType().AttributeTypes() {
		m[name] = cty.NullVal(ty)
	}
	for k, v := range attrs {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

func (k *kv) plan(prior cty.Value, attrs map[string]cty.Value) providers.PlanResourceChangeResponse {
	s := k.schema.ResourceTypes["kv_entry"]
	c := config(s, attrs)
	return k.p.PlanResourceChange(context.Background(), providers.PlanResourceChangeRequest{
		TypeName: "kv_entry", PriorState: prior, Config: c, ProposedNewState: providers.ProposedNewObject(s, prior, c),
	})
}

func (k *kv) apply(prior cty.Value, attrs map[string]cty.Value) cty.Value {
	k.t.Helper()
	plan := k.plan(prior, attrs)
	resp := k.p.ApplyResourceChange(context.Background(), providers.ApplyResourceChangeRequest{
		TypeName: "kv_entry", PriorState: prior, PlannedState: plan.PlannedState, Config: config(k.schema.ResourceTypes["kv_entry"], attrs),
	})
	if diags := append(plan.Diagnostics, resp.Diagnostics...); diags.HasErrors() {
		k.t.Fatal(diags.Err())
	}
	return resp.NewState
}

func TestVersionPlannedOnUpdate(t *testing.T) {
	k := newKV(t)
	null := cty.NullVal(k.schema.ResourceTypes["kv_entry"].ImpliedType())
	state := k.apply(null, map[string]cty.Value{"key": cty.StringVal("a"), "value": cty.StringVal("1")})
	tests := []struct {
		name        string
		attrs       map[string]cty.Value
		wantVersion cty.Value
		wantUpdated cty.Value
	}{
		{"no change", map[string]cty.Value{"key": cty.StringVal("a"), "value": cty.StringVal("1")}, cty.NumberIntVal(1), state.GetAttr("updated_at")},
		{"value change", map[string]cty.Value{"key": cty.StringVal("a"), "value": cty.StringVal("2")}, cty.NumberIntVal(2), cty.UnknownVal(cty.String)},
		{"ttl change", map[string]cty.Value{"key": cty.StringVal("a"), "value": cty.StringVal("1"), "ttl": cty.NumberIntVal(60)}, cty.NumberIntVal(2), cty.UnknownVal(cty.String)},
		{"new key", map[string]cty.Value{"key": cty.StringVal("b"), "value": cty.StringVal("1")}, cty.UnknownVal(cty.Number), cty.UnknownVal(cty.String)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan := k.plan(state, tc.attrs)
			if plan.Diagnostics.HasErrors() {
				t.Fatal(plan.Diagnostics.Err())
			}
			if got := plan.PlannedState.GetAttr("version"); !got.RawEquals(tc.wantVersion) {
				t.Errorf("version = %#v, want %#v", got, tc.wantVersion)
			}
			if got := plan.PlannedState.GetAttr("updated_at"); !got.RawEquals(tc.wantUpdated) {
				t.Errorf("updated_at = %#v, want %#v", got, tc.wantUpdated)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	k := newKV(t)
	s := k.schema.ResourceTypes["kv_entry"]
	tests := []struct {
		name  string
		attrs map[string]cty.Value
		want  string
	}{
		{"valid", map[string]cty.Value{"key": cty.StringVal("a.b-c_1")}, ""},
		{"unknown key", map[string]cty.Value{"key": cty.UnknownVal(cty.String)}, ""},
		{"slash", map[string]cty.Value{"key": cty.StringVal("a/b")}, `Invalid key: "a/b" is not a valid key`},
		{"dot first", map[string]cty.Value{"key": cty.StringVal("..")}, `Invalid key: ".." is not a valid key`},
		{"negative ttl", map[string]cty.Value{"key": cty.StringVal("a"), "ttl": cty.NumberIntVal(-1)}, "Invalid ttl"},
		{"missing key", map[string]cty.Value{"value": cty.StringVal("v")}, `The argument "key" is required`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := k.p.ValidateResourceConfig(context.Background(), providers.ValidateResourceConfigRequest{TypeName: "kv_entry", Config: config(s, tc.attrs)}).Diagnostics.Err()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestExpiredEntryIsGone(t *testing.T) {
	k := newKV(t)
	null := cty.NullVal(k.schema.ResourceTypes["kv_entry"].ImpliedType())
	state := k.apply(null, map[string]cty.Value{"key": cty.StringVal("a"), "ttl": cty.NumberIntVal(1)})
	// The provider's own store reads the clock; wait past the ttl.
	time.Sleep(1100 * time.Millisecond)
	resp := k.p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: "kv_entry", CurrentState: state})
	if resp.Diagnostics.HasErrors() || !resp.NewState.IsNull() {
		t.Errorf("got %#v, %v; want null: the entry expired", resp.NewState, resp.Diagnostics.Err())
	}
}

func TestDataSource(t *testing.T) {
	k := newKV(t)
	if _, err := k.store.Put(Entry{Key: "greeting", Value: "hello", SensitiveValue: "s", Version: 3}); err != nil {
		t.Fatal(err)
	}
	s := k.schema.DataSources["kv_entry"]
	tests := []struct {
		name, key, want, wantErr string
	}{
		{name: "found", key: "greeting", want: "hello"},
		{name: "missing", key: "nope", wantErr: `No such entry: There is no entry "nope" in the store. Create it with a kv_entry resource first. (at key)`},
		{name: "invalid", key: "a/b", wantErr: `Cannot read entry: "a/b" is not a valid key`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := k.p.ReadDataSource(context.Background(), providers.ReadDataSourceRequest{
				TypeName: "kv_entry", Config: config(s, map[string]cty.Value{"key": cty.StringVal(tc.key)}),
			})
			if tc.wantErr != "" {
				if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want %q", err, tc.wantErr)
				}
				return
			}
			if resp.Diagnostics.HasErrors() {
				t.Fatal(resp.Diagnostics.Err())
			}
			if got := resp.State.GetAttr("value").AsString(); got != tc.want {
				t.Errorf("value = %q, want %q", got, tc.want)
			}
			if got := resp.State.GetAttr("version"); !got.RawEquals(cty.NumberIntVal(3)) {
				t.Errorf("version = %#v, want 3", got)
			}
		})
	}
}

func TestConfigureFailsOnUnusableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := Provider().Interface()
	resp := p.Configure(context.Background(), providers.ConfigureRequest{Config: cty.ObjectVal(map[string]cty.Value{"dir": cty.StringVal(file)})})
	if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), "Cannot open the kv store") {
		t.Errorf("got %v", err)
	}
	resp = p.Configure(context.Background(), providers.ConfigureRequest{Config: cty.NullVal(cty.Object(map[string]cty.Type{"dir": cty.String}))})
	if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), `The argument "dir" is required`) {
		t.Errorf("got %v", err)
	}
}
