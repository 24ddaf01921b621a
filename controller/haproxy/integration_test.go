package haproxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/controller/haproxy/haproxytest"
)

// realHAProxy is a running haproxy with one frontend, the backend "app" of
// the given servers, a stats page and an admin socket.
type realHAProxy struct {
	front   string // http://127.0.0.1:PORT
	stats   string // the ;csv URL
	runtime Runtime
}

func freePort(t *testing.T) int { return haproxytest.FreePort(t) }

// startHAProxy starts a real haproxy (haproxytest.Start); it is stopped
// when the test ends.
func startHAProxy(t *testing.T, servers ...string) *realHAProxy {
	t.Helper()
	h := haproxytest.Start(t, servers...)
	return &realHAProxy{front: h.Front, stats: h.Stats, runtime: Runtime{Address: h.Socket}}
}

// upstream is an httptest server that counts its requests and answers
// after delay.
func upstream(t *testing.T, delay time.Duration) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		time.Sleep(delay)
		io.WriteString(w, "ok\n")
	}))
	t.Cleanup(s.Close)
	return s, &n
}

func hostPort(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

// get sends n requests through the load balancer and fails on any error.
func get(t *testing.T, url string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("request %d through haproxy: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d through haproxy: %s", i, resp.Status)
		}
	}
}

// TestRealHAProxyStats scrapes a real haproxy before and after traffic and
// checks that the figures move by what was sent.
func TestRealHAProxyStats(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real haproxy")
	}
	a, aCount := upstream(t, 20*time.Millisecond)
	b, bCount := upstream(t, 20*time.Millisecond)
	closed := freePort(t)
	h := startHAProxy(t,
		"a "+hostPort(a),
		"b "+hostPort(b),
		fmt.Sprintf("gone 127.0.0.1:%d check inter 100ms fall 1 rise 1", closed))
	ctx := context.Background()
	sc := &Scraper{URL: h.stats}

	// The server on a closed port goes DOWN after its first check.
	waitFor(t, "server gone DOWN", func() bool {
		st, err := sc.Scrape(ctx)
		if err != nil {
			t.Fatal(err)
		}
		be, _ := st.Backend("app")
		return len(be.Servers) == 3 && be.Servers[2].Status == StatusDown
	})
	before, err := sc.Scrape(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const sent = 40
	get(t, h.front, sent)
	after, err := sc.Scrape(ctx)
	if err != nil {
		t.Fatal(err)
	}

	bb, _ := before.Backend("app")
	ab, _ := after.Backend("app")
	if got := ab.RequestsTotal - bb.RequestsTotal; got != sent {
		t.Errorf("backend requests grew by %d, want %d", got, sent)
	}
	if ab.Servers[0].RequestsTotal-bb.Servers[0].RequestsTotal != aCount.Load() ||
		ab.Servers[1].RequestsTotal-bb.Servers[1].RequestsTotal != bCount.Load() {
		t.Errorf("server counters %d/%d, upstreams saw %d/%d", ab.Servers[0].RequestsTotal, ab.Servers[1].RequestsTotal, aCount.Load(), bCount.Load())
	}
	if aCount.Load() != sent/2 || bCount.Load() != sent/2 {
		t.Errorf("round robin sent %d/%d, want %d each", aCount.Load(), bCount.Load(), sent/2)
	}
	if ab.ResponseTime < 10*time.Millisecond || ab.ResponseTime > time.Second {
		t.Errorf("backend rtime %s, want about the upstream's 20ms", ab.ResponseTime)
	}
	load, err := after.Load("app", before)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := after.At.Sub(before.At).Seconds()
	if load.Members != 2 || load.RateSource != RateCounter {
		t.Errorf("Load = %+v, want 2 members and a counter rate", load)
	}
	if want := sent / elapsed; !near(load.RequestsPerSecond, want) || !near(load.RequestsPerMember, want/2) {
		t.Errorf("Load = %.2f req/s, %.2f per member; want %.2f and %.2f", load.RequestsPerSecond, load.RequestsPerMember, want, want/2)
	}

	// The runtime API's show stat gives the same counters.
	viaSocket, err := h.runtime.ShowStat(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sb, _ := viaSocket.Backend("app"); sb.RequestsTotal != ab.RequestsTotal {
		t.Errorf("show stat counts %d requests, the stats page %d", sb.RequestsTotal, ab.RequestsTotal)
	}
}

func near(got, want float64) bool { return got > want*0.99 && got < want*1.01 }

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRealHAProxyDrain drains, re-enables and maintains a server through
// the runtime API of a real haproxy and checks where traffic goes.
func TestRealHAProxyDrain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real haproxy")
	}
	a, aCount := upstream(t, 0)
	b, bCount := upstream(t, 0)
	h := startHAProxy(t, "a "+hostPort(a), "b "+hostPort(b))
	ctx := context.Background()

	status := func(server string) Status {
		t.Helper()
		st, err := h.runtime.ShowStat(ctx)
		if err != nil {
			t.Fatal(err)
		}
		be, _ := st.Backend("app")
		for _, s := range be.Servers {
			if s.Name == server {
				return s.Status
			}
		}
		t.Fatalf("no server %s in show stat", server)
		return ""
	}
	steps := []struct {
		name       string
		state      AdminState
		wantStatus Status
		wantA      int64 // requests a gets out of 10
	}{
		{"drain b", Drain, StatusDrain, 10},
		{"drain again is fine", Drain, StatusDrain, 10},
		{"ready b", Ready, StatusUp, 5},
		{"maint b", Maint, StatusMaint, 10},
		{"ready b after maint", Ready, StatusUp, 5},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := h.runtime.SetServerState(ctx, "app", "b", s.state); err != nil {
				t.Fatal(err)
			}
			if got := status("b"); got != s.wantStatus {
				t.Fatalf("b is %s, want %s", got, s.wantStatus)
			}
			a0, b0 := aCount.Load(), bCount.Load()
			get(t, h.front, 10)
			if ga, gb := aCount.Load()-a0, bCount.Load()-b0; ga != s.wantA || gb != 10-s.wantA {
				t.Errorf("a got %d and b %d of 10 requests, want %d and %d", ga, gb, s.wantA, 10-s.wantA)
			}
		})
	}

	errs := []struct {
		name            string
		backend, server string
		state           AdminState
		want            string
	}{
		{"unknown server", "app", "nope", Drain, `HAProxy refused "set server app/nope state drain": No such server.`},
		{"unknown backend", "web2", "a", Drain, "HAProxy refused"},
		{"unknown state", "app", "a", AdminState("off"), `server state "off" is not one of ready, drain, maint`},
		{"injection", "app", "a state maint\nshow info", Drain, "contains a space"},
		{"empty name", "", "a", Drain, "backend name is empty"},
	}
	for _, e := range errs {
		t.Run(e.name, func(t *testing.T) {
			err := h.runtime.SetServerState(ctx, e.backend, e.server, e.state)
			if err == nil || !strings.Contains(err.Error(), e.want) {
				t.Errorf("error = %v, want %q", err, e.want)
			}
		})
	}
	if got := status("a"); got != StatusUp {
		t.Errorf("after refused commands a is %s, want UP", got)
	}
}

