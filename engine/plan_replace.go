package engine

import (
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/blueprint-engine/bp/engine/state"
)

// replaceSet is PlanOptions.Replace during one plan: the instances to
// replace, and which of them the plan reached. Its methods are safe for
// concurrent use by the walk; a nil set replaces nothing.
type replaceSet struct {
	mu      sync.Mutex
	want    map[string]state.InstanceAddr
	matched map[string]bool
}

// newReplaceSet returns the set of addrs, or nil when there are none.
func newReplaceSet(addrs []state.InstanceAddr) *replaceSet {
	if len(addrs) == 0 {
		return nil
	}
	s := &replaceSet{want: map[string]state.InstanceAddr{}, matched: map[string]bool{}}
	for _, a := range addrs {
		s.want[a.String()] = a
	}
	return s
}

// take reports whether addr is to be replaced, and records that the plan
// reached it.
func (s *replaceSet) take(addr state.InstanceAddr) bool {
	if s == nil {
		return false
	}
	k := addr.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.want[k]; !ok {
		return false
	}
	s.matched[k] = true
	return true
}

// unmatched reports the addresses the plan never reached: a typo, or an
// instance the blueprint no longer declares.
func (s *replaceSet) unmatched() hcl.Diagnostics {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var diags hcl.Diagnostics
	var missing []string
	for k := range s.want {
		if !s.matched[k] {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	for _, k := range missing {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No instance to replace",
			Detail: fmt.Sprintf("-replace=%s names no resource instance the blueprint declares. "+
				"Check the address with bp state list.", k),
		})
	}
	return diags
}
