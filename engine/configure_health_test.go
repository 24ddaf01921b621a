package engine_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/engine"
)

// A rollout health check gates each host after its converge: a host that
// answers passes, one that does not fails the configure block with the
// probe and its last answer, and what depends on the block is not applied.
func TestRolloutHealthCheck(t *testing.T) {
	var sick atomic.Bool
	var probes atomic.Int64 // connections: an HTTP or a TCP probe
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sick.Load() || r.URL.Path != "/healthz" {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			probes.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	src := func(check string) string {
		return `
role "app" {
  file "/etc/motd" { content = "hi" }
}
configure "web" {
  hosts = [{ name = "web-0", address = "127.0.0.1" }]
  roles = [role.app]
  rollout {
    health_check {
` + check + `
    }
  }
}
resource "mock_thing" "after" {
  name       = "after"
  depends_on = [configure.web]
}
`
	}
	for _, tc := range []struct {
		name, check string
		sick        bool
		want        string // "" for success
	}{
		{"http passes", `port = ` + port + `
      path = "/healthz"
      healthy_threshold = 2`, false, ""},
		{"tcp passes", `port = ` + port, false, ""},
		{"http fails", `port = ` + port + `
      path    = "/healthz"
      timeout = "1500ms"`, true, "did not pass its health check (GET http://127.0.0.1:" + port + "/healthz) within 1.5s after converging: answered 503 Service Unavailable"},
		{"wrong path fails", `port = ` + port + `
      path    = "/"
      timeout = "1s"`, false, "answered 503"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sick.Store(tc.sick)
			probes.Store(0)
			h := newHarness(t)
			h.hosts = newFakeHosts()
			_, diags := h.apply(context.Background(), src(tc.check), engine.PlanOptions{})
			if tc.want == "" {
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				// The server accepts a probe's connection a moment after the
				// prober saw it open.
				for deadline := time.Now().Add(2 * time.Second); probes.Load() == 0 && time.Now().Before(deadline); {
					time.Sleep(10 * time.Millisecond)
				}
				if probes.Load() == 0 {
					t.Fatal("the host converged without a probe")
				}
				if len(h.state.AllInstances()) != 1 {
					t.Fatalf("state %v, want mock_thing.after applied", h.state.AllInstances())
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Fatalf("diagnostics %v, want an error containing %q", diags, tc.want)
			}
			if n := len(h.state.AllInstances()); n != 0 {
				t.Fatalf("%d instances in state: what depends on a host that failed its health check was applied", n)
			}
		})
	}
}

// The probe itself: a host that never answers fails with the connection
// error, and an ended context cuts the wait short.
func TestRolloutHealthCheckErrors(t *testing.T) {
	var he *engine.HealthCheckError
	err := engine.WaitHealthyForTest(context.Background(), "127.0.0.1", 1, "", "1s")
	if !errors.As(err, &he) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want a HealthCheckError saying the connection was refused", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = engine.WaitHealthyForTest(ctx, "127.0.0.1", 1, "", "1m")
	if err == nil || errors.As(err, &he) || !strings.Contains(err.Error(), "cut short") {
		t.Fatalf("err = %v, want a cut-short error", err)
	}
}
