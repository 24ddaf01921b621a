package plugins

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/providers"
	"github.com/blueprint-engine/bp/providers/std"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/zclconf/go-cty/cty"
)

// testPluginPath is the test plugin binary (plugins/internal/testplugin),
// built by TestMain: the std provider served out of process.
var testPluginPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bp-plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testPluginPath = filepath.Join(dir, "bp-provider-std")
	build := exec.Command("go", "build", "-o", testPluginPath, "github.com/blueprint-engine/bp/plugins/internal/testplugin")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot build the test plugin: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func launchTestPlugin(t testing.TB, req LaunchRequest) *Client {
	t.Helper()
	req.Name, req.Path = "std", testPluginPath
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Launch(ctx, req)
	if err != nil {
		t.Fatalf("Launch: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestStdOutOfProcess runs a std_file through its life cycle in process and
// through the plugin, and expects the same answers from both.
func TestStdOutOfProcess(t *testing.T) {
	ctx := context.Background()
	c := launchTestPlugin(t, LaunchRequest{})
	meta, _ := c.Metadata()
	if want := (Metadata{Name: "std", Version: "0.0.1-test", ProtocolVersion: 1}); meta != want {
		t.Errorf("Metadata() = %+v, want %+v", meta, want)
	}
	in := std.New()
	if diff := cmp.Diff(in.GetSchema(ctx), c.GetSchema(ctx), cmpOpts); diff != "" {
		t.Fatalf("schema differs (-in process +plugin):\n%s", diff)
	}

	dir := t.TempDir()
	for name, p := range map[string]providers.Interface{"in process": in, "plugin": c} {
		if d := p.Configure(ctx, providers.ConfigureRequest{Config: cty.NullVal(cty.EmptyObject)}).Diagnostics; d.HasErrors() {
			t.Fatalf("%s: Configure: %v", name, d)
		}
	}
	schema := in.GetSchema(ctx).Schema.ResourceTypes["std_file"]
	fileType := schema.ImpliedType()
	// Each side writes its own file; the paths are put back before comparing.
	fileConfig := func(path string) cty.Value {
		attrs := map[string]cty.Value{}
		for name, a := range fileType.AttributeTypes() {
			attrs[name] = cty.NullVal(a)
		}
		attrs["path"] = cty.StringVal(path)
		attrs["content"] = cty.StringVal("hello\n")
		return cty.ObjectVal(attrs)
	}
	type result struct{ plan, apply, read cty.Value }
	run := func(p providers.Interface, path string) result {
		t.Helper()
		cfg := fileConfig(path)
		if d := p.ValidateResourceConfig(ctx, providers.ValidateResourceConfigRequest{TypeName: "std_file", Config: cfg}).Diagnostics; d.HasErrors() {
			t.Fatalf("validate: %v", d)
		}
		prior := cty.NullVal(fileType)
		plan := p.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "std_file",
			PriorState: prior, ProposedNewState: providers.ProposedNewObject(schema, prior, cfg), Config: cfg})
		if plan.Diagnostics.HasErrors() {
			t.Fatalf("plan: %v", plan.Diagnostics)
		}
		apply := p.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "std_file",
			PriorState: prior, PlannedState: plan.PlannedState, Config: cfg, PlannedPrivate: plan.PlannedPrivate})
		if apply.Diagnostics.HasErrors() {
			t.Fatalf("apply: %v", apply.Diagnostics)
		}
		read := p.ReadResource(ctx, providers.ReadResourceRequest{TypeName: "std_file", CurrentState: apply.NewState, Private: apply.Private})
		if read.Diagnostics.HasErrors() {
			t.Fatalf("read: %v", read.Diagnostics)
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != "hello\n" {
			t.Fatalf("file %s holds %q (%v), want hello", path, got, err)
		}
		// The result of each step, with the path set to the same value.
		norm := func(v cty.Value) cty.Value {
			if v.IsNull() || !v.IsKnown() {
				return v
			}
			m := v.AsValueMap()
			m["path"], m["id"] = cty.StringVal("FILE"), cty.StringVal("FILE")
			return cty.ObjectVal(m)
		}
		return result{norm(plan.PlannedState), norm(apply.NewState), norm(read.NewState)}
	}
	want := run(in, filepath.Join(dir, "in-process.txt"))
	got := run(c, filepath.Join(dir, "plugin.txt"))
	if diff := cmp.Diff(want, got, cmpOpts, cmp.AllowUnexported(result{})); diff != "" {
		t.Errorf("plugin results differ (-in process +plugin):\n%s", diff)
	}
}

