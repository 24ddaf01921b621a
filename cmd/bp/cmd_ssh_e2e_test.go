package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bpIn runs bp with args in dir, with stdin, and returns its exit status
// and output.
func bpIn(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"-chdir=" + dir}, args...), &cli{
		stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr,
		getenv: os.Getenv, environ: func() []string { return nil },
	})
	return code, stdout.String(), stderr.String()
}

// TestSSHCommand applies a one-machine blueprint with the local provider
// and uses bp ssh the ways a user does: by resource address, by name, with
// a command's exit status, with commands on standard input. The machine is
// destroyed by bp destroy, or by the cleanup when the test fails first.
func TestSSHCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: creates a machine")
	}
	start, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(start) }) // -chdir changes the process's directory
	dir := t.TempDir()
	project := "cmd-ssh-" + filepath.Base(dir)
	project = regexp.MustCompile(`[^a-z0-9-]`).ReplaceAllString(strings.ToLower(project), "-")
	if len(project) > 40 {
		project = project[:40]
	}
	src := `
blueprint {
  required_providers {
    local = { source = "builtin/local" }
  }
}
provider "local" { project = "` + project + `" }
resource "machine" "box" {
  name   = "box"
  labels = { role = "script" }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.bp.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chdir(start)
		if code, _, stderr := bpIn(t, dir, "", "destroy", "-auto-approve"); code != 0 {
			t.Errorf("cleanup: bp destroy failed:\n%s", stderr)
		}
	})
	if code, _, stderr := bpIn(t, dir, "", "apply", "-auto-approve"); code != 0 {
		t.Fatalf("bp apply: exit %d\n%s", code, stderr)
	}

	tests := []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{name: "by resource address", args: []string{"machine.box", "--", "hostname"}, wantStdout: "box\n"},
		{name: "by name", args: []string{"box", "--", "cat", "/etc/bp/labels.json"}, wantStdout: "{\n  \"role\": \"script\"\n}\n"},
		{name: "exit status", args: []string{"machine.box", "--", "exit", "7"}, wantCode: 7},
		{name: "commands on stdin", stdin: "echo from stdin\n", args: []string{"machine.box"}, wantStdout: "from stdin\n"},
		{name: "no such machine", args: []string{"machine.nothing"}, wantCode: 1, wantStderr: "Its machines are: machine.box ("},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := bpIn(t, dir, tc.stdin, append([]string{"ssh"}, tc.args...)...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tc.wantCode, stderr)
			}
			if tc.wantStdout != "" && !strings.HasSuffix(stdout, tc.wantStdout) {
				t.Errorf("stdout %q, want it to end with %q", stdout, tc.wantStdout)
			}
			if tc.wantStderr != "" && !strings.Contains(strings.Join(strings.Fields(stderr), " "), tc.wantStderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.wantStderr)
			}
		})
	}

	if code, stdout, stderr := bpIn(t, dir, "", "destroy", "-auto-approve"); code != 0 || !strings.Contains(stdout, "1 destroyed") {
		t.Fatalf("bp destroy: exit %d\n%s%s", code, stdout, stderr)
	}
}
