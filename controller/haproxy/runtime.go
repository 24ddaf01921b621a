package haproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// AdminState is what an operator may set a server to through the runtime
// API.
type AdminState string

const (
	// Ready puts a server back into rotation.
	Ready AdminState = "ready"
	// Drain stops new sessions to a server; existing ones finish.
	Drain AdminState = "drain"
	// Maint takes a server out of all traffic.
	Maint AdminState = "maint"
)

// Runtime talks to HAProxy's runtime API on its stats socket (a
// "stats socket PATH level admin" line in the global section). Each call
// opens its own connection, so a Runtime is safe for concurrent use.
type Runtime struct {
	// Network is "unix" (the default when empty) or "tcp".
	Network string
	// Address is the socket path, or host:port for tcp.
	Address string
	// Timeout bounds each command when ctx has no earlier deadline;
	// zero means 5 s.
	Timeout time.Duration
	// Dial opens the connection; nil dials locally (net.Dialer). Set it to
	// reach the socket of a remote HAProxy, e.g. through SSH
	// (converge.Conn.DialContext). Connections need not support deadlines:
	// a command whose ctx ends is cut short by closing its connection.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// maxReply bounds a runtime API reply.
const maxReply = 32 << 20

// Command sends one runtime API command and returns HAProxy's reply. It
// does not interpret the reply.
func (r Runtime) Command(ctx context.Context, cmd string) (string, error) {
	if strings.ContainsAny(cmd, "\n\r;") {
		return "", fmt.Errorf("runtime API command %q contains a newline or ';'; send one command per call", cmd)
	}
	network := r.Network
	if network == "" {
		network = "unix"
	}
	timeout := r.Timeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	dial := r.Dial
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	conn, err := dial(ctx, network, r.Address)
	if err != nil {
		return "", fmt.Errorf("HAProxy runtime API at %s: %w; is a \"stats socket %s level admin\" line in haproxy.cfg's global section?", r.Address, err, r.Address)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	// Closing rather than a past deadline: tunnelled connections have no
	// deadlines.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if _, err := io.WriteString(conn, cmd+"\n"); err != nil {
		return "", fmt.Errorf("HAProxy runtime API at %s: sending %q: %w", r.Address, cmd, ctxOr(ctx, err))
	}
	// Without "prompt" mode HAProxy answers one command and closes.
	reply, err := io.ReadAll(io.LimitReader(conn, maxReply))
	if err != nil {
		return "", fmt.Errorf("HAProxy runtime API at %s: reading the reply to %q: %w", r.Address, cmd, ctxOr(ctx, err))
	}
	return string(reply), nil
}

// SetServerState sets backend/server to state (set server B/S state …).
// Setting the state a server already has succeeds.
func (r Runtime) SetServerState(ctx context.Context, backend, server string, state AdminState) error {
	switch state {
	case Ready, Drain, Maint:
	default:
		return fmt.Errorf("server state %q is not one of ready, drain, maint", state)
	}
	if err := checkName("backend", backend); err != nil {
		return err
	}
	if err := checkName("server", server); err != nil {
		return err
	}
	cmd := fmt.Sprintf("set server %s/%s state %s", backend, server, state)
	reply, err := r.Command(ctx, cmd)
	if err != nil {
		return err
	}
	// HAProxy answers a successful set with an empty line and a refusal
	// with a sentence ("No such server.").
	if msg := strings.TrimSpace(reply); msg != "" {
		return fmt.Errorf("HAProxy refused %q: %s", cmd, msg)
	}
	return nil
}

// ShowStat reads the statistics through the runtime API (show stat), the
// same snapshot the stats page gives, stamped with the time of the reply.
func (r Runtime) ShowStat(ctx context.Context) (*Stats, error) {
	reply, err := r.Command(ctx, "show stat")
	if err != nil {
		return nil, err
	}
	at := time.Now()
	st, err := ParseCSV(bytes.NewBufferString(reply))
	if err != nil {
		return nil, fmt.Errorf("HAProxy runtime API at %s: show stat: %w", r.Address, err)
	}
	st.At = at
	return st, nil
}

// ctxOr is ctx's error when it ended (the cause of a closed connection),
// else err.
func ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return err
}

// checkName refuses names the runtime API cannot carry.
func checkName(what, name string) error {
	if name == "" {
		return fmt.Errorf("%s name is empty", what)
	}
	if strings.ContainsAny(name, " \t\n\r;/#") {
		return errors.New(what + " name " + fmt.Sprintf("%q", name) + " contains a space, ';', '/' or '#', which HAProxy names cannot hold")
	}
	return nil
}
