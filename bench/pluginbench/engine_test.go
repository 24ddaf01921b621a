package pluginbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/blueprint"
	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"
	"github.com/blueprint-engine/bp/providers"
	_ "github.com/blueprint-engine/bp/providers/std"
)

// engineResources is how many std_null resources the engine benchmark's
// blueprint declares: the scale of the target in DESIGN.md §4.
const engineResources = 10000

// engineBlueprint declares engineResources std_null resources, each with
// its own inputs (an object: a dynamic value on the wire).
var engineBlueprint = fmt.Sprintf(`resource "std_null" "r" {
  count  = %d
  inputs = { index = count.index, name = "r-${count.index}" }
}
`, engineResources)

// BenchmarkEngine is the target as DESIGN.md §4 means it: the engine plans
// and applies engineResources std_null resources from an empty state at its
// default parallelism, with std in process and with std through the plugin
// (one plugin process for the whole benchmark, as a bp command has; its
// start is BenchmarkStart's). Each operation runs both, so that the
// machine's load weighs on both alike, and reports per resource:
//
//   - inproc-µs, plugin-µs: wall time of plan + apply;
//   - overhead-µs: plugin-µs − inproc-µs, the protocol's amortized cost
//     (target < 50), and its parts plan-overhead-µs and apply-overhead-µs;
//   - overhead-cpu-µs: the CPU time bp and the plugin spend beyond what bp
//     alone spends in process, and its plan part plan-overhead-cpu-µs; on
//     an idle machine with C cores the wall-time overhead cannot fall below
//     overhead-cpu-µs / C;
//   - calls: provider calls the engine made per resource; rpcs: those
//     the plugin answered (the client answers some itself: validations of
//     schema-only types, plans of schema-planned ones, apply-time plans
//     identical to plan-time ones).
//
// Apply records each create durably (a placeholder, then the object) through
// state.Sync; a state snapshot costs O(1) and a change after it O(log n),
// so with this free backend nearly every update is its own write
// (state-writes/resource close to 2) and apply's time grows linearly.
func BenchmarkEngine(b *testing.B) {
	ctx := context.Background()
	cfg := loadBlueprint(b, engineBlueprint)
	client := launch(b)
	defer client.Close()
	plugin := &pluginResolver{p: client}

	var inproc, viaPlugin phaseTimes
	before := client.Stats()
	for b.Loop() {
		inproc.add(planApply(b, ctx, cfg, engine.BuiltinResolver{}))
		viaPlugin.add(planApply(b, ctx, cfg, plugin))
	}
	perResource := func(d time.Duration) float64 {
		return float64(d.Nanoseconds()) / float64(b.N) / engineResources / 1000
	}
	b.ReportMetric(perResource(inproc.plan+inproc.apply), "inproc-µs/resource")
	b.ReportMetric(perResource(viaPlugin.plan+viaPlugin.apply), "plugin-µs/resource")
	b.ReportMetric(perResource(viaPlugin.plan-inproc.plan), "plan-overhead-µs/resource")
	b.ReportMetric(perResource(viaPlugin.apply-inproc.apply), "apply-overhead-µs/resource")
	b.ReportMetric(perResource(viaPlugin.plan+viaPlugin.apply-inproc.plan-inproc.apply), "overhead-µs/resource")
	b.ReportMetric(perResource(viaPlugin.planCPU+viaPlugin.applyCPU-inproc.planCPU-inproc.applyCPU), "overhead-cpu-µs/resource")
	b.ReportMetric(perResource(viaPlugin.planCPU-inproc.planCPU), "plan-overhead-cpu-µs/resource")
	stats := client.Stats()
	b.ReportMetric(float64(inproc.writes)/float64(b.N)/engineResources, "inproc-state-writes/resource")
	b.ReportMetric(float64(viaPlugin.writes)/float64(b.N)/engineResources, "plugin-state-writes/resource")
	b.ReportMetric(float64(plugin.calls.total())/float64(b.N)/engineResources, "calls/resource")
	b.ReportMetric(float64(stats.RPCs-before.RPCs)/float64(b.N)/engineResources, "rpcs/resource")
	b.Logf("calls through the plugin in %d operations: %s; the plugin was asked %d times (%d validations skipped, %d plans made from the schema, %d plans answered from the plan cache)",
		b.N, &plugin.calls, stats.RPCs-before.RPCs, stats.SkippedValidations-before.SkippedValidations,
		stats.SchemaPlans-before.SchemaPlans, stats.CachedPlans-before.CachedPlans)
}

// phaseTimes are the wall times of plan and apply and their CPU times
// (bp's and its plugins'), and how many state snapshots apply wrote.
type phaseTimes struct {
	plan, apply, planCPU, applyCPU time.Duration
	writes                         int64
}

