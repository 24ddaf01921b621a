package engine_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"
)

// fakeHosts is a HostConfigurer that records what it is asked and answers
// from a script: each host's desired resources are computed with fixed
// facts, and every resource is reported changed unless listed as
// unchanged or failing.
type fakeHosts struct {
	mu        sync.Mutex
	requests  []engine.ConfigureHostsRequest
	desired   map[string][]engine.DesiredHostResource // host → resources of the last request
	unchanged map[string]bool                         // resource ID → report unchanged
	fail      map[string]string                       // resource ID → error
	hostErr   map[string]error                        // host → connection error
	// presents maps host addresses ("host:port") to the host key they
	// present; a host with a pinned key that differs fails to connect.
	presents map[string]string
}

func newFakeHosts() *fakeHosts {
	return &fakeHosts{desired: map[string][]engine.DesiredHostResource{}, unchanged: map[string]bool{},
		fail: map[string]string{}, hostErr: map[string]error{}, presents: map[string]string{}}
}

func (f *fakeHosts) ConfigureHosts(ctx context.Context, req engine.ConfigureHostsRequest) []engine.HostOutcome {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	var out []engine.HostOutcome
	for _, h := range req.Hosts {
		o := engine.HostOutcome{Host: h.Name, Address: h.Address}
		f.mu.Lock()
		presented := f.presents[engine.HostKeyAddress(h)]
		f.mu.Unlock()
		if presented != "" {
			if h.HostKey != "" && h.HostKey != presented {
				o.Err = fmt.Errorf("host key mismatch for %s: pinned %s, presented %s", h.Name, h.HostKey, presented)
				out = append(out, o)
				continue
			}
			o.HostKey = presented
			o.HostKeys = map[string]string{engine.HostKeyAddress(h): presented}
		}
		if err := f.hostErr[h.Name]; err != nil {
			o.Err = err
			out = append(out, o)
			continue
		}
		res, err := req.Desired(h, map[string]any{"os": "debian", "cpus": float64(2)})
		if err != nil {
			o.Err = err
			out = append(out, o)
			continue
		}
		f.mu.Lock()
		f.desired[h.Name] = res
		f.mu.Unlock()
		for _, r := range res {
			st := engine.HostChanged
			var msg string
			switch {
			case f.fail[r.ID] != "":
				st, msg = engine.HostFailed, f.fail[r.ID]
			case f.unchanged[r.ID]:
				st = engine.HostUnchanged
			}
			o.Results = append(o.Results, engine.HostResourceResult{ID: r.ID, Status: st, Error: msg, Output: "apt said no"})
		}
		if req.Verify != nil && !o.Failed() {
			o.Err = req.Verify(ctx, h)
		}
		out = append(out, o)
	}
	return out
}

func (f *fakeHosts) lastDesired(host string) map[string]engine.DesiredHostResource {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]engine.DesiredHostResource{}
	for _, r := range f.desired[host] {
		out[r.ID] = r
	}
	return out
}

const configureBlueprint = `
locals {
  hosts = [
    { address = "10.0.0.1", name = "web-0", labels = { tier = "web" } },
    { address = "10.0.0.2", name = "web-1", labels = { tier = "web" } },
  ]
}

role "app" {
  package "nginx" {}
  template "/etc/motd" {
    source = "motd.tpl"
    vars   = { greeting = "hello" }
    notify = [service.nginx]
  }
  file "/etc/app.conf" {
    content = "os=${host.facts.os} index=${host.index}"
    mode    = "0640"
  }
  service "nginx" {
    state   = "running"
    enabled = true
  }
}

configure "web" {
  hosts = local.hosts
  roles = [role.app]
}
-- motd.tpl --
${greeting} from ${host.name} (${host.address}, ${host.labels.tier})
`

