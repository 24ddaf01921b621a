package controller

import (
	"context"
	"slices"
	"sync"

	"github.com/blueprint-engine/bp/controller/autoscale"
	"github.com/blueprint-engine/bp/controller/hostmetrics"
	"github.com/blueprint-engine/bp/controller/status"
	"github.com/blueprint-engine/bp/converge"
)

// hostTracker is what the controller keeps of one member's host metrics.
type hostTracker struct {
	group, addr string
	tracker     hostmetrics.Tracker
	// lastErr is the error of the member's last sample, so a member that
	// stays unreachable is logged once.
	lastErr string
}

// hostKey names a member's tracker: a member replaced at the same address
// starts over.
func hostKey(m Member) string { return m.Instance.String() + " " + m.Address }

// wantsHostMetrics reports whether an autoscaler tracks a host metric.
func wantsHostMetrics(as *Autoscaler) bool {
	return slices.ContainsFunc(as.Sources, func(s MetricSource) bool {
		return s.StatsURL == "" && slices.Contains(hostmetrics.Names, s.Metric)
	})
}

// hostSamples samples every member of the group once (one exec each, in
// parallel) and returns the averages over the members that answered, one
// sample per host metric. Members that did not answer are left out, and
// logged when their error changes.
func (c *Controller) hostSamples(ctx context.Context, g *Group) []autoscale.Sample {
	type result struct {
		snap hostmetrics.Snapshot
		err  error
	}
	results := make([]result, len(g.Members))
	var wg sync.WaitGroup
	for i, m := range g.Members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i].snap, results[i].err = c.cfg.Hosts.Sample(ctx, m)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	now := c.cfg.Now()
	sums, counts := map[string]float64{}, map[string]int{}
	for i, m := range g.Members {
		key := hostKey(m)
		ht := c.hosts[key]
		if ht == nil {
			ht = &hostTracker{group: g.Addr, addr: m.Address}
			c.hosts[key] = ht
		}
		c.cfg.Board.RecordScrape("ssh "+m.Address, now, results[i].err)
		if err := results[i].err; err != nil {
			if err.Error() != ht.lastErr {
				c.cfg.Logf("%s: host metrics of %s (%s) left out of the average: %v", g.Addr, m.Address, m.Instance, err)
			}
			ht.lastErr = err.Error()
			continue
		}
		if ht.lastErr != "" {
			c.cfg.Logf("%s: host metrics of %s (%s) are read again", g.Addr, m.Address, m.Instance)
			ht.lastErr = ""
		}
		u := ht.tracker.Observe(results[i].snap)
		obs := status.HostObservation{Group: g.Addr, Host: m.Address, At: now, Metrics: map[string]float64{}}
		for _, name := range hostmetrics.Names {
			if v, ok := u.Metric(name); ok {
				obs.Metrics[name] = v
				sums[name] += v
				counts[name]++
			}
		}
		c.cfg.Board.ObserveHost(obs)
	}
	var out []autoscale.Sample
	for _, name := range hostmetrics.Names {
		if counts[name] > 0 {
			out = append(out, autoscale.Sample{Metric: name, Value: sums[name] / float64(counts[name]), At: now})
		}
	}
	return out
}

// forgetHosts drops the trackers of members no longer in the stack, and
// tells Hosts which machines remain.
func (c *Controller) forgetHosts(stack *Stack) {
	if c.cfg.Hosts == nil {
		return
	}
	current := map[string]bool{}
	var keep []Member
	for _, g := range stack.Groups {
		for _, m := range g.Members {
			current[hostKey(m)] = true
			keep = append(keep, m)
		}
	}
	for key, ht := range c.hosts {
		if !current[key] {
			c.cfg.Board.ForgetHost(ht.group, ht.addr)
			delete(c.hosts, key)
		}
	}
	targets := make([]converge.Target, 0, len(keep)+len(stack.LoadBalancers))
	for _, m := range keep {
		targets = append(targets, m.SSH)
	}
	for _, lb := range stack.LoadBalancers {
		targets = append(targets, lb.SSH)
	}
	c.cfg.Hosts.Keep(targets)
}
