package controller

import (
	"context"
	"fmt"
	"net"

	"github.com/blueprint-engine/bp/controller/haproxy"
	"github.com/blueprint-engine/bp/controller/hostmetrics"
	"github.com/blueprint-engine/bp/controller/sshpool"
	"github.com/blueprint-engine/bp/converge"
)

// Hosts reaches the stack's machines: members for their host metrics,
// load balancers for their HAProxy runtime API. Methods may be called
// concurrently, for different machines and for the same one.
type Hosts interface {
	// Sample reads a member's counters (hostmetrics.Command, parsed).
	Sample(ctx context.Context, m Member) (hostmetrics.Snapshot, error)
	// Runtime is the runtime API of the HAProxy on a load balancer's
	// machine. It does not connect; its calls do.
	Runtime(lb *LoadBalancer) LBRuntime
	// Keep is told at every tick which machines are in the stack; what
	// it holds for others (connections, say) it may release.
	Keep(machines []converge.Target)
}

// LBRuntime is what the controller asks of an HAProxy runtime API
// (haproxy.Runtime).
type LBRuntime interface {
	// ShowStat reads the statistics, with each server's current sessions.
	ShowStat(ctx context.Context) (*haproxy.Stats, error)
	// SetServerState sets a server's administrative state.
	SetServerState(ctx context.Context, backend, server string, state haproxy.AdminState) error
}

// AdminSocket is where the self-hosted load balancer's HAProxy serves its
// runtime API (the stats socket of toolkit/modules/load_balancer).
const AdminSocket = "/run/haproxy/admin.sock"

// SSHHosts reaches machines over SSH with the keys and pinned host keys
// recorded in the state, keeping one connection per machine open between
// ticks: host metrics are one exec per member, the runtime API is the
// load balancer's admin socket forwarded over SSH (OpenSSH streamlocal),
// so nothing is installed on either. The zero value is ready to use.
type SSHHosts struct {
	Pool sshpool.Pool
	// AdminSocket is the runtime API's socket on load balancers; empty
	// means AdminSocket.
	AdminSocket string
}

// Sample runs hostmetrics.Command on the member.
func (h *SSHHosts) Sample(ctx context.Context, m Member) (hostmetrics.Snapshot, error) {
	if err := pinned(m.SSH); err != nil {
		return hostmetrics.Snapshot{}, err
	}
	out, err := h.Pool.Output(ctx, m.SSH, hostmetrics.Command)
	if err != nil {
		return hostmetrics.Snapshot{}, err
	}
	s, err := hostmetrics.Parse(string(out))
	if err != nil {
		return s, fmt.Errorf("host %s: %w", m.SSH.DisplayName(), err)
	}
	return s, nil
}

// Runtime is the HAProxy runtime API at AdminSocket on the load
// balancer's machine, through SSH.
func (h *SSHHosts) Runtime(lb *LoadBalancer) LBRuntime {
	sock := h.AdminSocket
	if sock == "" {
		sock = AdminSocket
	}
	return haproxy.Runtime{Address: sock, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if err := pinned(lb.SSH); err != nil {
			return nil, err
		}
		return h.Pool.DialContext(ctx, lb.SSH, network, addr)
	}}
}

// Keep closes the connections of machines that left the stack.
func (h *SSHHosts) Keep(machines []converge.Target) { h.Pool.Keep(machines) }

// Close closes every connection.
func (h *SSHHosts) Close() error { return h.Pool.Close() }

// pinned refuses a machine without a pinned host key: a background
// controller does not trust on first use.
func pinned(t converge.Target) error {
	if t.HostKey == "" {
		return fmt.Errorf("host %s (%s): the state records no host key for it, and bp run connects only to pinned keys; run `bp apply` so bp records the machine's key", t.DisplayName(), t.Address)
	}
	return nil
}

var (
	_ Hosts     = (*SSHHosts)(nil)
	_ LBRuntime = haproxy.Runtime{}
)
