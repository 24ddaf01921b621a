// Package haproxytest starts a real HAProxy for tests: one HTTP frontend
// balancing round robin over the given servers, a stats page and an admin
// socket. It fails the test (never skips it) when haproxy is not
// installed: `make setup` installs it.
package haproxytest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// HAProxy is a running haproxy, stopped when the test ends.
type HAProxy struct {
	// Front is the frontend's URL, "http://127.0.0.1:PORT".
	Front string
	// Stats is the stats page's CSV export.
	Stats string
	// Socket is the admin socket (runtime API, level admin).
	Socket string
	// Backend is the name of the backend of the servers: "app".
	Backend string
}

// Start runs haproxy in the foreground with the backend "app" of servers,
// haproxy "server" lines without the keyword ("NAME HOST:PORT ..."), and
// waits until it serves its stats page.
func Start(t testing.TB, servers ...string) *HAProxy {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		t.Fatalf("haproxy is not installed (%v); run `make setup` (scripts/setup.sh installs the Debian package haproxy)", err)
	}
	dir := t.TempDir()
	sock := filepath.Join(dir, "admin.sock")
	frontPort, statsPort := FreePort(t), FreePort(t)
	var cfg strings.Builder
	fmt.Fprintf(&cfg, `global
  stats socket %s mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s
frontend web
  bind 127.0.0.1:%d
  default_backend app
backend app
  balance roundrobin
`, sock, frontPort)
	for _, s := range servers {
		fmt.Fprintf(&cfg, "  server %s\n", s)
	}
	fmt.Fprintf(&cfg, `frontend stats
  bind 127.0.0.1:%d
  stats enable
  stats uri /stats
`, statsPort)
	path := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-db", "-f", path)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting haproxy: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	h := &HAProxy{
		Front:   fmt.Sprintf("http://127.0.0.1:%d", frontPort),
		Stats:   fmt.Sprintf("http://127.0.0.1:%d/stats;csv", statsPort),
		Socket:  sock,
		Backend: "app",
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-exited:
			t.Fatalf("haproxy exited (%v):\n%s", err, out)
		default:
		}
		if resp, err := client.Get(h.Stats); err == nil {
			resp.Body.Close()
			if _, err := os.Stat(sock); err == nil && resp.StatusCode == http.StatusOK {
				return h
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not serve its stats page within 10 s:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FreePort reserves a free local TCP port and releases it for a server.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
