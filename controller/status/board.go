package status

import (
	"cmp"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/controller/autoscale"
	"github.com/blueprint-engine/bp/controller/probe"
	"github.com/prometheus/client_golang/prometheus"
)

// Options size a Board's memory.
type Options struct {
	// History is how many observations per group the chart keeps; zero
	// means 360 (an hour at one evaluation every 10 s).
	History int
	// Decisions is how many recent decisions the page lists; zero means 50.
	// The page lists as many recent drains.
	Decisions int
}

// Board is the controller's status in memory and its Prometheus registry.
// All methods are safe for concurrent use.
type Board struct {
	registry *prometheus.Registry
	metrics  *metrics
	opts     Options

	mu        sync.Mutex
	groups    map[string]*groupState
	decisions *Ring[GroupDecision]
	probes    map[probeKey]ProbeStatus
	scrapes   map[string]ScrapeStatus
	hosts     map[hostKey]HostObservation
	drains    *Ring[DrainRecord]
}

type groupState struct {
	last    GroupObservation
	history *Ring[GroupObservation]
}

type probeKey struct{ check, target string }

// GroupDecision is a decision with the group it was about.
type GroupDecision struct {
	Group string
	autoscale.Decision
}

// ProbeStatus is the latest state of one health check target.
type ProbeStatus struct {
	Check, Target string
	State         probe.State
}

// ScrapeStatus is the latest outcome of scraping one metrics source.
type ScrapeStatus struct {
	Source string
	// LastSuccess is the time of the last successful scrape; zero if none.
	LastSuccess time.Time
	// LastError is the error of the last scrape, empty when it succeeded.
	LastError string
	// LastErrorAt is when LastError happened.
	LastErrorAt time.Time
}

// NewBoard returns an empty Board with its own Prometheus registry.
func NewBoard(o Options) *Board {
	if o.History <= 0 {
		o.History = 360
	}
	if o.Decisions <= 0 {
		o.Decisions = 50
	}
	reg := prometheus.NewRegistry()
	return &Board{
		registry:  reg,
		metrics:   newMetrics(reg),
		opts:      o,
		groups:    map[string]*groupState{},
		decisions: NewRing[GroupDecision](o.Decisions),
		probes:    map[probeKey]ProbeStatus{},
		scrapes:   map[string]ScrapeStatus{},
		hosts:     map[hostKey]HostObservation{},
		drains:    NewRing[DrainRecord](o.Decisions),
	}
}

// Registry is the registry /metrics serves; a caller may register more
// collectors on it (the Go runtime's, for instance).
func (b *Board) Registry() *prometheus.Registry { return b.registry }

// ObserveGroup records one evaluation of a group: its gauges and a point of
// its chart.
func (b *Board) ObserveGroup(o GroupObservation) {
	o.Metrics = slices.Clone(o.Metrics)
	m := b.metrics
	m.size.WithLabelValues(o.Group).Set(float64(o.Size))
	m.desired.WithLabelValues(o.Group).Set(float64(o.Desired))
	m.min.WithLabelValues(o.Group).Set(float64(o.Min))
	m.max.WithLabelValues(o.Group).Set(float64(o.Max))
	for _, v := range o.Metrics {
		m.observed.WithLabelValues(o.Group, v.Name).Set(v.Observed)
		m.target.WithLabelValues(o.Group, v.Name).Set(v.Target)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	g, ok := b.groups[o.Group]
	if !ok {
		g = &groupState{history: NewRing[GroupObservation](b.opts.History)}
		b.groups[o.Group] = g
	}
	g.last = o
	g.history.Push(o)
}

// RecordDecision counts a decision by direction and lists it on the page.
func (b *Board) RecordDecision(group string, d autoscale.Decision) {
	b.metrics.decisions.WithLabelValues(group, d.Direction.String()).Inc()
	d.Recommendations = slices.Clone(d.Recommendations)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.decisions.Push(GroupDecision{Group: group, Decision: d})
}

// RecordProbe records a probe event of a health check.
func (b *Board) RecordProbe(check string, e probe.Event) {
	result := "failure"
	if e.Result.OK {
		result = "success"
	}
	b.metrics.probeResults.WithLabelValues(check, e.Target, result).Inc()
	healthy := 0.0
	if e.State.Health == probe.Healthy {
		healthy = 1
	}
	b.metrics.probeHealthy.WithLabelValues(check, e.Target).Set(healthy)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probes[probeKey{check, e.Target}] = ProbeStatus{Check: check, Target: e.Target, State: e.State}
}

// ForgetProbe drops a target that left a health check (a removed member),
// from the page and from /metrics.
func (b *Board) ForgetProbe(check, target string) {
	b.metrics.probeHealthy.DeleteLabelValues(check, target)
	b.metrics.probeResults.DeleteLabelValues(check, target, "success")
	b.metrics.probeResults.DeleteLabelValues(check, target, "failure")
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.probes, probeKey{check, target})
}

