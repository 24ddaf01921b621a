// Package controller is the home of the building blocks of `bp run`, the
// long-running runtime controller of DESIGN §2: autoscale (the scaling
// algorithm), haproxy (load balancer statistics and the runtime API), probe
// (HTTP and TCP health checks) and status (the controller's own /metrics,
// /healthz and status page).
//
// Each subpackage stands alone and knows nothing of blueprints, the engine or
// state. This package assembles them into the loop of `bp run` (Controller,
// run.go): it reads the stack from state (ReadStack) and changes it only
// through the engine's plan/apply path, behind small interfaces that the
// command implements and tests fake.
package controller
