package plugins

import (
	"context"
	"sync/atomic"

	"google.golang.org/grpc"
)

// Stats counts what a [Client] did: the calls it made to the plugin and
// the calls it answered without one.
type Stats struct {
	// RPCs is how many calls went to the plugin, GetMetadata and
	// GetSchema included.
	RPCs int64
	// SkippedValidations is how many ValidateResourceConfig calls the
	// Client answered itself, for resource types the plugin declared
	// schema-only (see [SchemaOnlyValidator]).
	SkippedValidations int64
	// CachedPlans is how many PlanResourceChange calls the Client answered
	// with the plugin's answer to an identical earlier call (see
	// [Client.PlanResourceChange]).
	CachedPlans int64
	// SchemaPlans is how many PlanResourceChange calls the Client answered
	// with the schema plan, for resource types the plugin declared
	// schema-planned (see [SchemaPlanner]).
	SchemaPlans int64
}

// clientStats are a Client's counters.
type clientStats struct {
	rpcs, skippedValidations, cachedPlans, schemaPlans atomic.Int64
}

func (s *clientStats) snapshot() Stats {
	return Stats{RPCs: s.rpcs.Load(), SkippedValidations: s.skippedValidations.Load(), CachedPlans: s.cachedPlans.Load(),
		SchemaPlans: s.schemaPlans.Load()}
}

// countRPCs is a gRPC interceptor that counts every call made.
func (s *clientStats) countRPCs(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	s.rpcs.Add(1)
	return invoker(ctx, method, req, reply, cc, opts...)
}

// Stats returns the Client's counts so far.
func (c *Client) Stats() Stats { return c.stats.snapshot() }