func TestConfigurePlanChecksHosts(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	fh.unchanged["app/package.nginx"] = true
	p := h.mustPlan(configureBlueprint, engine.PlanOptions{})
	if len(fh.requests) != 1 || !fh.requests[0].Check {
		t.Fatalf("want one check request, got %+v", fh.requests)
	}
	if got := len(p.HostChanges); got != 2 {
		t.Fatalf("host changes: got %d, want 2: %+v", got, p.HostChanges)
	}
	hc := p.HostChanges[0]
	if hc.Configure != "configure.web" || hc.Host != "host[0]" || hc.Address != "10.0.0.1" || hc.Unchanged != 1 {
		t.Errorf("host change 0 = %+v", hc)
	}
	var ids []string
	for _, r := range hc.Resources {
		ids = append(ids, r.ID)
	}
	if got, want := strings.Join(ids, " "), "app/template./etc/motd app/file./etc/app.conf app/service.nginx"; got != want {
		t.Errorf("changed resources = %q, want %q", got, want)
	}
	if !p.HasChanges() {
		t.Error("plan with host changes reports no changes")
	}

	d := fh.lastDesired("host[1]")
	motd := d["app/template./etc/motd"]
	if got, want := motd.Attrs["content"], "hello from web-1 (10.0.0.2, web)\n"; got != want {
		t.Errorf("rendered template = %q, want %q", got, want)
	}
	if got := motd.Attrs["path"]; got != "/etc/motd" {
		t.Errorf("template path from label = %v", got)
	}
	if got, want := strings.Join(motd.Notify, ","), "app/service.nginx"; got != want {
		t.Errorf("notify = %q, want %q", got, want)
	}
	if _, ok := motd.Attrs["source"]; ok {
		t.Error("the template's local source path was sent to the agent")
	}
	conf := d["app/file./etc/app.conf"]
	if got, want := conf.Attrs["content"], "os=debian index=1"; got != want {
		t.Errorf("host.facts/host.index in file content = %q, want %q", got, want)
	}
	if conf.Source != "main.bp.hcl:16" {
		t.Errorf("source = %q, want main.bp.hcl:16", conf.Source)
	}
	if got := d["app/package.nginx"].Attrs["name"]; got != "nginx" {
		t.Errorf("package name from label = %v", got)
	}
}

func TestConfigurePlanWithoutRefreshDoesNotReachHosts(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	p := h.mustPlan(configureBlueprint, engine.PlanOptions{SkipRefresh: true})
	if len(fh.requests) != 0 {
		t.Fatalf("plan -refresh=false reached hosts: %d requests", len(fh.requests))
	}
	for _, hc := range p.HostChanges {
		if hc.Unchecked == "" {
			t.Errorf("%s: want an unchecked note, got %+v", hc.Host, hc)
		}
	}
}

func TestConfigurePendingHostsOfNewMachines(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	src := `
resource "mock_thing" "m" {
  count = 2
  name  = "m${count.index}"
}
role "base" {
  file "/etc/motd" { content = "hi" }
}
configure "all" {
  hosts = [for m in resource.mock_thing.m : { address = m.id }]
  roles = [role.base]
}
`
	p := h.mustPlan(src, engine.PlanOptions{})
	if len(fh.requests) != 0 {
		t.Fatalf("hosts that do not exist yet were checked: %+v", fh.requests)
	}
	if len(p.HostChanges) != 2 || !p.HostChanges[0].Pending || p.HostChanges[0].Roles[0] != "base" {
		t.Fatalf("want 2 pending host changes with role base, got %+v", p.HostChanges)
	}
	h.mustApply(src)
	if len(fh.requests) != 1 || fh.requests[0].Check {
		t.Fatalf("apply: want one converge request, got %d", len(fh.requests))
	}
	var addrs []string
	for _, t := range fh.requests[0].Hosts {
		addrs = append(addrs, t.Address)
	}
	sort.Strings(addrs)
	if got := strings.Join(addrs, " "); got != "mock_thing-1 mock_thing-2" {
		t.Errorf("converged hosts = %q", got)
	}
	// The second plan checks the hosts, which now exist.
	fh.unchanged["base/file./etc/motd"] = true
	p = h.mustPlan(src, engine.PlanOptions{})
	if p.HasChanges() {
		t.Errorf("second plan has changes: %+v", p.HostChanges)
	}
}

