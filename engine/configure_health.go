package engine

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/blueprint-engine/bp/blueprint"
)

// The rollout health check: after a host converged, it must answer a probe
// before its batch counts as done and before what depends on the configure
// block (a load balancer taking it as a target) goes ahead.

// healthRetry is the pause between two probes of a host that has not
// passed yet.
const healthRetry = 500 * time.Millisecond

// healthProbeTimeout bounds one probe.
const healthProbeTimeout = 5 * time.Second

// HealthCheckError says a host did not pass its rollout health check in
// time.
type HealthCheckError struct {
	Host    string
	Probe   string
	Timeout time.Duration
	// Last is the last probe's failure.
	Last error
}

func (e *HealthCheckError) Error() string {
	return fmt.Sprintf("%s did not pass its health check (%s) within %s after converging: %v", e.Host, e.Probe, e.Timeout, e.Last)
}

// verifyUnlessCheck returns the Verify function of a configure block's
// rollout: nil when it has no health check, or when only checking.
func verifyUnlessCheck(check bool, hc *blueprint.RolloutHealthCheck) func(context.Context, HostTarget) error {
	if hc == nil || check {
		return nil
	}
	return func(ctx context.Context, h HostTarget) error { return waitHealthy(ctx, hc, h) }
}

// waitHealthy probes the host until it passes hc.Healthy times in a row,
// or hc.Timeout has passed.
func waitHealthy(ctx context.Context, hc *blueprint.RolloutHealthCheck, h HostTarget) error {
	hostPort := net.JoinHostPort(h.Address, strconv.Itoa(hc.Port))
	what := "TCP " + hostPort
	probe := func(ctx context.Context) error { return probeTCP(ctx, hostPort) }
	if hc.Path != "" {
		url := "http://" + hostPort + hc.Path
		what = "GET " + url
		probe = func(ctx context.Context) error { return probeHTTP(ctx, url) }
	}
	parent := ctx
	deadline := time.Now().Add(hc.Timeout)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	passes := 0
	var last error
	for {
		pctx, pcancel := context.WithTimeout(ctx, healthProbeTimeout)
		err := probe(pctx)
		pcancel()
		if err == nil {
			passes++
			if passes >= hc.Healthy {
				return nil
			}
		} else {
			passes = 0
			// A probe cut off by the deadline says less than the one before
			// (the dialer may see the deadline pass before ctx does).
			if (ctx.Err() == nil && time.Now().Before(deadline)) || last == nil {
				last = err
			}
		}
		select {
		case <-ctx.Done():
			if parent.Err() != nil {
				return fmt.Errorf("%s: health check (%s) cut short: %w", h.Name, what, context.Cause(parent))
			}
			if last == nil {
				last = ctx.Err()
			}
			return &HealthCheckError{Host: h.Name, Probe: what, Timeout: hc.Timeout, Last: last}
		case <-time.After(healthRetry):
		}
	}
}

// probeHTTP passes on a 2xx or 3xx answer, as HAProxy's httpchk does.
func probeHTTP(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Close = true
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 399 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

func probeTCP(ctx context.Context, hostPort string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", hostPort)
	if err != nil {
		return err
	}
	return c.Close()
}
