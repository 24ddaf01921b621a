package mock

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

var thingSchema = DefaultSchema().ResourceTypes["mock_thing"]
var thingType = thingSchema.ImpliedType()

func thingConfig(name, value string) cty.Value {
	v := cty.NullVal(cty.String)
	if value != "" {
		v = cty.StringVal(value)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal(name), "value": v, "secret": cty.NullVal(cty.String), "id": cty.NullVal(cty.String),
	})
}

func configured(t *testing.T) *Provider {
	t.Helper()
	p := New()
	if d := p.Configure(t.Context(), providers.ConfigureRequest{Config: cty.NullVal(DefaultSchema().Provider.ImpliedType())}).Diagnostics; d.HasErrors() {
		t.Fatal(d.Err())
	}
	return p
}

func plan(t *testing.T, p *Provider, prior, config cty.Value) providers.PlanResourceChangeResponse {
	t.Helper()
	resp := p.PlanResourceChange(t.Context(), providers.PlanResourceChangeRequest{
		TypeName: "mock_thing", PriorState: prior, Config: config,
		ProposedNewState: providers.ProposedNewObject(thingSchema, prior, config),
	})
	if resp.Diagnostics.HasErrors() {
		t.Fatalf("plan: %v", resp.Diagnostics.Err())
	}
	return resp
}

func apply(t *testing.T, p *Provider, prior, planned, config cty.Value) cty.Value {
	t.Helper()
	resp := p.ApplyResourceChange(t.Context(), providers.ApplyResourceChangeRequest{
		TypeName: "mock_thing", PriorState: prior, PlannedState: planned, Config: config,
	})
	if resp.Diagnostics.HasErrors() {
		t.Fatalf("apply: %v", resp.Diagnostics.Err())
	}
	if bad := providers.PlanApplyMismatches(planned, resp.NewState); len(bad) > 0 {
		t.Fatalf("applied value differs from planned at %v", bad)
	}
	return resp.NewState
}

func read(t *testing.T, p *Provider, state cty.Value) cty.Value {
	t.Helper()
	resp := p.ReadResource(t.Context(), providers.ReadResourceRequest{TypeName: "mock_thing", CurrentState: state})
	if resp.Diagnostics.HasErrors() {
		t.Fatalf("read: %v", resp.Diagnostics.Err())
	}
	return resp.NewState
}

func create(t *testing.T, p *Provider, name string) cty.Value {
	t.Helper()
	cfg := thingConfig(name, "")
	return apply(t, p, cty.NullVal(thingType), plan(t, p, cty.NullVal(thingType), cfg).PlannedState, cfg)
}

func TestDefaultSchemaIsValid(t *testing.T) {
	ps := DefaultSchema()
	if err := ps.InternalValidate(); err != nil {
		t.Fatal(err)
	}
}

