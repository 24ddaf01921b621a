package sshpool

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
)

// logins counts the logins sshd accepted.
func logins(h *testhost.Host) int { return strings.Count(h.Log(), "Accepted publickey") }

// TestPool runs commands on real sshd hosts through one pool: connections
// are kept between calls, dialled again after the host restarts, and
// closed when their host leaves.
func TestPool(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real sshd hosts")
	}
	a := testhost.Start(t, testhost.Options{AllowTCPForwarding: true})
	b := testhost.Start(t, testhost.Options{})
	var p Pool
	t.Cleanup(func() { p.Close() })
	ctx := context.Background()
	run := func(h *testhost.Host, cmd string) (string, error) {
		out, err := p.Output(ctx, h.Target, cmd)
		return string(out), err
	}

	steps := []struct {
		name       string
		do         func() (string, error)
		want       string // output, or the error's text when wantErr
		wantErr    bool
		wantLogins int // on a
	}{
		{"first call logs in", func() (string, error) { return run(a, "echo one") }, "one\n", false, 1},
		{"second call reuses it", func() (string, error) { return run(a, "echo two") }, "two\n", false, 1},
		{"a failing command keeps it", func() (string, error) { return run(a, "exit 4") }, "exited with status 4", true, 1},
		{"the socket is reached over the same connection", func() (string, error) {
			sock := filepath.Join(t.TempDir(), "s.sock")
			ln, err := net.Listen("unix", sock)
			if err != nil {
				return "", err
			}
			defer ln.Close()
			go func() {
				if c, err := ln.Accept(); err == nil {
					io.WriteString(c, "hello\n")
					c.Close()
				}
			}()
			nc, err := p.DialContext(ctx, a.Target, "unix", sock)
			if err != nil {
				return "", err
			}
			defer nc.Close()
			data, err := io.ReadAll(nc)
			return string(data), err
		}, "hello\n", false, 1},
		{"a refused forward keeps it", func() (string, error) {
			_, err := p.DialContext(ctx, a.Target, "unix", filepath.Join(t.TempDir(), "none.sock"))
			return "", err
		}, "accept connections", true, 1},
		{"a broken connection is dialled again at once", func() (string, error) {
			breakConns(&p)
			return run(a, "echo three")
		}, "three\n", false, 2},
		{"another host has its own connection", func() (string, error) { return run(b, "echo b") }, "b\n", false, 2},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			out, err := s.do()
			switch {
			case s.wantErr && (err == nil || !strings.Contains(err.Error(), s.want)):
				t.Fatalf("error = %v, want %q", err, s.want)
			case !s.wantErr && (err != nil || out != s.want):
				t.Fatalf("got %q, %v; want %q", out, err, s.want)
			}
			if got := logins(a); got != s.wantLogins {
				t.Errorf("%d logins on a, want %d", got, s.wantLogins)
			}
		})
	}
	if p.Len() != 2 {
		t.Errorf("%d connections open, want 2", p.Len())
	}
	p.Keep([]converge.Target{b.Target})
	if p.Len() != 1 {
		t.Errorf("after Keep(b): %d connections open, want 1", p.Len())
	}
	if _, err := run(b, "true"); err != nil || logins(b) != 1 {
		t.Errorf("b after Keep(b): %v, %d logins; want its kept connection", err, logins(b))
	}
	b.Stop()
	breakConns(&p)
	if _, err := run(b, "true"); err == nil || !strings.Contains(err.Error(), "connecting to") {
		t.Errorf("a stopped host: %v, want a connection error", err)
	}
	if p.Len() != 0 {
		t.Errorf("%d connections kept to a stopped host", p.Len())
	}
}

// breakConns closes the pool's connections under it, as a network failure
// or an sshd that went away would.
func breakConns(p *Pool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.conns {
		if e.conn != nil {
			e.conn.Close()
		}
	}
}

// TestPoolDialError: the dial's error is returned and nothing is kept.
func TestPoolDialError(t *testing.T) {
	p := Pool{Dial: func(context.Context, converge.Target) (*converge.Conn, error) {
		return nil, errors.New("no route to host")
	}}
	_, err := p.Output(context.Background(), converge.Target{Address: "10.9.9.9"}, "true")
	if err == nil || !strings.Contains(err.Error(), "no route") || p.Len() != 0 {
		t.Errorf("Output = %v with %d connections; want the dial's error and none", err, p.Len())
	}
}
