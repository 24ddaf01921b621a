package toolkit

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// backendPair is two HTTP servers on the same port at 127.0.0.1 and
// 127.0.0.2: targets of one listener differ by address only.
type backendPair struct {
	port    int
	servers [2]*http.Server
}

func startBackends(t *testing.T) *backendPair {
	t.Helper()
	for range 20 {
		l1, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l1.Addr().(*net.TCPAddr).Port
		l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.2:%d", port))
		if err != nil {
			l1.Close()
			continue
		}
		b := &backendPair{port: port}
		for i, l := range []net.Listener{l1, l2} {
			name := fmt.Sprintf("b%d", i+1)
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/slow" {
					time.Sleep(1500 * time.Millisecond)
				}
				io.WriteString(w, name)
			})}
			b.servers[i] = srv
			go srv.Serve(l)
		}
		t.Cleanup(func() {
			for _, s := range b.servers {
				s.Close()
			}
		})
		return b
	}
	t.Fatal("no port free on both 127.0.0.1 and 127.0.0.2")
	return nil
}

func freePort(t *testing.T) int64 {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return int64(l.Addr().(*net.TCPAddr).Port)
}

// loadLoop sends POST requests over kept-alive connections until stopped
// and counts the answers by body, and the failures.
type loadLoop struct {
	mu       sync.Mutex
	answers  map[string]int
	failures []string
	stop     chan struct{}
	wg       sync.WaitGroup
}

func startLoad(url string, workers int) *loadLoop {
	ll := &loadLoop{answers: map[string]int{}, stop: make(chan struct{})}
	for range workers {
		ll.wg.Add(1)
		go func() {
			defer ll.wg.Done()
			c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1, Proxy: nil}}
			defer c.CloseIdleConnections()
			for {
				select {
				case <-ll.stop:
					return
				default:
				}
				body, err := post(c, url)
				ll.mu.Lock()
				if err != nil {
					ll.failures = append(ll.failures, err.Error())
				} else {
					ll.answers[body]++
				}
				ll.mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	return ll
}

func (ll *loadLoop) count(body string) int {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	return ll.answers[body]
}

func (ll *loadLoop) end() (map[string]int, []string) {
	close(ll.stop)
	ll.wg.Wait()
	return ll.answers, ll.failures
}

func get(c *http.Client, url string) (string, error) {
	return answer(c.Get(url))
}

// post sends a POST, which net/http does not retry on a kept-alive
// connection that closes under it, unlike a GET: a reload that closes idle
// connections shows up as a failure.
func post(c *http.Client, url string) (string, error) {
	return answer(c.Post(url, "text/plain", strings.NewReader("ping")))
}

func answer(resp *http.Response, err error) (string, error) {
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

func waitUntil(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHAProxyReloadKeepsConnections runs the rendered configuration in a
// real HAProxy in master-worker mode, as Debian's unit does, and changes
// its targets under a steady request loop with a reload (SIGUSR2, what
// systemctl reload sends): no request fails, a request in flight during the
// reload completes, the new target receives traffic, the stats CSV shows
// it, and a target that dies is taken out of rotation.
func TestHAProxyReloadKeepsConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("runs HAProxy")
	}
	bin := haproxyBinary(t)
	b := startBackends(t)
	port, statsPort := freePort(t), freePort(t)
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	render := func(targets ...string) {
		vars := lbVars{
			listeners: []cty.Value{listener(port, int64(b.port), "http")},
			targets:   targets,
			health:    health("/", "200ms", 2, 2),
		}.values(statsPort, filepath.Join(dir, "admin.sock"))
		if err := os.WriteFile(cfgPath, []byte(renderHAProxy(t, vars)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	render("127.0.0.1")

	var logs strings.Builder
	cmd := exec.Command(bin, "-W", "-f", cfgPath)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting haproxy: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("haproxy output:\n%s", logs.String())
		}
	})

	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	waitUntil(t, "haproxy answers through 127.0.0.1", 15*time.Second, func() bool {
		body, err := get(probe, url)
		return err == nil && body == "b1"
	})

	load := startLoad(url, 4)
	waitUntil(t, "the load loop gets answers", 5*time.Second, func() bool { return load.count("b1") > 20 })
	slow := make(chan error, 1)
	go func() {
		body, err := get(&http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}, url+"slow")
		if err == nil && body != "b1" {
			err = fmt.Errorf("answered by %s", body)
		}
		slow <- err
	}()
	time.Sleep(300 * time.Millisecond) // the slow request is in flight

	render("127.0.0.1", "127.0.0.2")
	if err := cmd.Process.Signal(syscall.SIGUSR2); err != nil {
		t.Fatalf("reloading haproxy: %v", err)
	}
	waitUntil(t, "the added target receives traffic", 15*time.Second, func() bool { return load.count("b2") > 20 })
	answers, failures := load.end()
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed across the reload; first: %s", len(failures), len(failures)+answers["b1"]+answers["b2"], failures[0])
	}
	if err := <-slow; err != nil {
		t.Errorf("the request in flight during the reload: %v", err)
	}
	t.Logf("answers across the reload: %v", answers)

	csvURL := fmt.Sprintf("http://127.0.0.1:%d/stats;csv", statsPort)
	backend := fmt.Sprintf("targets_%d,", port)
	serverRow := func(addr string) string {
		csv, err := get(probe, csvURL)
		if err != nil {
			t.Fatalf("stats: %v", err)
		}
		if !strings.HasPrefix(csv, "# pxname,svname,") {
			t.Fatalf("stats at %s is not HAProxy's CSV:\n%s", csvURL, csv)
		}
		for _, line := range strings.Split(csv, "\n") {
			if strings.HasPrefix(line, backend+addr+",") {
				return line
			}
		}
		return ""
	}
	if row := serverRow("127.0.0.2"); !strings.Contains(row, ",UP,") {
		t.Errorf("stats row of the added target = %q, want it UP", row)
	}

	// A dead target is taken out of rotation within the health window.
	b.servers[0].Close()
	waitUntil(t, "the stats show the dead target DOWN", 10*time.Second, func() bool {
		return strings.Contains(serverRow("127.0.0.1"), ",DOWN")
	})
	// New connections: one kept alive since before the reload may still
	// reach the old worker, with the old targets, until it closes.
	fresh := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	for i := range 20 {
		if body, err := get(fresh, url); err != nil || body != "b2" {
			t.Fatalf("request %d after the target died: %q, %v; want b2", i, body, err)
		}
	}
}