// TestRuntimeUnreachable: a missing socket is an error that says how to
// configure one.
func TestRuntimeUnreachable(t *testing.T) {
	r := Runtime{Address: filepath.Join(t.TempDir(), "none.sock")}
	err := r.SetServerState(context.Background(), "app", "a", Drain)
	if err == nil || !strings.Contains(err.Error(), "stats socket") {
		t.Errorf("error = %v, want one naming the stats socket line", err)
	}
	if _, err := r.Command(context.Background(), "show info\nshow stat"); err == nil {
		t.Error("Command accepted two commands in one")
	}
}

// TestScrapeErrors: a stats page that is not CSV or not there.
func TestScrapeErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.Error(w, "no such page", http.StatusNotFound)
			return
		}
		io.WriteString(w, "<html>stats</html>")
	}))
	defer srv.Close()
	tests := []struct{ name, url, want string }{
		{"html page", srv.URL + "/stats", `check that the URL ends in ";csv"`},
		{"404", srv.URL + "/missing", `404 Not Found: "no such page"`},
		{"connection refused", fmt.Sprintf("http://127.0.0.1:%d/stats;csv", freePort(t)), "is HAProxy running"},
		{"bad url", "http://[::1", "HAProxy stats URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := (&Scraper{URL: tc.url}).Scrape(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
	if got := StatsURL("10.0.0.5"); got != "http://10.0.0.5:8404/stats;csv" {
		t.Errorf("StatsURL = %s", got)
	}
	if got := StatsURL("fd00::5"); got != "http://[fd00::5]:8404/stats;csv" {
		t.Errorf("StatsURL(v6) = %s", got)
	}
}
