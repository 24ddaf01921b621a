package sdk_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/plugins/sdk"
	"github.com/blueprint-engine/bp/plugins/sdk/providertest"
	"github.com/blueprint-engine/bp/providers"
)

// things is the demo provider's remote system: objects by name.
type things struct {
	sync.Mutex
	byName map[string]map[string]string
}

// demo returns a provider with one resource type, demo_thing, whose
// behaviour the tests adjust through hooks.
func demo(hooks func(r *sdk.Resource)) *sdk.Provider {
	r := &sdk.Resource{
		Attributes: sdk.Attributes{
			"name":     {Type: sdk.String, Required: true, ForceNew: true},
			"size":     {Type: sdk.Int, Optional: true, Default: 1},
			"tags":     {Type: sdk.Map(sdk.String), Optional: true},
			"secret":   {Type: sdk.String, Optional: true, Sensitive: true, Default: ""},
			"revision": {Type: sdk.Int, Computed: true},
		},
		PlanModify: func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			if d.IsNew() {
				d.Set("revision", 1)
			} else if d.HasChanges("size", "tags", "secret") {
				d.SetUnknown("revision")
			}
			return nil
		},
		Create: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			return write(d, meta.(*things), 1)
		},
		Read: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			ts := meta.(*things)
			ts.Lock()
			defer ts.Unlock()
			obj, ok := ts.byName[d.GetString("name")]
			if !ok {
				d.SetGone()
				return nil
			}
			d.SetID(obj["name"])
			d.Set("secret", obj["secret"])
			return nil
		},
		Update: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			return write(d, meta.(*things), 2)
		},
		Delete: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
			ts := meta.(*things)
			ts.Lock()
			defer ts.Unlock()
			delete(ts.byName, d.GetString("name"))
			return nil
		},
		Import: func(_ context.Context, id string, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			d.Set("name", id)
			return nil
		},
	}
	if hooks != nil {
		hooks(r)
	}
	return &sdk.Provider{
		Name: "demo",
		Configure: func(context.Context, *sdk.ResourceData) (any, sdk.Diagnostics) {
			return &things{byName: map[string]map[string]string{}}, nil
		},
		Resources: map[string]*sdk.Resource{"demo_thing": r},
	}
}

func write(d *sdk.ResourceData, ts *things, revision int) sdk.Diagnostics {
	ts.Lock()
	defer ts.Unlock()
	ts.byName[d.GetString("name")] = map[string]string{"name": d.GetString("name"), "secret": d.GetString("secret")}
	d.SetID(d.GetString("name"))
	d.Set("revision", revision)
	return nil
}

// client drives a provider like the engine does.
type client struct {
	t  *testing.T
	p  providers.Interface
	ty cty.Type
	s  *providers.Schema
}

func newClient(t *testing.T, p *sdk.Provider) *client {
	t.Helper()
	iface := p.Interface()
	resp := iface.GetSchema(context.Background())
	if resp.Diagnostics.HasErrors() {
		t.Fatalf("GetSchema: %v", resp.Diagnostics.Err())
	}
	if d := iface.Configure(context.Background(), providers.ConfigureRequest{Config: cty.NullVal(resp.Schema.Provider.ImpliedType())}).Diagnostics; d.HasErrors() {
		t.Fatalf("Configure: %v", d.Err())
	}
	s := resp.Schema.ResourceTypes["demo_thing"]
	return &client{t: t, p: iface, ty: s.ImpliedType(), s: s}
}

// config returns a demo_thing configuration: the attributes given, all
// others null.
func (c *client) config(attrs map[string]cty.Value) cty.Value {
	m := map[string]cty.Value{}
	for name, ty := range c.ty.AttributeTypes() {
		m[name] = cty.NullVal(ty)
	}
	for k, v := range attrs {
		m[k] = v
	}
	return cty.ObjectVal(m)
}

