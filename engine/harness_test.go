package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/mock"
)

// harness runs plans and applies of blueprints against one mock provider
// whose objects outlive each engine, as a real cloud's would. The state
// lives in memory and is carried from one apply to the next.
type harness struct {
	t    *testing.T
	dir  string
	mock *mock.Provider
	// state is the state as stored after the last apply.
	state *state.State
	// parallelism is passed to every engine; 0 for the default.
	parallelism int
	// vars are -var assignments for every run.
	vars map[string]string
	// hosts converges configure blocks; nil for none.
	hosts engine.HostConfigurer
	// selfHosted realizes portable kinds; nil for none.
	selfHosted func(kind string) (*blueprint.SelfHosted, error)
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), mock: mock.New(), state: state.New()}
	t.Cleanup(func() {
		if v := h.mock.Violations(); len(v) > 0 {
			t.Errorf("provider contract violations: %q", v)
		}
	})
	return h
}

// write replaces the blueprint files with the txtar archive src; the text
// before the first file marker is main.bp.hcl.
func (h *harness) write(src string) {
	h.t.Helper()
	ar := txtar.Parse([]byte(src))
	if strings.TrimSpace(string(ar.Comment)) != "" {
		ar.Files = append(ar.Files, txtar.File{Name: "main.bp.hcl", Data: ar.Comment})
	}
	entries, _ := os.ReadDir(h.dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(h.dir, e.Name()))
	}
	for _, f := range ar.Files {
		p := filepath.Join(h.dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			h.t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			h.t.Fatal(err)
		}
	}
}

// engine loads src and returns an engine for it that uses the shared mock.
func (h *harness) engine(src string) *engine.Engine {
	h.t.Helper()
	return h.engineWith(src, nil)
}

// engineWith loads src and returns an engine for it whose "mock" provider
// is p, or the shared mock when p is nil.
func (h *harness) engineWith(src string, p providers.Interface) *engine.Engine {
	h.t.Helper()
	h.write(src)
	l := blueprint.NewLoader()
	cfg, diags := l.LoadDir(h.dir)
	if diags.HasErrors() {
		h.t.Fatalf("load: %s", diags.Error())
	}
	var args []blueprint.VarArg
	for k, v := range h.vars {
		args = append(args, blueprint.VarArg{Assign: k + "=" + v})
	}
	inputs, diags := l.CollectInputs(h.dir, args, nil)
	if diags.HasErrors() {
		h.t.Fatal(diags.Error())
	}
	values, diags := blueprint.PrepareVariables(cfg.Module, inputs)
	if diags.HasErrors() {
		h.t.Fatal(diags.Error())
	}
	e := engine.New(engine.Options{
		Config: cfg, Variables: values, Parallelism: h.parallelism,
		Providers: &mockResolver{t: h.t, mock: h.mock, provider: p},
		Hosts:     h.hosts,

		SelfHosted: h.selfHosted,
	})
	h.t.Cleanup(e.Close)
	return e
}

// plan plans src against the stored state.
func (h *harness) plan(src string, opts engine.PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	h.t.Helper()
	return h.engine(src).Plan(context.Background(), h.state.DeepCopy(), opts)
}

// mustPlan plans src and fails the test on errors.
func (h *harness) mustPlan(src string, opts engine.PlanOptions) *plan.Plan {
	h.t.Helper()
	p, diags := h.plan(src, opts)
	if diags.HasErrors() {
		h.t.Fatalf("plan: %s", diags.Error())
	}
	return p
}

// apply plans src and applies the plan with the same engine, as `bp apply`
// does; the stored state is what apply wrote, errors or not.
func (h *harness) apply(ctx context.Context, src string, opts engine.PlanOptions) (*plan.Plan, hcl.Diagnostics) {
	h.t.Helper()
	e := h.engine(src)
	p, diags := e.Plan(ctx, h.state.DeepCopy(), opts)
	if diags.HasErrors() {
		return p, diags
	}
	backend := &memBackend{}
	sy := state.NewSync(h.state.DeepCopy(), backend)
	diags = append(diags, e.Apply(ctx, p, sy)...)
	h.state = sy.Snapshot()
	return p, diags
}

// mustApply applies src and fails the test on errors.
func (h *harness) mustApply(src string) *plan.Plan {
	h.t.Helper()
	p, diags := h.apply(context.Background(), src, engine.PlanOptions{})
	if diags.HasErrors() {
		h.t.Fatalf("apply: %s", diags.Error())
	}
	return p
}

