package pluginbench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/zclconf/go-cty/cty"
)

// resources is how many std_null objects each PlanApply operation plans
// and creates.
const resources = 10000

var (
	buildOnce  sync.Once
	pluginDir  string
	pluginPath string
	buildErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pluginDir != "" {
		_ = os.RemoveAll(pluginDir)
	}
	os.Exit(code)
}

// testPlugin builds the std test plugin once, on first use, so that plain
// `go test` runs of this package build nothing.
func testPlugin(b *testing.B) string {
	b.Helper()
	buildOnce.Do(func() {
		if pluginDir, buildErr = os.MkdirTemp("", "bp-pluginbench-"); buildErr != nil {
			return
		}
		pluginPath = filepath.Join(pluginDir, "bp-provider-std")
		out, err := exec.Command("go", "build", "-o", pluginPath, "github.com/blueprint-engine/bp/plugins/internal/testplugin").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("cannot build the test plugin: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return pluginPath
}

func launch(b *testing.B) *plugins.Client {
	b.Helper()
	c, err := plugins.Launch(context.Background(), plugins.LaunchRequest{Name: "std", Path: testPlugin(b)})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkStart measures starting the plugin process up to its first
// answer: Launch (process start, handshake, mTLS, metadata) and GetSchema.
// Closing the plugin is not timed.
func BenchmarkStart(b *testing.B) {
	testPlugin(b)
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		c := launch(b)
		if d := c.GetSchema(context.Background()).Diagnostics; d.HasErrors() {
			b.Fatal(d)
		}
		elapsed := time.Since(start)
		total += elapsed
		b.StopTimer()
		_ = c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/start")
}

// BenchmarkPlanApply plans and creates 10,000 std_null objects per
// operation, in process and through the plugin, one after another
// (sequential) and ten at a time as the engine does (parallel-10); the
// difference of their µs/resource is the protocol's overhead per resource.
// cpu-µs/resource is the CPU time of bp and the plugin together, which a
// busy machine disturbs less than wall time.
//
// The engine-calls cases make the calls the engine makes for each created
// resource: ValidateResourceConfig and PlanResourceChange at plan time,
// then PlanResourceChange again, with the same request, and
// ApplyResourceChange at apply time. They show what the client saves
// (rpcs/resource) without the engine's own, much larger and noisier, cost.
// std declares std_null's creates schema-planned, so the client makes
// every plan here itself; the plan calls are still made, and cost bp's CPU.
func BenchmarkPlanApply(b *testing.B) {
	inProcess := func(*testing.B) providers.Interface { return std.New() }
	plugin := func(b *testing.B) providers.Interface { return launch(b) }
	cases := []struct {
		name        string
		open        func(b *testing.B) providers.Interface
		parallel    int
		engineCalls bool
	}{
		{"in-process/sequential", inProcess, 1, false},
		{"plugin/sequential", plugin, 1, false},
		{"in-process/parallel-10", inProcess, 10, false},
		{"plugin/parallel-10", plugin, 10, false},
		{"in-process/parallel-10/engine-calls", inProcess, 10, true},
		{"plugin/parallel-10/engine-calls", plugin, 10, true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			p := tc.open(b)
			defer p.Close()
			if d := p.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(cty.EmptyObject)}).Diagnostics; d.HasErrors() {
				b.Fatal(d)
			}
			schema := p.GetSchema(ctx).Schema.ResourceTypes["std_null"]
			prior := cty.NullVal(schema.ImpliedType())
			rpcs := func() int64 { return 0 }
			if c, ok := p.(*plugins.Client); ok {
				rpcs = func() int64 { return c.Stats().RPCs }
			}
			configs := make([]cty.Value, resources)
			b.ResetTimer()
			rpcsBefore := rpcs()
			meter := startCPU(b)
			var building time.Duration // bp's CPU time spent making configs
			op := 0
			for b.Loop() {
				// Each operation's configurations are new, so that the
				// client's plan cache cannot answer a plan the operation
				// before made.
				b.StopTimer()
				start := selfCPU(b)
				op++
				for i := range configs {
					configs[i] = cty.ObjectVal(map[string]cty.Value{
						"triggers": cty.MapVal(map[string]cty.Value{"n": cty.StringVal(fmt.Sprint(op, "-", i))}),
						"inputs":   cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(fmt.Sprintf("res-%d", i)), "size": cty.NumberIntVal(int64(i))}),
						"id":       cty.NullVal(cty.String),
						"outputs":  cty.NullVal(cty.DynamicPseudoType),
					})
				}
				building += selfCPU(b) - start
				b.StartTimer()
				var wg sync.WaitGroup
				for w := range tc.parallel {
					wg.Go(func() {
						for i := w; i < len(configs); i += tc.parallel {
							cfg := configs[i]
							if tc.engineCalls {
								if d := p.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: "std_null", Config: cfg}).Diagnostics; d.HasErrors() {
									b.Error(d)
									return
								}
							}
							planReq := providers.PlanResourceChangeRequest{TypeName: "std_null",
								PriorState: prior, ProposedNewState: providers.ProposedNewObject(schema, prior, cfg), Config: cfg}
							plan := p.PlanResourceChange(ctx, planReq)
							if tc.engineCalls && !plan.Diagnostics.HasErrors() {
								planReq.ProposedNewState = providers.ProposedNewObject(schema, prior, cfg)
								plan = p.PlanResourceChange(ctx, planReq)
							}
							if plan.Diagnostics.HasErrors() {
								b.Error(plan.Diagnostics)
								return
							}
							apply := p.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "std_null",
								PriorState: prior, PlannedState: plan.PlannedState, Config: cfg})
							if apply.Diagnostics.HasErrors() {
								b.Error(apply.Diagnostics)
								return
							}
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/resources/1000, "µs/resource")
			bpCPU, pluginCPU := meter.elapsed(b)
			b.ReportMetric(float64((bpCPU-building+pluginCPU).Nanoseconds())/float64(b.N)/resources/1000, "cpu-µs/resource")
			b.ReportMetric(float64(rpcs()-rpcsBefore)/float64(b.N)/resources, "rpcs/resource")
		})
	}
}

// BenchmarkRoundTrip measures the floor of any call through the plugin: a
// Stop, which carries no values and does nothing in std; each operation is
// 1,000 calls, one after another.
func BenchmarkRoundTrip(b *testing.B) {
	c := launch(b)
	defer c.Close()
	const calls = 1000
	meter := startCPU(b)
	for b.Loop() {
		for range calls {
			if err := c.Stop(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/calls/1000, "µs/call")
	bpCPU, pluginCPU := meter.elapsed(b)
	b.ReportMetric(float64((bpCPU+pluginCPU).Nanoseconds())/float64(b.N)/calls/1000, "cpu-µs/call")
}
