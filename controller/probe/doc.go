// Package probe checks whether targets are healthy: HTTP and TCP probes,
// a per-target state machine with healthy and unhealthy thresholds, and a
// runner that probes a set of targets at an interval and reports every
// result and every change of health.
//
// The state machine is pure (results in, transitions out) and the runner
// reads time only through a Clock, so both are tested without waiting.
// Deciding what to do about an unhealthy target (replace the member) is
// the controller's business, not this package's.
package probe
