// Package agentapi is the wire protocol between bp and bp-agent (version 1).
//
// One converge of one host is one SSH exec of `bp-agent converge`. The agent
// first writes a [FactsLine], then reads one [Request] from stdin (bp closes
// stdin after it), converges the resources in order and writes one [Result]
// line per resource, one [Handler] line per service restart or reload, and a
// final [Done] line. Every line is one JSON object terminated by '\n', with a
// "type" member saying which of those it is; [Encoder] writes them and
// [Decoder] reads them back.
//
// The package uses the standard library only, so the agent binary stays
// small. It is not for anything but this protocol: kind arguments travel as
// plain JSON values in [Resource.Attrs] and are described by package
// resources.
package agentapi

// ProtocolVersion is the protocol version this package speaks. A
// [Request.Version] must equal it.
const ProtocolVersion = 1

// DefaultStateDir is where the agent keeps its state (pending notifications)
// when converge is run without --state-dir.
const DefaultStateDir = "/var/lib/bp/state"

// AgentDir is the directory under which bp uploads agent builds, one
// subdirectory per content hash: AgentDir/<sha256>/bp-agent.
const AgentDir = "/var/lib/bp/agent"

// PendingNotifyFile is the name, inside the state directory, of the file
// holding the notifications not yet delivered.
const PendingNotifyFile = "pending-notify.json"

// Exit statuses of `bp-agent converge`.
const (
	// ExitOK: every resource and handler converged (or would, in check mode).
	ExitOK = 0
	// ExitInternal: a protocol or internal error; stderr says why, and the
	// stdout lines may stop before a Done line.
	ExitInternal = 1
	// ExitFailed: a resource or handler failed; the lines say which.
	ExitFailed = 2
)
