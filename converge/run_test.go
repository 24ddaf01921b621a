package converge_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

// fakeRes is a resource of the fake agent's "fake" kind.
func fakeRes(id string, attrs map[string]any, notify ...string) agentapi.Resource {
	if attrs == nil {
		attrs = map[string]any{}
	}
	return agentapi.Resource{ID: id, Kind: "fake", Attrs: attrs, Notify: notify, Source: "main.bp.hcl:" + id}
}

// request builds a RunRequest for resources with its own state directory.
func request(t *testing.T, resources ...agentapi.Resource) converge.RunRequest {
	return converge.RunRequest{
		StateDir: t.TempDir(),
		Build: func(agentapi.Facts) (agentapi.Request, error) {
			return agentapi.Request{Mode: agentapi.ModeApply, Resources: resources}, nil
		},
	}
}

// agentConn dials a fresh host and uploads the fake agent.
func agentConn(t *testing.T) (*converge.Conn, string) {
	t.Helper()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	conn := dial(t, target)
	path, err := conn.EnsureAgent(context.Background(), converge.AgentDir(fakeAgentDir))
	if err != nil {
		t.Fatal(err)
	}
	return conn, path
}

// event is one line as the test saw it arrive.
type event struct {
	what string
	at   time.Time
}

func describe(l agentapi.Line) string {
	switch l := l.(type) {
	case *agentapi.FactsLine:
		return "facts"
	case *agentapi.Result:
		return "result " + l.ID + " " + string(l.Status)
	case *agentapi.Handler:
		return "handler " + l.ID + " " + string(l.Action)
	case *agentapi.Done:
		return "done"
	}
	return "?"
}

