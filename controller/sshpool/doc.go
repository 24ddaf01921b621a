// Package sshpool keeps SSH connections to machines open between the ticks
// of `bp run`, so reading a member's host metrics every few seconds costs
// one exec, not one handshake, and a load balancer's admin socket is
// reached without a new login each time.
//
// It knows nothing of what runs over the connections; converge.Dial makes
// them, with the host keys pinned by the caller.
package sshpool
