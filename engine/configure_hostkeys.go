package engine

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/engine/plan"
	"github.com/blueprint-engine/bp/engine/state"
)

// Trust on first use. A host whose provider and blueprint give no host key
// (a configure block on a plain address, a connection block without
// host_key) is trusted the first time bp reaches it, and the key it
// presented is recorded in the state by its address; later runs pin that
// key, so a host that comes back with another key stops the run with a
// host key mismatch. A plan trusts a new host for its check but records
// nothing: apply and converge record.

// HostKeyAddress is how the state records a host's key: "address:port",
// with port 22 when unset.
func HostKeyAddress(t HostTarget) string {
	port := t.Port
	if port == 0 {
		port = 22
	}
	return net.JoinHostPort(t.Address, strconv.Itoa(port))
}

// pinRecordedHostKeys gives the host and its bastion without a host key the
// key recorded in the state at first contact, if any.
func (w *walker) pinRecordedHostKeys(t *HostTarget) {
	w.viewState(func(s *state.State) {
		for cur := t; cur != nil; cur = cur.Bastion {
			if cur.HostKey != "" {
				continue
			}
			if key := s.HostKey(HostKeyAddress(*cur)); key != "" {
				cur.HostKey, cur.HostKeyRecorded = key, true
			}
		}
	})
}

// viewState calls fn with the state this walk works on: the Sync's while
// applying, the plan's working copy while planning.
func (w *walker) viewState(fn func(*state.State)) {
	if w.sync != nil {
		w.sync.View(fn)
		return
	}
	w.priorMu.Lock()
	defer w.priorMu.Unlock()
	if w.prior != nil {
		fn(w.prior)
	}
}

// recordFirstUseHostKeys records in the state the keys that hosts reached
// for the first time presented: those of targets (and bastions) that had no
// host key. One state write covers the whole configure block.
func (w *walker) recordFirstUseHostKeys(targets []HostTarget, outcomes []HostOutcome, rng hcl.Range) hcl.Diagnostics {
	if w.sync == nil {
		return nil
	}
	byName := make(map[string]HostTarget, len(targets))
	for _, t := range targets {
		byName[t.Name] = t
	}
	seen := map[string]string{}
	for _, o := range outcomes {
		t, ok := byName[o.Host]
		if !ok {
			continue
		}
		for cur := &t; cur != nil; cur = cur.Bastion {
			addr := HostKeyAddress(*cur)
			if key := o.HostKeys[addr]; cur.HostKey == "" && key != "" {
				seen[addr] = key
			}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	err := w.sync.Update(func(s *state.State) {
		for addr, key := range seen {
			s.SetHostKey(addr, key)
		}
	})
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Host keys not saved",
			Detail:  fmt.Sprintf("bp reached %d host(s) for the first time and trusted their keys, but could not record them in the state: %s. The next run trusts them again.", len(seen), err),
			Subject: rng.Ptr()}}
	}
	return nil
}

// forgetHostKeys removes recorded host keys from the state a plan starts
// from, so the hosts are trusted anew (a machine rebuilt on purpose).
func forgetHostKeys(p *plan.Plan, addrs []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, addr := range addrs {
		if p.PriorState != nil && p.PriorState.RemoveHostKey(addr) {
			continue
		}
		known := "none"
		if p.PriorState != nil {
			if list := p.PriorState.HostKeyAddresses(); len(list) > 0 {
				known = strings.Join(list, ", ")
			}
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No recorded host key",
			Detail: fmt.Sprintf("The state records no host key for %q; give the address as host:port. The recorded ones are: %s.", addr, known)})
	}
	return diags
}
