package resources

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// convergeLines runs Converge and returns the lines it emitted, Done last.
func convergeLines(t *testing.T, env *Env, req *agentapi.Request) []agentapi.Line {
	t.Helper()
	if err := req.Check(); err != nil {
		t.Fatal(err)
	}
	var lines []agentapi.Line
	done, err := Converge(context.Background(), env, req, func(l agentapi.Line) error {
		lines = append(lines, l)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return append(lines, done)
}

func resultFor(lines []agentapi.Line, id string) *agentapi.Result {
	for _, l := range lines {
		if r, ok := l.(*agentapi.Result); ok && r.ID == id {
			return r
		}
	}
	return nil
}

func handlers(lines []agentapi.Line) []*agentapi.Handler {
	var out []*agentapi.Handler
	for _, l := range lines {
		if h, ok := l.(*agentapi.Handler); ok {
			out = append(out, h)
		}
	}
	return out
}

func TestConvergeSensitive(t *testing.T) {
	dir := t.TempDir()
	req := &agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
		{ID: "r/file.secret", Kind: "file", Sensitive: true, Attrs: map[string]any{"path": dir + "/secret", "content": "hunter2\n"}},
		{ID: "r/exec.token", Kind: "exec", Sensitive: true, Attrs: map[string]any{"command": "echo hunter2"}},
		{ID: "r/exec.fail", Kind: "exec", Sensitive: true, Source: "main.bp.hcl:9", Attrs: map[string]any{"command": "echo hunter2; exit 4"}},
	}}
	lines := convergeLines(t, &Env{StateDir: dir}, req)
	for _, l := range lines {
		data, _ := agentapi.MarshalLine(l)
		if strings.Contains(string(data), "hunter2") {
			t.Errorf("a line shows the secret: %s", data)
		}
	}
	if r := resultFor(lines, "r/file.secret"); r.Diff != "(sensitive)" || r.Status != agentapi.StatusChanged {
		t.Errorf("file: %+v", r)
	}
	if r := resultFor(lines, "r/exec.token"); r.Output != "(sensitive)" {
		t.Errorf("exec: %+v", r)
	}
	if r := resultFor(lines, "r/exec.fail"); r.Status != agentapi.StatusFailed || r.Error != "command exited with status 4 (main.bp.hcl:9)" {
		t.Errorf("failed exec: %+v", r)
	}
}

func TestConvergeFailureSkipsRest(t *testing.T) {
	dir := t.TempDir()
	req := &agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
		{ID: "r/file.a", Kind: "file", Attrs: map[string]any{"path": dir + "/a", "content": "a"}},
		{ID: "r/file.bad", Kind: "file", Source: "main.bp.hcl:3", Attrs: map[string]any{"path": dir + "/b", "content": "b", "mode": "rw"}},
		{ID: "r/file.c", Kind: "file", Attrs: map[string]any{"path": dir + "/c", "content": "c"}},
	}}
	lines := convergeLines(t, &Env{StateDir: dir}, req)
	bad := resultFor(lines, "r/file.bad")
	if bad.Status != agentapi.StatusFailed || !strings.Contains(bad.Error, `mode must be an octal string like "0644"`) || !strings.HasSuffix(bad.Error, "(main.bp.hcl:3)") {
		t.Errorf("bad: %+v", bad)
	}
	if r := resultFor(lines, "r/file.c"); r.Status != agentapi.StatusSkipped || exists(dir+"/c") {
		t.Errorf("c: %+v, want skipped and not created", r)
	}
	done := lines[len(lines)-1].(*agentapi.Done)
	if *done != (agentapi.Done{Changed: 1, Failed: 1, Skipped: 1, DurationMS: done.DurationMS}) {
		t.Errorf("done: %+v", done)
	}
}

