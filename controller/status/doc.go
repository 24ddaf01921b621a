// Package status is the HTTP surface of `bp run`: /metrics in the
// Prometheus text format, /healthz, and a small status page at / with the
// groups, their sizes and metrics, recent decisions, health checks and an
// inline SVG chart of size and load over time.
//
// A Board holds what the controller reports (group observations,
// autoscaling decisions, probe events, scrapes) in memory, in bounded ring
// buffers, and renders it; the controller loop writes, HTTP handlers read.
// It keeps nothing across restarts and takes no decisions.
package status
