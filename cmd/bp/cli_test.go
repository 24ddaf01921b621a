package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// env returns a getenv over vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestColorFor(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		noColor bool
		want    bool
	}{
		{name: "not a terminal", want: false},
		{name: "forced", env: map[string]string{"FORCE_COLOR": "1"}, want: true},
		{name: "NO_COLOR wins over FORCE_COLOR", env: map[string]string{"FORCE_COLOR": "1", "NO_COLOR": "1"}, want: false},
		{name: "NO_COLOR with any value", env: map[string]string{"FORCE_COLOR": "1", "NO_COLOR": "false"}, want: false},
		{name: "empty NO_COLOR is unset", env: map[string]string{"FORCE_COLOR": "1", "NO_COLOR": ""}, want: true},
		{name: "-no-color wins over FORCE_COLOR", env: map[string]string{"FORCE_COLOR": "1"}, noColor: true, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &cli{getenv: env(tc.env), noColor: tc.noColor}
			if got := c.colorFor(&bytes.Buffer{}); got != tc.want {
				t.Errorf("colorFor = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExitStatus(t *testing.T) {
	cmd := &cobra.Command{Use: "plan"}
	(&cobra.Command{Use: "bp"}).AddCommand(cmd)
	tests := []struct {
		name       string
		err        error
		want       int
		wantStderr []string // substrings, in order; nil means nothing printed
	}{
		{name: "success", err: nil, want: exitOK},
		{name: "changes present", err: exitCode(exitChanges), want: exitChanges},
		{name: "wrapped exit code", err: fmt.Errorf("plan: %w", exitCode(exitUnformatted)), want: exitUnformatted},
		{
			name:       "plain error",
			err:        errors.New("unknown flag: --bogus"),
			want:       exitError,
			wantStderr: []string{"Error: unknown flag: --bogus\n", "\nRun \"bp plan -help\" for usage.\n"},
		},
		{
			name:       "error with suggestions",
			err:        errors.New("unknown command \"plna\" for \"bp\"\n\nDid you mean this?\n\tplan\n"),
			want:       exitError,
			wantStderr: []string{"Error: unknown command \"plna\" for \"bp\"\n\nDid you mean this?\n\tplan\n\nRun"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c := &cli{stderr: &stderr, getenv: env(nil)}
			if got := c.exitStatus(cmd, tc.err); got != tc.want {
				t.Errorf("exitStatus = %d, want %d", got, tc.want)
			}
			out := stderr.String()
			if tc.wantStderr == nil && out != "" {
				t.Errorf("printed %q, want nothing", out)
			}
			for _, s := range tc.wantStderr {
				i := strings.Index(out, s)
				if i < 0 {
					t.Fatalf("stderr lacks %q:\n%s", s, out)
				}
				out = out[i+len(s):]
			}
		})
	}
}

// TestRunInProcess runs whole command lines against buffers.
func TestRunInProcess(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		stdin      string
		want       int
		wantStdout string
	}{
		{name: "version", args: []string{"version"}, want: exitOK, wantStdout: "Blueprint v" + version + "\n"},
		{name: "fmt stdin", args: []string{"fmt", "-"}, stdin: "a=1\n", want: exitOK, wantStdout: "a = 1\n"},
		{name: "fmt stdin check", args: []string{"fmt", "-check", "-"}, stdin: "a=1\n", want: exitUnformatted},
		{name: "fmt stdin syntax error", args: []string{"fmt", "-"}, stdin: "a=\n", want: exitError},
		{name: "unknown flag", args: []string{"version", "-bogus"}, want: exitError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			c := &cli{stdin: strings.NewReader(tc.stdin), stdout: &stdout, stderr: &stderr, getenv: env(nil)}
			if got := run(tc.args, c); got != tc.want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", got, tc.want, stderr.String())
			}
			if !strings.HasPrefix(stdout.String(), tc.wantStdout) {
				t.Errorf("stdout %q, want it to start with %q", stdout.String(), tc.wantStdout)
			}
		})
	}
}
