package probe

import (
	"context"
	"net"
	"time"
)

// TCP probes that a TCP connection to an address can be opened.
type TCP struct {
	// Address is host:port.
	Address string
	// Timeout bounds the connect; zero means DefaultTimeout.
	Timeout time.Duration
}

// Probe opens and closes one connection.
func (p *TCP) Probe(ctx context.Context) Result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeoutOr(p.Timeout))
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", p.Address)
	if err != nil {
		return Result{Detail: failure(err, timeoutOr(p.Timeout)), Duration: time.Since(start)}
	}
	conn.Close()
	return Result{OK: true, Detail: "connected", Duration: time.Since(start)}
}

var _ Prober = (*TCP)(nil)
