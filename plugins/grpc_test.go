package plugins

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/plugins/proto"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/mock"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-plugin"
	"github.com/zclconf/go-cty/cty"
	"google.golang.org/grpc"
)

// inProcess is a process that never exits: the in-process tests have no
// plugin process.
type inProcess struct{ dead atomic.Bool }

func (p *inProcess) exited() bool { return p.dead.Load() }
func (p *inProcess) exitStatus() string {
	if p.dead.Load() {
		return "exit status 2"
	}
	return ""
}
func (p *inProcess) kill() {}

// countingRPC counts GetSchema calls on the wire.
type countingRPC struct {
	proto.ProviderClient
	getSchema atomic.Int64
}

func (c *countingRPC) GetSchema(ctx context.Context, in *proto.GetSchema_Request, opts ...grpc.CallOption) (*proto.GetSchema_Response, error) {
	c.getSchema.Add(1)
	return c.ProviderClient.GetSchema(ctx, in, opts...)
}

// connect serves p through go-plugin's in-process gRPC test connection and
// returns a Client for it.
func connect(t testing.TB, p providers.Interface) (*Client, *countingRPC, *plugin.GRPCServer, *inProcess) {
	t.Helper()
	gc, gs := plugin.TestPluginGRPCConn(t, false, pluginSet(newServer(p, Metadata{Name: "test", Version: "1.2.3"})))
	// Closing the client stops the server too (go-plugin's controller).
	t.Cleanup(func() { _ = gc.Close() })
	raw, err := gc.Dispense(providerPluginName)
	if err != nil {
		t.Fatal(err)
	}
	rpc := &countingRPC{ProviderClient: raw.(proto.ProviderClient)}
	proc := &inProcess{}
	c := newClient("test", "/in/process", &outputTail{})
	c.rpc, c.proc = rpc, proc
	if err := c.fetchMetadata(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c, rpc, gs, proc
}

func TestMetadata(t *testing.T) {
	c, _, _, _ := connect(t, &fakeProvider{schema: widgetSchema()})
	got, err := c.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	want := Metadata{Name: "test", Version: "1.2.3", ProtocolVersion: ProtocolVersion}
	if got != want {
		t.Errorf("Metadata() = %+v, want %+v", got, want)
	}
}

// TestEveryCall sends each call through gRPC and checks that the provider
// received exactly the request sent and that the caller received exactly the
// response returned: unknowns, sensitive paths, null states, private data,
// requires-replace paths and diagnostics with nested paths.
func TestEveryCall(t *testing.T) {
	ctx := context.Background()
	unknownWidget := widget(map[string]cty.Value{
		"id":     cty.UnknownVal(cty.String),
		"any":    cty.DynamicVal,
		"secret": sensitive(cty.StringVal("s3cret")),
		"tags":   cty.MapVal(map[string]cty.Value{"tier": sensitive(cty.StringVal("web"))}),
	})
	created := widget(map[string]cty.Value{"secret": sensitive(cty.StringVal("s3cret")), "any": cty.StringVal("z")})
	nullWidget := cty.NullVal(widgetType)
	nested := cty.GetAttrPath("rule").IndexInt(0).GetAttr("match").IndexString("a").GetAttr("v")
	diags := providers.Diagnostics{
		providers.AttributeErrorf(nested, "Bad match", "Attribute, list index, map key, attribute."),
		providers.Warningf("Careful", "A warning about the whole object."),
	}
	config := cty.ObjectVal(map[string]cty.Value{"endpoint": cty.UnknownVal(cty.String), "token": sensitive(cty.StringVal("t"))})

	tests := []struct {
		name string
		req  any
		resp any
	}{
		{"ValidateProviderConfig", providers.ValidateProviderConfigRequest{Config: config},
			providers.ValidateProviderConfigResponse{Diagnostics: diags}},
		{"ValidateResourceConfig", providers.ValidateResourceConfigRequest{TypeName: "test_widget", Config: unknownWidget},
			providers.ValidateResourceConfigResponse{Diagnostics: diags}},
		{"ValidateDataSourceConfig", providers.ValidateDataSourceConfigRequest{TypeName: "test_lookup",
			Config: cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "result": cty.NullVal(cty.String)})},
			providers.ValidateDataSourceConfigResponse{}},
		{"Configure", providers.ConfigureRequest{Config: cty.ObjectVal(map[string]cty.Value{
			"endpoint": cty.StringVal("http://x"), "token": sensitive(cty.StringVal("t"))})},
			providers.ConfigureResponse{}},
		{"Configure without a provider block", providers.ConfigureRequest{Config: cty.NullVal(configType)},
			providers.ConfigureResponse{Diagnostics: diags[:1]}},
		{"PlanResourceChange create", providers.PlanResourceChangeRequest{TypeName: "test_widget",
			PriorState: nullWidget, ProposedNewState: unknownWidget, Config: unknownWidget},
			providers.PlanResourceChangeResponse{PlannedState: unknownWidget, PlannedPrivate: []byte("plan\x00data"), Diagnostics: diags[1:]}},
		{"PlanResourceChange replace", providers.PlanResourceChangeRequest{TypeName: "test_widget",
			PriorState: created, ProposedNewState: unknownWidget, Config: unknownWidget, PriorPrivate: []byte{1, 2}},
			providers.PlanResourceChangeResponse{PlannedState: unknownWidget, RequiresReplace: []cty.Path{
				cty.GetAttrPath("name"), cty.GetAttrPath("tags").IndexString("tier"), cty.GetAttrPath("rule").IndexInt(0).GetAttr("port"),
			}}},
		{"PlanResourceChange delete", providers.PlanResourceChangeRequest{TypeName: "test_widget",
			PriorState: created, ProposedNewState: nullWidget, Config: nullWidget},
			providers.PlanResourceChangeResponse{PlannedState: nullWidget}},
		{"ApplyResourceChange create", providers.ApplyResourceChangeRequest{TypeName: "test_widget",
			PriorState: nullWidget, PlannedState: unknownWidget, Config: unknownWidget, PlannedPrivate: []byte("p")},
			providers.ApplyResourceChangeResponse{NewState: created, Private: []byte("state-private")}},
		{"ApplyResourceChange delete", providers.ApplyResourceChangeRequest{TypeName: "test_widget",
			PriorState: created, PlannedState: nullWidget, Config: nullWidget},
			providers.ApplyResourceChangeResponse{NewState: nullWidget}},
		{"ApplyResourceChange failure keeps a partial state", providers.ApplyResourceChangeRequest{TypeName: "test_widget",
			PriorState: nullWidget, PlannedState: unknownWidget, Config: unknownWidget},
			providers.ApplyResourceChangeResponse{NewState: created, Diagnostics: diags}},
		{"ReadResource", providers.ReadResourceRequest{TypeName: "test_widget", CurrentState: created, Private: []byte("x")},
			providers.ReadResourceResponse{NewState: created, Private: []byte("y")}},
		{"ReadResource gone", providers.ReadResourceRequest{TypeName: "test_widget", CurrentState: created},
			providers.ReadResourceResponse{NewState: nullWidget}},
		{"ImportResourceState", providers.ImportResourceStateRequest{TypeName: "test_widget", ID: "widget-1"},
			providers.ImportResourceStateResponse{Imported: []providers.ImportedResource{
				{TypeName: "test_widget", State: created, Private: []byte("a")},
				{TypeName: "test_widget", State: widget(map[string]cty.Value{"name": cty.StringVal("w2")})},
			}, Diagnostics: diags[1:]}},
		{"ReadDataSource", providers.ReadDataSourceRequest{TypeName: "test_lookup",
			Config: cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal("k"), "result": cty.NullVal(cty.String)})},
			providers.ReadDataSourceResponse{State: cty.ObjectVal(map[string]cty.Value{
				"key": cty.StringVal("k"), "result": sensitive(cty.StringVal("v"))})}},
		{"Stop", stopReq{}, stopResp{}},
		{"Stop failing", stopReq{}, stopResp{errors.New("cannot stop now")}},
	}
	fake := &fakeProvider{schema: widgetSchema()}
	c, _, _, _ := connect(t, fake)
	opts := append(cmpOpts, cmp.Comparer(func(a, b stopResp) bool { return fmt.Sprint(a.err) == fmt.Sprint(b.err) }))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.GetSchema(ctx) // load the schema first, so the fake records just the call
			fake.respondWith(tc.resp)
			got := invoke(ctx, c, tc.req)
			if diff := cmp.Diff(tc.resp, got, opts); diff != "" {
				t.Errorf("response changed on the way (-provider returned +caller got):\n%s", diff)
			}
			received := fake.received()
			if len(received) != 1 {
				t.Fatalf("provider received %d calls, want 1: %#v", len(received), received)
			}
			if diff := cmp.Diff(tc.req, received[0], opts); diff != "" {
				t.Errorf("request changed on the way (-caller sent +provider received):\n%s", diff)
			}
		})
	}
}

