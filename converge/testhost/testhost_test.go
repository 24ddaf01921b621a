package testhost_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/converge"
	"github.com/blueprint-engine/bp/converge/testhost"
)

func TestHostLifecycle(t *testing.T) {
	h := testhost.New(t, testhost.Options{Name: "web-1"})
	addr := net.JoinHostPort(h.Target.Address, strconv.Itoa(h.Target.Port))
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("New must not start sshd")
	}
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	if err := h.Start(); err == nil {
		t.Error("a second Start succeeded")
	}
	conn, err := converge.Dial(context.Background(), h.Target)
	if err != nil {
		t.Fatal(err)
	}
	out, err := conn.Output(context.Background(), "echo $SHLVL; test -d /run/sshd && echo ok")
	conn.Close()
	if err != nil || string(out) != "2\nok\n" {
		t.Errorf("exec = %q, %v", out, err)
	}
	if h.Target.Name != "web-1" || !strings.Contains(h.Log(), "Accepted publickey for root") {
		t.Errorf("name %q, log:\n%s", h.Target.Name, h.Log())
	}
	h.Stop()
	h.Stop()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("sshd still listens after Stop")
	}
}

func TestSessionsAndNewHostKey(t *testing.T) {
	h := testhost.Start(t, testhost.Options{})
	old := h.Target
	conn, err := converge.Dial(context.Background(), old)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := conn.Output(context.Background(), "true"); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()
	if got := h.Sessions(); got.Execs != 3 || got.Subsystems != 0 {
		t.Errorf("Sessions() = %+v after 3 execs, want 3 execs", got)
	}

	if err := h.NewHostKey(); err != nil {
		t.Fatal(err)
	}
	if h.Target.HostKey == old.HostKey || h.Target.Port != old.Port {
		t.Fatalf("after NewHostKey: port %d key %q; want port %d with another key", h.Target.Port, h.Target.HostKey, old.Port)
	}
	if _, err := converge.Dial(context.Background(), old); err == nil {
		t.Error("the old host key is still accepted")
	}
	conn, err = converge.Dial(context.Background(), h.Target)
	if err != nil {
		t.Fatalf("dialling with the new key: %v", err)
	}
	conn.Close()
}