func (t *phaseTimes) add(u phaseTimes) {
	t.plan, t.apply = t.plan+u.plan, t.apply+u.apply
	t.planCPU, t.applyCPU = t.planCPU+u.planCPU, t.applyCPU+u.applyCPU
	t.writes += u.writes
}

// planApply plans the blueprint against an empty state and applies the
// plan, with providers from resolver.
func planApply(b *testing.B, ctx context.Context, cfg *blueprint.Config, resolver engine.ProviderResolver) phaseTimes {
	e := engine.New(engine.Options{Config: cfg, Providers: resolver})
	defer e.Close()
	prior := state.New()
	meter := startCPU(b)
	start := time.Now()
	p, diags := e.Plan(ctx, prior, engine.PlanOptions{SkipRefresh: true})
	if diags.HasErrors() {
		b.Fatalf("plan: %s", diags.Error())
	}
	if len(p.Changes) != engineResources {
		b.Fatalf("the plan has %d changes, want %d", len(p.Changes), engineResources)
	}
	planned := time.Now()
	bpCPU, pluginCPU := meter.elapsed(b)
	planCPU := bpCPU + pluginCPU
	backend := &discardBackend{}
	if diags := e.Apply(ctx, p, state.NewSync(prior, backend)); diags.HasErrors() {
		b.Fatalf("apply: %s", diags.Error())
	}
	t := phaseTimes{plan: planned.Sub(start), apply: time.Since(planned), planCPU: planCPU, writes: backend.writes.Load()}
	bpCPU, pluginCPU = meter.elapsed(b)
	t.applyCPU = bpCPU + pluginCPU - planCPU
	return t
}

func loadBlueprint(b *testing.B, src string) *blueprint.Config {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, diags := blueprint.NewLoader().LoadDir(dir)
	if diags.HasErrors() {
		b.Fatalf("load: %s", diags.Error())
	}
	return cfg
}

// pluginResolver gives the engine the plugin client for builtin/std and
// counts the calls made through it. Closing what it gives leaves the
// plugin running: the benchmark closes it at the end.
type pluginResolver struct {
	p providers.Interface
	// calls counts the calls of each method of the resource life cycle.
	calls callCounts
}

type callCounts struct{ validate, plan, apply, read atomic.Int64 }

func (c *callCounts) total() int64 {
	return c.validate.Load() + c.plan.Load() + c.apply.Load() + c.read.Load()
}

func (c *callCounts) String() string {
	return fmt.Sprintf("ValidateResourceConfig %d, PlanResourceChange %d, ApplyResourceChange %d, ReadResource %d",
		c.validate.Load(), c.plan.Load(), c.apply.Load(), c.read.Load())
}

func (r *pluginResolver) Provider(name, source string) (providers.Interface, error) {
	if source != providers.BuiltinSourcePrefix+"std" {
		return nil, fmt.Errorf("the benchmark's resolver has only builtin/std, not %q", source)
	}
	return &countingProvider{Interface: r.p, calls: &r.calls}, nil
}

// countingProvider counts the calls of the resource life cycle.
type countingProvider struct {
	providers.Interface
	calls *callCounts
}

func (c *countingProvider) ValidateResourceConfig(ctx context.Context, req providers.ValidateResourceConfigRequest) providers.ValidateResourceConfigResponse {
	c.calls.validate.Add(1)
	return c.Interface.ValidateResourceConfig(ctx, req)
}

func (c *countingProvider) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	c.calls.plan.Add(1)
	return c.Interface.PlanResourceChange(ctx, req)
}

func (c *countingProvider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	c.calls.apply.Add(1)
	return c.Interface.ApplyResourceChange(ctx, req)
}

func (c *countingProvider) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	c.calls.read.Add(1)
	return c.Interface.ReadResource(ctx, req)
}

// Close leaves the plugin running for the next operation.
func (c *countingProvider) Close() error { return nil }

// discardBackend is a state backend that keeps nothing, so that apply's
// state writes do not drown the difference being measured. It counts the
// snapshots it is handed: fewer updates are coalesced into one write when
// writes take longer.
type discardBackend struct{ writes atomic.Int64 }

func (*discardBackend) Read(context.Context) (*state.State, error) { return state.New(), nil }
func (d *discardBackend) Write(context.Context, *state.State) error {
	d.writes.Add(1)
	return nil
}
func (*discardBackend) Lock(context.Context, state.LockInfo) (string, error) { return "bench", nil }
func (*discardBackend) Unlock(string) error                                  { return nil }
func (*discardBackend) ForceUnlock(string) error                             { return nil }

var (
	_ engine.ProviderResolver = (*pluginResolver)(nil)
	_ providers.Interface     = (*countingProvider)(nil)
	_ state.Backend           = (*discardBackend)(nil)
)
