package probe

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// closedAddr returns a local address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		case "/redirect":
			http.Redirect(w, r, "/missing", http.StatusFound)
		default:
			var code int
			fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/"), "%d", &code)
			w.WriteHeader(code)
		}
	}))
	defer srv.Close()
	tests := []struct {
		name   string
		probe  HTTP
		ok     bool
		detail string
	}{
		{"200", HTTP{URL: srv.URL + "/200"}, true, "HTTP 200"},
		{"204", HTTP{URL: srv.URL + "/204"}, true, "HTTP 204"},
		{"3xx is healthy and not followed", HTTP{URL: srv.URL + "/redirect"}, true, "HTTP 302"},
		{"404", HTTP{URL: srv.URL + "/404"}, false, "HTTP 404, want 2xx or 3xx"},
		{"503", HTTP{URL: srv.URL + "/503"}, false, "HTTP 503, want 2xx or 3xx"},
		{"expected list", HTTP{URL: srv.URL + "/401", Expect: []int{200, 401}}, true, "HTTP 401"},
		{"not in expected list", HTTP{URL: srv.URL + "/204", Expect: []int{200}}, false, "HTTP 204, want [200]"},
		{"timeout", HTTP{URL: srv.URL + "/slow", Timeout: 100 * time.Millisecond}, false, "no answer within 100ms"},
		{"closed port", HTTP{URL: "http://" + closedAddr(t) + "/"}, false, "connection refused"},
		{"bad URL", HTTP{URL: "http://[::1"}, false, "bad probe URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.probe.Probe(context.Background())
			if r.OK != tc.ok || !strings.Contains(r.Detail, tc.detail) {
				t.Errorf("Probe = %+v, want OK=%v with %q", r, tc.ok, tc.detail)
			}
			if tc.name == "timeout" && r.Duration > time.Second {
				t.Errorf("timed-out probe took %s", r.Duration)
			}
		})
	}
}

func TestTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		probe  TCP
		ok     bool
		detail string
	}{
		{"listening", context.Background(), TCP{Address: l.Addr().String()}, true, "connected"},
		{"closed port", context.Background(), TCP{Address: closedAddr(t)}, false, "connection refused"},
		{"no port", context.Background(), TCP{Address: "127.0.0.1"}, false, "missing port"},
		{"cancelled", cancelled, TCP{Address: l.Addr().String()}, false, "canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.probe.Probe(tc.ctx)
			if r.OK != tc.ok || !strings.Contains(r.Detail, tc.detail) {
				t.Errorf("Probe = %+v, want OK=%v with %q", r, tc.ok, tc.detail)
			}
		})
	}
}