func (c *client) plan(prior, config cty.Value) providers.PlanResourceChangeResponse {
	return c.p.PlanResourceChange(context.Background(), providers.PlanResourceChangeRequest{
		TypeName: "demo_thing", PriorState: prior, ProposedNewState: providers.ProposedNewObject(c.s, prior, config), Config: config,
	})
}

func (c *client) apply(prior, planned, config cty.Value) providers.ApplyResourceChangeResponse {
	return c.p.ApplyResourceChange(context.Background(), providers.ApplyResourceChangeRequest{
		TypeName: "demo_thing", PriorState: prior, PlannedState: planned, Config: config,
	})
}

func (c *client) read(state cty.Value) providers.ReadResourceResponse {
	return c.p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: "demo_thing", CurrentState: state})
}

// create plans and applies config, failing the test on errors.
func (c *client) create(config cty.Value) cty.Value {
	c.t.Helper()
	plan := c.plan(cty.NullVal(c.ty), config)
	if plan.Diagnostics.HasErrors() {
		c.t.Fatalf("plan: %v", plan.Diagnostics.Err())
	}
	resp := c.apply(cty.NullVal(c.ty), plan.PlannedState, config)
	if resp.Diagnostics.HasErrors() {
		c.t.Fatalf("apply: %v", resp.Diagnostics.Err())
	}
	return resp.NewState
}

func TestConformance(t *testing.T) {
	providertest.Run(t, demo(nil).Interface(),
		providertest.Case{
			Name:         "in place",
			ResourceType: "demo_thing",
			Create:       providertest.Config{"name": "a", "secret": "s1"},
			Update:       providertest.Config{"name": "a", "secret": "s2", "size": 3, "tags": map[string]string{"k": "v"}},
			ImportID:     func(s cty.Value) string { return s.GetAttr("id").AsString() },
			// The demo's Read only refreshes name and secret.
			ImportIgnore: []string{"size", "tags", "revision"},
		},
		providertest.Case{
			Name:           "replaced",
			ResourceType:   "demo_thing",
			Create:         providertest.Config{"name": "a"},
			Update:         providertest.Config{"name": "b"},
			UpdateReplaces: true,
		},
	)
}

func TestSchema(t *testing.T) {
	p := demo(func(r *sdk.Resource) { r.Update = nil }).Interface()
	s := p.GetSchema(context.Background()).Schema.ResourceTypes["demo_thing"]
	tests := []struct {
		attr                                    string
		ty                                      cty.Type
		computed, required, sensitive, replaces bool
	}{
		{attr: "id", ty: cty.String, computed: true},
		{attr: "name", ty: cty.String, required: true, replaces: true},
		{attr: "size", ty: cty.Number, replaces: true}, // no Update: configurable means ForceNew
		{attr: "tags", ty: cty.Map(cty.String), replaces: true},
		{attr: "secret", ty: cty.String, sensitive: true, replaces: true},
		{attr: "revision", ty: cty.Number, computed: true},
	}
	for _, tc := range tests {
		t.Run(tc.attr, func(t *testing.T) {
			a := s.Attributes[tc.attr]
			if a == nil {
				t.Fatalf("no attribute %q", tc.attr)
			}
			if !a.Type.Equals(tc.ty) || a.Computed != tc.computed || a.Required != tc.required || a.Sensitive != tc.sensitive || a.RequiresReplace != tc.replaces {
				t.Errorf("got %#v", a)
			}
		})
	}
	if got := s.Attributes["size"].Default; !got.RawEquals(cty.NumberIntVal(1)) {
		t.Errorf("size default = %#v, want 1", got)
	}
}