func TestGetSchema(t *testing.T) {
	fake := &fakeProvider{schema: widgetSchema()}
	c, rpc, _, _ := connect(t, fake)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			resp := c.GetSchema(context.Background())
			if diff := cmp.Diff(widgetSchema(), resp.Schema, cmpOpts); diff != "" || len(resp.Diagnostics) > 0 {
				t.Errorf("schema changed on the way (-sent +received):\n%s\ndiagnostics: %v", diff, resp.Diagnostics)
			}
		})
	}
	wg.Wait()
	if n := rpc.getSchema.Load(); n != 1 {
		t.Errorf("the client asked for the schema %d times, want once", n)
	}
	if n := len(fake.received()); n != 1 {
		t.Errorf("the server asked the provider for the schema %d times, want once", n)
	}
}

func TestClientRejectsUnknownTypes(t *testing.T) {
	ctx := context.Background()
	fake := &fakeProvider{schema: widgetSchema()}
	c, _, _, _ := connect(t, fake)
	tests := []struct {
		name        string
		req         any
		wantSummary string
	}{
		{"resource", providers.PlanResourceChangeRequest{TypeName: "test_nope"}, "Unsupported resource type"},
		{"validate resource", providers.ValidateResourceConfigRequest{TypeName: "test_nope"}, "Unsupported resource type"},
		{"import", providers.ImportResourceStateRequest{TypeName: "test_nope"}, "Unsupported resource type"},
		{"data source", providers.ReadDataSourceRequest{TypeName: "test_widget"}, "Unsupported data source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.GetSchema(ctx)
			fake.respondWith(nil)
			diags := diagnosticsOf(invoke(ctx, c, tc.req))
			if len(diags) != 1 || diags[0].Summary != tc.wantSummary || !strings.Contains(diags[0].Detail, "test_widget") {
				t.Errorf("diagnostics = %v, want one %q that lists test_widget", diags, tc.wantSummary)
			}
			if got := fake.received(); len(got) != 0 {
				t.Errorf("the call reached the provider: %#v", got)
			}
		})
	}
}

