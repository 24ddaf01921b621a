package resources

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/resources/agentapi"
)

// fakeSystemctl answers systemctl like systemd would for units in state
// and records what the resource did to them. The real systemd test runs in
// the local provider's containers.
type fakeSystemctl struct {
	active  map[string]bool
	enabled map[string]string // "enabled", "disabled", "static"
	// noShow makes `systemctl show` fail, as on a system not booted with
	// systemd.
	noShow bool
}

func (f *fakeSystemctl) runner() *fakeRunner {
	return &fakeRunner{respond: func(c Command) (CommandResult, bool) {
		if c.Path != "systemctl" {
			return CommandResult{}, false
		}
		verb, unit := c.Args[0], c.Args[1]
		switch verb {
		case "show":
			if f.noShow {
				return CommandResult{Output: "System has not been booted with systemd as init system (PID 1). Can't operate.\n", ExitCode: 1}, true
			}
			var blocks []string
			for _, u := range c.Args[4:] { // show -p PROPS -- UNITS
				active := "inactive"
				if f.active[u] {
					active = "active"
				}
				load := "loaded"
				if _, ok := f.enabled[u]; !ok {
					load = "not-found"
				}
				blocks = append(blocks, fmt.Sprintf("Id=%s.service\nLoadState=%s\nActiveState=%s\nUnitFileState=%s\n", u, load, active, f.enabled[u]))
			}
			return CommandResult{Output: strings.Join(blocks, "\n")}, true
		case "is-active":
			if f.active[unit] {
				return CommandResult{Output: "active\n"}, true
			}
			return CommandResult{Output: "inactive\n", ExitCode: 3}, true
		case "is-enabled":
			st, ok := f.enabled[unit]
			if !ok {
				return CommandResult{Output: "Failed to get unit file state for " + unit + ".service: No such file or directory\n", ExitCode: 1}, true
			}
			code := 0
			if st == "disabled" {
				code = 1
			}
			return CommandResult{Output: st + "\n", ExitCode: code}, true
		case "start", "restart":
			if _, ok := f.enabled[unit]; !ok {
				return CommandResult{Output: "Failed to start " + unit + ".service: Unit " + unit + ".service not found.\n", ExitCode: 5}, true
			}
			f.active[unit] = true
		case "stop":
			f.active[unit] = false
		case "enable":
			f.enabled[unit] = "enabled"
		case "disable":
			f.enabled[unit] = "disabled"
		}
		return CommandResult{}, true
	}}
}

func TestService(t *testing.T) {
	tests := []struct {
		name        string
		active      bool
		enabled     string
		attrs       map[string]any
		wantChanges []string
		wantCalls   []string
	}{
		{"start and enable", false, "disabled", map[string]any{"state": "running", "enabled": true},
			[]string{"start nginx", "enable nginx"}, []string{"systemctl enable nginx", "systemctl start nginx"}},
		{"stop and disable", true, "enabled", map[string]any{"state": "stopped", "enabled": false},
			[]string{"stop nginx", "disable nginx"}, []string{"systemctl disable nginx", "systemctl stop nginx"}},
		{"already running", true, "enabled", map[string]any{"state": "running", "enabled": true}, nil, nil},
		{"static unit", true, "static", map[string]any{"enabled": true}, nil, nil},
		{"state unmanaged", false, "enabled", map[string]any{}, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sys := &fakeSystemctl{active: map[string]bool{"nginx": tc.active}, enabled: map[string]string{"nginx": tc.enabled}}
			fake := sys.runner()
			env := &Env{Runner: fake}
			tc.attrs["name"] = "nginx"
			r := mustNew(t, "service", tc.attrs)
			d, err := r.Check(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(d.Changes, ",") != strings.Join(tc.wantChanges, ",") {
				t.Errorf("changes %q, want %q", d.Changes, tc.wantChanges)
			}
			if !d.Changed() {
				return
			}
			if err := r.Apply(context.Background(), env); err != nil {
				t.Fatal(err)
			}
			var changing []string
			for _, c := range fake.calls {
				if !strings.Contains(c, " is-") && !strings.Contains(c, " show ") {
					changing = append(changing, c)
				}
			}
			if strings.Join(changing, ",") != strings.Join(tc.wantCalls, ",") {
				t.Errorf("calls %q, want %q", changing, tc.wantCalls)
			}
			if d, _ := mustNew(t, "service", tc.attrs).Check(context.Background(), env); d.Changed() {
				t.Errorf("second check: %q", d.Changes)
			}
		})
	}
}

func TestServiceMissingUnit(t *testing.T) {
	sys := &fakeSystemctl{active: map[string]bool{}, enabled: map[string]string{}}
	env := &Env{Runner: sys.runner()}
	r := mustNew(t, "service", map[string]any{"name": "ghost", "state": "running"})
	d, err := r.Check(context.Background(), env)
	if err != nil || !d.Changed() {
		t.Fatalf("check: %v, %v", d, err)
	}
	err = r.Apply(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "systemctl start ghost exited with status 5: Failed to start ghost.service") {
		t.Errorf("got %v", err)
	}
}

func TestServiceHandlerAction(t *testing.T) {
	tests := []struct {
		attrs map[string]any
		want  agentapi.Action
		call  string
	}{
		{map[string]any{"name": "a"}, agentapi.ActionRestart, "systemctl restart a"},
		{map[string]any{"name": "a", "reload": true}, agentapi.ActionReload, "systemctl reload a"},
		{map[string]any{"name": "a", "reload_command": "kill -HUP 1"}, agentapi.ActionReload, "/bin/sh -c kill -HUP 1"},
		{map[string]any{"name": "a", "state": "stopped"}, "", ""},
	}
	for _, tc := range tests {
		fake := &fakeRunner{respond: func(Command) (CommandResult, bool) { return CommandResult{}, true }}
		s := mustNew(t, "service", tc.attrs).(Notifiable)
		if got := s.HandlerAction(); got != tc.want {
			t.Errorf("%v: action %q, want %q", tc.attrs, got, tc.want)
		}
		if tc.call == "" {
			continue
		}
		if err := s.Deliver(context.Background(), &Env{Runner: fake}); err != nil || len(fake.calls) != 1 || fake.calls[0] != tc.call {
			t.Errorf("%v: deliver ran %q (%v), want %q", tc.attrs, fake.calls, err, tc.call)
		}
	}
}
