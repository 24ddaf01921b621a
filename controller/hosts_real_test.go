package controller

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/blueprint-engine/bp/controller/hostmetrics"
	"github.com/blueprint-engine/bp/converge/testhost"
)

// TestSSHHostsSample samples a real sshd host twice over one kept
// connection, as bp run does at every tick, and gets figures a machine can
// have; a machine without a pinned host key is refused.
func TestSSHHostsSample(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real sshd")
	}
	host := testhost.Start(t, testhost.Options{})
	var hosts SSHHosts
	t.Cleanup(func() { hosts.Close() })
	m := Member{Address: host.Target.Address, SSH: host.Target}
	ctx := context.Background()

	var tr hostmetrics.Tracker
	var u hostmetrics.Usage
	for i := range 2 {
		if i > 0 {
			time.Sleep(500 * time.Millisecond)
		}
		snap, err := hosts.Sample(ctx, m)
		if err != nil {
			t.Fatalf("sample %d: %v", i, err)
		}
		t.Logf("sample %d: %+v", i, snap)
		if snap.Uptime <= 0 || snap.MemoryLimit == 0 || snap.CPUTotal <= 0 {
			t.Fatalf("sample %d: %+v lacks uptime, memory or CPU", i, snap)
		}
		u = tr.Observe(snap)
	}
	for _, name := range hostmetrics.Names {
		v, ok := u.Metric(name)
		if !ok || v < 0 || math.IsInf(v, 0) || name != hostmetrics.LoadAverage && v > 100 {
			t.Errorf("%s = %v (known: %v), want a figure", name, v, ok)
		}
	}
	if logins := strings.Count(host.Log(), "Accepted publickey"); logins != 1 {
		t.Errorf("%d logins for two samples, want 1 kept connection", logins)
	}

	unpinned := m
	unpinned.SSH.HostKey = ""
	if _, err := hosts.Sample(ctx, unpinned); err == nil || !strings.Contains(err.Error(), "records no host key") {
		t.Errorf("sampling an unpinned host: %v, want a refusal", err)
	}
}