func TestBadValues(t *testing.T) {
	ctx := context.Background()
	fake := &fakeProvider{schema: widgetSchema()}
	c, _, _, _ := connect(t, fake)
	c.GetSchema(ctx)

	// A request value of the wrong type never leaves bp.
	resp := c.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "test_widget",
		PriorState: cty.StringVal("oops"), ProposedNewState: widget(nil), Config: widget(nil)})
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "Invalid value for provider" {
		t.Errorf("diagnostics = %v, want Invalid value for provider", resp.Diagnostics)
	}

	// A response value of the wrong type comes back as a diagnostic.
	fake.respondWith(providers.PlanResourceChangeResponse{PlannedState: cty.StringVal("oops")})
	resp = c.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "test_widget",
		PriorState: cty.NullVal(widgetType), ProposedNewState: widget(nil), Config: widget(nil)})
	if !resp.Diagnostics.HasErrors() || resp.Diagnostics[0].Summary != "Invalid provider response" ||
		!strings.Contains(resp.Diagnostics[0].Detail, "test_widget") {
		t.Errorf("diagnostics = %v, want Invalid provider response about test_widget", resp.Diagnostics)
	}
}

func TestUnencodableSchema(t *testing.T) {
	bad := widgetSchema()
	bad.ResourceTypes["test_widget"].Attributes["broken"] = &providers.Attribute{Optional: true}
	c, _, _, _ := connect(t, &fakeProvider{schema: bad})
	for name, diags := range map[string]providers.Diagnostics{
		"GetSchema":          c.GetSchema(context.Background()).Diagnostics,
		"PlanResourceChange": c.PlanResourceChange(context.Background(), providers.PlanResourceChangeRequest{TypeName: "test_widget"}).Diagnostics,
	} {
		if !diags.HasErrors() || diags[0].Summary != "Invalid provider schema" || !strings.Contains(diags[0].Detail, `"broken"`) {
			t.Errorf("%s diagnostics = %v, want Invalid provider schema naming the attribute", name, diags)
		}
	}
}

