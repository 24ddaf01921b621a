package converge

import (
	"context"
	"fmt"
	"net"
)

// DialContext opens a connection from the host to addr, tunnelled through
// this SSH connection: network "tcp" (also "tcp4", "tcp6") reaches
// host:port as the host sees it (OpenSSH direct-tcpip), "unix" reaches a
// Unix socket path on the host (OpenSSH direct-streamlocal), so a local
// admin socket can be used without installing anything there. The server
// must allow forwarding: OpenSSH needs AllowTcpForwarding yes (or local)
// for both, and AllowStreamLocalForwarding for sockets; Debian's defaults
// allow them. If
// ctx ends before the connection is open, DialContext returns ctx's error;
// once open, the connection no longer depends on ctx. The returned
// connection does not support deadlines: close it to unblock a read.
func (c *Conn) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	switch network {
	case "tcp", "tcp4", "tcp6", "unix":
	default:
		return nil, fmt.Errorf("host %s: cannot dial %s %s through SSH: the network must be tcp or unix", c.target.DisplayName(), network, addr)
	}
	nc, err := c.client.DialContext(ctx, network, addr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("host %s: dialling %s %s through SSH: %w", c.target.DisplayName(), network, addr, context.Cause(ctx))
		}
		return nil, fmt.Errorf("host %s: dialling %s %s through SSH: %w (the server must allow %s forwarding, and the address must accept connections on the host)",
			c.target.DisplayName(), network, addr, err, forwardingKind(network))
	}
	return nc, nil
}

func forwardingKind(network string) string {
	if network == "unix" {
		return "Unix socket (AllowTcpForwarding and AllowStreamLocalForwarding)"
	}
	return "TCP (AllowTcpForwarding)"
}
