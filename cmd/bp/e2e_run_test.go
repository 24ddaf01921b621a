package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// TestRun starts bp run (the built binary) on the demo of examples/webapp,
// with a low target and short cooldowns, on real machines: load through
// the load balancer grows the group and the new member serves; without
// load the group shrinks back to min, draining the leaving members first,
// with no failed request of a light steady loop; a member whose nginx
// stops is replaced; /metrics shows the decisions, the drains and the
// members' host metrics; SIGTERM stops bp run cleanly.
func TestRun(t *testing.T) {
	b := newE2EBlueprint(t, "demo")
	copyDemo(t, b.dir)
	b.setVars(map[string]cty.Value{
		"requests_per_member": cty.NumberIntVal(20),
		"scale_in_cooldown":   cty.StringVal("10s"),
		"web_max":             cty.NumberIntVal(4),
	})
	bin := filepath.Join(t.TempDir(), "bp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building bp: %v\n%s", err, out)
	}
	b.mustBP(0, "apply", "-auto-approve", "-no-color")
	lb := b.output("url")
	if got := b.addresses("web_addresses"); len(got) != 2 {
		t.Fatalf("members %v, want 2", got)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	status := ln.Addr().String()
	ln.Close()
	var log syncBuffer
	run := exec.Command(bin, "run", "-listen", status, "-interval", "1s")
	run.Dir, run.Stdout, run.Stderr = b.dir, &log, &log
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- run.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			run.Process.Kill()
			<-exited
		}
		t.Logf("bp run log:\n%s", log.String())
	})

	members := func() []string { return b.addresses("web_addresses") }
	waitFor := func(what string, limit time.Duration, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("after %s: %s did not happen", limit, what)
			}
			time.Sleep(time.Second)
		}
	}

	// Load well above 20 requests per second per member.
	var failed, served atomic.Int64
	seen := sync.Map{}
	load := func(ctx context.Context, workers int, pause time.Duration) *sync.WaitGroup {
		var wg sync.WaitGroup
		client := &http.Client{Timeout: 5 * time.Second}
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					if host, err := servedBy(client, lb); err != nil {
						failed.Add(1)
					} else {
						served.Add(1)
						seen.Store(host, true)
					}
					time.Sleep(pause)
				}
			}()
		}
		return &wg
	}
	heavy, stopHeavy := context.WithCancel(context.Background())
	wg := load(heavy, 8, 0)
	waitFor("scale-out to 3 or more members", 90*time.Second, func() bool { return len(members()) >= 3 })
	grown := members()
	newest := fmt.Sprintf("web-%d", len(grown)-1)
	waitFor("the new member "+newest+" serving", 30*time.Second, func() bool {
		_, ok := seen.Load(newest)
		return ok
	})
	stopHeavy()
	wg.Wait()

	// A light steady loop while the group shrinks back to min.
	failed.Store(0)
	light, stopLight := context.WithCancel(context.Background())
	wg = load(light, 1, 200*time.Millisecond)
	waitFor("scale-in to 2 members", 90*time.Second, func() bool { return len(members()) == 2 })
	time.Sleep(2 * time.Second)
	stopLight()
	wg.Wait()
	if n := failed.Load(); n != 0 {
		t.Errorf("%d requests failed during scale-in", n)
	}
	for _, m := range grown[2:] {
		if want := "drained targets_80/" + m + " in"; !strings.Contains(log.String(), want) {
			t.Errorf("bp run did not log %q before the scale-in", want)
		}
	}

	// A member whose nginx stops is replaced.
	victim := members()[0]
	b.ssh(victim, "systemctl stop nginx")
	waitFor("the replacement of "+victim, 90*time.Second, func() bool {
		return strings.Contains(log.String(), "replace module.machine_group:web.machine.member[0]") &&
			strings.Contains(log.String(), "applied in") && httpOK("http://"+members()[0]+"/")
	})

	_, metrics := httpGet(t, "http://"+status+"/metrics")
	for _, want := range []string{`bp_run_decisions_total{direction="out",group="machine_group.web"}`, `bp_run_decisions_total{direction="in",group="machine_group.web"}`,
		`bp_run_drains_total{load_balancer="load_balancer.front",outcome="drained"}`,
		`bp_run_host_metric{group="machine_group.web",host="` + members()[1] + `",metric="cpu"}`,
		`bp_run_host_metric{group="machine_group.web",host="` + members()[1] + `",metric="memory"}`,
		`bp_run_metric_observed{group="machine_group.web",metric="cpu"}`,
		`bp_run_metric_observed{group="machine_group.web",metric="requests_per_member"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	run.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		stopped = true
		if err != nil {
			t.Errorf("bp run after SIGTERM: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("bp run did not stop after SIGTERM")
	}
	if !strings.Contains(log.String(), "stopped") {
		t.Errorf("bp run did not say it stopped")
	}
}

// httpOK reports whether url answers 200.
func httpOK(url string) bool {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
