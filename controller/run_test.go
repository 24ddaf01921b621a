package controller

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/blueprint-engine/bp/controller/haproxy"
	"github.com/blueprint-engine/bp/controller/probe"
	"github.com/blueprint-engine/bp/controller/status"
	"github.com/blueprint-engine/bp/engine/state"
)

// fakeStack is a state with one group, an autoscaler on requests per
// member and an HTTP health check, as the toolkit modules record them. Its
// Apply resizes the group and replaces members the way the engine would.
type fakeStack struct {
	mu       sync.Mutex
	size     int
	next     int      // the next member address suffix
	members  []string // addresses by index
	applies  []ApplyRequest
	applyErr error
	// metric is the autoscaler's metric: requests_per_member from the
	// load balancer unless set; a host metric has no source.
	metric string
	// onApply runs at the start of every Apply, with the lock held.
	onApply func(ApplyRequest)
}

func newFakeStack(size int) *fakeStack {
	f := &fakeStack{}
	f.resize(size)
	return f
}

func (f *fakeStack) resize(n int) {
	for len(f.members) < n {
		f.next++
		f.members = append(f.members, fmt.Sprintf("10.0.0.%d", f.next))
	}
	f.members = f.members[:n]
	f.size = n
}

func (f *fakeStack) ReadState(context.Context) (*state.State, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := state.New()
	set := func(addr string, v cty.Value) {
		a, err := state.ParseInstanceAddr(addr)
		if err != nil {
			panic(err)
		}
		s.SetInstance(a, "provider.std", &state.Object{Value: v})
	}
	set("module.machine_group:web.std_group_size.this", cty.ObjectVal(map[string]cty.Value{
		"size": cty.NumberIntVal(int64(f.size)), "min": cty.NumberIntVal(1), "max": cty.NumberIntVal(5)}))
	for i, m := range f.members {
		set(fmt.Sprintf("module.machine_group:web.machine.member[%d]", i), cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal(m)}))
	}
	set("module.load_balancer:front.machine.lb", cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal("10.0.9.1"),
		"ssh_user": cty.StringVal("root"), "host_key": cty.StringVal("ssh-ed25519 AAAAlb")}))
	metric := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("requests_per_member"), "target": cty.NumberIntVal(10),
		"stats_url": cty.StringVal("http://lb/stats;csv"), "backend": cty.StringVal("targets_80"),
	})
	if f.metric != "" {
		metric = cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(f.metric), "target": cty.NumberIntVal(50),
			"stats_url": cty.NullVal(cty.String), "backend": cty.NullVal(cty.String)})
	}
	set("module.autoscaler:web.std_null.this", cty.ObjectVal(map[string]cty.Value{"inputs": cty.ObjectVal(map[string]cty.Value{
		"group": cty.StringVal("machine_group.web"), "min": cty.NumberIntVal(2), "max": cty.NumberIntVal(4),
		"metrics":            cty.TupleVal([]cty.Value{metric}),
		"scale_out_cooldown": cty.StringVal("10s"), "scale_in_cooldown": cty.StringVal("20s"), "stabilization": cty.StringVal("0s"),
	})}))
	set("module.health_check:web.std_null.this", cty.ObjectVal(map[string]cty.Value{"inputs": cty.ObjectVal(map[string]cty.Value{
		"group": cty.StringVal("machine_group.web"),
		"http":  cty.ObjectVal(map[string]cty.Value{"path": cty.StringVal("/"), "port": cty.NumberIntVal(80)}),
		"tcp":   cty.NullVal(cty.DynamicPseudoType), "interval": cty.StringVal("1s"),
		"healthy_threshold": cty.NumberIntVal(1), "unhealthy_threshold": cty.NumberIntVal(2),
	})}))
	return s, nil
}

func (f *fakeStack) Apply(_ context.Context, req ApplyRequest) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applies = append(f.applies, req)
	if f.onApply != nil {
		f.onApply(req)
	}
	if f.applyErr != nil {
		return f.applyErr
	}
	for _, a := range req.Replace {
		var i int
		if _, err := fmt.Sscanf(a.Key.String(), "[%d]", &i); err != nil {
			panic(a.String())
		}
		f.next++
		f.members[i] = fmt.Sprintf("10.0.0.%d", f.next)
	}
	if n, ok := req.GroupSizes["machine_group.web"]; ok {
		f.resize(n)
	}
	return nil
}

// fakeLB serves stats whose request counter grows by rate per second of
// the fake clock.
type fakeLB struct {
	clock *fakeClock
	rate  float64
	total float64
	last  time.Time
	err   error
}

