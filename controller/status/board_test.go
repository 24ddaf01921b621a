package status

import (
	"errors"
	"flag"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/controller/autoscale"
	"github.com/blueprint-engine/bp/controller/probe"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var t0 = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// fixedBoard is a board fed a fixed story: a group scaled out under load
// and held by its stabilization window, two probed members, two sources.
func fixedBoard(t *testing.T) *Board {
	t.Helper()
	b := NewBoard(Options{History: 8, Decisions: 8})
	policy := autoscale.Policy{Min: 2, Max: 5, Stabilization: time.Minute,
		Metrics: []autoscale.MetricTarget{{Name: "requests_per_member", Target: 100}, {Name: "response_time_ms", Target: 250}}}
	a, err := autoscale.New(policy)
	if err != nil {
		t.Fatal(err)
	}
	size := 2
	load := []float64{90, 150, 240, 160, 120, 60, 40, 40, 45, 50}
	for i, rps := range load {
		now := t0.Add(time.Duration(i) * 10 * time.Second)
		samples := []autoscale.Sample{{Metric: "requests_per_member", Value: rps, At: now}}
		if i != 6 { // one tick without a response time
			samples = append(samples, autoscale.Sample{Metric: "response_time_ms", Value: rps, At: now})
		}
		d := a.Decide(now, size, samples)
		b.ObserveGroup(ObservationOf("machine_group.web", policy, d))
		b.RecordDecision("machine_group.web", d)
		if d.Changes() {
			if err := a.Begin(now, size, d.Desired); err != nil {
				t.Fatal(err)
			}
			size = d.Desired
			if err := a.Finish(now); err != nil {
				t.Fatal(err)
			}
		}
	}
	b.ObserveGroup(GroupObservation{Group: "machine_group.api", At: t0, Size: 1, Desired: 1, Min: 1, Max: 3,
		Metrics: []MetricValue{{Name: "load1", Observed: math.NaN(), Target: 0.7}}})
	for i, r := range []probe.Result{{OK: true, Detail: "HTTP 200"}, {OK: true, Detail: "HTTP 200"}, {OK: false, Detail: "HTTP 503, want 2xx or 3xx"}} {
		var st probe.State
		at := t0.Add(time.Duration(i) * time.Second)
		st, tr := st.Observe(probe.Thresholds{Healthy: 1, Unhealthy: 1}, at, r)
		b.RecordProbe("health_check.web", probe.Event{Target: []string{"10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80"}[i], Result: r, State: st, Transition: tr})
	}
	b.ObserveHost(HostObservation{Group: "machine_group.api", Host: "10.0.0.7", At: t0.Add(80 * time.Second),
		Metrics: map[string]float64{"load_average": 0.42, "memory": 37.5}})
	b.ObserveHost(HostObservation{Group: "machine_group.api", Host: "10.0.0.6", At: t0.Add(80 * time.Second),
		Metrics: map[string]float64{"load_average": 1.25, "cpu": 63.2, "memory": 41}})
	b.RecordDrain(DrainRecord{At: t0.Add(40 * time.Second), LoadBalancer: "load_balancer.front", Backend: "targets_80",
		Server: "10.0.0.5", Outcome: Drained, Took: 1200 * time.Millisecond})
	b.RecordDrain(DrainRecord{At: t0.Add(50 * time.Second), LoadBalancer: "load_balancer.front", Backend: "targets_80",
		Server: "10.0.0.4", Outcome: CutShort, Took: 30 * time.Second, SessionsLeft: 2})
	b.RecordScrape("haproxy 10.0.0.9", t0.Add(85*time.Second), nil)
	b.RecordScrape("ssh 10.0.0.2", t0.Add(30*time.Second), nil)
	b.RecordScrape("ssh 10.0.0.2", t0.Add(60*time.Second), errors.New("dial tcp 10.0.0.2:22: connection refused <&>"))
	return b
}

func TestPageGolden(t *testing.T) {
	tests := []struct {
		name  string
		board func(*testing.T) *Board
	}{
		{"empty", func(*testing.T) *Board { return NewBoard(Options{}) }},
		{"scaled", fixedBoard},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			if err := RenderPage(&out, tc.board(t).Snapshot()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".golden.html")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update creates it)", err)
			}
			if out.String() != string(want) {
				t.Errorf("page differs from %s (go test -update rewrites it after an intended change)\n%s", golden, out.String())
			}
		})
	}
}

