package controller

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blueprint-engine/bp/controller/haproxy"
	"github.com/blueprint-engine/bp/controller/status"
)

// DefaultDrainTimeout bounds the wait for drained servers' sessions to
// end: the self-hosted load balancer's hard-stop-after, the longest its
// own reloads let a connection run.
const DefaultDrainTimeout = 30 * time.Second

// defaultDrainPoll is how often a drain looks at the sessions left.
const defaultDrainPoll = 250 * time.Millisecond

// drainedServer is a server the controller set to drain.
type drainedServer struct {
	lb              *LoadBalancer
	backend, server string
}

// leaving returns the members a resize removes: a group shrunk to n loses
// its members from index n on.
func leaving(stack *Stack, sizes map[string]int) []Member {
	var out []Member
	for addr, n := range sizes {
		if g := stack.Groups[addr]; g != nil && n < len(g.Members) {
			out = append(out, g.Members[n:]...)
		}
	}
	return out
}

// drain sets to drain, in every self-hosted load balancer, the servers
// named by the address of a leaving member, and waits until their
// sessions end or DrainTimeout passes. It returns the servers it drained;
// a load balancer it cannot reach is logged and left as it is (the apply
// still reconfigures it, gracefully).
func (c *Controller) drain(ctx context.Context, stack *Stack, members []Member) []drainedServer {
	if c.cfg.Hosts == nil || len(members) == 0 || len(stack.LoadBalancers) == 0 {
		return nil
	}
	names := map[string]bool{}
	for _, m := range members {
		names[m.Address] = true
	}
	start := time.Now()
	var (
		mu      sync.Mutex
		drained []drainedServer
		wg      sync.WaitGroup
	)
	for _, lb := range stack.LoadBalancers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ds := c.drainLB(ctx, lb, names, start)
			mu.Lock()
			drained = append(drained, ds...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.SortFunc(drained, func(a, b drainedServer) int {
		return cmp.Or(cmp.Compare(a.lb.Addr, b.lb.Addr), cmp.Compare(a.backend, b.backend), cmp.Compare(a.server, b.server))
	})
	return drained
}

// drainLB drains one load balancer's servers of the leaving members and
// waits for them.
func (c *Controller) drainLB(ctx context.Context, lb *LoadBalancer, names map[string]bool, start time.Time) []drainedServer {
	rt := c.cfg.Hosts.Runtime(lb)
	st, err := rt.ShowStat(ctx)
	if err != nil {
		if ctx.Err() == nil {
			c.cfg.Logf("%s: cannot drain before the scale-in: %v", lb.Addr, err)
		}
		return nil
	}
	var drained []drainedServer
	for _, b := range st.Backends {
		for _, srv := range b.Servers {
			if !names[srv.Name] {
				continue
			}
			if err := rt.SetServerState(ctx, b.Name, srv.Name, haproxy.Drain); err != nil {
				c.cfg.Logf("%s: draining %s/%s: %v", lb.Addr, b.Name, srv.Name, err)
				c.cfg.Board.RecordDrain(status.DrainRecord{At: start, LoadBalancer: lb.Addr, Backend: b.Name, Server: srv.Name,
					Outcome: status.DrainFailed, Error: err.Error()})
				continue
			}
			c.cfg.Logf("%s: draining %s/%s", lb.Addr, b.Name, srv.Name)
			drained = append(drained, drainedServer{lb: lb, backend: b.Name, server: srv.Name})
		}
	}
	if len(drained) == 0 {
		return nil
	}
	left := c.waitDrained(ctx, rt, drained, start)
	took := time.Since(start)
	for _, d := range drained {
		rec := status.DrainRecord{At: start, LoadBalancer: lb.Addr, Backend: d.backend, Server: d.server,
			Outcome: status.Drained, Took: took, SessionsLeft: left[d]}
		if n := left[d]; n != 0 {
			rec.Outcome = status.CutShort
			c.cfg.Logf("%s: drain of %s/%s cut short after %s with %s left", lb.Addr, d.backend, d.server,
				took.Round(time.Millisecond), sessionsLeft(n))
		} else {
			c.cfg.Logf("%s: drained %s/%s in %s", lb.Addr, d.backend, d.server, took.Round(time.Millisecond))
		}
		c.cfg.Board.RecordDrain(rec)
	}
	return drained
}

// waitDrained polls the load balancer until the drained servers have no
// session, the drain timeout passes or ctx ends; it returns each server's
// sessions at the end (-1 when unknown).
func (c *Controller) waitDrained(ctx context.Context, rt LBRuntime, drained []drainedServer, start time.Time) map[drainedServer]int64 {
	timeout, poll := c.cfg.DrainTimeout, c.cfg.DrainPoll
	if timeout == 0 {
		timeout = DefaultDrainTimeout
	}
	if poll == 0 {
		poll = defaultDrainPoll
	}
	left := map[drainedServer]int64{}
	for {
		busy := false
		st, err := rt.ShowStat(ctx)
		for _, d := range drained {
			left[d] = -1
			if err != nil {
				busy = true
				continue
			}
			if b, ok := st.Backend(d.backend); ok {
				for _, srv := range b.Servers {
					if srv.Name == d.server {
						left[d] = srv.Sessions
					}
				}
			}
			// A server gone from the statistics has no session left.
			left[d] = max(left[d], 0)
			busy = busy || left[d] > 0
		}
		if !busy || time.Since(start)+poll > timeout || ctx.Err() != nil {
			return left
		}
		select {
		case <-ctx.Done():
			return left
		case <-time.After(poll):
		}
	}
}

func sessionsLeft(n int64) string {
	switch n {
	case -1:
		return "an unknown number of sessions (the statistics could not be read)"
	case 1:
		return "1 session"
	}
	return strconv.FormatInt(n, 10) + " sessions"
}

// undrain puts back to ready the drained servers that still exist after a
// failed apply: still in their load balancer's statistics, and still
// named by a member in the state.
func (c *Controller) undrain(ctx context.Context, drained []drainedServer) {
	if len(drained) == 0 {
		return
	}
	// Even when bp run is stopping, servers must not stay drained.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	members := map[string]bool{}
	if st, err := c.cfg.State.ReadState(ctx); err == nil {
		if stack, err := ReadStack(st); err == nil {
			for _, g := range stack.Groups {
				for _, m := range g.Members {
					members[m.Address] = true
				}
			}
		}
	}
	byLB := map[*LoadBalancer][]drainedServer{}
	for _, d := range drained {
		byLB[d.lb] = append(byLB[d.lb], d)
	}
	for lb, ds := range byLB {
		rt := c.cfg.Hosts.Runtime(lb)
		st, err := rt.ShowStat(ctx)
		if err != nil {
			c.cfg.Logf("%s: cannot put drained servers back after the failed apply: %v", lb.Addr, err)
			continue
		}
		for _, d := range ds {
			b, ok := st.Backend(d.backend)
			if !ok || !slices.ContainsFunc(b.Servers, func(s haproxy.Server) bool { return s.Name == d.server }) || !members[d.server] {
				continue
			}
			if err := rt.SetServerState(ctx, d.backend, d.server, haproxy.Ready); err != nil {
				c.cfg.Logf("%s: putting %s/%s back to ready: %v", lb.Addr, d.backend, d.server, err)
				continue
			}
			c.cfg.Logf("%s: %s/%s is ready again (the apply failed)", lb.Addr, d.backend, d.server)
		}
	}
}
