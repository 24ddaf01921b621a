package converge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

func TestParseProbe(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		arch    string
		present []string
		err     string
	}{
		{name: "amd64 without agents", out: "Linux x86_64\n", arch: "amd64"},
		{name: "arm64 with agents", out: "Linux aarch64\n/var/lib/bp/agent/ab/bp-agent\n/var/lib/bp/agent/cd/bp-agent\n", arch: "arm64",
			present: []string{"/var/lib/bp/agent/ab/bp-agent", "/var/lib/bp/agent/cd/bp-agent"}},
		{name: "not linux", out: "Darwin arm64\n", err: "Linux only"},
		{name: "unsupported arch", out: "Linux riscv64\n", err: "riscv64 is not supported"},
		{name: "garbage", out: "", err: "unexpected answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			arch, present, err := parseProbe(tc.out)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || arch != tc.arch || len(present) != len(tc.present) {
				t.Fatalf("= %q, %v, %v", arch, present, err)
			}
			for _, p := range tc.present {
				if !present[p] {
					t.Errorf("%s not reported present", p)
				}
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/var/lib/bp/agent", "/var/lib/bp/agent"},
		{"", "''"},
		{"a b", "'a b'"},
		{"it's", `'it'\''s'`},
		{"$(rm -rf /)", "'$(rm -rf /)'"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := shellQuote(tc.in)
			if got != tc.want {
				t.Errorf("shellQuote(%q) = %s, want %s", tc.in, got, tc.want)
			}
			out, err := exec.Command("/bin/sh", "-c", "printf %s "+got).Output()
			if err != nil || string(out) != tc.in {
				t.Errorf("the shell reads %s as %q (%v)", got, out, err)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{"handshake EOF", fmt.Errorf("ssh: handshake failed: %w", io.EOF), true},
		{"attempt timeout", context.DeadlineExceeded, true},
		{"bastion cannot reach target", &ssh.OpenChannelError{Reason: ssh.ConnectionFailed}, true},
		{"bastion forbids forwarding", &ssh.OpenChannelError{Reason: ssh.Prohibited}, false},
		{"auth", errors.New("ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey]"), false},
		{"host key", fmt.Errorf("ssh: handshake failed: %w", &HostKeyMismatchError{}), false},
		{"other", errors.New("ssh: no common algorithm"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryable(tc.err); got != tc.want {
				t.Errorf("retryable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestTailBuffer(t *testing.T) {
	b := newTailBuffer(5)
	b.Write([]byte("abc"))
	b.Write([]byte("defgh"))
	if got := b.String(); got != "defgh" {
		t.Errorf("tail = %q, want defgh", got)
	}
}

func TestFailedErrorMessage(t *testing.T) {
	e := &FailedError{Host: "web-1", Sources: map[string]string{"web/exec.a": "main.bp.hcl:4"}, Failed: []agentapi.Result{
		{ID: "web/exec.a", Error: "exit status 1", Output: "line 1\nline 2"},
		{ID: "web/service.nginx", Error: "restart failed: unit not found"},
	}}
	want := "host web-1: web/exec.a (main.bp.hcl:4) failed: exit status 1\n  output:\n    line 1\n    line 2\n" +
		"host web-1: web/service.nginx failed: restart failed: unit not found"
	if got := e.Error(); got != want {
		t.Errorf("message:\n%s\nwant:\n%s", got, want)
	}
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// FuzzExchange feeds arbitrary agent output to the protocol reader: it must
// never panic, and whatever it accepts must be a well-formed run.
func FuzzExchange(f *testing.F) {
	f.Add([]byte(`{"type":"facts","facts":{"arch":"amd64"}}` + "\n" +
		`{"type":"result","id":"a","status":"changed"}` + "\n" +
		`{"type":"handler","id":"s","action":"restart","status":"changed"}` + "\n" +
		`{"type":"done","changed":1}` + "\n"))
	f.Add([]byte(`{"type":"result","id":"a"}` + "\n"))
	f.Add([]byte(`{"type":"facts","facts":{}}` + "\n" + `{"type":"facts","facts":{}}` + "\n"))
	f.Add([]byte(`{"type":"facts","facts":{}}` + "\n" + `{"type":"done"}` + "\n" + `{"type":"result"}` + "\n"))
	f.Add([]byte("not json\n"))
	f.Add([]byte(`{"type":"facts","facts":{"cpus":"x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var lines int
		r := &run{host: "h", result: Result{ExitStatus: -1}, onEvent: func(agentapi.Line) { lines++ }}
		var stdin bytes.Buffer
		err := r.exchange(agentapi.NewDecoder(bytes.NewReader(data)), nopWriteCloser{&stdin}, RunRequest{
			Build: func(agentapi.Facts) (agentapi.Request, error) {
				return agentapi.Request{Mode: agentapi.ModeCheck}, nil
			},
		})
		if err != nil {
			return
		}
		want := 1 + len(r.result.Resources) + len(r.result.Handlers)
		if r.result.Done != nil {
			want++
		}
		if lines != want {
			t.Errorf("%d events for %d collected lines", lines, want)
		}
		if _, perr := agentapi.ParseRequest(stdin.Bytes()); perr != nil {
			t.Errorf("the request written is invalid: %v", perr)
		}
	})
}
