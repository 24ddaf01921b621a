package converge_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

var realAgent struct {
	once sync.Once
	dir  string
	err  error
}

// realAgentDir builds cmd/bp-agent once per test binary (stripped, as
// released) and returns the directory holding it.
func realAgentDir(tb testing.TB) string {
	tb.Helper()
	realAgent.once.Do(func() {
		realAgent.dir = filepath.Join(fakeAgentDir, "real")
		out := filepath.Join(realAgent.dir, converge.AgentFileName(runtime.GOARCH))
		realAgent.err = buildAgent("github.com/blueprint-engine/bp/cmd/bp-agent", out, "-ldflags=-s -w")
	})
	if realAgent.err != nil {
		tb.Fatalf("the real bp-agent does not build: %v", realAgent.err)
	}
	return realAgent.dir
}

func TestConvergeRealAgent(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	conn := dial(t, target)
	ctx := context.Background()
	path, err := conn.EnsureAgent(ctx, converge.AgentDir(realAgentDir(t)))
	if err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	stateDir := t.TempDir()
	site := filepath.Join(root, "site")
	index := filepath.Join(site, "index.html")
	resources := func(content string) []agentapi.Resource {
		return []agentapi.Resource{
			{ID: "web/directory.site", Kind: "directory", Attrs: map[string]any{"path": site}, Source: "web.bp.hcl:3"},
			{ID: "web/file.index", Kind: "file", Attrs: map[string]any{"path": index, "content": content, "mode": "0644"}, Source: "web.bp.hcl:7"},
		}
	}
	converge1 := func(t *testing.T, mode agentapi.Mode, res []agentapi.Resource) (converge.Result, []string, error) {
		t.Helper()
		var events []string
		result, err := conn.Converge(ctx, path, converge.RunRequest{
			StateDir: stateDir,
			Build: func(f agentapi.Facts) (agentapi.Request, error) {
				if f.Arch != runtime.GOARCH || f.Hostname == "" {
					return agentapi.Request{}, fmt.Errorf("unexpected facts %+v", f)
				}
				return agentapi.Request{Mode: mode, Resources: res}, nil
			},
		}, func(l agentapi.Line) { events = append(events, describe(l)) })
		return result, events, err
	}

	t.Run("first apply changes", func(t *testing.T) {
		_, events, err := converge1(t, agentapi.ModeApply, resources("hello\n"))
		if err != nil {
			t.Fatal(err)
		}
		want := "facts|result web/directory.site changed|result web/file.index changed|done"
		if got := strings.Join(events, "|"); got != want {
			t.Errorf("events = %s, want %s", got, want)
		}
		if data, _ := os.ReadFile(index); string(data) != "hello\n" {
			t.Errorf("index.html = %q", data)
		}
	})
	t.Run("second apply changes nothing", func(t *testing.T) {
		res, _, err := converge1(t, agentapi.ModeApply, resources("hello\n"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Done == nil || res.Done.Changed != 0 || res.Done.Unchanged != 2 || res.ExitStatus != 0 {
			t.Errorf("done = %+v, exit %d", res.Done, res.ExitStatus)
		}
	})
	t.Run("check mode shows the diff without changing", func(t *testing.T) {
		res, _, err := converge1(t, agentapi.ModeCheck, resources("bye\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Resources) != 2 || res.Resources[1].Status != agentapi.StatusChanged || !strings.Contains(res.Resources[1].Diff, "+bye") {
			t.Errorf("results = %+v", res.Resources)
		}
		if data, _ := os.ReadFile(index); string(data) != "hello\n" {
			t.Errorf("check mode changed index.html to %q", data)
		}
	})
	t.Run("failure names the resource and its output", func(t *testing.T) {
		res := append(resources("hello\n"),
			agentapi.Resource{ID: "web/exec.migrate", Kind: "exec", Attrs: map[string]any{"command": "echo relation missing; exit 3"}, Source: "web.bp.hcl:12"},
			agentapi.Resource{ID: "web/file.after", Kind: "file", Attrs: map[string]any{"path": filepath.Join(root, "after"), "content": "x"}, Source: "web.bp.hcl:20"},
		)
		result, _, err := converge1(t, agentapi.ModeApply, res)
		var failed *converge.FailedError
		if !errors.As(err, &failed) {
			t.Fatalf("error = %v, want *FailedError", err)
		}
		for _, want := range []string{"web/exec.migrate (web.bp.hcl:12) failed", "relation missing"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q:\n%v", want, err)
			}
		}
		if result.ExitStatus != agentapi.ExitFailed || result.Resources[3].Status != agentapi.StatusSkipped {
			t.Errorf("exit %d, results %+v", result.ExitStatus, result.Resources)
		}
	})
	t.Run("cancel stops the agent", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := conn.Converge(cctx, path, converge.RunRequest{StateDir: stateDir, Build: func(agentapi.Facts) (agentapi.Request, error) {
			return agentapi.Request{Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
				{ID: "slow", Kind: "exec", Attrs: map[string]any{"command": "sleep 30"}},
			}}, nil
		}}, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want the deadline", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("cancel took %s", took)
		}
	})
}

// BenchmarkNoopConverge measures one host's no-op converge against loopback
// sshd with the real agent: dial, EnsureAgent (already present), one exec.
func BenchmarkNoopConverge(b *testing.B) {
	for _, n := range []int{1, 200} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			host := testhost.Start(b, testhost.Options{})
			target := host.Target
			target.AgentRoot = b.TempDir()
			src := converge.AgentDir(realAgentDir(b))
			dir := b.TempDir()
			var res []agentapi.Resource
			for i := range n {
				p := filepath.Join(dir, fmt.Sprintf("f%03d", i))
				if err := os.WriteFile(p, []byte("same\n"), 0o644); err != nil {
					b.Fatal(err)
				}
				res = append(res, agentapi.Resource{ID: fmt.Sprintf("r/file.f%03d", i), Kind: "file", Attrs: map[string]any{"path": p, "content": "same\n", "mode": "0644"}})
			}
			req := converge.RunRequest{StateDir: b.TempDir(), Build: func(agentapi.Facts) (agentapi.Request, error) {
				return agentapi.Request{Mode: agentapi.ModeApply, Resources: res}, nil
			}}
			round := func() (time.Duration, time.Duration, time.Duration) {
				t0 := time.Now()
				conn, err := converge.Dial(context.Background(), target)
				if err != nil {
					b.Fatal(err)
				}
				defer conn.Close()
				t1 := time.Now()
				path, err := conn.EnsureAgent(context.Background(), src)
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				result, err := conn.Converge(context.Background(), path, req, nil)
				if err != nil || result.Done.Changed != 0 {
					b.Fatalf("converge: %v, %+v", err, result.Done)
				}
				return t1.Sub(t0), t2.Sub(t1), time.Since(t2)
			}
			round() // upload once
			var dial, ensure, exec time.Duration
			b.ResetTimer()
			for b.Loop() {
				d, e, x := round()
				dial, ensure, exec = dial+d, ensure+e, exec+x
			}
			b.ReportMetric(float64(dial.Microseconds())/float64(b.N)/1000, "dial-ms/op")
			b.ReportMetric(float64(ensure.Microseconds())/float64(b.N)/1000, "ensure-ms/op")
			b.ReportMetric(float64(exec.Microseconds())/float64(b.N)/1000, "converge-ms/op")
		})
	}
}
