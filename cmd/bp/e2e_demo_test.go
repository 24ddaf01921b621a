package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/zclconf/go-cty/cty"
)

// TestDemo runs the demo stack of examples/webapp, as shipped, on real
// machines: a machine group of nginx web machines behind the self-hosted
// HAProxy load balancer, with the self-hosted PowerDNS zone example.test.
// It checks what the issue of the portable toolkit asks: DNS answers the
// load balancer's address, traffic reaches every web machine, a stopped
// nginx leaves the rotation and the failover record, a new web machine
// joins without a failed request, and destroy leaves nothing. (bp run on
// the demo is TestRun.)
func TestDemo(t *testing.T) {
	b := newE2EBlueprint(t, "demo")
	copyDemo(t, b.dir)

	// The plan shows each self-hosted resource's expansion.
	plan, _ := b.mustBP(0, "plan", "-no-color")
	for _, want := range []string{
		"# load_balancer.front is self-hosted: HAProxy on a machine",
		"# module.load_balancer:front.machine.lb will be created",
		"# dns_zone.main is self-hosted: PowerDNS authoritative server on a machine",
		"# module.dns_zone:main.dns_zone.this will be created",
		"# module.dns_record:www.dns_record.this will be created",
		"# machine_group.web is self-hosted: identical machines",
		"# module.machine_group:web.machine.member[1] will be created",
		"# autoscaler.web is self-hosted",
		"# health_check.web is self-hosted",
	} {
		if !strings.Contains(plan, want) {
			t.Fatalf("the plan lacks %q:\n%s", want, plan)
		}
	}
	b.mustBP(0, "apply", "-auto-approve", "-no-color")
	// Applied, the stack matches the blueprint: nothing to change, no drift.
	if again, _ := b.mustBP(0, "plan", "-no-color", "-detailed-exitcode"); strings.Contains(again, "changed outside of bp") {
		t.Fatalf("a plan right after apply reports drift:\n%s", again)
	}

	lb := b.output("url")
	dnsServer := b.output("dns_server")
	webs := b.addresses("web_addresses")
	lbAddr := strings.TrimSuffix(strings.TrimPrefix(lb, "http://"), "/")
	t.Logf("load balancer %s, DNS %s, web machines %v", lbAddr, dnsServer, webs)

	t.Run("dns answers the load balancer", func(t *testing.T) {
		if got := lookupA(t, dnsServer, "www.example.test."); !equalSets(got, []string{lbAddr}) {
			t.Fatalf("www.example.test = %v, want [%s]", got, lbAddr)
		}
	})
	t.Run("a record changed behind bp's back shows in the plan", func(t *testing.T) {
		b := b.in(t)
		key := stateAttr(t, filepath.Join(b.dir, "bp.state"), "module.dns_zone:main", "std_random", "api_key", "result")
		body := `{"rrsets":[{"name":"www.example.test.","type":"A","ttl":60,"changetype":"REPLACE","records":[{"content":"192.0.2.1","disabled":false}]}]}`
		req, _ := http.NewRequest(http.MethodPatch, "http://"+net.JoinHostPort(dnsServer, "8081")+"/api/v1/servers/localhost/zones/example.test.", strings.NewReader(body))
		req.Header.Set("X-API-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			t.Fatalf("changing www through the PowerDNS API: %s", resp.Status)
		}
		plan, _ := b.mustBP(2, "plan", "-no-color", "-detailed-exitcode")
		for _, want := range []string{"# module.dns_record:www.dns_record.this has changed", "192.0.2.1", "will be updated in place"} {
			if !strings.Contains(plan, want) {
				t.Fatalf("the plan after a change behind bp's back lacks %q:\n%s", want, plan)
			}
		}
		b.mustBP(0, "apply", "-auto-approve", "-no-color")
		if got := lookupA(t, dnsServer, "www.example.test."); !equalSets(got, []string{lbAddr}) {
			t.Fatalf("after apply, www.example.test = %v, want [%s] again", got, lbAddr)
		}
	})
	t.Run("traffic reaches every web machine", func(t *testing.T) {
		seen := hitCounts(t, lb, 20)
		if len(seen) != len(webs) {
			t.Fatalf("20 requests through %s reached %v, want all %d web machines", lb, seen, len(webs))
		}
	})
	t.Run("a stopped nginx leaves the rotation and the failover record", func(t *testing.T) {
		b := b.in(t)
		b.ssh(demoMember(1), "systemctl stop nginx")
		waitFor(t, "the load balancer to stop sending to web-1", 20*time.Second, func() bool {
			seen := hitCounts(t, lb, 10)
			return len(seen) == 1 && seen["web-0"] == 10
		})
		waitFor(t, "web.example.test to stop answering web-1", 20*time.Second, func() bool {
			got := lookupA(t, dnsServer, "web.example.test.")
			return len(got) > 0 && !contains(got, webs[1])
		})
		b.ssh(demoMember(1), "systemctl start nginx")
		waitFor(t, "web-1 to come back", 20*time.Second, func() bool { return len(hitCounts(t, lb, 10)) == 2 })
	})
	t.Run("a new web machine joins without a failed request", func(t *testing.T) {
		b := b.in(t)
		b.setVars(map[string]cty.Value{"web_desired": cty.NumberIntVal(3)})
		plan, _ := b.mustBP(0, "plan", "-no-color")
		if !strings.Contains(plan, "# "+demoMember(2)+" will be created") {
			t.Fatalf("the plan for 3 web machines does not create web-2:\n%s", plan)
		}
		lbHost := hostSection(t, plan, "module.load_balancer:front.configure.lb", "module.load_balancer:front.machine.lb")
		if !strings.Contains(lbHost, "haproxy/template./etc/haproxy/haproxy.cfg") {
			t.Fatalf("the plan does not show the load balancer's targets changing:\n%s", lbHost)
		}
		load := startRequestLoop(lb, 4)
		b.mustBP(0, "apply", "-auto-approve", "-no-color")
		waitFor(t, "web-2 to receive traffic", 20*time.Second, func() bool { return load.count("web-2") > 0 })
		counts, failures := load.stop()
		t.Logf("requests during the change: %v", counts)
		if len(failures) > 0 {
			t.Fatalf("%d requests failed while the load balancer took the new machine in; first: %s", len(failures), failures[0])
		}
		if counts["web-0"] == 0 || counts["web-1"] == 0 {
			t.Fatalf("requests during the change = %v, want every web machine", counts)
		}
	})
	t.Run("destroy leaves nothing", func(t *testing.T) {
		b := b.in(t)
		b.mustBP(0, "destroy", "-auto-approve", "-no-color")
		b.destroy() // fails the test on any container or network left
	})
}

