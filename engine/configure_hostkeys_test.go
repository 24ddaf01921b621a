package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/blueprint-engine/bp/engine"
	"github.com/blueprint-engine/bp/engine/state"
)

const (
	firstKey  = "ssh-ed25519 AAAAfirst"
	secondKey = "ssh-ed25519 AAAAsecond"
	givenKey  = "ssh-ed25519 AAAAgiven"
)

// hostKeysBlueprint has a host reached on a plain address (trusted on
// first use), one on another port and one whose key the blueprint gives.
const hostKeysBlueprint = `
role "base" {
  file "/etc/motd" { content = "hi" }
}
configure "all" {
  hosts = [
    { address = "10.0.0.1" },
    { address = "10.0.0.2", ssh_port = 2222 },
    { address = "10.0.0.3", host_key = "` + givenKey + `" },
  ]
  roles = [role.base]
}
`

// lastTargets returns the hosts of the last request, by address.
func (f *fakeHosts) lastTargets() map[string]engine.HostTarget {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]engine.HostTarget{}
	if len(f.requests) > 0 {
		for _, h := range f.requests[len(f.requests)-1].Hosts {
			out[h.Address] = h
		}
	}
	return out
}

func hostKeys(s *state.State) map[string]string {
	out := map[string]string{}
	for _, a := range s.HostKeyAddresses() {
		out[a] = s.HostKey(a)
	}
	return out
}

func TestHostKeysTrustedOnFirstUse(t *testing.T) {
	h := newHarness(t)
	fh := newFakeHosts()
	h.hosts = fh
	fh.presents["10.0.0.1:22"] = firstKey
	fh.presents["10.0.0.2:2222"] = firstKey
	fh.presents["10.0.0.3:22"] = givenKey

	ok := t.Run("plan trusts new hosts without recording them", func(t *testing.T) {
		h.mustPlan(hostKeysBlueprint, engine.PlanOptions{})
		got := fh.lastTargets()
		if got["10.0.0.1"].HostKey != "" || got["10.0.0.3"].HostKey != givenKey {
			t.Errorf("targets = %+v", got)
		}
		if keys := hostKeys(h.state); len(keys) != 0 {
			t.Errorf("plan recorded host keys: %v", keys)
		}
	})
	ok = ok && t.Run("apply records the keys of hosts without one", func(t *testing.T) {
		h.mustApply(hostKeysBlueprint)
		keys := hostKeys(h.state)
		want := map[string]string{"10.0.0.1:22": firstKey, "10.0.0.2:2222": firstKey}
		if len(keys) != len(want) || keys["10.0.0.1:22"] != firstKey || keys["10.0.0.2:2222"] != firstKey {
			t.Errorf("recorded host keys %v, want %v (a key the blueprint gives is not recorded)", keys, want)
		}
	})
	ok = ok && t.Run("later runs pin the recorded keys", func(t *testing.T) {
		h.mustPlan(hostKeysBlueprint, engine.PlanOptions{})
		got := fh.lastTargets()
		if got["10.0.0.1"].HostKey != firstKey || !got["10.0.0.1"].HostKeyRecorded || got["10.0.0.2"].HostKey != firstKey {
			t.Errorf("target 10.0.0.1 = %+v, 10.0.0.2 = %+v; want the recorded key pinned", got["10.0.0.1"], got["10.0.0.2"])
		}
		if got["10.0.0.3"].HostKey != givenKey || got["10.0.0.3"].HostKeyRecorded {
			t.Errorf("target 10.0.0.3 = %+v; want the blueprint's key, not marked recorded", got["10.0.0.3"])
		}
	})
	ok = ok && t.Run("a new key fails the host", func(t *testing.T) {
		fh.presents["10.0.0.1:22"] = secondKey
		_, diags := h.apply(context.Background(), hostKeysBlueprint, engine.PlanOptions{})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "host key mismatch") {
			t.Fatalf("diagnostics = %v, want a host key mismatch", diags)
		}
		if got := h.state.HostKey("10.0.0.1:22"); got != firstKey {
			t.Errorf("the recorded key became %q after a mismatch", got)
		}
	})
	if !ok {
		return
	}
	t.Run("converge forgets a key and trusts the host anew", func(t *testing.T) {
		e := h.engine(hostKeysBlueprint)
		sy := state.NewSync(h.state.DeepCopy(), &memBackend{})
		diags := e.Converge(context.Background(), h.state.DeepCopy(), sy, engine.ConvergeOptions{ForgetHostKeys: []string{"10.0.0.1:22"}})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if got := sy.Snapshot().HostKey("10.0.0.1:22"); got != secondKey {
			t.Errorf("recorded key after forgetting = %q, want the key presented now", got)
		}
		diags = e.Converge(context.Background(), sy.Snapshot(), sy, engine.ConvergeOptions{ForgetHostKeys: []string{"10.0.0.9:22"}})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), `no host key for "10.0.0.9:22"`) || !strings.Contains(diags.Error(), "10.0.0.1:22, 10.0.0.2:2222") {
			t.Errorf("forgetting an unknown address: %v", diags)
		}
	})
}