func TestConfigureFailurePointsAtResource(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	fh.fail["app/package.nginx"] = "E: Unable to locate package nginx"
	fh.hostErr["host[1]"] = errors.New("dial tcp 10.0.0.2:22: connection refused")
	_, diags := h.apply(context.Background(), configureBlueprint, engine.PlanOptions{})
	if !diags.HasErrors() {
		t.Fatal("apply with a failing host resource succeeded")
	}
	var found, hostErr bool
	for _, d := range diags {
		if strings.Contains(d.Summary, "app/package.nginx") {
			found = true
			if d.Subject == nil || d.Subject.Start.Line != 10 {
				t.Errorf("failure subject = %v, want main.bp.hcl line 10", d.Subject)
			}
			if !strings.Contains(d.Detail, "Unable to locate package") || !strings.Contains(d.Detail, "apt said no") {
				t.Errorf("failure detail lacks the error or output: %q", d.Detail)
			}
		}
		if strings.Contains(d.Detail, "connection refused") {
			hostErr = true
		}
	}
	if !found || !hostErr {
		t.Errorf("diagnostics = %s", diags.Error())
	}
}

func TestConfigureBadArgumentIsPositioned(t *testing.T) {
	h := newHarness(t)
	h.hosts = newFakeHosts()
	src := strings.Replace(configureBlueprint, `mode    = "0640"`, `mode    = "rw-r-----"`, 1)
	_, diags := h.plan(src, engine.PlanOptions{})
	if !diags.HasErrors() {
		t.Fatal("a bad mode was accepted")
	}
	d := diags[0]
	if d.Subject == nil || d.Subject.Start.Line != 18 || len(diags) != 1 || !strings.Contains(fmt.Sprint(d.Summary, d.Detail), "mode") {
		t.Errorf("diagnostic = %s at %v, want one about mode at line 18", diags.Error(), d.Subject)
	}
}

func TestConvergeRunsOnlyConfiguration(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	src := `
resource "mock_thing" "m" { name = "m" }
role "base" {
  file "/etc/motd" { content = "hi" }
}
configure "all" {
  hosts = [{ address = resource.mock_thing.m.id }]
  roles = [role.base]
}
configure "none" {
  hosts = []
  roles = [role.base]
}
`
	h.mustApply(src)
	before := h.addrs()
	fh.requests = nil
	// A new resource in the blueprint is not created by converge.
	src2 := src + "\nresource \"mock_thing\" \"extra\" { name = \"x\" }\n"
	e := h.engine(src2)
	sy := state.NewSync(h.state.DeepCopy(), &memBackend{})
	diags := e.Converge(context.Background(), h.state.DeepCopy(), sy, engine.ConvergeOptions{Targets: []string{"configure.all"}})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := sy.Snapshot().AllInstances(); len(got) != 1 || before != "mock_thing.m" {
		t.Errorf("converge changed resources: %v (before %s)", got, before)
	}
	if len(fh.requests) != 1 || fh.requests[0].Check || fh.requests[0].Hosts[0].Address != "mock_thing-1" {
		t.Fatalf("converge requests = %+v", fh.requests)
	}
	var warned bool
	for _, d := range diags {
		warned = warned || d.Summary == "Resource changes left for bp apply"
	}
	if !warned {
		t.Error("no warning about the pending resource change")
	}
	diags = e.Converge(context.Background(), h.state.DeepCopy(), sy, engine.ConvergeOptions{Targets: []string{"configure.nope"}})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "configure.all") {
		t.Errorf("unknown target: %v", diags)
	}
}

func TestConfigureConnectionBlock(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	src := `
resource "mock_thing" "m" {
  name = "m"
  connection {
    host = "10.1.1.${length(self.name)}"
    user = "admin"
    port = 2222
    bastion {
      host = "jump.example.test"
    }
  }
}
role "base" {
  file "/etc/motd" { content = "hi" }
}
configure "all" {
  hosts = [resource.mock_thing.m]
  roles = [role.base]
}
`
	h.mustApply(src)
	fh.requests = nil
	h.mustPlan(src, engine.PlanOptions{})
	if len(fh.requests) != 1 {
		t.Fatalf("requests = %d", len(fh.requests))
	}
	got := fh.requests[0].Hosts[0]
	if got.Name != "mock_thing.m" || got.Address != "10.1.1.1" || got.User != "admin" || got.Port != 2222 {
		t.Errorf("target = %+v", got)
	}
	if got.Bastion == nil || got.Bastion.Address != "jump.example.test" || got.Bastion.User != "admin" || got.Bastion.Port != 22 {
		t.Errorf("bastion = %+v", got.Bastion)
	}
}