func TestCrash(t *testing.T) {
	tests := []struct {
		name       string
		trigger    string
		wantStatus string
		wantOutput string
	}{
		{"panic", "panic", "exit status 2", "panic: testplugin: crash requested by trigger"},
		{"exit", "exit", "exit status 3", "testplugin: exiting on request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := launchTestPlugin(t, LaunchRequest{})
			nullType := c.GetSchema(ctx).Schema.ResourceTypes["std_null"].ImpliedType()
			cfg := cty.ObjectVal(map[string]cty.Value{
				"triggers": cty.MapVal(map[string]cty.Value{"crash": cty.StringVal(tc.trigger)}),
				"inputs":   cty.NullVal(cty.DynamicPseudoType), "id": cty.NullVal(cty.String), "outputs": cty.NullVal(cty.DynamicPseudoType),
			})
			done := make(chan providers.Diagnostics, 1)
			go func() {
				done <- c.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "std_null",
					PriorState: cty.NullVal(nullType), ProposedNewState: cfg, Config: cfg}).Diagnostics
			}()
			var diags providers.Diagnostics
			select {
			case diags = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the call to a crashed plugin did not return")
			}
			if len(diags) > 0 {
				t.Logf("%s\n%s", diags[0].Summary, diags[0].Detail)
			}
			if len(diags) != 1 || diags[0].Summary != "Provider plugin crashed" {
				t.Fatalf("diagnostics = %v, want one Provider plugin crashed", diags)
			}
			for _, want := range []string{`"std"`, testPluginPath, tc.wantStatus, "PlanResourceChange", tc.wantOutput} {
				if !strings.Contains(diags[0].Detail, want) {
					t.Errorf("detail does not mention %q:\n%s", want, diags[0].Detail)
				}
			}
			// Later calls fail at once with the same report.
			start := time.Now()
			read := c.ReadResource(ctx, providers.ReadResourceRequest{TypeName: "std_null", CurrentState: cty.NullVal(nullType)})
			if len(read.Diagnostics) != 1 || read.Diagnostics[0].Summary != "Provider plugin crashed" || time.Since(start) > 5*time.Second {
				t.Errorf("call after the crash: %v after %v", read.Diagnostics, time.Since(start))
			}
			if err := c.Stop(ctx); err == nil || !strings.Contains(err.Error(), "crashed") {
				t.Errorf("Stop after the crash = %v, want a crash error", err)
			}
			if err := c.Close(); err != nil {
				t.Errorf("Close after the crash: %v", err)
			}
		})
	}
}

func TestLaunchFailures(t *testing.T) {
	notPlugin := filepath.Join(t.TempDir(), "not-a-plugin")
	if err := os.WriteFile(notPlugin, []byte("#!/bin/sh\necho hello there\nsleep 5\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		req   LaunchRequest
		wants []string
	}{
		{"no path", LaunchRequest{Name: "std"}, []string{"no plugin binary path"}},
		{"missing binary", LaunchRequest{Name: "ghost", Path: "/nonexistent/bp-provider-ghost"}, []string{`"ghost"`, "/nonexistent/bp-provider-ghost"}},
		{"exits at start", LaunchRequest{Name: "std", Path: testPluginPath, Env: []string{"BP_TESTPLUGIN_FAIL_START=no config"}},
			[]string{`"std"`, testPluginPath, "testplugin: failing at start: no config"}},
		{"not a plugin", LaunchRequest{Name: "odd", Path: notPlugin}, []string{`"odd"`, "Is it a Blueprint provider plugin"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := Launch(ctx, tc.req)
			if err == nil {
				_ = c.Close()
				t.Fatal("Launch succeeded")
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not mention %q:\n%v", want, err)
				}
			}
		})
	}
}

func TestLaunchLog(t *testing.T) {
	var log syncBuffer
	c := launchTestPlugin(t, LaunchRequest{Log: &log, LogLevel: hclog.Debug})
	c.GetSchema(context.Background())
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"starting plugin", testPluginPath, "plugin address"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log does not mention %q:\n%s", want, log.String())
		}
	}
}

func TestLaunchConfig(t *testing.T) {
	cfg := clientConfig(context.Background(), LaunchRequest{Path: "x"}, exec.Command("x"), hclog.NewNullLogger(), &outputTail{}, &clientStats{})
	if cfg.AutoMTLS {
		t.Error("go-plugin's AutoMTLS is on; bp makes the certificates itself (launchTLS)")
	}
	if len(cfg.AllowedProtocols) != 1 || cfg.AllowedProtocols[0] != "grpc" {
		t.Errorf("AllowedProtocols = %v, want grpc only", cfg.AllowedProtocols)
	}
	if cfg.HandshakeConfig != Handshake {
		t.Errorf("handshake = %+v, want %+v", cfg.HandshakeConfig, Handshake)
	}
}

func TestCloseIsClean(t *testing.T) {
	c := launchTestPlugin(t, LaunchRequest{})
	proc := c.proc.(*pluginProcess)
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if !proc.exited() {
		t.Fatal("the plugin process still runs after Close")
	}
	// A clean exit: the plugin left Serve and closed its provider, rather
	// than being killed after the grace period.
	if status := proc.exitStatus(); status != "exit status 0" || time.Since(start) > 2*time.Second {
		t.Errorf("plugin ended with %q after %v, want exit status 0 well within the 2s grace period", status, time.Since(start))
	}
}
