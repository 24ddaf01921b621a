package sshpool

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"

	"golang.org/x/crypto/ssh"

	"github.com/blueprint-engine/bp/converge"
)

// Pool holds one SSH connection per target. A connection that fails is
// closed and dialled again: at once, when it was one kept from before
// (the host's sshd may have restarted since), else at the next call. All
// methods are safe for concurrent use; calls for one target share its
// connection.
type Pool struct {
	// Dial connects; nil means converge.Dial.
	Dial func(ctx context.Context, t converge.Target) (*converge.Conn, error)

	mu    sync.Mutex
	conns map[string]*entry
}

type entry struct {
	mu   sync.Mutex // held while dialling
	conn *converge.Conn
}

// Key identifies the connection of a target: the same address, port,
// user, client key and pinned host key share one.
func Key(t converge.Target) string {
	sum := sha256.Sum256(t.PrivateKey)
	return t.User + "@" + net.JoinHostPort(t.Address, strconv.Itoa(t.Port)) + " " + t.HostKey + " " + fmt.Sprintf("%x", sum[:8])
}

// Output runs command on the target (converge.Conn.Output). A command
// that ran and failed (*converge.ExecError with an exit status) keeps the
// connection.
func (p *Pool) Output(ctx context.Context, t converge.Target, command string) ([]byte, error) {
	var out []byte
	err := p.do(ctx, t, func(c *converge.Conn) error {
		var err error
		out, err = c.Output(ctx, command)
		return err
	}, func(err error) bool {
		var exit *converge.ExecError
		return !(errors.As(err, &exit) && exit.ExitStatus >= 0)
	})
	return out, err
}

// DialContext opens a connection from the target to addr
// (converge.Conn.DialContext: "tcp" or "unix"). A refusal by the server
// keeps the connection.
func (p *Pool) DialContext(ctx context.Context, t converge.Target, network, addr string) (net.Conn, error) {
	var nc net.Conn
	err := p.do(ctx, t, func(c *converge.Conn) error {
		var err error
		nc, err = c.DialContext(ctx, network, addr)
		return err
	}, func(err error) bool {
		var refused *ssh.OpenChannelError
		return !errors.As(err, &refused)
	})
	return nc, err
}

// do runs f on the target's connection. When f fails with an error that
// broken says is the connection's, the connection is dropped, and f tried
// once more on a new one if the failed one was kept from an earlier call.
func (p *Pool) do(ctx context.Context, t converge.Target, f func(*converge.Conn) error, broken func(error) bool) error {
	for attempt := 0; ; attempt++ {
		conn, fresh, err := p.conn(ctx, t)
		if err != nil {
			return err
		}
		err = f(conn)
		if err == nil || ctx.Err() != nil || !broken(err) {
			return err
		}
		p.drop(t, conn)
		if fresh || attempt > 0 {
			return err
		}
	}
}

// conn returns the target's connection, dialling it when there is none;
// fresh says it was dialled by this call.
func (p *Pool) conn(ctx context.Context, t converge.Target) (c *converge.Conn, fresh bool, err error) {
	key := Key(t)
	p.mu.Lock()
	if p.conns == nil {
		p.conns = map[string]*entry{}
	}
	e := p.conns[key]
	if e == nil {
		e = &entry{}
		p.conns[key] = e
	}
	p.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.conn != nil {
		return e.conn, false, nil
	}
	dial := p.Dial
	if dial == nil {
		dial = converge.Dial
	}
	c, err = dial(ctx, t)
	if err != nil {
		return nil, false, err
	}
	e.conn = c
	return c, true, nil
}

// drop closes conn and forgets it, unless another call replaced it.
func (p *Pool) drop(t converge.Target, conn *converge.Conn) {
	p.mu.Lock()
	e := p.conns[Key(t)]
	p.mu.Unlock()
	if e == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.conn == conn {
		e.conn.Close()
		e.conn = nil
	}
}

// Keep closes the connections of every target not in keep, e.g. members
// that left their group.
func (p *Pool) Keep(keep []converge.Target) {
	want := map[string]bool{}
	for _, t := range keep {
		want[Key(t)] = true
	}
	p.mu.Lock()
	var gone []*entry
	for k, e := range p.conns {
		if !want[k] {
			gone = append(gone, e)
			delete(p.conns, k)
		}
	}
	p.mu.Unlock()
	closeAll(gone)
}

// Len is the number of open connections.
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, e := range p.conns {
		e.mu.Lock()
		if e.conn != nil {
			n++
		}
		e.mu.Unlock()
	}
	return n
}

// Close closes every connection. The Pool may be used again afterwards.
func (p *Pool) Close() error {
	p.Keep(nil)
	return nil
}

func closeAll(entries []*entry) {
	for _, e := range entries {
		e.mu.Lock()
		if e.conn != nil {
			e.conn.Close()
			e.conn = nil
		}
		e.mu.Unlock()
	}
}
