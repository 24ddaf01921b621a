package engine

import (
	"context"
	"time"

	"github.com/blueprint-engine/bp/blueprint"
)

// WaitHealthyForTest probes address:port as a rollout health check would.
func WaitHealthyForTest(ctx context.Context, address string, port int, path, timeout string) error {
	d, err := time.ParseDuration(timeout)
	if err != nil {
		return err
	}
	hc := &blueprint.RolloutHealthCheck{Port: port, Path: path, Timeout: d, Healthy: 1}
	return waitHealthy(ctx, hc, HostTarget{Name: "host", Address: address})
}
