package plugins

import (
	"github.com/hashicorp/go-plugin"
)

// ProtocolVersion is the version of the plugin protocol this package speaks
// (protobuf package bp.plugin.v1). go-plugin refuses to connect a client and
// a plugin that disagree on it.
const ProtocolVersion = 1

// Handshake is the go-plugin handshake shared by bp and every provider
// plugin. The magic cookie only keeps a plugin binary from running as an
// ordinary program; it is not a secret.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "BP_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "40dfbe624c7bf38b5c402e0c07473cbaffe72adcc27e29b77bea2ccc4f26f6c6",
}

// providerPluginName is the name under which a plugin serves its provider
// in the go-plugin plugin set.
const providerPluginName = "provider"

// logLevelEnv tells the plugin process at which level to write its own
// go-plugin log (JSON on stderr, relayed to bp's log); unset means off.
const logLevelEnv = "BP_PLUGIN_LOG_LEVEL"

// maxMessageSize bounds one gRPC message either way. States can hold whole
// file contents, so it is far above gRPC's 4 MiB default.
const maxMessageSize = 256 << 20