// RecordScrape records a scrape of a metrics source at a time; err is nil
// for a success.
func (b *Board) RecordScrape(source string, at time.Time, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.scrapes[source]
	s.Source = source
	if err != nil {
		s.LastError, s.LastErrorAt = err.Error(), at
		b.metrics.scrapeErrors.WithLabelValues(source).Inc()
	} else {
		s.LastSuccess, s.LastError, s.LastErrorAt = at, "", time.Time{}
		b.metrics.scrapeLast.WithLabelValues(source).Set(float64(at.UnixNano()) / 1e9)
	}
	b.scrapes[source] = s
}

// Snapshot is a consistent copy of a Board's contents, sorted by name.
type Snapshot struct {
	// Groups holds each group's latest observation and history.
	Groups []GroupSnapshot
	// Decisions are the recent decisions, newest first.
	Decisions []GroupDecision
	Probes    []ProbeStatus
	Scrapes   []ScrapeStatus
	// Hosts are the members' latest host metrics, by group and address.
	Hosts []HostObservation
	// Drains are the recent drains, newest first.
	Drains []DrainRecord
	// AsOf is the time of the newest thing recorded; zero for an empty
	// board. The page shows it instead of the wall clock, so it renders
	// the same for the same data.
	AsOf time.Time
}

// GroupSnapshot is one group's latest observation and history (oldest
// first).
type GroupSnapshot struct {
	GroupObservation
	History []GroupObservation
}

// Snapshot copies the board's contents.
func (b *Board) Snapshot() Snapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	var s Snapshot
	seen := func(t time.Time) {
		if t.After(s.AsOf) {
			s.AsOf = t
		}
	}
	for _, name := range slices.Sorted(maps.Keys(b.groups)) {
		g := b.groups[name]
		s.Groups = append(s.Groups, GroupSnapshot{GroupObservation: g.last, History: g.history.Values()})
		seen(g.last.At)
	}
	s.Decisions = b.decisions.Values()
	slices.Reverse(s.Decisions)
	for _, d := range s.Decisions {
		seen(d.At)
	}
	for _, p := range b.probes {
		s.Probes = append(s.Probes, p)
	}
	slices.SortFunc(s.Probes, func(a, b ProbeStatus) int {
		return cmp.Or(cmp.Compare(a.Check, b.Check), cmp.Compare(a.Target, b.Target))
	})
	for _, h := range b.hosts {
		h.Metrics = maps.Clone(h.Metrics)
		s.Hosts = append(s.Hosts, h)
		seen(h.At)
	}
	slices.SortFunc(s.Hosts, func(a, b HostObservation) int {
		return cmp.Or(cmp.Compare(a.Group, b.Group), cmp.Compare(a.Host, b.Host))
	})
	s.Drains = b.drains.Values()
	slices.Reverse(s.Drains)
	for _, d := range s.Drains {
		seen(d.At.Add(d.Took))
	}
	for _, name := range slices.Sorted(maps.Keys(b.scrapes)) {
		sc := b.scrapes[name]
		s.Scrapes = append(s.Scrapes, sc)
		seen(sc.LastSuccess)
		seen(sc.LastErrorAt)
	}
	return s
}