func TestLifecycle(t *testing.T) {
	p := configured(t)
	null := cty.NullVal(thingType)

	planned := plan(t, p, null, thingConfig("a", "v1")).PlannedState
	if planned.GetAttr("id").IsKnown() {
		t.Fatalf("planned id %#v, want unknown", planned.GetAttr("id"))
	}
	state := apply(t, p, null, planned, thingConfig("a", "v1"))
	if got := state.GetAttr("id").AsString(); got != "mock_thing-1" {
		t.Fatalf("id = %q, want mock_thing-1", got)
	}
	if got := read(t, p, state); !got.RawEquals(state) {
		t.Fatalf("read = %#v, want %#v", got, state)
	}

	// Update in place.
	resp := plan(t, p, state, thingConfig("a", "v2"))
	if len(resp.RequiresReplace) > 0 || !resp.PlannedState.GetAttr("id").RawEquals(state.GetAttr("id")) {
		t.Fatalf("value change planned %#v replace %v, want in-place", resp.PlannedState, resp.RequiresReplace)
	}
	state = apply(t, p, state, resp.PlannedState, thingConfig("a", "v2"))
	if stored, _ := p.Object("mock_thing", "mock_thing-1"); !stored.RawEquals(state) {
		t.Fatalf("stored %#v, want %#v", stored, state)
	}

	// Name change replaces.
	resp = plan(t, p, state, thingConfig("b", "v2"))
	if len(resp.RequiresReplace) != 1 || providers.FormatPath(resp.RequiresReplace[0]) != "name" || resp.PlannedState.GetAttr("id").IsKnown() {
		t.Fatalf("name change planned %#v replace %v, want replace on name with unknown id", resp.PlannedState, resp.RequiresReplace)
	}

	// Drift: modified, then deleted outside Blueprint.
	if err := p.ModifyObject("mock_thing", "mock_thing-1", map[string]cty.Value{"value": cty.StringVal("drifted")}); err != nil {
		t.Fatal(err)
	}
	if got := read(t, p, state).GetAttr("value"); !got.RawEquals(cty.StringVal("drifted")) {
		t.Fatalf("read after modify: value = %#v", got)
	}
	if err := p.ModifyObject("mock_thing", "mock_thing-1", map[string]cty.Value{"value": cty.NumberIntVal(1)}); err == nil {
		t.Error("ModifyObject accepted a value of the wrong type")
	}
	if !p.DeleteObject("mock_thing", "mock_thing-1") {
		t.Fatal("DeleteObject found nothing")
	}
	if got := read(t, p, state); !got.IsNull() {
		t.Fatalf("read after delete = %#v, want null", got)
	}
	// Updating a deleted object fails; deleting it succeeds.
	upd := p.ApplyResourceChange(t.Context(), providers.ApplyResourceChangeRequest{TypeName: "mock_thing", PriorState: state, PlannedState: state, Config: thingConfig("a", "v2")})
	if !upd.Diagnostics.HasErrors() {
		t.Error("update of a deleted object succeeded")
	}
	if got := apply(t, p, state, null, null); !got.IsNull() {
		t.Fatalf("delete returned %#v", got)
	}

	var methods []string
	for _, c := range p.Calls() {
		methods = append(methods, c.Method)
	}
	want := []string{"Configure", "PlanResourceChange", "ApplyResourceChange", "ReadResource", "PlanResourceChange", "ApplyResourceChange",
		"PlanResourceChange", "ReadResource", "ReadResource", "ApplyResourceChange", "ApplyResourceChange"}
	if !slices.Equal(methods, want) {
		t.Errorf("calls = %v\nwant    %v", methods, want)
	}
	if v := p.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestContractViolations(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, p *Provider) providers.Diagnostics
		want string
	}{
		{"plan before configure", func(t *testing.T, p *Provider) providers.Diagnostics {
			return p.PlanResourceChange(t.Context(), providers.PlanResourceChangeRequest{TypeName: "mock_thing"}).Diagnostics
		}, "PlanResourceChange called before Configure"},
		{"configure twice", func(t *testing.T, p *Provider) providers.Diagnostics {
			p.Configure(t.Context(), providers.ConfigureRequest{})
			return p.Configure(t.Context(), providers.ConfigureRequest{}).Diagnostics
		}, "Configure called more than once"},
		{"call after close", func(t *testing.T, p *Provider) providers.Diagnostics {
			p.Close()
			return p.ValidateResourceConfig(t.Context(), providers.ValidateResourceConfigRequest{TypeName: "mock_thing"}).Diagnostics
		}, "ValidateResourceConfig called after Close"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := New()
			if diags := tc.run(t, p); !diags.HasErrors() {
				t.Fatal("call succeeded, want an error")
			}
			if v := p.Violations(); len(v) != 1 || v[0] != tc.want {
				t.Fatalf("violations = %q, want [%q]", v, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	p := New()
	tests := []struct {
		name     string
		typeName string
		config   cty.Value
		wantErr  string
	}{
		{"ok", "mock_thing", thingConfig("a", ""), ""},
		{"unknown name", "mock_thing", cty.ObjectVal(map[string]cty.Value{"name": cty.UnknownVal(cty.String), "value": cty.NullVal(cty.String), "secret": cty.NullVal(cty.String), "id": cty.NullVal(cty.String)}), ""},
		{"empty name", "mock_thing", thingConfig("", ""), "Empty name"},
		{"unknown type", "mock_other", thingConfig("a", ""), "Unsupported resource type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := p.ValidateResourceConfig(t.Context(), providers.ValidateResourceConfigRequest{TypeName: tc.typeName, Config: tc.config}).Diagnostics
			switch {
			case tc.wantErr == "" && diags.HasErrors():
				t.Fatal(diags.Err())
			case tc.wantErr != "" && (!diags.HasErrors() || diags[0].Summary != tc.wantErr):
				t.Fatalf("diagnostics = %v, want %q", diags, tc.wantErr)
			}
		})
	}
}

func TestFailApply(t *testing.T) {
	p := configured(t)
	boom := errors.New("quota exceeded")
	p.FailApply("mock_thing", "bad", boom)
	cfg := thingConfig("bad", "")
	planned := plan(t, p, cty.NullVal(thingType), cfg).PlannedState
	resp := p.ApplyResourceChange(t.Context(), providers.ApplyResourceChangeRequest{TypeName: "mock_thing", PriorState: cty.NullVal(thingType), PlannedState: planned, Config: cfg})
	if !resp.Diagnostics.HasErrors() || !strings.Contains(resp.Diagnostics.Err().Error(), "quota exceeded") || !resp.NewState.IsNull() {
		t.Fatalf("failed create = %#v, %v; want null state and the injected error", resp.NewState, resp.Diagnostics)
	}
	if ids := p.ObjectIDs("mock_thing"); len(ids) != 0 {
		t.Fatalf("failed create stored %v", ids)
	}
	create(t, p, "good") // other names are unaffected
	p.FailApply("mock_thing", "bad", nil)
	create(t, p, "bad")
}

func TestHook(t *testing.T) {
	p := configured(t)
	p.SetHook(func(_ context.Context, c Call) error {
		if c.Method == MethodReadResource {
			return errors.New("api down")
		}
		return nil
	})
	state := create(t, p, "a")
	resp := p.ReadResource(t.Context(), providers.ReadResourceRequest{TypeName: "mock_thing", CurrentState: state})
	if !resp.Diagnostics.HasErrors() || !resp.NewState.RawEquals(state) {
		t.Fatalf("hooked read = %#v, %v; want prior state and an error", resp.NewState, resp.Diagnostics)
	}
	p.SetHook(nil)
	read(t, p, state)
}

func TestConcurrentCalls(t *testing.T) {
	p := configured(t)
	p.SetDelay(20 * time.Millisecond)
	const n = 40
	states := make([]cty.Value, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { states[i] = create(t, p, fmt.Sprintf("thing-%d", i)) })
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, s := range states {
		ids[s.GetAttr("id").AsString()] = true
	}
	if len(ids) != n || len(p.ObjectIDs("mock_thing")) != n {
		t.Fatalf("%d distinct ids and %d stored objects, want %d", len(ids), len(p.ObjectIDs("mock_thing")), n)
	}
	if got := p.MaxConcurrent(); got < 2 || got > n {
		t.Fatalf("MaxConcurrent = %d, want between 2 and %d", got, n)
	}
	if got := len(p.CallsTo(MethodApplyResourceChange)); got != n {
		t.Fatalf("%d apply calls logged, want %d", got, n)
	}
	if v := p.Violations(); len(v) > 0 {
		t.Fatalf("violations: %v", v)
	}
}

func TestConcurrentCallsAboutOneObject(t *testing.T) {
	p := configured(t)
	state := create(t, p, "a")
	p.SetDelay(50 * time.Millisecond)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: "mock_thing", CurrentState: state})
		})
	}
	wg.Wait()
	if v := p.Violations(); len(v) != 1 || !strings.Contains(v[0], "concurrent calls about mock_thing") {
		t.Fatalf("violations = %v, want one concurrent-call violation", v)
	}
	p.SetDelay(0)
	read(t, p, state) // the object is free again
}