func TestInvalidDeclarations(t *testing.T) {
	tests := []struct {
		name string
		p    *sdk.Provider
		want string
	}{
		{"bad default", demo(func(r *sdk.Resource) { r.Attributes["size"].Default = "big" }), `attribute "size": Default does not fit its type number`},
		{"no create", demo(func(r *sdk.Resource) { r.Create = nil }), `resource type "demo_thing": Create, Read and Delete must be set`},
		{"no type", demo(func(r *sdk.Resource) { r.Attributes["size"] = &sdk.Attribute{Optional: true} }), `attribute "size" has no Type`},
		{"flags", demo(func(r *sdk.Resource) { r.Attributes["size"].Computed, r.Attributes["size"].Required = true, true }), `cannot be both Required and Optional`},
		{"prefix", &sdk.Provider{Name: "demo", DataSources: map[string]*sdk.DataSource{"other": {Read: func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil }}}}, `type "other": its name must start with the provider name, "demo_"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p.Interface()
			for _, diags := range []sdk.Diagnostics{
				p.GetSchema(context.Background()).Diagnostics,
				p.Configure(context.Background(), providers.ConfigureRequest{}).Diagnostics,
				p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: "demo_thing"}).Diagnostics,
			} {
				if err := diags.Err(); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("got %v, want an error containing %q", err, tc.want)
				}
			}
		})
	}
}

func TestPlan(t *testing.T) {
	c := newClient(t, demo(nil))
	state := c.create(c.config(map[string]cty.Value{"name": cty.StringVal("a")}))
	tests := []struct {
		name        string
		prior       cty.Value
		config      map[string]cty.Value
		want        map[string]cty.Value // planned attributes checked
		wantReplace string
		wantErr     string
	}{
		{
			name:   "create: computed unknown, PlanModify and default applied",
			prior:  cty.NullVal(c.ty),
			config: map[string]cty.Value{"name": cty.StringVal("b")},
			want:   map[string]cty.Value{"id": cty.UnknownVal(cty.String), "revision": cty.NumberIntVal(1), "size": cty.NumberIntVal(1)},
		},
		{
			name:   "no change keeps prior computed values",
			prior:  state,
			config: map[string]cty.Value{"name": cty.StringVal("a")},
			want:   map[string]cty.Value{"id": cty.StringVal("a"), "revision": cty.NumberIntVal(1)},
		},
		{
			name:   "update: PlanModify marks revision unknown",
			prior:  state,
			config: map[string]cty.Value{"name": cty.StringVal("a"), "size": cty.NumberIntVal(5)},
			want:   map[string]cty.Value{"id": cty.StringVal("a"), "revision": cty.UnknownVal(cty.Number), "size": cty.NumberIntVal(5)},
		},
		{
			name:        "ForceNew change replaces and plans like a create",
			prior:       state,
			config:      map[string]cty.Value{"name": cty.StringVal("z")},
			want:        map[string]cty.Value{"id": cty.UnknownVal(cty.String), "revision": cty.NumberIntVal(1)},
			wantReplace: "name",
		},
		{
			name:        "unknown ForceNew value replaces",
			prior:       state,
			config:      map[string]cty.Value{"name": cty.UnknownVal(cty.String)},
			want:        map[string]cty.Value{"name": cty.UnknownVal(cty.String)},
			wantReplace: "name",
		},
		{
			name:    "required missing",
			prior:   cty.NullVal(c.ty),
			config:  map[string]cty.Value{"size": cty.NumberIntVal(2)},
			wantErr: `Missing required argument: The argument "name" is required`,
		},
		{
			name:    "fraction in an Int",
			prior:   cty.NullVal(c.ty),
			config:  map[string]cty.Value{"name": cty.StringVal("b"), "size": cty.NumberFloatVal(1.5)},
			wantErr: "takes whole numbers only; remove the fraction. (at size)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.plan(tc.prior, c.config(tc.config))
			if tc.wantErr != "" {
				if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if resp.Diagnostics.HasErrors() {
				t.Fatal(resp.Diagnostics.Err())
			}
			for name, want := range tc.want {
				if got := resp.PlannedState.GetAttr(name); !got.RawEquals(want) {
					t.Errorf("planned %s = %#v, want %#v", name, got, want)
				}
			}
			var replace []string
			for _, p := range resp.RequiresReplace {
				replace = append(replace, providers.FormatPath(p))
			}
			if got := strings.Join(replace, ","); got != tc.wantReplace {
				t.Errorf("RequiresReplace = %q, want %q", got, tc.wantReplace)
			}
		})
	}
}

func TestPlanModifyMustKeepConfiguration(t *testing.T) {
	c := newClient(t, demo(func(r *sdk.Resource) {
		r.PlanModify = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			d.Set("size", 9)
			return nil
		}
	}))
	resp := c.plan(cty.NullVal(c.ty), c.config(map[string]cty.Value{"name": cty.StringVal("a")}))
	if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), `PlanModify of demo_thing changed "size", which is not Computed`) {
		t.Errorf("got %v", err)
	}
}

// TestAuthorBugs checks that mistakes in author code become error
// diagnostics and never crash the provider.
func TestAuthorBugs(t *testing.T) {
	tests := []struct {
		name  string
		hooks func(r *sdk.Resource)
		want  string
	}{
		{"panic", func(r *sdk.Resource) {
			r.Create = func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { panic("boom") }
		}, `Provider "demo" panicked in Create: boom`},
		{"nil map", func(r *sdk.Resource) {
			r.Create = func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics {
				var m map[string]int
				m["x"] = 1
				return nil
			}
		}, "assignment to entry in nil map"},
		{"no id", func(r *sdk.Resource) {
			r.Create = func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil }
		}, "Create of demo_thing returned without setting the id"},
		{"undeclared attribute", func(r *sdk.Resource) {
			r.Create = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.SetID(d.GetString("nmae"))
				return nil
			}
		}, `attribute "nmae" is not declared in the schema`},
		{"wrong getter", func(r *sdk.Resource) {
			r.Create = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.SetID("x")
				d.GetBool("name")
				return nil
			}
		}, `attribute "name", a string, cannot be read as bool`},
		{"wrong setter", func(r *sdk.Resource) {
			r.Create = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.SetID("x")
				d.Set("tags", 3)
				return nil
			}
		}, `Set("tags")`},
		{"SetUnknown in apply", func(r *sdk.Resource) {
			r.Create = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.SetID("x")
				d.SetUnknown("revision")
				return nil
			}
		}, `SetUnknown("revision") is only allowed in PlanModify`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, demo(tc.hooks))
			config := c.config(map[string]cty.Value{"name": cty.StringVal("a")})
			plan := c.plan(cty.NullVal(c.ty), config)
			resp := c.apply(cty.NullVal(c.ty), plan.PlannedState, config)
			if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestApply(t *testing.T) {
	t.Run("update failure keeps the prior state", func(t *testing.T) {
		c := newClient(t, demo(func(r *sdk.Resource) {
			r.Update = func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics {
				return sdk.FromError("Cannot update thing", errors.New("the API said no"))
			}
		}))
		state := c.create(c.config(map[string]cty.Value{"name": cty.StringVal("a")}))
		config := c.config(map[string]cty.Value{"name": cty.StringVal("a"), "size": cty.NumberIntVal(4)})
		resp := c.apply(state, c.plan(state, config).PlannedState, config)
		if err := resp.Diagnostics.Err(); err == nil || err.Error() != "Cannot update thing: the API said no" {
			t.Errorf("got %v", err)
		}
		if !resp.NewState.RawEquals(state) {
			t.Errorf("NewState = %#v, want the prior state", resp.NewState)
		}
	})
	t.Run("create failure after creating records the object", func(t *testing.T) {
		c := newClient(t, demo(func(r *sdk.Resource) {
			create := r.Create
			r.Create = func(ctx context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				create(ctx, d, meta)
				return sdk.Error("Cannot tag thing", "Tagging failed after the thing was created.")
			}
		}))
		config := c.config(map[string]cty.Value{"name": cty.StringVal("a")})
		resp := c.apply(cty.NullVal(c.ty), c.plan(cty.NullVal(c.ty), config).PlannedState, config)
		if !resp.Diagnostics.HasErrors() || resp.NewState.IsNull() || resp.NewState.GetAttr("id").AsString() != "a" {
			t.Errorf("got state %#v, diags %v; want the created object and the error", resp.NewState, resp.Diagnostics.Err())
		}
	})
	t.Run("unset computed values become null", func(t *testing.T) {
		c := newClient(t, demo(func(r *sdk.Resource) {
			r.PlanModify = nil
			r.Create = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
				d.SetID("a")
				return nil
			}
		}))
		state := c.create(c.config(map[string]cty.Value{"name": cty.StringVal("a")}))
		if !state.IsWhollyKnown() || !state.GetAttr("revision").IsNull() {
			t.Errorf("state = %#v, want revision null and every value known", state)
		}
	})
}

func TestRead(t *testing.T) {
	c := newClient(t, demo(nil))
	state := c.create(c.config(map[string]cty.Value{"name": cty.StringVal("a"), "secret": cty.StringVal("s")}))
	placeholder := c.config(map[string]cty.Value{"name": cty.StringVal("a"), "size": cty.NumberIntVal(1)})
	tests := []struct {
		name    string
		current cty.Value
		want    cty.Value
	}{
		{"existing", state, state},
		{"placeholder of an interrupted create", placeholder, cty.ObjectVal(map[string]cty.Value{
			"id": cty.StringVal("a"), "name": cty.StringVal("a"), "size": cty.NumberIntVal(1),
			"tags": cty.NullVal(cty.Map(cty.String)), "secret": cty.StringVal("s"), "revision": cty.NullVal(cty.Number),
		})},
		{"gone", c.config(map[string]cty.Value{"id": cty.StringVal("b"), "name": cty.StringVal("b")}), cty.NullVal(c.ty)},
		{"null", cty.NullVal(c.ty), cty.NullVal(c.ty)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := c.read(tc.current)
			if resp.Diagnostics.HasErrors() {
				t.Fatal(resp.Diagnostics.Err())
			}
			if !resp.NewState.RawEquals(tc.want) {
				t.Errorf("got %#v\nwant %#v", resp.NewState, tc.want)
			}
		})
	}
	t.Run("read leaving the id empty is gone", func(t *testing.T) {
		c := newClient(t, demo(func(r *sdk.Resource) {
			r.Read = func(context.Context, *sdk.ResourceData, any) sdk.Diagnostics { return nil }
		}))
		if got := c.read(placeholder).NewState; !got.IsNull() {
			t.Errorf("got %#v, want null", got)
		}
	})
}

func TestImport(t *testing.T) {
	passthrough := func(r *sdk.Resource) {
		r.Import = nil
		r.Read = func(_ context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			if d.ID() != "known" {
				d.SetGone()
			}
			d.Set("name", d.ID())
			return nil
		}
	}
	tests := []struct {
		name, id string
		hooks    func(r *sdk.Resource)
		wantName string
		wantErr  string
	}{
		{name: "by Import", id: "a", wantName: "a"},
		{name: "missing", id: "nope", wantErr: `There is no demo_thing with ID "nope" to import`},
		{name: "empty ID", id: "", wantErr: "The import ID of a demo_thing is empty"},
		{name: "passthrough", id: "known", hooks: passthrough, wantName: "known"},
		{name: "passthrough missing", id: "other", hooks: passthrough, wantErr: `There is no demo_thing with ID "other"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, demo(tc.hooks))
			c.create(c.config(map[string]cty.Value{"name": cty.StringVal("a")}))
			resp := c.p.ImportResourceState(context.Background(), providers.ImportResourceStateRequest{TypeName: "demo_thing", ID: tc.id})
			if tc.wantErr != "" {
				if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if resp.Diagnostics.HasErrors() || len(resp.Imported) != 1 {
				t.Fatalf("got %d objects, %v", len(resp.Imported), resp.Diagnostics.Err())
			}
			if got := resp.Imported[0].State.GetAttr("name").AsString(); got != tc.wantName {
				t.Errorf("imported name %q, want %q", got, tc.wantName)
			}
		})
	}
}