// TestConcurrentCalls runs many plans and applies at once through one
// connection against the mock provider (run it with -race).
func TestConcurrentCalls(t *testing.T) {
	ctx := context.Background()
	m := mock.New()
	c, _, _, _ := connect(t, m)
	thing := m.GetSchema(ctx).Schema.ResourceTypes["mock_thing"].ImpliedType()
	if d := c.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(configOf(m))}).Diagnostics; d.HasErrors() {
		t.Fatal(d)
	}
	const goroutines, each = 64, 10
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("thing-%d-%d", g, i)
				cfg := cty.ObjectVal(map[string]cty.Value{
					"name": cty.StringVal(name), "value": cty.StringVal("v"),
					"secret": sensitive(cty.StringVal("s")), "id": cty.NullVal(cty.String),
				})
				proposed := providers.ProposedNewObject(m.GetSchema(ctx).Schema.ResourceTypes["mock_thing"], cty.NullVal(thing), cfg)
				plan := c.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "mock_thing",
					PriorState: cty.NullVal(thing), ProposedNewState: proposed, Config: cfg})
				if plan.Diagnostics.HasErrors() {
					t.Errorf("plan %s: %v", name, plan.Diagnostics)
					return
				}
				if id := plan.PlannedState.GetAttr("id"); id.IsKnown() {
					t.Errorf("plan %s: id planned as %#v, want unknown", name, id)
				}
				apply := c.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "mock_thing",
					PriorState: cty.NullVal(thing), PlannedState: plan.PlannedState, Config: cfg})
				if apply.Diagnostics.HasErrors() {
					t.Errorf("apply %s: %v", name, apply.Diagnostics)
					return
				}
				got := apply.NewState
				if got.GetAttr("name").AsString() != name || !got.GetAttr("id").IsKnown() || !got.GetAttr("secret").HasMark(sensitiveMark()) {
					t.Errorf("apply %s: new state %#v", name, got)
				}
			}
		})
	}
	wg.Wait()
	if v := m.Violations(); len(v) > 0 {
		t.Errorf("mock provider saw contract violations: %v", v)
	}
	if got := len(m.Calls()); got < goroutines*each*2 {
		t.Errorf("mock provider saw %d calls, want at least %d", got, goroutines*each*2)
	}
}

func TestCancelledCall(t *testing.T) {
	m := mock.New()
	m.SetDelay(time.Minute)
	c, _, _, _ := connect(t, m)
	c.GetSchema(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	diags := c.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: "mock_data",
		Config: cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("n"), "id": cty.NullVal(cty.String), "value": cty.NullVal(cty.String)})}).Diagnostics
	if time.Since(start) > 10*time.Second {
		t.Errorf("the cancelled call took %v", time.Since(start))
	}
	// Whichever notices the deadline first reports it: bp's side (the call
	// failed) or the provider, whose context gRPC cancels too.
	cancelled := slices.ContainsFunc(diags, func(d providers.Diagnostic) bool {
		return strings.Contains(strings.ToLower(d.Summary+" "+d.Detail), "cancelled")
	})
	if !diags.HasErrors() || !cancelled {
		t.Errorf("diagnostics = %v, want a cancelled call", diags)
	}
}

func TestBrokenConnectionIsACrash(t *testing.T) {
	c, _, gs, proc := connect(t, &fakeProvider{schema: widgetSchema()})
	c.GetSchema(context.Background())
	c.output.writer(nil).Write([]byte("panic: something broke\n\ngoroutine 1 [running]:\n"))
	gs.Stop()
	proc.dead.Store(true)
	diags := c.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: "test_widget", CurrentState: widget(nil)}).Diagnostics
	if len(diags) != 1 || diags[0].Summary != "Provider plugin crashed" {
		t.Fatalf("diagnostics = %v, want Provider plugin crashed", diags)
	}
	for _, want := range []string{`"test"`, "/in/process", "exit status 2", "ReadResource", "panic: something broke"} {
		if !strings.Contains(diags[0].Detail, want) {
			t.Errorf("detail %q does not mention %q", diags[0].Detail, want)
		}
	}
}

func diagnosticsOf(resp any) providers.Diagnostics {
	switch r := resp.(type) {
	case providers.PlanResourceChangeResponse:
		return r.Diagnostics
	case providers.ValidateResourceConfigResponse:
		return r.Diagnostics
	case providers.ImportResourceStateResponse:
		return r.Diagnostics
	case providers.ReadDataSourceResponse:
		return r.Diagnostics
	}
	panic(fmt.Sprintf("diagnosticsOf: %T", resp))
}