func TestCancellation(t *testing.T) {
	tests := []struct {
		name   string
		cancel func(p *Provider, cancel context.CancelFunc)
	}{
		{"context cancelled", func(_ *Provider, cancel context.CancelFunc) { cancel() }},
		{"provider stopped", func(p *Provider, _ context.CancelFunc) { p.Stop(context.Background()) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := configured(t)
			p.SetDelay(time.Minute)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan providers.Diagnostics)
			go func() {
				done <- p.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: "mock_data",
					Config: cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("x"), "id": cty.NullVal(cty.String), "value": cty.NullVal(cty.String)})}).Diagnostics
			}()
			time.Sleep(10 * time.Millisecond)
			tc.cancel(p, cancel)
			select {
			case diags := <-done:
				if !diags.HasErrors() {
					t.Fatal("cancelled call succeeded")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("call did not return after cancellation")
			}
		})
	}
}

func TestDataSource(t *testing.T) {
	p := configured(t)
	cfg := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("db"), "id": cty.NullVal(cty.String), "value": cty.NullVal(cty.String)})
	resp := p.ReadDataSource(t.Context(), providers.ReadDataSourceRequest{TypeName: "mock_data", Config: cfg})
	want := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("db"), "id": cty.StringVal("db"), "value": cty.StringVal("value-of-db")})
	if resp.Diagnostics.HasErrors() || !resp.State.RawEquals(want) {
		t.Fatalf("ReadDataSource = %#v, %v; want %#v", resp.State, resp.Diagnostics, want)
	}
	p.SetDataSource("mock_data", func(cty.Value) (cty.Value, error) { return cty.NilVal, errors.New("not found") })
	if resp := p.ReadDataSource(t.Context(), providers.ReadDataSourceRequest{TypeName: "mock_data", Config: cfg}); !resp.Diagnostics.HasErrors() {
		t.Fatal("custom data source error was not reported")
	}
	if resp := p.ReadDataSource(t.Context(), providers.ReadDataSourceRequest{TypeName: "mock_nope", Config: cfg}); !resp.Diagnostics.HasErrors() {
		t.Fatal("unknown data source succeeded")
	}
}

func TestImport(t *testing.T) {
	p := configured(t)
	if err := p.SetObject("mock_thing", "ext-1", thingConfig("legacy", "old")); err != nil {
		t.Fatal(err)
	}
	resp := p.ImportResourceState(t.Context(), providers.ImportResourceStateRequest{TypeName: "mock_thing", ID: "ext-1"})
	if resp.Diagnostics.HasErrors() || len(resp.Imported) != 1 || resp.Imported[0].State.GetAttr("name").AsString() != "legacy" ||
		resp.Imported[0].State.GetAttr("id").AsString() != "ext-1" {
		t.Fatalf("import = %#v, %v", resp.Imported, resp.Diagnostics)
	}
	if resp := p.ImportResourceState(t.Context(), providers.ImportResourceStateRequest{TypeName: "mock_thing", ID: "nope"}); !resp.Diagnostics.HasErrors() {
		t.Fatal("import of a missing object succeeded")
	}
	if err := p.SetObject("mock_thing", "bad", cty.StringVal("x")); err == nil {
		t.Fatal("SetObject accepted a non-object")
	}
}
