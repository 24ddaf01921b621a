package controller

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestControllerDrainsBeforeScaleIn: a group of 4 with no load shrinks to
// 2; the servers of the leaving members (10.0.0.3, 10.0.0.4) are drained in
// the load balancer before the apply, the apply waits for their sessions,
// and a failed apply puts back the servers that still exist.
func TestControllerDrainsBeforeScaleIn(t *testing.T) {
	tests := []struct {
		name string
		// setup adjusts the fakes before the tick.
		setup    func(h *harness, hosts *fakeHosts)
		wantErr  string
		atApply  []string // the runtime's servers when the apply starts
		after    []string // the runtime's servers after the tick
		outcomes string   // the board's drains, oldest first
		wantLog  []string
	}{
		{
			name:    "drained servers reach 0 sessions before the apply",
			atApply: []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:drain:0", "targets_80/10.0.0.4:drain:0", "targets_443/10.0.0.4:drain:0"},
			after:   []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:drain:0", "targets_80/10.0.0.4:drain:0", "targets_443/10.0.0.4:drain:0"},
			outcomes: "load_balancer.front targets_80/10.0.0.3 drained, load_balancer.front targets_80/10.0.0.4 drained, " +
				"load_balancer.front targets_443/10.0.0.4 drained",
			wantLog: []string{"load_balancer.front: draining targets_80/10.0.0.3", "load_balancer.front: drained targets_443/10.0.0.4 in"},
		},
		{
			name:     "sessions that do not end are cut short at the timeout",
			setup:    func(h *harness, hosts *fakeHosts) { hosts.rt.stuck = true },
			atApply:  []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:drain:2", "targets_80/10.0.0.4:drain:1", "targets_443/10.0.0.4:drain:4"},
			after:    []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:drain:2", "targets_80/10.0.0.4:drain:1", "targets_443/10.0.0.4:drain:4"},
			outcomes: "load_balancer.front targets_80/10.0.0.3 cut_short, load_balancer.front targets_80/10.0.0.4 cut_short, load_balancer.front targets_443/10.0.0.4 cut_short",
			wantLog:  []string{"drain of targets_80/10.0.0.3 cut short after", "with 2 sessions left"},
		},
		{
			name: "a failed apply puts back the servers that still exist",
			setup: func(h *harness, hosts *fakeHosts) {
				h.stack.applyErr = errors.New("provider exploded")
				// The apply got as far as reconfiguring the load balancer
				// for 10.0.0.4's removal from targets_443.
				h.stack.onApply = func(ApplyRequest) { hosts.rt.remove("10.0.0.4") }
			},
			wantErr: "provider exploded",
			atApply: []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:drain:0", "targets_80/10.0.0.4:drain:0", "targets_443/10.0.0.4:drain:0"},
			after:   []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:ready:0"},
			outcomes: "load_balancer.front targets_80/10.0.0.3 drained, load_balancer.front targets_80/10.0.0.4 drained, " +
				"load_balancer.front targets_443/10.0.0.4 drained",
			wantLog: []string{"targets_80/10.0.0.3 is ready again (the apply failed)"},
		},
		{
			name: "an unreachable load balancer is logged and the apply goes on",
			setup: func(h *harness, hosts *fakeHosts) {
				hosts.rt.err = errors.New("connecting to host lb: connection refused")
			},
			atApply: []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:ready:2", "targets_80/10.0.0.4:ready:1", "targets_443/10.0.0.4:ready:4"},
			after:   []string{"targets_80/10.0.0.1:ready:3", "targets_80/10.0.0.3:ready:2", "targets_80/10.0.0.4:ready:1", "targets_443/10.0.0.4:ready:4"},
			wantLog: []string{"load_balancer.front: cannot drain before the scale-in: connecting to host lb: connection refused"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hosts *fakeHosts
			h := newHarnessWith(t, 4, func(h *harness, cfg *Config) {
				hosts = newFakeHosts(h.clock)
				cfg.Hosts = hosts
				cfg.DrainTimeout, cfg.DrainPoll = 100*time.Millisecond, time.Millisecond
			})
			hosts.rt.add("targets_80", "10.0.0.1", 3)
			hosts.rt.add("targets_80", "10.0.0.3", 2)
			hosts.rt.add("targets_80", "10.0.0.4", 1)
			hosts.rt.add("targets_443", "10.0.0.4", 4)
			var atApply []string
			h.stack.onApply = func(ApplyRequest) { atApply = hosts.rt.states() }
			if tc.setup != nil {
				tc.setup(h, hosts)
				if prev := h.stack.onApply; prev != nil {
					h.stack.onApply = func(r ApplyRequest) { atApply = hosts.rt.states(); prev(r) }
				}
			}
			h.lb.rate = 0
			err := h.tick(time.Second)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("tick error = %v, want %q", err, tc.wantErr)
			}
			if len(h.stack.applies) != 1 || fmt.Sprint(h.stack.applies[0].GroupSizes) != "map[machine_group.web:2]" {
				t.Fatalf("applies = %+v, want one resize to 2\nlog:\n%s", h.stack.applies, h.logs())
			}
			if g := fmt.Sprint(atApply); g != fmt.Sprint(tc.atApply) {
				t.Errorf("servers at apply time:\n %s\nwant\n %s\nlog:\n%s", g, fmt.Sprint(tc.atApply), h.logs())
			}
			if g := fmt.Sprint(hosts.rt.states()); g != fmt.Sprint(tc.after) {
				t.Errorf("servers after the tick:\n %s\nwant\n %s", g, fmt.Sprint(tc.after))
			}
			var outcomes []string
			drains := h.board.Snapshot().Drains
			for i := len(drains) - 1; i >= 0; i-- {
				d := drains[i]
				outcomes = append(outcomes, fmt.Sprintf("%s %s/%s %s", d.LoadBalancer, d.Backend, d.Server, d.Outcome))
			}
			if g := strings.Join(outcomes, ", "); g != tc.outcomes {
				t.Errorf("board drains = %q, want %q", g, tc.outcomes)
			}
			for _, w := range tc.wantLog {
				if !strings.Contains(h.logs(), w) {
					t.Errorf("the log lacks %q:\n%s", w, h.logs())
				}
			}
		})
	}
}

// TestControllerDrainsOnlyLeavingMembers: a scale-out, a replacement or a
// controller without Hosts drains nothing.
func TestControllerDrainsOnlyLeavingMembers(t *testing.T) {
	h := newHarnessWith(t, 2, func(h *harness, cfg *Config) {
		cfg.Hosts = newFakeHosts(h.clock)
		cfg.Hosts.(*fakeHosts).rt.add("targets_80", "10.0.0.1", 1)
		cfg.Hosts.(*fakeHosts).rt.add("targets_80", "10.0.0.2", 1)
	})
	rt := h.ctl.cfg.Hosts.(*fakeHosts).rt
	h.lb.rate = 60
	if err := h.tick(0); err != nil {
		t.Fatal(err)
	}
	if h.stack.size <= 2 || len(rt.commands) != 0 {
		t.Errorf("size %d, runtime commands %v; want a scale-out with none", h.stack.size, rt.commands)
	}
	if d := h.board.Snapshot().Drains; len(d) != 0 {
		t.Errorf("board drains %+v, want none", d)
	}
}