func TestConvergeCheckModeChangesNothing(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	req := &agentapi.Request{Version: 1, Mode: agentapi.ModeCheck, Resources: []agentapi.Resource{
		{ID: "r/template.site", Kind: "template", Notify: []string{"r/service.web"}, Attrs: map[string]any{"path": dir + "/site", "content": "x"}},
		{ID: "r/exec.e", Kind: "exec", Attrs: map[string]any{"command": "touch " + dir + "/ran"}},
		{ID: "r/service.web", Kind: "service", Attrs: map[string]any{}},
	}}
	sys := &fakeSystemctl{active: map[string]bool{}, enabled: map[string]string{"web": "enabled"}}
	fake := sys.runner()
	lines := convergeLines(t, &Env{StateDir: state, Runner: fake}, req)
	if exists(dir+"/site") || exists(dir+"/ran") || exists(state) {
		t.Error("check mode changed the host")
	}
	hs := handlers(lines)
	if len(hs) != 1 || hs[0].ID != "r/service.web" || hs[0].Status != agentapi.StatusChanged || hs[0].Action != agentapi.ActionRestart {
		t.Errorf("handlers %+v, want a would-restart of r/service.web", hs)
	}
	if got := fake.callsWith("systemctl restart"); len(got) != 0 {
		t.Errorf("check mode restarted: %q", got)
	}
}

// TestConvergeHandlersPersist: a template change notifies the service, a
// later resource fails, so the restart waits in the pending file; the next
// run, with nothing to change, restarts once and clears the file.
func TestConvergeHandlersPersist(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	sys := &fakeSystemctl{active: map[string]bool{"nginx": true}, enabled: map[string]string{"nginx": "enabled"}}
	fake := sys.runner()
	env := &Env{StateDir: state, Runner: fake}
	request := func(failing bool) *agentapi.Request {
		cmd := "true"
		if failing {
			cmd = "exit 1"
		}
		return &agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
			{ID: "web/template.site", Kind: "template", Notify: []string{"web/service.nginx"}, Attrs: map[string]any{"path": dir + "/site", "content": "v2\n"}},
			{ID: "web/exec.check", Kind: "exec", Attrs: map[string]any{"command": cmd, "creates": dir + "/never-" + map[bool]string{true: "a", false: "b"}[failing]}},
			{ID: "web/service.nginx", Kind: "service", Attrs: map[string]any{"state": "running"}},
		}}
	}
	lines := convergeLines(t, env, request(true))
	if r := resultFor(lines, "web/exec.check"); r.Status != agentapi.StatusFailed {
		t.Fatalf("exec: %+v", r)
	}
	if len(handlers(lines)) != 0 || len(fake.callsWith("systemctl restart")) != 0 {
		t.Fatal("a failed run delivered handlers")
	}
	data, err := os.ReadFile(filepath.Join(state, agentapi.PendingNotifyFile))
	if err != nil || !strings.Contains(string(data), `"web/service.nginx"`) {
		t.Fatalf("pending file: %s, %v", data, err)
	}

	second := request(false)
	second.Resources[1].Attrs["creates"] = dir // exists: the exec is unchanged
	lines = convergeLines(t, env, second)
	if r := resultFor(lines, "web/template.site"); r.Status != agentapi.StatusUnchanged {
		t.Errorf("template on the second run: %+v", r)
	}
	hs := handlers(lines)
	if len(hs) != 1 || hs[0].Status != agentapi.StatusChanged || hs[0].Action != agentapi.ActionRestart {
		t.Errorf("handlers %+v, want one restart", hs)
	}
	if got := fake.callsWith("systemctl restart nginx"); len(got) != 1 {
		t.Errorf("restarts %q, want exactly one", got)
	}
	if exists(filepath.Join(state, agentapi.PendingNotifyFile)) {
		t.Error("the pending file is still there after delivery")
	}
	lines = convergeLines(t, env, second)
	if len(handlers(lines)) != 0 || len(fake.callsWith("systemctl restart nginx")) != 1 {
		t.Error("a third run restarted again")
	}
}

