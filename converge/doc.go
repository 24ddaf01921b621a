// Package converge is bp's side of host convergence: it reaches hosts over
// SSH (pinned host keys, trust on first use, bastions, retries while a new
// machine boots), makes sure the host has the exact bp-agent build (uploaded
// over SFTP into a content-addressed path only when missing), and runs one
// converge per host as ONE SSH exec speaking the agentapi wire protocol:
// facts out, the host's desired state in, results streamed back as JSON lines.
// Run fans that out over many hosts with a parallelism limit and rollout
// batches.
//
// It is not a configuration language and not part of the engine: it knows no
// HCL, no blueprint and no state. Callers hand it plain Go values (a Target,
// an AgentSource, a RunRequest whose Build callback turns the host's facts
// into an agentapi.Request) and get plain values back. It never logs; request
// attributes are only ever written to the agent's stdin, so values of
// sensitive resources cannot leak through this package.
package converge