func (l *fakeLB) Scrape(_ context.Context, url string) (*haproxy.Stats, error) {
	if l.err != nil {
		return nil, l.err
	}
	now := l.clock.Now()
	if !l.last.IsZero() {
		l.total += l.rate * now.Sub(l.last).Seconds()
	}
	l.last = now
	return &haproxy.Stats{At: now, Backends: []haproxy.Backend{{
		Name: "targets_80", Status: "UP", RequestsTotal: int64(l.total), SessionRate: l.rate,
		Servers: []haproxy.Server{{Name: "m0", Status: haproxy.StatusUp}, {Name: "m1", Status: haproxy.StatusUp}},
	}}}, nil
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// fakeProbe answers OK unless the member's address is in down.
type fakeProbes struct{ down map[string]bool }

func (p *fakeProbes) prober(_ *HealthCheck, m Member) probe.Prober { return fakeProber{p, m.Address} }

type fakeProber struct {
	p    *fakeProbes
	addr string
}

func (f fakeProber) Probe(context.Context) probe.Result {
	if f.p.down[f.addr] {
		return probe.Result{OK: false, Detail: "connection refused"}
	}
	return probe.Result{OK: true, Detail: "HTTP 200"}
}

type harness struct {
	t      *testing.T
	clock  *fakeClock
	stack  *fakeStack
	lb     *fakeLB
	probes *fakeProbes
	board  *status.Board
	ctl    *Controller
	mu     sync.Mutex // guards log: drains log from several goroutines
	log    []string
}

func newHarness(t *testing.T, size int) *harness {
	return newHarnessWith(t, size, nil)
}

// newHarnessWith is newHarness with the stack and the Config adjusted
// before the Controller is made.
func newHarnessWith(t *testing.T, size int, adjust func(*harness, *Config)) *harness {
	h := &harness{t: t, clock: &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, stack: newFakeStack(size),
		probes: &fakeProbes{down: map[string]bool{}}, board: status.NewBoard(status.Options{})}
	h.lb = &fakeLB{clock: h.clock}
	cfg := Config{State: h.stack, Apply: h.stack, Scrape: h.lb, Probe: h.probes.prober, Board: h.board,
		Now: h.clock.Now, Logf: func(f string, a ...any) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.log = append(h.log, fmt.Sprintf(f, a...))
		}}
	if adjust != nil {
		adjust(h, &cfg)
	}
	ctl, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.ctl = ctl
	return h
}

// tick advances the clock by d and evaluates once.
func (h *harness) tick(d time.Duration) error {
	h.clock.advance(d)
	return h.ctl.Tick(context.Background())
}

func (h *harness) logs() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.log, "\n")
}

func TestControllerScaling(t *testing.T) {
	type step struct {
		after    time.Duration
		rate     float64 // requests per second through the LB
		wantSize int
	}
	for _, tc := range []struct {
		name  string
		start int
		steps []step
		// wantApplies is the GroupSizes of each apply, in order.
		wantApplies string
		wantLog     []string
	}{
		{"on target: nothing happens", 2, []step{{0, 20, 2}, {5 * time.Second, 20, 2}, {5 * time.Second, 20, 2}}, "", nil},
		{"load above target scales out, cooldowns hold, no load scales in", 2, []step{
			{0, 30, 3},                // 30/s over 2 serving = 15 per member: ceil(2×15/10) = 3
			{time.Second, 60, 3},      // 30 per member asks for 9, but the scale-out cooldown (10s) holds
			{11 * time.Second, 60, 4}, // cooled down: up to max
			{time.Second, 0, 4},       // no load, but the scale-in cooldown (20s) holds
			{25 * time.Second, 0, 2},  // back to min
		}, "[map[machine_group.web:3] map[machine_group.web:4] map[machine_group.web:2]]",
			[]string{"machine_group.web out", "cooldown", "machine_group.web in", "applied in"}},
		{"below min: brought up to min", 1, []step{{0, 0, 2}}, "[map[machine_group.web:2]]", []string{"bounds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.start)
			for i, s := range tc.steps {
				h.lb.rate = s.rate
				if err := h.tick(s.after); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if h.stack.size != s.wantSize {
					t.Fatalf("step %d: size %d, want %d\nlog:\n%s", i, h.stack.size, s.wantSize, h.logs())
				}
			}
			var got []string
			for _, a := range h.stack.applies {
				got = append(got, fmt.Sprint(a.GroupSizes))
			}
			if g := fmt.Sprint(got); !(tc.wantApplies == "" && len(got) == 0) && g != tc.wantApplies {
				t.Errorf("applies = %s, want %s\nlog:\n%s", g, tc.wantApplies, h.logs())
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(h.logs(), w) {
					t.Errorf("the log lacks %q:\n%s", w, h.logs())
				}
			}
			snap := h.board.Snapshot()
			if len(snap.Groups) != 1 || len(snap.Groups[0].History) != len(tc.steps) {
				t.Errorf("board groups = %+v, want one group with %d observations", snap.Groups, len(tc.steps))
			}
			for _, d := range snap.Decisions {
				if d.Group != "machine_group.web" || d.Reason == "" {
					t.Errorf("decision %+v lacks its group or reason", d)
				}
			}
			if len(h.stack.applies) > 0 && len(snap.Decisions) == 0 {
				t.Errorf("the board shows no decision")
			}
		})
	}
}

