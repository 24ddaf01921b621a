package converge_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
	"github.com/blueprint-engine/bp/resources/agentapi"
)

// TestConvergeAgentExecs counts, in sshd's log, the sessions each converge
// of a host takes: the first uploads the agent (the converge exec finds it
// missing, SFTP uploads, the converge runs), every later one is ONE exec.
func TestConvergeAgentExecs(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	src := converge.AgentDir(fakeAgentDir)

	tests := []struct {
		name                string
		prepare             func(t *testing.T)
		wantExecs, wantSFTP int
		wantUploaded        bool
	}{
		{name: "first converge uploads", wantExecs: 2, wantSFTP: 1, wantUploaded: true},
		{name: "second converge is one exec", wantExecs: 1},
		{name: "third converge is one exec", wantExecs: 1},
		{name: "removed agent is uploaded again", wantExecs: 2, wantSFTP: 1, wantUploaded: true,
			prepare: func(t *testing.T) {
				paths, _ := filepath.Glob(filepath.Join(target.AgentRoot, "*", converge.AgentBinaryName))
				if len(paths) != 1 {
					t.Fatalf("agent builds on the host: %v, want 1", paths)
				}
				if err := os.Remove(paths[0]); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prepare != nil {
				tc.prepare(t)
			}
			before := host.Sessions()
			results := converge.Run(context.Background(), []converge.HostJob{{
				Target: target, Agent: src, Request: request(t, fakeRes("r", nil)),
			}}, converge.Options{})
			res := results[0]
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			after := host.Sessions()
			execs, sftp := after.Execs-before.Execs, after.Subsystems-before.Subsystems
			if execs != tc.wantExecs || sftp != tc.wantSFTP {
				t.Errorf("sshd served %d execs and %d SFTP sessions, want %d and %d", execs, sftp, tc.wantExecs, tc.wantSFTP)
			}
			if res.Execs != tc.wantExecs {
				t.Errorf("HostResult.Execs = %d, want %d", res.Execs, tc.wantExecs)
			}
			if (res.Timing.Agent > 0) != tc.wantUploaded {
				t.Errorf("upload time %s; uploaded = %v, want %v", res.Timing.Agent, res.Timing.Agent > 0, tc.wantUploaded)
			}
			if res.Result.Done == nil || res.Result.Done.Unchanged != 1 {
				t.Errorf("done line %+v, want 1 unchanged", res.Result.Done)
			}
		})
	}
}

// TestConvergeAgentMissingBuild: the host needs a build the source
// lacks; the error says which and where it was looked for.
func TestConvergeAgentMissingBuild(t *testing.T) {
	t.Parallel()
	host := testhost.Start(t, testhost.Options{})
	target := host.Target
	target.AgentRoot = t.TempDir()
	conn := dial(t, target)
	empty := t.TempDir()
	_, err := conn.ConvergeAgent(context.Background(), converge.AgentDir(empty), request(t), nil)
	if err == nil || !strings.Contains(err.Error(), converge.AgentFileName(runtime.GOARCH)) || !strings.Contains(err.Error(), "BP_AGENT_DIR") {
		t.Fatalf("error = %v, want one naming the missing build and $BP_AGENT_DIR", err)
	}
}

// TestConvergeOfMissingAgent: Converge at a path the host lacks fails
// before anything runs, without calling Build.
func TestConvergeOfMissingAgent(t *testing.T) {
	t.Parallel()
	conn, path := agentConn(t)
	built := false
	req := converge.RunRequest{StateDir: t.TempDir(), Build: func(agentapi.Facts) (agentapi.Request, error) {
		built = true
		return agentapi.Request{}, nil
	}}
	missing := filepath.Join(filepath.Dir(filepath.Dir(path)), strings.Repeat("0", 64), converge.AgentBinaryName)
	_, err := conn.Converge(context.Background(), missing, req, nil)
	if err == nil || !strings.Contains(err.Error(), "bp-agent is not at "+missing) || built {
		t.Fatalf("error = %v (Build called: %v), want bp-agent is not at %s", err, built, missing)
	}
	var failed *converge.FailedError
	if errors.As(err, &failed) {
		t.Errorf("a missing agent is not a failed resource: %v", err)
	}
}
