package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/engine"
)

// orderedHosts records how many resources were applied when the hosts
// were converged (not checked).
type orderedHosts struct {
	*fakeHosts
	applied       func() int
	appliedBefore int
}

func (o *orderedHosts) ConfigureHosts(ctx context.Context, req engine.ConfigureHostsRequest) []engine.HostOutcome {
	if !req.Check {
		time.Sleep(20 * time.Millisecond) // give a missing edge the chance to show
		o.appliedBefore += o.applied()
	}
	return o.fakeHosts.ConfigureHosts(ctx, req)
}

// A resource that depends on a configure block is applied only after the
// block's hosts converged, and not at all when they failed.
func TestDependsOnConfigure(t *testing.T) {
	const src = `
role "api" {
  file "/etc/api.conf" { content = "up" }
}
configure "api" {
  hosts = [{ address = "10.0.0.9", name = "api-0" }]
  roles = [role.api]
}
resource "mock_thing" "after" {
  name       = "after"
  depends_on = [configure.api]
}
`
	for _, tc := range []struct {
		name        string
		hostErr     error
		wantCreated bool
	}{
		{name: "converged", wantCreated: true},
		{name: "failed", hostErr: errors.New("dial tcp 10.0.0.9:22: connection refused"), wantCreated: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			fh := newFakeHosts()
			if tc.hostErr != nil {
				fh.hostErr["host[0]"] = tc.hostErr
			}
			oh := &orderedHosts{fakeHosts: fh, applied: func() int { return len(h.mock.CallsTo("ApplyResourceChange")) }}
			h.hosts = oh
			_, diags := h.apply(context.Background(), src, engine.PlanOptions{})
			if diags.HasErrors() != (tc.hostErr != nil) {
				t.Fatalf("apply diagnostics = %v, want errors: %v", diags, tc.hostErr != nil)
			}
			created := h.addrs() == "mock_thing.after"
			if created != tc.wantCreated {
				t.Fatalf("state = %q, want mock_thing.after created: %v", h.addrs(), tc.wantCreated)
			}
			if len(fh.requests) == 0 {
				t.Fatal("the configure block never ran")
			}
			if oh.appliedBefore != 0 {
				t.Fatalf("%d resources were applied before the configure block ran", oh.appliedBefore)
			}
		})
	}
}