// A member that fails its health check unhealthy_threshold times in a row
// is replaced, once; the new member is probed from scratch, and the board
// and the log show it.
func TestControllerReplacesFailedMember(t *testing.T) {
	h := newHarness(t, 2)
	h.lb.rate = 20 // on target: no resizing
	failing := h.stack.members[1]
	h.probes.down[failing] = true
	for i := range 3 {
		if err := h.tick(time.Second); err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
	}
	if len(h.stack.applies) != 1 {
		t.Fatalf("applies = %+v, want one replacement\nlog:\n%s", h.stack.applies, h.logs())
	}
	req := h.stack.applies[0]
	if len(req.Replace) != 1 || req.Replace[0].String() != "module.machine_group:web.machine.member[1]" || len(req.GroupSizes) != 0 {
		t.Errorf("apply = %+v, want the replacement of member[1] only", req)
	}
	if h.stack.members[1] == failing {
		t.Errorf("member[1] is still %s", failing)
	}
	for _, w := range []string{failing + " (module.machine_group:web.machine.member[1]) is unhealthy: connection refused", "replace module.machine_group:web.machine.member[1]"} {
		if !strings.Contains(h.logs(), w) {
			t.Errorf("the log lacks %q:\n%s", w, h.logs())
		}
	}
	for _, p := range h.board.Snapshot().Probes {
		if p.Target == failing {
			t.Errorf("the board still lists the replaced member %s", failing)
		}
	}
}

// A failing apply is reported, the autoscaler's cooldown still runs (no
// retry in a tight loop), and a failing scrape keeps the group as it is.
func TestControllerFailures(t *testing.T) {
	t.Run("apply fails", func(t *testing.T) {
		h := newHarness(t, 2)
		h.lb.rate = 60
		h.stack.applyErr = errors.New("provider exploded")
		if err := h.tick(0); err == nil || !strings.Contains(err.Error(), "provider exploded") {
			t.Fatalf("tick error = %v, want the apply's", err)
		}
		if err := h.tick(time.Second); err != nil {
			t.Fatal(err)
		}
		if len(h.stack.applies) != 1 {
			t.Errorf("%d applies, want 1: the cooldown holds the retry", len(h.stack.applies))
		}
	})
	t.Run("scrape fails", func(t *testing.T) {
		h := newHarness(t, 3)
		h.lb.err = errors.New("connection refused")
		if err := h.tick(time.Minute); err != nil {
			t.Fatal(err)
		}
		if len(h.stack.applies) != 0 {
			t.Errorf("applies = %+v, want none without data", h.stack.applies)
		}
		sc := h.board.Snapshot().Scrapes
		if len(sc) != 1 || !strings.Contains(sc[0].LastError, "connection refused") {
			t.Errorf("board scrapes = %+v, want the error", sc)
		}
	})
}

// ReadStack refuses records it cannot read, naming them.
func TestReadStackErrors(t *testing.T) {
	for _, tc := range []struct {
		name, addr string
		value      cty.Value
		want       string
	}{
		{"size not a number", "module.machine_group:web.std_group_size.this",
			cty.ObjectVal(map[string]cty.Value{"size": cty.StringVal("x")}), "size is not a number"},
		{"member without address", "module.machine_group:web.machine.member[0]",
			cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("x")}), "no address"},
		{"bad duration", "module.health_check:web.std_null.this", cty.ObjectVal(map[string]cty.Value{"inputs": cty.ObjectVal(map[string]cty.Value{
			"group": cty.StringVal("machine_group.web"), "interval": cty.StringVal("soon")})}), `interval "soon" is not a duration`},
		{"autoscaler without metrics", "module.autoscaler:web.std_null.this", cty.ObjectVal(map[string]cty.Value{"inputs": cty.ObjectVal(map[string]cty.Value{
			"group": cty.StringVal("machine_group.web"), "min": cty.NumberIntVal(1), "max": cty.NumberIntVal(2),
			"scale_out_cooldown": cty.StringVal("1s"), "scale_in_cooldown": cty.StringVal("1s"), "stabilization": cty.StringVal("1s")})}), "no metrics"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := state.New()
			a, err := state.ParseInstanceAddr(tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			s.SetInstance(a, "provider.std", &state.Object{Value: tc.value})
			_, err = ReadStack(s)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.addr) {
				t.Errorf("ReadStack error = %v, want one naming %s with %q", err, tc.addr, tc.want)
			}
		})
	}
}
