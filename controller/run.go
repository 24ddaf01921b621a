package controller

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/controller/autoscale"
	"github.com/blueprint-engine/bp/controller/haproxy"
	"github.com/blueprint-engine/bp/controller/probe"
	"github.com/blueprint-engine/bp/controller/status"
	"github.com/blueprint-engine/bp/engine/state"
)

// StateReader reads the stack's current state. The controller reads it
// without the state lock, at the start of every evaluation; it changes it
// only through an Applier.
type StateReader interface {
	ReadState(ctx context.Context) (*state.State, error)
}

// ApplyRequest is one change of the stack: the same plan and apply as
// `bp apply`, with group sizes and replacements chosen by the controller.
type ApplyRequest struct {
	// GroupSizes resizes groups by address (engine.PlanOptions.GroupSizes).
	GroupSizes map[string]int
	// Replace replaces failed members (engine.PlanOptions.Replace).
	Replace []state.InstanceAddr
	// Reason says why, for the Applier's log.
	Reason string
}

// Applier plans and applies an ApplyRequest with the state lock held, so
// that a person's `bp plan` sees the truth. Apply returns when the apply
// has ended; it must finish an apply it started even when ctx ends, and
// start none when ctx has ended already.
type Applier interface {
	Apply(ctx context.Context, req ApplyRequest) error
}

// StatsScraper fetches a snapshot of an HAProxy stats page
// (haproxy.Scraper for a URL).
type StatsScraper interface {
	Scrape(ctx context.Context, url string) (*haproxy.Stats, error)
}

// ProberFactory makes the prober of one member for a health check.
type ProberFactory func(hc *HealthCheck, m Member) probe.Prober

// Config is what a Controller needs. State, Apply, Scrape and Board are
// required.
type Config struct {
	State  StateReader
	Apply  Applier
	Scrape StatsScraper
	// Probe makes probers; nil means HTTPProber.
	Probe ProberFactory
	Board *status.Board
	// Hosts reaches machines over SSH: members for the host metrics
	// (load_average, cpu, memory) and self-hosted load balancers to drain
	// leaving members before a scale-in. Nil reads no host metrics and
	// drains nothing.
	Hosts Hosts
	// DrainTimeout bounds the wait for drained servers' sessions to end;
	// zero means DefaultDrainTimeout. DrainPoll is how often the sessions
	// are read meanwhile; zero means 250 ms.
	DrainTimeout, DrainPoll time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logf logs one decision or event per call; nil logs nothing. Drains
	// of several load balancers call it concurrently.
	Logf func(format string, args ...any)
}

// Controller is the loop of `bp run`: at every tick it reads the stack
// from state, probes the members of every health check, scrapes the load
// balancers of every autoscaler, decides, and carries out changes through
// the Applier, recording everything on the Board. A Controller is used
// by one goroutine.
type Controller struct {
	cfg Config
	// scalers are the autoscalers' rule state, by autoscaler address;
	// policies are the policies they were made with.
	scalers  map[string]*autoscale.Autoscaler
	policies map[string]autoscale.Policy
	// lastCause is each group's previous decision cause, so holds are
	// logged once, when their reason changes.
	lastCause map[string]string
	// prevStats are the previous snapshots by stats URL, for counter rates.
	prevStats map[string]*haproxy.Stats
	// health is each check's members' state; lastProbe when it ran.
	health    map[string]map[string]probe.State
	lastProbe map[string]time.Time
	// hosts are the members' host metrics trackers (hostKey).
	hosts map[string]*hostTracker
}