// TestConvergeHandlerFailureStaysPending: a failed restart is reported,
// fails the run and is retried next time.
func TestConvergeHandlerFailureStaysPending(t *testing.T) {
	dir := t.TempDir()
	sys := &fakeSystemctl{active: map[string]bool{}, enabled: map[string]string{}}
	env := &Env{StateDir: dir, Runner: sys.runner()}
	req := &agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
		{ID: "r/file.f", Kind: "file", Notify: []string{"r/service.ghost"}, Attrs: map[string]any{"path": dir + "/f", "content": "x"}},
		{ID: "r/service.ghost", Kind: "service", Attrs: map[string]any{}},
	}}
	lines := convergeLines(t, env, req)
	hs := handlers(lines)
	if len(hs) != 1 || hs[0].Status != agentapi.StatusFailed || !strings.Contains(hs[0].Error, "not found") {
		t.Fatalf("handlers %+v", hs)
	}
	if done := lines[len(lines)-1].(*agentapi.Done); done.Failed != 1 {
		t.Errorf("done %+v, want failed 1", done)
	}
	if !exists(filepath.Join(dir, agentapi.PendingNotifyFile)) {
		t.Error("the failed notification was dropped")
	}
}

// TestConvergePendingForRemovedService: a pending notification for a
// service no longer in the request is delivered from the recorded attrs.
func TestConvergePendingForRemovedService(t *testing.T) {
	dir := t.TempDir()
	pending := `{"version":1,"pending":[{"id":"old/service.app","attrs":{"reload":true}}]}`
	writeString(t, filepath.Join(dir, agentapi.PendingNotifyFile), pending, 0o600)
	fake := &fakeRunner{respond: func(Command) (CommandResult, bool) { return CommandResult{}, true }}
	lines := convergeLines(t, &Env{StateDir: dir, Runner: fake}, &agentapi.Request{Version: 1, Mode: agentapi.ModeApply})
	hs := handlers(lines)
	if len(hs) != 1 || hs[0].Action != agentapi.ActionReload || len(fake.callsWith("systemctl reload app")) != 1 {
		t.Errorf("handlers %+v, calls %q", hs, fake.calls)
	}
}

func TestConvergeCorruptPendingFile(t *testing.T) {
	dir := t.TempDir()
	writeString(t, filepath.Join(dir, agentapi.PendingNotifyFile), "{not json", 0o600)
	_, err := Converge(context.Background(), &Env{StateDir: dir}, &agentapi.Request{Version: 1, Mode: agentapi.ModeApply},
		func(agentapi.Line) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "delete it to drop them") {
		t.Errorf("got %v", err)
	}
}

// TestConvergeCheckModeDependsOnEarlierChange: in check mode a resource
// whose check fails after an earlier resource would change (here a
// directory owned by a user the role has yet to create) is reported as a
// change to be checked by the apply, not as a failure; with nothing
// changing before it, the same failure is a failure.
func TestConvergeCheckModeDependsOnEarlierChange(t *testing.T) {
	dir := t.TempDir()
	owned := agentapi.Resource{ID: "r/directory.owned", Kind: "directory", Source: "main.bp.hcl:7",
		Attrs: map[string]any{"path": dir + "/owned", "owner": "bp-no-such-user"}}
	tests := []struct {
		name       string
		resources  []agentapi.Resource
		wantStatus agentapi.Status
	}{
		{name: "after a change", wantStatus: agentapi.StatusChanged, resources: []agentapi.Resource{
			{ID: "r/file.first", Kind: "file", Attrs: map[string]any{"path": dir + "/first", "content": "x"}}, owned}},
		{name: "first", wantStatus: agentapi.StatusFailed, resources: []agentapi.Resource{owned}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lines := convergeLines(t, &Env{StateDir: dir + "/state"}, &agentapi.Request{Version: 1, Mode: agentapi.ModeCheck, Resources: tc.resources})
			r := resultFor(lines, "r/directory.owned")
			if r.Status != tc.wantStatus {
				t.Fatalf("result %+v, want status %s", r, tc.wantStatus)
			}
			if tc.wantStatus == agentapi.StatusChanged && (r.Error != "" || len(r.Changes) != 1 ||
				!strings.Contains(r.Changes[0], "not checked until the changes above are made") || !strings.Contains(r.Changes[0], "bp-no-such-user")) {
				t.Errorf("result %+v, want one change saying why it was not checked", r)
			}
			if exists(dir+"/first") || exists(dir+"/owned") {
				t.Error("check mode changed the host")
			}
		})
	}
}