func TestNotConfigured(t *testing.T) {
	p := demo(nil).Interface()
	resp := p.ReadResource(context.Background(), providers.ReadResourceRequest{TypeName: "demo_thing"})
	if err := resp.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), "called before Configure") {
		t.Errorf("got %v", err)
	}
	plan := p.PlanResourceChange(context.Background(), providers.PlanResourceChangeRequest{TypeName: "demo_nothing"})
	if err := plan.Diagnostics.Err(); err == nil || !strings.Contains(err.Error(), `has no resource type "demo_nothing"; it offers demo_thing`) {
		t.Errorf("got %v", err)
	}
}

func TestStopCancelsCalls(t *testing.T) {
	started := make(chan struct{})
	c := newClient(t, demo(func(r *sdk.Resource) {
		r.Read = func(ctx context.Context, d *sdk.ResourceData, _ any) sdk.Diagnostics {
			close(started)
			select {
			case <-ctx.Done():
				return sdk.FromError("Read interrupted", ctx.Err())
			case <-time.After(10 * time.Second):
				return nil
			}
		}
	}))
	go func() {
		<-started
		_ = c.p.Stop(context.Background())
	}()
	resp := c.read(c.config(map[string]cty.Value{"id": cty.StringVal("a"), "name": cty.StringVal("a")}))
	if err := resp.Diagnostics.Err(); err == nil || err.Error() != "Read interrupted: context canceled" {
		t.Errorf("got %v", err)
	}
}

