package plugins

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/zclconf/go-cty/cty"
)

// launchVariants are the connection settings the launched benchmarks
// compare: what bp uses, and the same without mutual TLS (which bp never
// runs without) to show what TLS costs. (grpc.WithSharedWriteBuffer and
// fixed 1 MiB flow-control windows, which turn off BDP estimation, were
// measured too and made no difference.)
var launchVariants = []struct {
	name string
	req  LaunchRequest
}{
	{"mtls", LaunchRequest{}},
	{"plaintext", LaunchRequest{plaintext: true}},
}

// BenchmarkLaunchedPlanApply plans and creates std_null objects through the
// test plugin, one caller and ten callers at a time, for each connection
// variant. bench/pluginbench has the figures against the targets.
func BenchmarkLaunchedPlanApply(b *testing.B) {
	for _, v := range launchVariants {
		for _, parallel := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/parallel-%d", v.name, parallel), func(b *testing.B) {
				ctx := context.Background()
				c := launchTestPlugin(b, v.req)
				c.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(cty.EmptyObject)})
				schema := c.GetSchema(ctx).Schema.ResourceTypes["std_null"]
				prior := cty.NullVal(schema.ImpliedType())
				const perOp = 1000
				cpu := startCPU(b, c)
				for b.Loop() {
					var wg sync.WaitGroup
					for w := range parallel {
						wg.Go(func() {
							for i := w; i < perOp; i += parallel {
								cfg := cty.ObjectVal(map[string]cty.Value{
									"triggers": cty.MapVal(map[string]cty.Value{"n": cty.StringVal(fmt.Sprint(i))}),
									"inputs":   cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(fmt.Sprintf("res-%d", i)), "size": cty.NumberIntVal(int64(i))}),
									"id":       cty.NullVal(cty.String),
									"outputs":  cty.NullVal(cty.DynamicPseudoType),
								})
								plan := c.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "std_null",
									PriorState: prior, ProposedNewState: providers.ProposedNewObject(schema, prior, cfg), Config: cfg})
								apply := c.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "std_null",
									PriorState: prior, PlannedState: plan.PlannedState, Config: cfg})
								if plan.Diagnostics.HasErrors() || apply.Diagnostics.HasErrors() {
									b.Error(plan.Diagnostics, apply.Diagnostics)
									return
								}
							}
						})
					}
					wg.Wait()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perOp/1000, "µs/resource")
				cpu.report(b, b.N*perOp, "resource")
			})
		}
	}
}

// BenchmarkLaunchedRoundTrip is the floor of a call through the test
// plugin (Stop, which carries nothing), for each connection variant.
func BenchmarkLaunchedRoundTrip(b *testing.B) {
	for _, v := range launchVariants {
		for _, parallel := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/parallel-%d", v.name, parallel), func(b *testing.B) {
				c := launchTestPlugin(b, v.req)
				const perOp = 1000
				cpu := startCPU(b, c)
				for b.Loop() {
					var wg sync.WaitGroup
					for w := range parallel {
						wg.Go(func() {
							for i := w; i < perOp; i += parallel {
								if err := c.Stop(context.Background()); err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					wg.Wait()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perOp/1000, "µs/call")
				cpu.report(b, b.N*perOp, "call")
			})
		}
	}
}

// cpuMeter measures the CPU time bp's process and the plugin's spend, which
// a busy machine disturbs far less than wall time.
type cpuMeter struct {
	pid        int
	self, plug time.Duration
}

func startCPU(b *testing.B, c *Client) *cpuMeter {
	m := &cpuMeter{pid: c.proc.(*pluginProcess).cmd.Process.Pid}
	m.self, m.plug = selfCPU(b), processCPU(b, m.pid)
	return m
}

// report adds bp's and the plugin's CPU µs per unit to b's metrics.
func (m *cpuMeter) report(b *testing.B, units int, unit string) {
	self, plug := selfCPU(b)-m.self, processCPU(b, m.pid)-m.plug
	b.ReportMetric(float64(self.Nanoseconds())/float64(units)/1000, "bp-cpu-µs/"+unit)
	b.ReportMetric(float64(plug.Nanoseconds())/float64(units)/1000, "plugin-cpu-µs/"+unit)
}

func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU is the user and system time of process pid so far, from
// /proc/PID/stat (in clock ticks of 10 ms).
func processCPU(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime: fields 14 and 15
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
