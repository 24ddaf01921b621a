package controller

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/controller/haproxy/haproxytest"
	"github.com/blueprint-engine/bp/controller/status"
	"github.com/blueprint-engine/bp/converge/testhost"
)

// TestRealDrainOverSSH drains a member's server in a real HAProxy through
// its admin socket forwarded over a real sshd, as bp run does on a
// self-hosted load balancer: the drain waits for the request in flight on
// the server, the server gets no new request while drained, and after a
// failed apply it is ready again and takes its share.
func TestRealDrainOverSSH(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real haproxy and sshd")
	}
	// Servers are named by member address, as the load balancer module
	// names them; 10.0.0.1 and 10.0.0.2 are the fake stack's members.
	var counts [2]atomic.Int64
	upstream := func(i int) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			counts[i].Add(1)
			if r.URL.Path == "/slow" {
				time.Sleep(time.Second)
			}
			io.WriteString(w, "ok\n")
		}))
		t.Cleanup(s.Close)
		return strings.TrimPrefix(s.URL, "http://")
	}
	lb := haproxytest.Start(t, "10.0.0.1 "+upstream(0), "10.0.0.2 "+upstream(1))
	// OpenSSH applies AllowTcpForwarding to Unix sockets too; Debian's
	// default allows it.
	host := testhost.Start(t, testhost.Options{AllowTCPForwarding: true})
	hosts := &SSHHosts{AdminSocket: lb.Socket}
	t.Cleanup(func() { hosts.Close() })
	h := newHarnessWith(t, 2, func(_ *harness, cfg *Config) {
		cfg.Hosts = hosts
		cfg.DrainTimeout, cfg.DrainPoll = 10*time.Second, 20*time.Millisecond
	})
	stack := &Stack{LoadBalancers: []*LoadBalancer{{Addr: "load_balancer.front", SSH: host.Target}}}

	get := func(path string) error {
		resp, err := http.Get(lb.Front + path)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", path, resp.Status)
		}
		return nil
	}
	// Two slow requests in flight, one on each server (round robin).
	slow := make(chan error, 2)
	for range 2 {
		go func() { slow <- get("/slow") }()
	}
	for counts[0].Load()+counts[1].Load() < 2 {
		time.Sleep(10 * time.Millisecond)
	}

	drained := h.ctl.drain(context.Background(), stack, []Member{{Address: "10.0.0.2"}})
	if len(drained) != 1 || drained[0].backend != lb.Backend || drained[0].server != "10.0.0.2" {
		t.Fatalf("drained %+v, want app/10.0.0.2\nlog:\n%s", drained, h.logs())
	}
	select {
	case err := <-slow:
		if err != nil {
			t.Fatalf("a request in flight failed: %v", err)
		}
	default:
		t.Fatalf("the drain returned before the request in flight on 10.0.0.2 ended\nlog:\n%s", h.logs())
	}
	d := h.board.Snapshot().Drains
	if len(d) != 1 || d[0].Outcome != status.Drained || d[0].Took < 300*time.Millisecond {
		t.Errorf("board drains %+v, want one drained after the slow request", d)
	}

	before := counts[1].Load()
	for i := range 10 {
		if err := get("/"); err != nil {
			t.Fatalf("request %d while drained: %v", i, err)
		}
	}
	if got := counts[1].Load() - before; got != 0 {
		t.Errorf("the drained server got %d of 10 new requests, want 0", got)
	}

	h.ctl.undrain(context.Background(), drained)
	before = counts[1].Load()
	for i := range 10 {
		if err := get("/"); err != nil {
			t.Fatalf("request %d after undrain: %v", i, err)
		}
	}
	if got := counts[1].Load() - before; got != 5 {
		t.Errorf("after undrain the server got %d of 10 requests, want 5\nlog:\n%s", got, h.logs())
	}
	if !strings.Contains(h.logs(), "app/10.0.0.2 is ready again") {
		t.Errorf("the log does not say the server is ready again:\n%s", h.logs())
	}
	if logins := strings.Count(host.Log(), "Accepted publickey"); logins != 1 {
		t.Errorf("%d SSH logins to the load balancer, want 1 kept connection", logins)
	}
}