// New returns a Controller.
func New(cfg Config) (*Controller, error) {
	if cfg.State == nil || cfg.Apply == nil || cfg.Scrape == nil || cfg.Board == nil {
		return nil, fmt.Errorf("controller: State, Apply, Scrape and Board are required")
	}
	if cfg.Probe == nil {
		cfg.Probe = HTTPProber
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	return &Controller{
		cfg: cfg, scalers: map[string]*autoscale.Autoscaler{}, policies: map[string]autoscale.Policy{},
		lastCause: map[string]string{}, prevStats: map[string]*haproxy.Stats{},
		health: map[string]map[string]probe.State{}, lastProbe: map[string]time.Time{},
		hosts: map[string]*hostTracker{},
	}, nil
}

// HTTPProber probes a member as its health check says: HTTP GET of the
// path, or a TCP connection, on the check's port.
func HTTPProber(hc *HealthCheck, m Member) probe.Prober {
	hostPort := net.JoinHostPort(m.Address, strconv.Itoa(hc.Port))
	if hc.HTTPPath == "" {
		return &probe.TCP{Address: hostPort}
	}
	return &probe.HTTP{URL: "http://" + hostPort + hc.HTTPPath}
}

// Run evaluates every interval until ctx ends, and returns ctx's error. A
// tick that fails is logged and the next one tries again. When ctx ends
// during an apply, the apply finishes first (see Applier).
func (c *Controller) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := c.Tick(ctx); err != nil && ctx.Err() == nil {
			c.cfg.Logf("evaluation failed: %v", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Tick is one evaluation: read, probe, scrape, decide, and apply what the
// decisions ask for in one plan. Before a scale-in, the leaving members'
// servers are drained in every self-hosted load balancer (and put back if
// the apply fails).
func (c *Controller) Tick(ctx context.Context) error {
	st, err := c.cfg.State.ReadState(ctx)
	if err != nil {
		return fmt.Errorf("reading the state: %w", err)
	}
	stack, err := ReadStack(st)
	if err != nil {
		return err
	}
	c.forgetHosts(stack)
	replace := c.checkHealth(ctx, stack)
	sizes, scaling := c.autoscale(ctx, stack)
	if ctx.Err() != nil || (len(replace) == 0 && len(sizes) == 0) {
		return nil
	}
	drained := c.drain(ctx, stack, leaving(stack, sizes))
	if ctx.Err() != nil {
		c.undrain(ctx, drained)
		return nil
	}
	req := ApplyRequest{GroupSizes: sizes}
	var reasons []string
	for _, m := range replace {
		req.Replace = append(req.Replace, m.Instance)
		reasons = append(reasons, "replace "+m.Instance.String()+" ("+m.Address+" unhealthy)")
	}
	for _, g := range slices.Sorted(maps.Keys(sizes)) {
		reasons = append(reasons, fmt.Sprintf("resize %s to %d", g, sizes[g]))
	}
	req.Reason = fmt.Sprint(reasons)
	now := c.cfg.Now()
	for _, s := range scaling {
		// Begin fails only when a change is in progress, which autoscale
		// rules out: Decide holds then.
		_ = c.scalers[s.addr].Begin(now, s.from, s.to)
	}
	c.cfg.Logf("applying: %s", req.Reason)
	err = c.cfg.Apply.Apply(ctx, req)
	done := c.cfg.Now()
	for _, s := range scaling {
		_ = c.scalers[s.addr].Finish(done)
	}
	for _, m := range replace {
		// Whatever the outcome, the member must fail its threshold again
		// before another attempt.
		for check, h := range c.health {
			delete(h, m.Address)
			c.cfg.Board.ForgetProbe(check, m.Address)
		}
	}
	if err != nil {
		c.cfg.Logf("apply failed after %s: %v", done.Sub(now).Round(time.Millisecond), err)
		c.undrain(ctx, drained)
		return fmt.Errorf("applying %s: %w", req.Reason, err)
	}
	c.cfg.Logf("applied in %s: %s", done.Sub(now).Round(time.Millisecond), req.Reason)
	return nil
}

// scaling is a resize the tick carries out for one autoscaler.
type scaling struct {
	addr     string
	from, to int
}

// autoscale evaluates every autoscaler and returns the sizes to set.
func (c *Controller) autoscale(ctx context.Context, stack *Stack) (map[string]int, []scaling) {
	var out []scaling
	sizes := map[string]int{}
	snapshots := map[string]*haproxy.Stats{}
	scrapeErrs := map[string]error{}
	seen := map[string]bool{}
	hostSamples := map[string][]autoscale.Sample{}
	for _, as := range stack.Autoscalers {
		seen[as.Addr] = true
		g := stack.Groups[as.Group]
		if g == nil {
			c.cfg.Logf("%s: its group %s is not in the state yet", as.Addr, as.Group)
			continue
		}
		a := c.scaler(as)
		if a == nil {
			continue
		}
		var samples []autoscale.Sample
		if c.cfg.Hosts != nil && wantsHostMetrics(as) {
			hs, ok := hostSamples[g.Addr]
			if !ok {
				hs = c.hostSamples(ctx, g)
				if ctx.Err() != nil {
					return nil, nil // stopping: no decision on cut-short samples
				}
				hostSamples[g.Addr] = hs
			}
			samples = append(samples, hs...)
		}
		for _, src := range as.Sources {
			if src.StatsURL == "" {
				continue // a host metric: sampled above
			}
			snap, ok := snapshots[src.StatsURL]
			if !ok {
				if _, failed := scrapeErrs[src.StatsURL]; !failed {
					var err error
					snap, err = c.cfg.Scrape.Scrape(ctx, src.StatsURL)
					if ctx.Err() != nil {
						return nil, nil // stopping: no decision on a cut-short scrape
					}
					c.cfg.Board.RecordScrape(src.StatsURL, c.cfg.Now(), err)
					if err != nil {
						scrapeErrs[src.StatsURL] = err
						c.cfg.Logf("%s: scraping %s: %v", as.Addr, src.StatsURL, err)
					} else {
						snapshots[src.StatsURL] = snap
					}
				}
			}
			if snap == nil {
				continue
			}
			load, err := snap.Load(src.Backend, c.prevStats[src.StatsURL])
			if err != nil {
				c.cfg.Logf("%s: %v", as.Addr, err)
				continue
			}
			if v, ok := metricOf(load, src.Metric); ok {
				samples = append(samples, autoscale.Sample{Metric: src.Metric, Value: v, At: load.At})
			}
		}
		now := c.cfg.Now()
		d := a.Decide(now, g.Size, samples)
		c.cfg.Board.ObserveGroup(status.ObservationOf(g.Addr, a.Policy(), d))
		if d.Changes() || c.lastCause[g.Addr] != string(d.Cause) {
			c.cfg.Board.RecordDecision(g.Addr, d)
			c.cfg.Logf("%s: %s %s: %s", as.Addr, g.Addr, d.Direction, d.Reason)
		}
		c.lastCause[g.Addr] = string(d.Cause)
		if d.Changes() {
			sizes[g.Addr] = d.Desired
			out = append(out, scaling{addr: as.Addr, from: g.Size, to: d.Desired})
		}
	}
	maps.Copy(c.prevStats, snapshots)
	for addr := range c.scalers {
		if !seen[addr] {
			delete(c.scalers, addr)
			delete(c.policies, addr)
		}
	}
	return sizes, out
}

// scaler returns the rule state of an autoscaler, made anew when its
// policy changed.
func (c *Controller) scaler(as *Autoscaler) *autoscale.Autoscaler {
	if a := c.scalers[as.Addr]; a != nil && policyEqual(c.policies[as.Addr], as.Policy) {
		return a
	}
	a, err := autoscale.New(as.Policy)
	if err != nil {
		c.cfg.Logf("%s: %v", as.Addr, err)
		return nil
	}
	c.scalers[as.Addr], c.policies[as.Addr] = a, as.Policy
	return a
}

func policyEqual(a, b autoscale.Policy) bool {
	return a.Min == b.Min && a.Max == b.Max && slices.Equal(a.Metrics, b.Metrics) &&
		a.ScaleOutCooldown == b.ScaleOutCooldown && a.ScaleInCooldown == b.ScaleInCooldown &&
		a.Stabilization == b.Stabilization && a.Tolerance == b.Tolerance && a.StaleAfter == b.StaleAfter
}

// metricOf picks a load balancer metric out of a backend's load; response
// time is in milliseconds.
func metricOf(l haproxy.Load, metric string) (float64, bool) {
	switch metric {
	case "requests_per_member":
		return l.RequestsPerMember, true
	case "sessions_per_member":
		return l.SessionsPerMember, true
	case "response_time":
		return float64(l.ResponseTime) / float64(time.Millisecond), true
	}
	return math.NaN(), false
}

// checkHealth probes the members of every health check that is due and
// returns the members that became unhealthy, in order, each once.
func (c *Controller) checkHealth(ctx context.Context, stack *Stack) []Member {
	var failed []Member
	taken := map[string]bool{}
	now := c.cfg.Now()
	for _, hc := range stack.HealthChecks {
		g := stack.Groups[hc.Group]
		if g == nil {
			continue
		}
		states := c.health[hc.Addr]
		if states == nil {
			states = map[string]probe.State{}
			c.health[hc.Addr] = states
		}
		// Forget members that left the group.
		for addr := range states {
			if !slices.ContainsFunc(g.Members, func(m Member) bool { return m.Address == addr }) {
				delete(states, addr)
				c.cfg.Board.ForgetProbe(hc.Addr, addr)
			}
		}
		if last, ok := c.lastProbe[hc.Addr]; ok && now.Sub(last) < hc.Interval {
			continue
		}
		c.lastProbe[hc.Addr] = now
		results := make([]probe.Result, len(g.Members))
		var wg sync.WaitGroup
		for i, m := range g.Members {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = c.cfg.Probe(hc, m).Probe(ctx)
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return nil // a probe cut short is not a failure
		}
		for i, m := range g.Members {
			next, tr := states[m.Address].Observe(hc.Thresholds, now, results[i])
			states[m.Address] = next
			c.cfg.Board.RecordProbe(hc.Addr, probe.Event{Target: m.Address, Result: results[i], State: next, Transition: tr})
			if tr != nil {
				c.cfg.Logf("%s: %s (%s) is %s: %s", hc.Addr, m.Address, m.Instance, next.Health, results[i].Detail)
			}
			if next.Health == probe.Unhealthy && !taken[m.Address] {
				taken[m.Address] = true
				failed = append(failed, m)
			}
		}
	}
	return failed
}