func TestSnapshot(t *testing.T) {
	s := fixedBoard(t).Snapshot()
	if len(s.Groups) != 2 || s.Groups[0].Group != "machine_group.api" || s.Groups[1].Group != "machine_group.web" {
		t.Fatalf("groups not sorted by name: %+v", s.Groups)
	}
	web := s.Groups[1]
	if len(web.History) != 8 || !web.History[0].At.Equal(t0.Add(20*time.Second)) {
		t.Errorf("history keeps %d, from %s; want the last 8 from %s", len(web.History), web.History[0].At, t0.Add(20*time.Second))
	}
	if len(s.Decisions) != 8 || !s.Decisions[0].At.Equal(t0.Add(90*time.Second)) {
		t.Errorf("decisions: %d, newest at %s; want 8, newest first", len(s.Decisions), s.Decisions[0].At)
	}
	if !s.AsOf.Equal(t0.Add(90 * time.Second)) {
		t.Errorf("AsOf = %s", s.AsOf)
	}
	if sc := s.Scrapes[1]; sc.Source != "ssh 10.0.0.2" || sc.LastError == "" || !sc.LastSuccess.Equal(t0.Add(30*time.Second)) {
		t.Errorf("scrape status %+v", sc)
	}
	if len(s.Hosts) != 2 || s.Hosts[0].Host != "10.0.0.6" || s.Hosts[0].Metrics["cpu"] != 63.2 {
		t.Errorf("hosts %+v, want two sorted by address", s.Hosts)
	}
	if len(s.Drains) != 2 || s.Drains[0].Server != "10.0.0.4" || s.Drains[0].Outcome != CutShort {
		t.Errorf("drains %+v, want two, newest first", s.Drains)
	}
	b := fixedBoard(t)
	b.ForgetProbe("health_check.web", "10.0.0.3:80")
	if got := len(b.Snapshot().Probes); got != 2 {
		t.Errorf("after ForgetProbe %d probes, want 2", got)
	}
	b.ForgetHost("machine_group.api", "10.0.0.7")
	if got := b.Snapshot().Hosts; len(got) != 1 || got[0].Host != "10.0.0.6" {
		t.Errorf("after ForgetHost hosts %+v, want 10.0.0.6 only", got)
	}
}

func TestChart(t *testing.T) {
	obs := func(sec, size int, rps float64) GroupObservation {
		return GroupObservation{At: t0.Add(time.Duration(sec) * time.Second), Size: size, Max: 4,
			Metrics: []MetricValue{{Name: "rps", Observed: rps, Target: 100}}}
	}
	tests := []struct {
		name     string
		history  []GroupObservation
		size     string
		metric   string
		ratioMax string
	}{
		{"one point is centred", []GroupObservation{obs(0, 2, 100)}, "320.0,81.0", "320.0,81.0", "200%"},
		{"steps between sizes", []GroupObservation{obs(0, 2, 100), obs(10, 4, 100)},
			"44.0,81.0 596.0,81.0 596.0,12.0", "44.0,81.0 596.0,81.0", "200%"},
		{"high load widens the metric axis", []GroupObservation{obs(0, 1, 300)}, "320.0,115.5", "320.0,31.7", "350%"},
		{"no data leaves a gap", []GroupObservation{obs(0, 1, math.NaN()), obs(10, 1, 50)}, "44.0,115.5 596.0,115.5", "596.0,115.5", "200%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newChart(tc.history)
			if c.SizePoints != tc.size || c.Metrics[0].Points != tc.metric || c.RatioMax != tc.ratioMax {
				t.Errorf("size %q metric %q max %s; want %q %q %s", c.SizePoints, c.Metrics[0].Points, c.RatioMax, tc.size, tc.metric, tc.ratioMax)
			}
		})
	}
}

// TestBoardConcurrent writes and reads a board from several goroutines;
// run with -race.
func TestBoardConcurrent(t *testing.T) {
	b := NewBoard(Options{History: 16})
	h := b.Handler(nil)
	done := make(chan struct{})
	for w := 0; w < 4; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 50; i++ {
				at := t0.Add(time.Duration(i) * time.Second)
				b.ObserveGroup(GroupObservation{Group: "g", At: at, Size: i % 5, Max: 5, Metrics: []MetricValue{{Name: "m", Observed: float64(i), Target: 10}}})
				b.RecordDecision("g", autoscale.Decision{At: at, Current: 1, Desired: 2, Direction: autoscale.ScaleOut})
				b.RecordScrape("s", at, nil)
				b.RecordProbe("c", probe.Event{Target: "x", Result: probe.Result{OK: true}})
			}
		}()
	}
	for r := 0; r < 20; r++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != 200 {
			t.Fatalf("page: %d %s", rec.Code, rec.Body)
		}
	}
	for w := 0; w < 4; w++ {
		<-done
	}
	if got := b.Snapshot().Groups[0].History; len(got) != 16 {
		t.Errorf("history holds %d, want 16", len(got))
	}
}