// addrs lists the instance addresses in the stored state, sorted.
func (h *harness) addrs() string {
	var out []string
	for _, a := range h.state.AllInstances() {
		out = append(out, a.String())
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// object returns the current object at addr in the stored state.
func (h *harness) object(addr string) *state.Object {
	h.t.Helper()
	a, err := state.ParseInstanceAddr(addr)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.state.Object(a)
}

// id returns the id attribute of the object at addr.
func (h *harness) id(addr string) string {
	h.t.Helper()
	obj := h.object(addr)
	if obj == nil {
		h.t.Fatalf("no object at %s in state: %s", addr, h.addrs())
	}
	return obj.Value.GetAttr("id").AsString()
}

// summary renders the non-no-op changes of p: "addr=action ...", sorted.
func summary(p *plan.Plan) string {
	var out []string
	for _, c := range p.Changes {
		if c.Action == plan.NoOp {
			continue
		}
		s := c.Addr.String() + "=" + string(c.Action)
		if c.Deposed != "" {
			s += "(deposed)"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// change returns the change of addr in p, or nil.
func change(p *plan.Plan, addr string) *plan.ResourceChange {
	for _, c := range p.Changes {
		if c.Addr.String() == addr && c.Deposed == "" {
			return c
		}
	}
	return nil
}

// applyLog renders the mock's ApplyResourceChange calls in order:
// "create:NAME", "update:NAME", "delete:NAME".
func applyLog(m *mock.Provider) []string {
	var out []string
	for _, c := range m.CallsTo(mock.MethodApplyResourceChange) {
		req := c.Request.(providers.ApplyResourceChangeRequest)
		switch {
		case req.PlannedState.IsNull():
			out = append(out, "delete:"+str(req.PriorState, "name"))
		case req.PriorState.IsNull():
			out = append(out, "create:"+str(req.PlannedState, "name"))
		default:
			out = append(out, "update:"+str(req.PlannedState, "name"))
		}
	}
	return out
}

func str(v cty.Value, attr string) string {
	if v.IsNull() || !v.IsKnown() {
		return "?"
	}
	a := v.GetAttr(attr)
	if a.IsNull() || !a.IsKnown() {
		return "?"
	}
	return a.AsString()
}

// indexOf returns the position of s in list, failing the test if absent.
func indexOf(t *testing.T, list []string, s string) int {
	t.Helper()
	for i, x := range list {
		if x == s {
			return i
		}
	}
	t.Fatalf("%q not in %q", s, list)
	return -1
}

// mockResolver hands every engine the one shared mock provider for "mock",
// wrapped so each engine configures and closes its own session of it.
type mockResolver struct {
	t    *testing.T
	mock *mock.Provider
	// provider, when set, is returned instead of a session of mock.
	provider providers.Interface
}

func (r *mockResolver) Provider(name, source string) (providers.Interface, error) {
	if name != "mock" {
		return nil, fmt.Errorf("the test resolver has no provider %q", name)
	}
	if r.provider != nil {
		return r.provider, nil
	}
	return &session{Provider: r.mock, t: r.t}, nil
}

var _ engine.ProviderResolver = (*mockResolver)(nil)

// session is one engine's view of the shared mock: the mock's own checks
// (Configure once, nothing after Close) apply per session.
type session struct {
	*mock.Provider
	t          *testing.T
	mu         sync.Mutex
	configured int
}

func (s *session) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	s.mu.Lock()
	s.configured++
	n := s.configured
	s.mu.Unlock()
	if n > 1 {
		s.t.Errorf("engine configured one provider instance %d times", n)
	}
	if _, done := s.Provider.Configured(); done {
		return providers.ConfigureResponse{}
	}
	return s.Provider.Configure(ctx, req)
}

func (s *session) Close() error { return nil }

var _ providers.Interface = (*session)(nil)

// memBackend keeps the state in memory.
type memBackend struct {
	mu     sync.Mutex
	state  *state.State
	writes int
}

func (b *memBackend) Read(context.Context) (*state.State, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == nil {
		return state.New(), nil
	}
	return b.state.DeepCopy(), nil
}

func (b *memBackend) Write(_ context.Context, s *state.State) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	s.Serial++
	b.state = s.DeepCopy()
	b.writes++
	return nil
}

func (b *memBackend) Lock(context.Context, state.LockInfo) (string, error) { return "mem", nil }
func (b *memBackend) Unlock(string) error                                  { return nil }
func (b *memBackend) ForceUnlock(string) error                             { return nil }

var _ state.Backend = (*memBackend)(nil)
