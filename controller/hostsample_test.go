package controller

import (
	"strings"
	"testing"
	"time"
)

// TestControllerHostMetrics: an autoscaler on cpu (target 50%) samples its
// members over Hosts each tick; busy members scale the group out, members
// that do not answer are left out of the average and logged, and the
// board and Hosts see every member.
func TestControllerHostMetrics(t *testing.T) {
	tests := []struct {
		name     string
		metric   string
		busy     map[string]float64
		down     []string
		wantSize []int // after each of three ticks, a second apart
		wantLog  []string
	}{
		{"cpu above target scales out", "cpu", map[string]float64{"10.0.0.1": 0.9, "10.0.0.2": 0.9}, nil,
			// The first sample has no interval to measure CPU over:
			// 90% over 2 members asks ceil(2×90/50) = 4.
			[]int{2, 4, 4}, nil},
		{"cpu on target holds", "cpu", map[string]float64{"10.0.0.1": 0.5, "10.0.0.2": 0.5}, nil, []int{2, 2, 2}, nil},
		{"an unreachable member is left out of the average", "cpu", map[string]float64{"10.0.0.1": 0.9}, []string{"10.0.0.2"},
			[]int{2, 4, 4}, []string{"host metrics of 10.0.0.2 (module.machine_group:web.machine.member[1]) left out of the average: connecting to host 10.0.0.2: connection refused"}},
		{"load average needs no interval", "load_average", map[string]float64{"10.0.0.1": 40, "10.0.0.2": 40}, nil,
			// load 80 per member against a target of 50: ceil(2×80/50) = 4.
			[]int{4, 4, 4}, nil},
		{"memory below target holds", "memory", map[string]float64{"10.0.0.1": 0.9, "10.0.0.2": 0.9}, nil, []int{2, 2, 2}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hosts *fakeHosts
			h := newHarnessWith(t, 2, func(h *harness, cfg *Config) {
				h.stack.metric = tc.metric
				hosts = newFakeHosts(h.clock)
				cfg.Hosts = hosts
			})
			hosts.busy = tc.busy
			for _, d := range tc.down {
				hosts.down[d] = true
			}
			for i, want := range tc.wantSize {
				if err := h.tick(time.Second); err != nil {
					t.Fatalf("tick %d: %v", i, err)
				}
				if h.stack.size != want {
					t.Fatalf("tick %d: size %d, want %d\nlog:\n%s", i, h.stack.size, want, h.logs())
				}
			}
			for _, w := range tc.wantLog {
				if n := strings.Count(h.logs(), w); n != 1 {
					t.Errorf("the log has %q %d times, want once:\n%s", w, n, h.logs())
				}
			}
			snap := h.board.Snapshot()
			if n := len(snap.Hosts); n != h.stack.size-len(tc.down) {
				t.Errorf("the board shows %d hosts, want %d: %+v", n, h.stack.size-len(tc.down), snap.Hosts)
			}
			if obs := snap.Groups[0].Metrics; len(obs) != 1 || obs[0].Name != tc.metric {
				t.Errorf("the group's observed metrics %+v, want %s", obs, tc.metric)
			}
			for _, d := range tc.down {
				found := false
				for _, sc := range snap.Scrapes {
					found = found || sc.Source == "ssh "+d && strings.Contains(sc.LastError, "connection refused")
				}
				if !found {
					t.Errorf("the board's sources %+v lack the error of ssh %s", snap.Scrapes, d)
				}
			}
			// Hosts keeps the members and the load balancer.
			if len(hosts.kept) != h.stack.size+1 {
				t.Errorf("Hosts keeps %d machines, want %d members and the load balancer", len(hosts.kept), h.stack.size)
			}
		})
	}
}

// TestControllerForgetsLeftHosts: a member that leaves the group leaves
// the board's hosts.
func TestControllerForgetsLeftHosts(t *testing.T) {
	var hosts *fakeHosts
	h := newHarnessWith(t, 4, func(h *harness, cfg *Config) {
		h.stack.metric = "load_average"
		hosts = newFakeHosts(h.clock)
		cfg.Hosts = hosts
	})
	if err := h.tick(time.Second); err != nil { // idle: 4 → 2
		t.Fatal(err)
	}
	if h.stack.size != 2 || len(h.board.Snapshot().Hosts) != 4 {
		t.Fatalf("size %d with %d hosts on the board, want 2 and the 4 sampled", h.stack.size, len(h.board.Snapshot().Hosts))
	}
	if err := h.tick(time.Second); err != nil {
		t.Fatal(err)
	}
	if got := h.board.Snapshot().Hosts; len(got) != 2 || got[0].Host != "10.0.0.1" || got[1].Host != "10.0.0.2" {
		t.Errorf("board hosts %+v, want the two remaining members", got)
	}
}
