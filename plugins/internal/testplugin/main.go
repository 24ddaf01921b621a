// Command testplugin is the provider plugin the plugins tests and
// benchmarks launch: the built-in std provider served out of process through
// plugins.Serve, so that std runs through the same protocol as any external
// provider.
//
// It crashes on request, to test how bp reports a dead plugin: a std_null
// planned with the trigger crash = "panic" panics, with crash = "exit" it
// writes a line to stderr and exits with status 3. With
// BP_TESTPLUGIN_FAIL_START set it exits before serving. With
// BP_TESTPLUGIN_OWN_TLS set it ignores the TLS certificate bp hands over,
// as plugins built before bp did so, and makes its own. With
// BP_TESTPLUGIN_CPUPROFILE=FILE it writes a CPU profile of its whole life to
// FILE when bp closes it (for benchmarks: go tool pprof -top FILE).
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/blueprint-engine/bp/plugins"
	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/zclconf/go-cty/cty"
)

// Version is the version the test plugin reports.
const Version = "0.0.1-test"

func main() {
	if msg := os.Getenv("BP_TESTPLUGIN_FAIL_START"); msg != "" {
		fmt.Fprintln(os.Stderr, "testplugin: failing at start:", msg)
		os.Exit(1)
	}
	if path := os.Getenv("BP_TESTPLUGIN_CPUPROFILE"); path != "" {
		stop, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testplugin:", err)
			os.Exit(1)
		}
		defer stop()
	}
	if os.Getenv("BP_TESTPLUGIN_OWN_TLS") != "" {
		// Behave as a plugin built before bp handed certificates over:
		// go-plugin makes its own.
		_ = os.Unsetenv("BP_PLUGIN_TLS_FD")
	}
	// go-plugin redirects os.Stderr once serving; keep the process's own.
	p := std.New()
	plugins.Serve(&crashing{Interface: p, std: p, stderr: os.Stderr}, plugins.ServeOpts{Name: "std", Version: Version})
}

// crashing is the std provider with crash triggers.
type crashing struct {
	providers.Interface
	std    *std.Provider
	stderr *os.File
}

// SchemaOnlyResourceTypes passes std's declaration on, which embedding
// the provider as a providers.Interface hides.
func (c *crashing) SchemaOnlyResourceTypes() []string { return c.std.SchemaOnlyResourceTypes() }

// SchemaPlannedCreateTypes passes std's declaration on too. bp then plans
// std_null creates itself once Configure has succeeded, so the crash
// triggers crash only the plans it asks for: before Configure, or of
// updates.
func (c *crashing) SchemaPlannedCreateTypes() []string { return c.std.SchemaPlannedCreateTypes() }

// PlanResourceChange crashes when the proposed triggers ask it to.
func (c *crashing) PlanResourceChange(ctx context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	switch crashTrigger(req.ProposedNewState) {
	case "panic":
		panic("testplugin: crash requested by trigger")
	case "exit":
		fmt.Fprintln(c.stderr, "testplugin: exiting on request")
		os.Exit(3)
	}
	return c.Interface.PlanResourceChange(ctx, req)
}

func crashTrigger(v cty.Value) string {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute("triggers") {
		return ""
	}
	t := v.GetAttr("triggers")
	if t.IsNull() || !t.IsKnown() || !t.Type().IsMapType() {
		return ""
	}
	crash, ok := t.AsValueMap()["crash"]
	if !ok || crash.IsNull() || !crash.IsKnown() {
		return ""
	}
	return crash.AsString()
}

// startCPUProfile profiles the process into path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cannot write the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot start the CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

var (
	_ plugins.SchemaOnlyValidator = (*crashing)(nil)
	_ plugins.SchemaCreatePlanner = (*crashing)(nil)
)