func TestConfigureAndDataSource(t *testing.T) {
	p := &sdk.Provider{
		Name:   "demo",
		Config: sdk.Attributes{"greeting": {Type: sdk.String, Optional: true, Default: "hello"}},
		Configure: func(_ context.Context, d *sdk.ResourceData) (any, sdk.Diagnostics) {
			return d.GetString("greeting"), nil
		},
		DataSources: map[string]*sdk.DataSource{"demo_echo": {
			Attributes: sdk.Attributes{
				"name":    {Type: sdk.String, Required: true},
				"message": {Type: sdk.String, Computed: true},
				"unset":   {Type: sdk.String, Computed: true},
			},
			Validate: func(d *sdk.ResourceData) sdk.Diagnostics {
				if d.IsKnown("name") && d.GetString("name") == "" {
					return sdk.AttributeError("name", "Empty name", "Set name to a non-empty string.")
				}
				return nil
			},
			Read: func(_ context.Context, d *sdk.ResourceData, meta any) sdk.Diagnostics {
				d.Set("message", meta.(string)+", "+d.GetString("name"))
				return nil
			},
		}},
	}
	iface := p.Interface()
	ctx := context.Background()
	if diags := iface.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(cty.Object(map[string]cty.Type{"greeting": cty.String}))}).Diagnostics; diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	config := func(name cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"name": name, "message": cty.NullVal(cty.String), "unset": cty.NullVal(cty.String)})
	}
	resp := iface.ReadDataSource(ctx, providers.ReadDataSourceRequest{TypeName: "demo_echo", Config: config(cty.StringVal("bp"))})
	if resp.Diagnostics.HasErrors() {
		t.Fatal(resp.Diagnostics.Err())
	}
	want := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("bp"), "message": cty.StringVal("hello, bp"), "unset": cty.NullVal(cty.String)})
	if !resp.State.RawEquals(want) {
		t.Errorf("got %#v, want %#v", resp.State, want)
	}
	for _, tc := range []struct {
		name   string
		config cty.Value
		want   string
	}{
		{"empty", config(cty.StringVal("")), "Empty name: Set name to a non-empty string. (at name)"},
		{"unknown", config(cty.UnknownVal(cty.String)), ""},
		{"missing", config(cty.NullVal(cty.String)), `The argument "name" is required`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := iface.ValidateDataSourceConfig(ctx, providers.ValidateDataSourceConfigRequest{TypeName: "demo_echo", Config: tc.config}).Diagnostics.Err()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}