func TestConvergeStreamsEvents(t *testing.T) {
	t.Parallel()
	conn, path := agentConn(t)
	req := request(t,
		fakeRes("web/file.a", map[string]any{"status": "changed"}, "web/service.nginx"),
		fakeRes("web/file.b", map[string]any{"sleep_ms": 400}),
		agentapi.Resource{ID: "web/service.nginx", Kind: "service", Attrs: map[string]any{}},
	)
	var gotFacts agentapi.Facts
	build := req.Build
	req.Build = func(f agentapi.Facts) (agentapi.Request, error) { gotFacts = f; return build(f) }

	var events []event
	res, err := conn.Converge(context.Background(), path, req, func(l agentapi.Line) {
		events = append(events, event{describe(l), time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"facts", "result web/file.a changed", "result web/file.b unchanged",
		"result web/service.nginx unchanged", "handler web/service.nginx restart", "done"}
	var got []string
	for _, e := range events {
		got = append(got, e.what)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The first result must reach us while the agent still sleeps on the
	// second resource: lines stream, they are not collected at exit.
	if gap := events[len(events)-1].at.Sub(events[1].at); gap < 300*time.Millisecond {
		t.Errorf("first result arrived only %s before done: events are not streamed", gap)
	}
	if gotFacts.Arch != runtime.GOARCH || res.Facts.AgentVersion != "fake-1" {
		t.Errorf("facts = %+v (Build saw %+v)", res.Facts, gotFacts)
	}
	if res.ExitStatus != 0 || res.Done == nil || res.Done.Changed != 1 || res.Done.Unchanged != 2 ||
		len(res.Resources) != 3 || len(res.Handlers) != 1 {
		t.Errorf("result = %+v", res)
	}
	runs, err := os.ReadFile(filepath.Join(req.StateDir, "runs"))
	if err != nil || string(runs) != "run apply\n" {
		t.Errorf("agent state dir: %q, %v; want the run recorded in --state-dir", runs, err)
	}
}

func TestConvergeOutcomes(t *testing.T) {
	t.Parallel()
	conn, path := agentConn(t)
	buildErr := errors.New("role web: host.facts.os_version is not a number")
	tests := []struct {
		name       string
		resources  []agentapi.Resource
		build      error
		exitStatus int
		wantErr    []string // substrings; none means success
		check      func(t *testing.T, res converge.Result, err error)
	}{
		{
			name:       "ok",
			resources:  []agentapi.Resource{fakeRes("a", nil)},
			exitStatus: 0,
		},
		{
			name: "resource failed",
			resources: []agentapi.Resource{
				fakeRes("web/exec.migrate", map[string]any{"status": "failed", "error": "exit status 1", "output": "relation missing"}),
				fakeRes("web/file.b", nil),
			},
			exitStatus: 2,
			wantErr:    []string{"web/exec.migrate (main.bp.hcl:web/exec.migrate) failed: exit status 1", "relation missing"},
			check: func(t *testing.T, res converge.Result, err error) {
				var failed *converge.FailedError
				if !errors.As(err, &failed) || len(failed.Failed) != 1 || failed.Failed[0].ID != "web/exec.migrate" {
					t.Errorf("error = %#v, want a *FailedError for web/exec.migrate", err)
				}
				if len(res.Resources) != 2 || res.Resources[1].Status != agentapi.StatusSkipped {
					t.Errorf("resources = %+v, want the second skipped", res.Resources)
				}
			},
		},
		{
			name:       "agent internal error",
			resources:  []agentapi.Resource{{ID: "x", Kind: "crash", Attrs: map[string]any{"message": "cannot open /var/lib/bp/state"}}},
			exitStatus: 1,
			wantErr:    []string{"bp-agent failed", "exited with status 1", "cannot open /var/lib/bp/state"},
		},
		{
			name:       "agent breaks the protocol",
			resources:  []agentapi.Resource{{ID: "x", Kind: "garbage", Attrs: map[string]any{}}},
			exitStatus: -2, // not checked: the session is closed early
			wantErr:    []string{"broke the protocol", "invalid line"},
		},
		{
			name:       "build fails",
			build:      buildErr,
			exitStatus: -2,
			wantErr:    []string{"building the request", buildErr.Error()},
			check: func(t *testing.T, res converge.Result, err error) {
				if !errors.Is(err, buildErr) {
					t.Errorf("error %v does not wrap Build's error", err)
				}
				if res.Facts.Arch == "" {
					t.Error("facts missing from the result")
				}
			},
		},
		{
			name:       "bad request",
			resources:  []agentapi.Resource{fakeRes("a", nil, "b"), fakeRes("b", nil)},
			exitStatus: -2,
			wantErr:    []string{`"a" notifies "b", which is a fake`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := request(t, tc.resources...)
			if tc.build != nil {
				req.Build = func(agentapi.Facts) (agentapi.Request, error) { return agentapi.Request{}, tc.build }
			}
			res, err := conn.Converge(context.Background(), path, req, nil)
			if len(tc.wantErr) == 0 && err != nil {
				t.Fatalf("error: %v", err)
			}
			for _, want := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error = %v, want it to contain %q", err, want)
				}
			}
			if tc.exitStatus != -2 && res.ExitStatus != tc.exitStatus {
				t.Errorf("exit status = %d, want %d", res.ExitStatus, tc.exitStatus)
			}
			if tc.check != nil {
				tc.check(t, res, err)
			}
		})
	}
}

func TestConvergeCancelled(t *testing.T) {
	t.Parallel()
	conn, path := agentConn(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := conn.Converge(ctx, path, request(t, fakeRes("slow", map[string]any{"sleep_ms": 20000})), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the context's deadline", err)
	}
	// Killing the agent ends the session at once; an agent that was only
	// abandoned would take more than abandonAfter (2s).
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Errorf("cancel took %s: the agent was not killed", took)
	}
	// The connection is still usable after a cancelled run.
	if _, err := conn.Converge(context.Background(), path, request(t, fakeRes("a", nil)), nil); err != nil {
		t.Errorf("converge after a cancelled one: %v", err)
	}
}
