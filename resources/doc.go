// Package resources implements the host resource kinds a role may contain
// (package, file, directory, template, link, user, group, service, exec,
// line, cron, apt_repository, git, download) and the converge loop that
// bp-agent runs on a host.
//
// Each kind lives in one file: its registration (the argument metadata bp
// uses to validate role bodies, see [Kinds] and [Validate]), its argument
// decoding, Check (read the host, say what differs) and Apply (make it so).
// [Converge] runs a whole [agentapi.Request]: it checks and applies each
// resource in order, streams result lines, and delivers notifications to
// services, persisting the pending ones in the state directory.
//
// The package uses the Go standard library only (no HCL, no cty), because
// it is compiled into the agent binary uploaded to every host. It is not the
// place for blueprint evaluation: resources arrive with plain JSON values.
package resources