// demoMember is the state address of the demo's web machine i.
func demoMember(i int) string {
	return fmt.Sprintf("module.machine_group:web.machine.member[%d]", i)
}

// copyDemo copies examples/webapp, without any state, into dir.
func copyDemo(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join("..", "..", "examples", "webapp")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if strings.HasPrefix(d.Name(), "bp.state") || strings.HasPrefix(d.Name(), ".") && rel != "." {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatalf("copying examples/webapp: %v", err)
	}
}

// stateAttr reads one string attribute of a single-instance resource from
// a state file, as the test's view behind bp's back.
func stateAttr(t *testing.T, path, module, typ, name, attr string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Module, Type, Name string
			Instances          []struct {
				Attributes map[string]any
			}
		}
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	for _, r := range st.Resources {
		if r.Module == module && r.Type == typ && r.Name == name && len(r.Instances) == 1 {
			if v, ok := r.Instances[0].Attributes[attr].(string); ok {
				return v
			}
		}
	}
	t.Fatalf("%s has no %s.%s.%s with a string %s", path, module, typ, name, attr)
	return ""
}

// output returns a string output of the blueprint.
func (b *e2eBlueprint) output(name string) string {
	b.t.Helper()
	stdout, _ := b.mustBP(0, "output", "-raw", name)
	return strings.TrimSpace(stdout)
}

// lookupA asks server for the A records of name.
func lookupA(t *testing.T, server, name string) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	c := &dns.Client{Timeout: 3 * time.Second}
	r, _, err := c.Exchange(m, net.JoinHostPort(server, "53"))
	if err != nil {
		t.Fatalf("asking %s for %s: %v", server, name, err)
	}
	if r.Rcode != dns.RcodeSuccess {
		t.Fatalf("asking %s for %s: %s", server, name, dns.RcodeToString[r.Rcode])
	}
	var out []string
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			out = append(out, a.A.String())
		}
	}
	sort.Strings(out)
	return out
}

var pageHost = regexp.MustCompile(`<h1>Hello from ([^<]+)</h1>`)

// hitCounts makes n requests to url and counts which web machine answered;
// a failed request fails the test.
func hitCounts(t *testing.T, url string, n int) map[string]int {
	t.Helper()
	seen := map[string]int{}
	c := &http.Client{Timeout: 5 * time.Second}
	for range n {
		host, err := servedBy(c, url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		seen[host]++
	}
	return seen
}

// servedBy makes one request and returns the host the page names.
func servedBy(c *http.Client, url string) (string, error) {
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("status %s", resp.Status)
	}
	m := pageHost.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("the page names no host: %.200q", body)
	}
	return string(m[1]), nil
}

// requestLoop sends requests without pause from several workers, counting
// answers by host and keeping every failure.
type requestLoop struct {
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	mu       sync.Mutex
	counts   map[string]int
	failures []string
}

func startRequestLoop(url string, workers int) *requestLoop {
	ctx, cancel := context.WithCancel(context.Background())
	l := &requestLoop{cancel: cancel, counts: map[string]int{}}
	for range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			for ctx.Err() == nil {
				host, err := servedBy(c, url)
				l.mu.Lock()
				if err != nil {
					l.failures = append(l.failures, err.Error())
				} else {
					l.counts[host]++
				}
				l.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	return l
}

func (l *requestLoop) count(host string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[host]
}

func (l *requestLoop) stop() (map[string]int, []string) {
	l.cancel()
	l.wg.Wait()
	return l.counts, l.failures
}

// waitFor polls ok until it holds or timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func equalSets(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, ",") == strings.Join(b, ",")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
