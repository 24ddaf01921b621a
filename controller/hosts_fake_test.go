package controller

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/controller/haproxy"
	"github.com/blueprint-engine/bp/controller/hostmetrics"
	"github.com/blueprint-engine/bp/converge"
)

// fakeHosts are members whose CPU is busy at a fixed share since the
// fake clock's start, and one load balancer's runtime API.
type fakeHosts struct {
	clock *fakeClock
	start time.Time
	rt    *fakeRuntime

	mu   sync.Mutex
	busy map[string]float64 // by address, 0–1
	down map[string]bool
	kept []converge.Target
}

func newFakeHosts(clock *fakeClock) *fakeHosts {
	return &fakeHosts{clock: clock, start: clock.t.Add(-time.Hour), rt: newFakeRuntime(),
		busy: map[string]float64{}, down: map[string]bool{}}
}

func (h *fakeHosts) Sample(_ context.Context, m Member) (hostmetrics.Snapshot, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.down[m.Address] {
		return hostmetrics.Snapshot{}, fmt.Errorf("connecting to host %s: connection refused", m.Address)
	}
	up := h.clock.Now().Sub(h.start)
	ticks := up.Seconds() * 100 * 2 // 2 CPUs at 100 ticks per second
	return hostmetrics.Snapshot{Source: hostmetrics.SourceProc, Uptime: up, Load1: 2 * h.busy[m.Address],
		CPUBusy: ticks * h.busy[m.Address], CPUTotal: ticks, MemoryUsed: 1 << 30, MemoryLimit: 4 << 30}, nil
}

func (h *fakeHosts) Runtime(*LoadBalancer) LBRuntime { return h.rt }

func (h *fakeHosts) Keep(ts []converge.Target) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.kept = ts
}

// fakeRuntime is an HAProxy runtime API: backends of servers with
// sessions. Each ShowStat ends one session of every drained server unless
// stuck.
type fakeRuntime struct {
	mu       sync.Mutex
	backends map[string][]*fakeServer
	order    []string
	stuck    bool
	err      error
	commands []string
}

type fakeServer struct {
	name     string
	state    haproxy.AdminState
	sessions int64
}

func newFakeRuntime() *fakeRuntime { return &fakeRuntime{backends: map[string][]*fakeServer{}} }

func (r *fakeRuntime) add(backend, server string, sessions int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.backends[backend]; !ok {
		r.order = append(r.order, backend)
	}
	r.backends[backend] = append(r.backends[backend], &fakeServer{name: server, state: haproxy.Ready, sessions: sessions})
}

func (r *fakeRuntime) remove(server string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for b, ss := range r.backends {
		for i, s := range ss {
			if s.name == server {
				r.backends[b] = append(ss[:i:i], ss[i+1:]...)
				break
			}
		}
	}
}

func (r *fakeRuntime) server(backend, name string) *fakeServer {
	for _, s := range r.backends[backend] {
		if s.name == name {
			return s
		}
	}
	return nil
}

func (r *fakeRuntime) ShowStat(context.Context) (*haproxy.Stats, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	st := &haproxy.Stats{At: time.Now()}
	for _, b := range r.order {
		be := haproxy.Backend{Name: b, Status: "UP"}
		for _, s := range r.backends[b] {
			if s.state == haproxy.Drain && s.sessions > 0 && !r.stuck {
				s.sessions--
			}
			status := haproxy.StatusUp
			if s.state == haproxy.Drain {
				status = haproxy.StatusDrain
			}
			be.Servers = append(be.Servers, haproxy.Server{Name: s.name, Status: status, Sessions: s.sessions})
		}
		st.Backends = append(st.Backends, be)
	}
	return st, nil
}

func (r *fakeRuntime) SetServerState(_ context.Context, backend, server string, state haproxy.AdminState) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.commands = append(r.commands, fmt.Sprintf("%s/%s %s", backend, server, state))
	if r.err != nil {
		return r.err
	}
	s := r.server(backend, server)
	if s == nil {
		return errors.New("No such server.")
	}
	s.state = state
	return nil
}

// states is each server's state and sessions, "b/s:state:n", in order.
func (r *fakeRuntime) states() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, b := range r.order {
		for _, s := range r.backends[b] {
			out = append(out, fmt.Sprintf("%s/%s:%s:%d", b, s.name, s.state, s.sessions))
		}
	}
	return out
}

var (
	_ Hosts     = (*fakeHosts)(nil)
	_ LBRuntime = (*fakeRuntime)(nil)
)
