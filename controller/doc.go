// Package controller is the home of the building blocks of `bp run`, the
// long-running runtime controller of DESIGN §2: autoscale (the scaling
// algorithm), haproxy (load balancer statistics and the runtime API), probe
// (HTTP and TCP health checks) and status (the controller's own /metrics,
// /healthz and status page).
//
// Each subpackage stands alone and knows nothing of blueprints, the engine or
// state; the `bp run` command assembles them and changes the stack only through
// the engine's plan/apply path. This package itself holds no code.
package controller
