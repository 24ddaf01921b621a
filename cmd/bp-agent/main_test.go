package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// agentBin is the agent built once for the tests in this package.
var agentBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bp-agent-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	agentBin = filepath.Join(dir, "bp-agent")
	build := exec.Command("go", "build", "-o", agentBin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building bp-agent: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeSystemctl puts a systemctl on PATH that logs its arguments to
// LOGDIR/systemctl.log and says every unit is active and enabled. systemd
// is not PID 1 on the test machine; the real-systemd test runs in the
// local provider's containers.
func fakeSystemctl(t *testing.T) (pathDir, logFile string) {
	t.Helper()
	pathDir = t.TempDir()
	logFile = filepath.Join(pathDir, "systemctl.log")
	script := `#!/bin/sh
echo "$*" >> ` + logFile + `
case "$1" in
is-active) echo active ;;
is-enabled) echo enabled ;;
esac
exit 0
`
	if err := os.WriteFile(filepath.Join(pathDir, "systemctl"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return pathDir, logFile
}

// runAgent runs `bp-agent converge` with req on stdin and returns the
// decoded lines and the exit status.
func runAgent(t *testing.T, pathDir, stateDir string, req any) ([]agentapi.Line, int, string) {
	t.Helper()
	data, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(agentBin, "converge", "--state-dir", stateDir)
	cmd.Stdin = bytes.NewReader(data)
	cmd.Env = append(os.Environ(), "PATH="+pathDir+":"+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	dec := agentapi.NewDecoder(&stdout)
	var lines []agentapi.Line
	for {
		l, err := dec.Decode()
		if err != nil {
			break
		}
		lines = append(lines, l)
	}
	return lines, code, stderr.String()
}

func results(lines []agentapi.Line) map[string]*agentapi.Result {
	out := map[string]*agentapi.Result{}
	for _, l := range lines {
		if r, ok := l.(*agentapi.Result); ok {
			out[r.ID] = r
		}
	}
	return out
}

func handlerLines(lines []agentapi.Line) []*agentapi.Handler {
	var out []*agentapi.Handler
	for _, l := range lines {
		if h, ok := l.(*agentapi.Handler); ok {
			out = append(out, h)
		}
	}
	return out
}

func restarts(t *testing.T, logFile string) int {
	data, _ := os.ReadFile(logFile)
	return strings.Count(string(data), "restart ")
}

func TestConvergeProtocol(t *testing.T) {
	pathDir, logFile := fakeSystemctl(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	writeFile(t, filepath.Join(dir, "sshd_config"), "Port 22\n#PermitRootLogin yes\n")
	req := func(mode agentapi.Mode, page string) agentapi.Request {
		return agentapi.Request{Version: 1, Mode: mode, Resources: []agentapi.Resource{
			{ID: "web/file.index", Kind: "file", Notify: []string{"web/service.nginx"},
				Attrs: map[string]any{"path": filepath.Join(dir, "index.html"), "content": page, "mode": "0644"}},
			{ID: "web/exec.stamp", Kind: "exec", Attrs: map[string]any{"command": "echo stamped > stamp", "cwd": dir, "creates": filepath.Join(dir, "stamp")}},
			{ID: "web/line.sshd", Kind: "line", Attrs: map[string]any{"path": filepath.Join(dir, "sshd_config"), "line": "PermitRootLogin no", "match": "^#?PermitRootLogin"}},
			{ID: "web/service.nginx", Kind: "service", Attrs: map[string]any{"state": "running", "enabled": true}},
		}}
	}

	t.Run("check first", func(t *testing.T) {
		lines, code, stderr := runAgent(t, pathDir, state, req(agentapi.ModeCheck, "<h1>v1</h1>\n"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if f, ok := lines[0].(*agentapi.FactsLine); !ok || f.Facts.OS == "" || f.Facts.AgentVersion == "" {
			t.Fatalf("first line %#v, want facts", lines[0])
		}
		rs := results(lines)
		if rs["web/file.index"].Status != agentapi.StatusChanged || !strings.Contains(rs["web/file.index"].Diff, "+<h1>v1</h1>") {
			t.Errorf("file: %+v", rs["web/file.index"])
		}
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err == nil {
			t.Error("check mode wrote the file")
		}
		if hs := handlerLines(lines); len(hs) != 1 || hs[0].Status != agentapi.StatusChanged {
			t.Errorf("handlers %+v, want one would-restart", hs)
		}
		if n := restarts(t, logFile); n != 0 {
			t.Errorf("check mode restarted %d times", n)
		}
	})
	t.Run("apply", func(t *testing.T) {
		lines, code, stderr := runAgent(t, pathDir, state, req(agentapi.ModeApply, "<h1>v1</h1>\n"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rs := results(lines)
		for _, id := range []string{"web/file.index", "web/exec.stamp", "web/line.sshd"} {
			if rs[id].Status != agentapi.StatusChanged {
				t.Errorf("%s: %+v, want changed", id, rs[id])
			}
		}
		if rs["web/service.nginx"].Status != agentapi.StatusUnchanged {
			t.Errorf("service: %+v", rs["web/service.nginx"])
		}
		if got := readFile(t, filepath.Join(dir, "sshd_config")); got != "Port 22\nPermitRootLogin no\n" {
			t.Errorf("sshd_config: %q", got)
		}
		done, ok := lines[len(lines)-1].(*agentapi.Done)
		if !ok || done.Changed != 3 || done.Unchanged != 1 {
			t.Errorf("last line %+v", lines[len(lines)-1])
		}
		if n := restarts(t, logFile); n != 1 {
			t.Errorf("restarted %d times, want 1", n)
		}
	})
	t.Run("second apply", func(t *testing.T) {
		lines, code, _ := runAgent(t, pathDir, state, req(agentapi.ModeApply, "<h1>v1</h1>\n"))
		done := lines[len(lines)-1].(*agentapi.Done)
		if code != 0 || done.Changed != 0 || done.Unchanged != 4 || len(handlerLines(lines)) != 0 {
			t.Errorf("exit %d, done %+v, handlers %d; want nothing changed", code, done, len(handlerLines(lines)))
		}
		if n := restarts(t, logFile); n != 1 {
			t.Errorf("restarted %d times in all, want 1", n)
		}
	})
}

// TestHandlerPersistence: a template change notifies the service, a later
// resource fails (exit 2, restart pending on disk), and the next run with
// nothing to change delivers the restart exactly once.
func TestHandlerPersistence(t *testing.T) {
	pathDir, logFile := fakeSystemctl(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	req := func(failCmd string) agentapi.Request {
		return agentapi.Request{Version: 1, Mode: agentapi.ModeApply, Resources: []agentapi.Resource{
			{ID: "web/template.site", Kind: "template", Notify: []string{"web/service.nginx"}, Source: "main.bp.hcl:12",
				Attrs: map[string]any{"path": filepath.Join(dir, "site.conf"), "content": "server_name shop;\n"}},
			{ID: "web/exec.migrate", Kind: "exec", Source: "main.bp.hcl:20", Attrs: map[string]any{"command": failCmd}},
			{ID: "web/service.nginx", Kind: "service", Attrs: map[string]any{"state": "running"}},
		}}
	}
	lines, code, _ := runAgent(t, pathDir, state, req("echo migration failed >&2; exit 7"))
	if code != agentapi.ExitFailed {
		t.Fatalf("exit %d, want %d", code, agentapi.ExitFailed)
	}
	rs := results(lines)
	if r := rs["web/exec.migrate"]; r.Status != agentapi.StatusFailed || !strings.Contains(r.Output, "migration failed") ||
		!strings.Contains(r.Error, "main.bp.hcl:20") {
		t.Errorf("exec: %+v", r)
	}
	if rs["web/service.nginx"].Status != agentapi.StatusSkipped {
		t.Errorf("service: %+v, want skipped", rs["web/service.nginx"])
	}
	if n := restarts(t, logFile); n != 0 {
		t.Fatalf("restarted %d times after a failed run", n)
	}
	pending := readFile(t, filepath.Join(state, agentapi.PendingNotifyFile))
	if !strings.Contains(pending, "web/service.nginx") {
		t.Fatalf("pending file: %q", pending)
	}

	lines, code, stderr := runAgent(t, pathDir, state, req("true"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if r := results(lines)["web/template.site"]; r.Status != agentapi.StatusUnchanged {
		t.Errorf("template on the next run: %+v", r)
	}
	if hs := handlerLines(lines); len(hs) != 1 || hs[0].Action != agentapi.ActionRestart || hs[0].Status != agentapi.StatusChanged {
		t.Errorf("handlers %+v, want one restart", hs)
	}
	if n := restarts(t, logFile); n != 1 {
		t.Errorf("restarted %d times, want exactly 1", n)
	}
	lines, _, _ = runAgent(t, pathDir, state, req("true"))
	if len(handlerLines(lines)) != 0 || restarts(t, logFile) != 1 {
		t.Error("a later run restarted again")
	}
}

func TestProtocolErrors(t *testing.T) {
	tests := []struct {
		name, stdin, want string
	}{
		{"empty stdin", "", "empty request"},
		{"bad json", "{", "decoding request"},
		{"wrong version", `{"version":9,"mode":"apply"}`, "protocol version 9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(agentBin, "converge", "--state-dir", t.TempDir())
			cmd.Stdin = strings.NewReader(tc.stdin)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			exitErr, ok := err.(*exec.ExitError)
			if !ok || exitErr.ExitCode() != agentapi.ExitInternal {
				t.Fatalf("got %v, want exit %d", err, agentapi.ExitInternal)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q, want %q", stderr.String(), tc.want)
			}
			if l, err := agentapi.ParseLine(bytes.SplitN(stdout.Bytes(), []byte("\n"), 2)[0]); err != nil || l.LineType() != agentapi.TypeFacts {
				t.Errorf("stdout does not start with facts: %q", stdout.String())
			}
		})
	}
}

func TestSubcommands(t *testing.T) {
	tests := []struct {
		args     []string
		wantCode int
		want     string
	}{
		{[]string{"version"}, 0, ""},
		{[]string{"facts"}, 0, `"package_manager": "apt"`},
		{[]string{"bogus"}, 1, `unknown command "bogus"`},
		{nil, 1, "usage:"},
		{[]string{"converge", "extra"}, 1, "unexpected arguments"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.wantCode || !strings.Contains(stdout.String()+stderr.String(), tc.want) {
				t.Errorf("exit %d, output %q; want %d and %q", code, stdout.String()+stderr.String(), tc.wantCode, tc.want)
			}
			if tc.args != nil && tc.args[0] == "version" && strings.TrimSpace(stdout.String()) == "" {
				t.Error("version printed nothing")
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
